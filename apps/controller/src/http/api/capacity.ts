/**
 * `GET /api/v1/capacity?groupBy=team`: per-team capacity, usage and cost from the controller's cluster state
 * (informer caches; no API call). Cost comes from the domain's OpenCost allocation (`allocateCosts`); this
 * module only gathers its input and shapes the answer (`CapacityResponse` of @karpenter-ts/capacity-api).
 */
import {
  UNASSIGNED_TEAM,
  type CapacityResponse,
  type NodeCapacity,
  type NodeGroup,
  type NodePoolCapacity,
  type NodePoolLimits,
  type PendingPod,
  type TeamCapacity,
} from '@karpenter-ts/capacity-api';
import {
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  TAINT_DISRUPTED,
  addResources,
  allocateCosts,
  formatRequests,
  subtractResourcesClamped,
  toResourceList,
  type CostNode,
  type CostPod,
  type InstanceType,
  type Namespace,
  type Node,
  type NodeClaim,
  type Pod,
  type ResourceList,
} from '@karpenter-ts/provisioner-domain';
import type { ResolvedNodePool } from '../../state/nodepools.js';
import { isNodeReady, singleValuedRequirementLabels } from '../../state/snapshot.js';
import { podKey } from '../../state/pods.js';
import { safePodRequests } from './pending.js';
import { teamOfNodePool, teamOfPod } from './teams.js';

/** What the capacity view reads; {@link ClusterState} provides it. */
export interface CapacitySource {
  nodes(): Node[];
  nodeClaims(): NodeClaim[];
  /** Non-terminal pods bound to the node. */
  podsOnNode(nodeName: string): Pod[];
  nodeClaimForNode(node: Node): NodeClaim | undefined;
  namespace(name: string): Namespace | undefined;
}

export interface CapacityInput {
  source: CapacitySource;
  pools: readonly ResolvedNodePool[];
  /** Instance types per NodePool name (prices of the offerings). */
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
  /** Pending pods with their reasons (see explainPending). */
  pending: readonly PendingPod[];
  teamLabelKey: string;
  shareIdle: boolean;
  /** RFC 3339 time of the answer. */
  now: string;
}

/** The pseudo-resource of NodePool limits that counts nodes. */
const NODES_LIMIT = 'nodes';

/** Rounds USD to 1e-6 (the answer's precision; reconciliation holds to the cent). */
export const roundUsd = (n: number): number => Math.round(n * 1e6) / 1e6;
const roundShare = (n: number): number => Math.round(n * 1e4) / 1e4;

/** requested / allocatable per resource with a non-zero allocatable. */
export function utilisation(requested: ResourceList, allocatable: ResourceList): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(allocatable).sort()) {
    const capacity = allocatable[key] ?? 0;
    if (capacity > 0) out[key] = roundShare((requested[key] ?? 0) / capacity);
  }
  return out;
}

interface NodeFacts {
  node: Node;
  name: string;
  claim: NodeClaim | undefined;
  nodePool: string | undefined;
  owner: string | undefined;
  instanceType: string;
  capacityType: string;
  zone: string;
  price: number | undefined;
  allocatable: ResourceList;
  requested: ResourceList;
  pods: CostPod[];
}

