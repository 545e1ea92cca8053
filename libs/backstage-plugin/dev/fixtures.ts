import { exampleCapacityResponse, type CapacityResponse, type NodeCapacity, type TeamCapacity } from '@karpenter-ts/capacity-api';
import type { KarpenterCapacityApi } from '../src/api';

/**
 * A synthetic response of `teamCount` teams (each with one dedicated NodePool and node) built from the shared
 * example, for the dev app's `?teams=N` mode and the browser test's 50-team time-to-interactive measurement.
 * Totals reconcile: every team's cost is its node's price, nothing is idle.
 */
export function syntheticCapacity(teamCount: number): CapacityResponse {
  const [templateTeam] = exampleCapacityResponse.teams as [TeamCapacity];
  const templateNode = exampleCapacityResponse.nodes[1] as NodeCapacity;
  const templatePool = exampleCapacityResponse.nodePools[1] as CapacityResponse['nodePools'][number];
  const teams: TeamCapacity[] = [];
  const nodes: NodeCapacity[] = [];
  const nodePools: CapacityResponse['nodePools'] = [];
  for (let i = 0; i < teamCount; i++) {
    const team = `team-${String(i + 1).padStart(2, '0')}`;
    const price = Math.round((0.1 + (i % 7) * 0.05) * 1000) / 1000;
    const cpuRequested = 500 + ((i * 370) % 3400);
    const utilisation = { cpu: cpuRequested / 3920, memory: 0.3, pods: 0.05 };
    teams.push({
      ...templateTeam,
      team,
      nodePools: [team],
      requested: { ...templateTeam.requested, cpu: `${cpuRequested}m` },
      utilisation,
      costPerHour: price,
      allocatedCostPerHour: price,
      idleCostPerHour: 0,
      pendingPods: i % 5 === 0 ? 1 : 0,
      pending: i % 5 === 0 ? templateTeam.pending.map((p) => ({ ...p, namespace: team, team })) : [],
      nodeGroups: [{ ...templateTeam.nodeGroups[0]!, costPerHour: price }],
      nodePoolLimits: [{ ...templateTeam.nodePoolLimits[0]!, nodePool: team }],
    });
    nodes.push({ ...templateNode, name: `${team}-node`, nodeClaim: `${team}-node`, nodePool: team, team, pricePerHour: price, utilisation, costByTeam: { [team]: price }, idleCostPerHour: 0 });
    nodePools.push({ ...templatePool, name: team, team, costPerHour: price, idleCostPerHour: 0, limits: { ...templatePool.limits, nodePool: team } });
  }
  const total = teams.reduce((sum, t) => sum + t.costPerHour, 0);
  return {
    ...exampleCapacityResponse,
    teams,
    nodes,
    nodePools,
    idle: { costPerHour: 0 },
    totals: { ...exampleCapacityResponse.totals, nodes: teamCount, nodeClaims: teamCount, pods: teamCount * 2, costPerHour: Math.round(total * 1e6) / 1e6 },
  };
}

/** A mock {@link KarpenterCapacityApi} answering with the shared example, or `teamCount` synthetic teams. */
export function fixtureCapacityApi(teamCount?: number): KarpenterCapacityApi {
  const response = teamCount === undefined ? exampleCapacityResponse : syntheticCapacity(teamCount);
  return { getCapacity: async () => response };
}
