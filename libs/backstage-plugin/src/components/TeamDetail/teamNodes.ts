import type { CapacityResponse, NodeCapacity, NodePoolCapacity, TeamCapacity } from '@karpenter-ts/capacity-api';

/** A node as the team detail lists it: `dedicated` when its NodePool belongs to the team, else shared. */
export interface TeamNode {
  node: NodeCapacity;
  dedicated: boolean;
}

/**
 * The nodes a team uses: those of its own NodePools and the shared ones its pods run on (they carry a cost
 * share for it), ordered as eks-node-viewer groups them: instance type, zone, capacity type, then name.
 */
export function nodesOfTeam(response: CapacityResponse, team: TeamCapacity): TeamNode[] {
  const own = new Set(team.nodePools);
  return response.nodes
    .filter((n) => (n.nodePool !== undefined && own.has(n.nodePool)) || n.team === team.team || (n.costByTeam[team.team] ?? 0) > 0)
    .map((node) => ({ node, dedicated: node.team === team.team || (node.nodePool !== undefined && own.has(node.nodePool)) }))
    .sort(
      (a, b) =>
        a.node.instanceType.localeCompare(b.node.instanceType) ||
        a.node.zone.localeCompare(b.node.zone) ||
        a.node.capacityType.localeCompare(b.node.capacityType) ||
        a.node.name.localeCompare(b.node.name),
    );
}

/** The team's NodePools with their capacity, in the team's order; names the response lacks are left out. */
export function nodePoolsOfTeam(response: CapacityResponse, team: TeamCapacity): NodePoolCapacity[] {
  const byName = new Map(response.nodePools.map((p) => [p.name, p]));
  return team.nodePools.flatMap((name) => {
    const pool = byName.get(name);
    return pool ? [pool] : [];
  });
}

/** Node state for people, most severe first: Deleting, Cordoned, NotReady, Ready. */
export function nodeState(node: NodeCapacity): 'Deleting' | 'Cordoned' | 'NotReady' | 'Ready' {
  if (node.deleting) return 'Deleting';
  if (node.cordoned) return 'Cordoned';
  if (!node.ready) return 'NotReady';
  return 'Ready';
}