/** Builds the answer; pure over its input (see the module comment and CapacityResponseSchema). */
export function buildCapacity(input: CapacityInput): CapacityResponse {
  const { source, teamLabelKey } = input;
  const namespaceOf = (name: string): Namespace | undefined => source.namespace(name);
  const ownerByPool: Record<string, string> = {};
  for (const pool of input.pools) {
    const owner = teamOfNodePool(pool, teamLabelKey);
    if (owner !== undefined) ownerByPool[pool.name] = owner;
  }
  const priceOf = priceLookup(input.instanceTypes);

  const facts: NodeFacts[] = [];
  const teamRequested = new Map<string, Record<string, number>>();
  const teamPods = new Map<string, number>();
  for (const node of source.nodes()) {
    const name = node.metadata.name ?? '';
    const labels = node.metadata.labels ?? {};
    const nodePool = labels[LABEL_NODEPOOL];
    const instanceType = labels[LABEL_INSTANCE_TYPE] ?? '';
    const capacityType = labels[LABEL_CAPACITY_TYPE] ?? '';
    const zone = labels[LABEL_TOPOLOGY_ZONE] ?? '';
    const pods: CostPod[] = [];
    const requested: Record<string, number> = {};
    for (const pod of source.podsOnNode(name)) {
      const requests = safePodRequests(pod);
      const team = teamOfPod(pod, namespaceOf, teamLabelKey);
      pods.push({ key: podKey(pod), team, requests });
      addInto(requested, requests);
      let forTeam = teamRequested.get(team);
      if (!forTeam) {
        forTeam = {};
        teamRequested.set(team, forTeam);
      }
      addInto(forTeam, requests);
      teamPods.set(team, (teamPods.get(team) ?? 0) + 1);
    }
    facts.push({
      node,
      name,
      claim: source.nodeClaimForNode(node),
      nodePool,
      owner: nodePool === undefined ? undefined : ownerByPool[nodePool],
      instanceType,
      capacityType,
      zone,
      price: nodePool === undefined ? undefined : priceOf(nodePool, instanceType, zone, capacityType),
      allocatable: nodeAllocatable(node),
      requested,
      pods,
    });
  }

  const allocation = allocateCosts({
    nodes: facts.map(
      (f): CostNode => ({ name: f.name, pricePerHour: f.price ?? 0, allocatable: f.allocatable, pods: f.pods, ...(f.nodePool !== undefined ? { nodePool: f.nodePool } : {}) }),
    ),
    dedicatedTeamByNodePool: ownerByPool,
    shareIdle: input.shareIdle,
  });

  const nodes: NodeCapacity[] = facts.map((f, i) => {
    const a = allocation.nodes[i];
    const costByTeam: Record<string, number> = {};
    for (const team of Object.keys(a?.costByTeam ?? {}).sort()) costByTeam[team] = roundUsd(a?.costByTeam[team] ?? 0);
    return {
      name: f.name,
      ...(f.claim?.metadata.name ? { nodeClaim: f.claim.metadata.name } : {}),
      ...(f.nodePool !== undefined ? { nodePool: f.nodePool } : {}),
      ...(f.owner !== undefined ? { team: f.owner } : {}),
      instanceType: f.instanceType,
      capacityType: f.capacityType,
      zone: f.zone,
      pricePerHour: roundUsd(f.price ?? 0),
      priced: f.price !== undefined,
      allocatable: formatRequests(f.allocatable),
      requested: formatRequests(f.requested),
      utilisation: utilisation(f.requested, f.allocatable),
      pods: f.pods.length,
      cordoned: f.node.spec?.unschedulable === true,
      deleting:
        Boolean(f.node.metadata.deletionTimestamp) ||
        Boolean(f.claim?.metadata.deletionTimestamp) ||
        (f.node.spec?.taints ?? []).some((t) => t.key === TAINT_DISRUPTED.key),
      ready: isNodeReady(f.node),
      costByTeam,
      idleCostPerHour: roundUsd(a?.idleCostPerHour ?? 0),
    };
  });

  // NodeClaims per pool and per (type, capacity type, zone), with their registered nodes.
  const claimsByPool = new Map<string, NodeClaim[]>();
  for (const claim of source.nodeClaims()) {
    const pool = claim.metadata.labels?.[LABEL_NODEPOOL];
    if (pool !== undefined) pushTo(claimsByPool, pool, claim);
  }
  const factsByPool = new Map<string, NodeFacts[]>();
  for (const f of facts) if (f.nodePool !== undefined) pushTo(factsByPool, f.nodePool, f);

  const poolLimits = new Map<string, NodePoolLimits>();
  const nodePools: NodePoolCapacity[] = [...input.pools]
    .sort((a, b) => cmp(a.name, b.name))
    .map((pool) => {
      const poolFacts = factsByPool.get(pool.name) ?? [];
      const claims = claimsByPool.get(pool.name) ?? [];
      const allocatable = addResources(...poolFacts.map((f) => f.allocatable));
      const requested = addResources(...poolFacts.map((f) => f.requested));
      const limits = limitsOf(pool, claims);
      poolLimits.set(pool.name, limits);
      const cost = allocation.nodePools[pool.name];
      const owner = ownerByPool[pool.name];
      return {
        name: pool.name,
        ...(owner !== undefined ? { team: owner } : {}),
        nodes: poolFacts.length,
        nodeClaims: claims.length,
        allocatable: formatRequests(allocatable),
        requested: formatRequests(requested),
        utilisation: utilisation(requested, allocatable),
        costPerHour: roundUsd(cost?.costPerHour ?? 0),
        idleCostPerHour: roundUsd(cost?.idleCostPerHour ?? 0),
        limits,
      };
    });

  const pendingByTeam = new Map<string, PendingPod[]>();
  for (const p of input.pending) pushTo(pendingByTeam, p.team, p);
  const teamNames = new Set<string>([...Object.keys(allocation.teams), ...pendingByTeam.keys()]);
  const teams: TeamCapacity[] = [...teamNames].sort(teamOrder).map((team) => {
    const owned = input.pools.filter((p) => ownerByPool[p.name] === team).map((p) => p.name).sort(cmp);
    const ownedFacts = owned.flatMap((p) => factsByPool.get(p) ?? []);
    const ownedClaims = owned.flatMap((p) => claimsByPool.get(p) ?? []);
    const allocatable = addResources(...ownedFacts.map((f) => f.allocatable));
    const requestedOnOwned = addResources(...ownedFacts.map((f) => f.requested));
    const cost = allocation.teams[team];
    const pending = pendingByTeam.get(team) ?? [];
    return {
      team,
      nodePools: owned,
      nodes: ownedFacts.length,
      nodeClaims: ownedClaims.length,
      nodeGroups: nodeGroups(ownedFacts, ownedClaims),
      pods: teamPods.get(team) ?? 0,
      allocatable: formatRequests(allocatable),
      requested: formatRequests(teamRequested.get(team) ?? {}),
      utilisation: utilisation(requestedOnOwned, allocatable),
      costPerHour: roundUsd(cost?.costPerHour ?? 0),
      allocatedCostPerHour: roundUsd(cost?.allocatedCostPerHour ?? 0),
      idleCostPerHour: roundUsd(cost?.idleCostPerHour ?? 0),
      sharedIdleCostPerHour: roundUsd(cost?.sharedIdleCostPerHour ?? 0),
      pendingPods: pending.length,
      pending,
      nodePoolLimits: owned.map((p) => poolLimits.get(p)).filter((l): l is NodePoolLimits => l !== undefined),
    };
  });

  const allAllocatable = addResources(...facts.map((f) => f.allocatable));
  const allRequested = addResources(...facts.map((f) => f.requested));
  return {
    groupBy: 'team',
    teamLabelKey,
    shareIdle: input.shareIdle,
    generatedAt: input.now,
    teams,
    nodePools,
    nodes: nodes.sort((a, b) => cmp(a.name, b.name)),
    idle: { costPerHour: roundUsd(allocation.idleCostPerHour) },
    totals: {
      nodes: facts.length,
      nodeClaims: source.nodeClaims().length,
      pods: facts.reduce((n, f) => n + f.pods.length, 0),
      pendingPods: input.pending.length,
      allocatable: formatRequests(allAllocatable),
      requested: formatRequests(allRequested),
      utilisation: utilisation(allRequested, allAllocatable),
      costPerHour: roundUsd(allocation.totalCostPerHour),
    },
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function addInto(target: Record<string, number>, list: ResourceList): void {
  for (const key in list) target[key] = (target[key] ?? 0) + (list[key] ?? 0);
}

const allocatableByNode = new WeakMap<Node, ResourceList>();

/** status.allocatable in canonical units, memoised per cached node object. */
function nodeAllocatable(node: Node): ResourceList {
  let list = allocatableByNode.get(node);
  if (list === undefined) {
    try {
      list = toResourceList(node.status?.allocatable);
    } catch {
      list = {};
    }
    allocatableByNode.set(node, list);
  }
  return list;
}

function offeringKey(instanceType: string, zone: string, capacityType: string): string {
  return `${instanceType}\u0000${zone}\u0000${capacityType}`;
}

/** Offering key → price, per instance type object (catalog objects are reused across calls). */
const pricesByType = new WeakMap<InstanceType, Map<string, number>>();

/**
 * The price of the offering a node launched with: `price(pool, type, zone, capacityType)` in USD per hour,
 * undefined when the pool's catalog has no such offering. Indexes are built lazily, for the pools and types
 * that nodes use.
 */
function priceLookup(instanceTypes: Readonly<Record<string, readonly InstanceType[]>>): (pool: string, type: string, zone: string, capacityType: string) => number | undefined {
  const typesByPool = new Map<string, Map<string, InstanceType>>();
  return (pool, typeName, zone, capacityType) => {
    let types = typesByPool.get(pool);
    if (!types) {
      types = new Map((instanceTypes[pool] ?? []).map((t) => [t.name, t]));
      typesByPool.set(pool, types);
    }
    const type = types.get(typeName);
    if (!type) return undefined;
    let prices = pricesByType.get(type);
    if (!prices) {
      prices = new Map(type.offerings.map((o) => [offeringKey(type.name, o.zone, o.capacityType), o.pricePerHour]));
      pricesByType.set(type, prices);
    }
    return prices.get(offeringKey(typeName, zone, capacityType));
  };
}

/**
 * `spec.limits` against the capacity of the pool's NodeClaims (as Karpenter's NodePool counter sums it into
 * `status.resources`: status.capacity once launched, the requested resources before) and its NodeClaim count
 * for the `nodes` limit.
 */
function limitsOf(pool: ResolvedNodePool, claims: readonly NodeClaim[]): NodePoolLimits {
  const limits = toResourceList(pool.nodePool.spec.limits);
  const used = addResources(...claims.map((c) => toResourceList(c.status?.capacity ?? c.spec.resources?.requests)), { [NODES_LIMIT]: claims.length });
  const usedLimited: Record<string, number> = {};
  for (const key of Object.keys(limits)) usedLimited[key] = used[key] ?? 0;
  const format = (list: ResourceList): Record<string, string> => {
    const out: Record<string, string> = {};
    const formatted = formatRequests(list);
    for (const key of Object.keys(list).sort()) out[key] = formatted[key] ?? '0';
    return out;
  };
  return {
    nodePool: pool.name,
    limits: format(limits),
    used: format(Object.keys(limits).length > 0 ? usedLimited : used),
    headroom: format(subtractResourcesClamped(limits, used)),
  };
}

/** Nodes and NodeClaims by instance type, capacity type and zone, with the nodes' prices. */
function nodeGroups(facts: readonly NodeFacts[], claims: readonly NodeClaim[]): NodeGroup[] {
  const groups = new Map<string, NodeGroup>();
  const group = (instanceType: string, capacityType: string, zone: string): NodeGroup => {
    const key = offeringKey(instanceType, zone, capacityType);
    let g = groups.get(key);
    if (!g) {
      g = { instanceType, capacityType, zone, nodes: 0, nodeClaims: 0, costPerHour: 0 };
      groups.set(key, g);
    }
    return g;
  };
  for (const f of facts) {
    const g = group(f.instanceType, f.capacityType, f.zone);
    g.nodes++;
    g.costPerHour = roundUsd(g.costPerHour + (f.price ?? 0));
  }
  for (const claim of claims) {
    const labels = { ...singleValuedRequirementLabels(claim), ...(claim.metadata.labels ?? {}) };
    group(labels[LABEL_INSTANCE_TYPE] ?? '', labels[LABEL_CAPACITY_TYPE] ?? '', labels[LABEL_TOPOLOGY_ZONE] ?? '').nodeClaims++;
  }
  return [...groups.values()].sort((a, b) => cmp(a.instanceType, b.instanceType) || cmp(a.capacityType, b.capacityType) || cmp(a.zone, b.zone));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** By name, `unassigned` last. */
function teamOrder(a: string, b: string): number {
  if (a === UNASSIGNED_TEAM || b === UNASSIGNED_TEAM) return a === b ? 0 : a === UNASSIGNED_TEAM ? 1 : -1;
  return cmp(a, b);
}
