/**
 * Cost allocation per team, following the OpenCost specification v01 (opencost/opencost spec/opencost-specv01.md):
 *
 * - Asset cost: a node costs the hourly price of the offering it launched with. Its price is split into
 *   resource prices (CPU, RAM, GPU) in a fixed ratio of marginal unit rates (spec Appendix A: "a scalable
 *   ratio of CPU, GPU, RAM ... price inputs", normalised so the components sum to the node's price).
 * - Workload cost: per resource, max(request, usage) x the resource's unit rate (spec "Workload Costs"). This
 *   controller has no usage metrics, so the allocation is the request; the unit rate is the resource price /
 *   the node's allocatable amount, so a node whose allocatable is fully requested has no idle cost. When a
 *   resource is over-committed (requests above allocatable), pods share that resource's price in proportion
 *   to their requests, so allocations never exceed the node's price.
 * - Idle cost = asset cost - workload costs (spec "Idle Costs"), per node, per NodePool and cluster-wide.
 * - Shared costs (spec "Shared Costs", method 2 "proportionate to a tenant's consumption"): idle of a NodePool
 *   dedicated to a team is charged to that team; idle of shared capacity is reported as idle, or, with
 *   `shareIdle`, split over the teams in proportion to their workload cost on shared capacity.
 *
 * Invariant: sum over teams of `costPerHour` + `idleCostPerHour` = sum of node prices (floating point only).
 */
import { CPU, MEMORY, type ResourceList } from '../quantity/resourcelist.js';

/** One pod's requests and owning team. */
export interface CostPod {
  /** `namespace/name`. */
  key: string;
  team: string;
  /** Canonical units (cpu in millicores, memory in bytes, GPUs in units). */
  requests: ResourceList;
}

/** One node: its price, allocatable and pods. */
export interface CostNode {
  name: string;
  /** USD per hour (the offering it launched with); 0 when unknown. */
  pricePerHour: number;
  /** Canonical units. */
  allocatable: ResourceList;
  /** The NodePool it belongs to, if any. */
  nodePool?: string;
  /** Non-terminal pods bound to it. */
  pods: readonly CostPod[];
}

/**
 * Relative unit rates used to split a node's price into resource prices: USD per CPU core-hour, per GiB of
 * RAM-hour, per GPU-hour. Only their ratio matters. Default {@link OPENCOST_DEFAULT_UNIT_RATES}.
 */
export interface ResourceUnitRates {
  cpuCorePerHour: number;
  memoryGiBPerHour: number;
  gpuPerHour: number;
}

/** OpenCost's default pricing sheet (CPU 0.031611 $/core-h, RAM 0.004237 $/GiB-h, GPU 0.95 $/h). */
export const OPENCOST_DEFAULT_UNIT_RATES: ResourceUnitRates = Object.freeze({ cpuCorePerHour: 0.031611, memoryGiBPerHour: 0.004237, gpuPerHour: 0.95 });

/** Extended resources priced as GPUs. */
export const GPU_RESOURCES: readonly string[] = ['nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', 'habana.ai/gaudi', 'aws.amazon.com/neuron'];

export interface AllocationInput {
  nodes: readonly CostNode[];
  /** NodePool name → the team it is dedicated to (its template carries the team label). */
  dedicatedTeamByNodePool: Readonly<Record<string, string>>;
  /** Split idle of shared capacity over the teams (OpenCost "share idle"). */
  shareIdle: boolean;
  unitRates?: ResourceUnitRates;
}

export interface NodeAllocation {
  name: string;
  pricePerHour: number;
  /** Workload cost per pod key, USD per hour. */
  costByPod: Record<string, number>;
  /** Workload cost per team, USD per hour. */
  costByTeam: Record<string, number>;
  allocatedCostPerHour: number;
  idleCostPerHour: number;
  /** The team its idle cost is charged to (dedicated NodePool), if any. */
  idleChargedTo?: string;
}

export interface TeamAllocation {
  /** Sum of its pods' workload costs. */
  allocatedCostPerHour: number;
  /** Idle of the NodePools dedicated to it. */
  idleCostPerHour: number;
  /** Its share of shared idle (0 unless `shareIdle`). */
  sharedIdleCostPerHour: number;
  /** allocated + idle + sharedIdle. */
  costPerHour: number;
}

export interface NodePoolAllocation {
  costPerHour: number;
  allocatedCostPerHour: number;
  idleCostPerHour: number;
}

export interface AllocationResult {
  nodes: NodeAllocation[];
  /** By NodePool name (nodes without a NodePool are not listed). */
  nodePools: Record<string, NodePoolAllocation>;
  /** By team name; every team with a pod or a dedicated NodePool appears. */
  teams: Record<string, TeamAllocation>;
  /** Idle of shared capacity not charged to any team. */
  idleCostPerHour: number;
  /** Sum of node prices. */
  totalCostPerHour: number;
}

const GIB = 1024 ** 3;

/** The price of each priced resource of a node (Appendix A split), USD per hour; all 0 for a node with none. */
export function resourcePrices(node: Pick<CostNode, 'pricePerHour' | 'allocatable'>, rates: ResourceUnitRates = OPENCOST_DEFAULT_UNIT_RATES): Record<string, number> {
  const weights: Record<string, number> = {};
  const cpu = node.allocatable[CPU] ?? 0;
  const memory = node.allocatable[MEMORY] ?? 0;
  if (cpu > 0) weights[CPU] = (cpu / 1000) * rates.cpuCorePerHour;
  if (memory > 0) weights[MEMORY] = (memory / GIB) * rates.memoryGiBPerHour;
  for (const gpu of GPU_RESOURCES) {
    const amount = node.allocatable[gpu] ?? 0;
    if (amount > 0) weights[gpu] = amount * rates.gpuPerHour;
  }
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const prices: Record<string, number> = {};
  for (const [resource, weight] of Object.entries(weights)) prices[resource] = total > 0 ? (node.pricePerHour * weight) / total : 0;
  return prices;
}

/** Workload cost of each pod on one node (see the module comment), USD per hour. */
export function allocateNode(node: CostNode, rates: ResourceUnitRates = OPENCOST_DEFAULT_UNIT_RATES): Record<string, number> {
  const prices = resourcePrices(node, rates);
  const requested: Record<string, number> = {};
  for (const pod of node.pods) {
    for (const resource in prices) requested[resource] = (requested[resource] ?? 0) + Math.max(0, pod.requests[resource] ?? 0);
  }
  const costByPod: Record<string, number> = {};
  for (const pod of node.pods) {
    let cost = 0;
    for (const [resource, price] of Object.entries(prices)) {
      const request = Math.max(0, pod.requests[resource] ?? 0);
      if (request === 0) continue;
      // Over-committed: the resource's whole price is shared by request; otherwise request / allocatable.
      const denominator = Math.max(node.allocatable[resource] ?? 0, requested[resource] ?? 0);
      cost += (price * request) / denominator;
    }
    costByPod[pod.key] = (costByPod[pod.key] ?? 0) + cost;
  }
  return costByPod;
}

/**
 * Allocates every node's price to teams (module comment). Pure; no rounding (callers round for display;
 * rounding each figure to 1e-6 keeps the totals reconciled to the cent for up to thousands of figures).
 */
export function allocateCosts(input: AllocationInput): AllocationResult {
  const rates = input.unitRates ?? OPENCOST_DEFAULT_UNIT_RATES;
  const teams: Record<string, TeamAllocation> = {};
  const team = (name: string): TeamAllocation => (teams[name] ??= { allocatedCostPerHour: 0, idleCostPerHour: 0, sharedIdleCostPerHour: 0, costPerHour: 0 });
  for (const owner of Object.values(input.dedicatedTeamByNodePool)) team(owner);
  const nodePools: Record<string, NodePoolAllocation> = {};
  const nodes: NodeAllocation[] = [];
  const allocatedOnShared: Record<string, number> = {};
  let sharedIdle = 0;
  let total = 0;
  for (const node of input.nodes) {
    const costByPod = allocateNode(node, rates);
    const costByTeam: Record<string, number> = {};
    for (const pod of node.pods) {
      const cost = costByPod[pod.key] ?? 0;
      costByTeam[pod.team] = (costByTeam[pod.team] ?? 0) + cost;
    }
    const allocated = Object.values(costByTeam).reduce((a, b) => a + b, 0);
    // Float noise can put allocated a hair above the price on a fully requested node.
    const idle = Math.max(0, node.pricePerHour - allocated);
    const owner = node.nodePool === undefined ? undefined : input.dedicatedTeamByNodePool[node.nodePool];
    for (const [name, cost] of Object.entries(costByTeam)) {
      team(name).allocatedCostPerHour += cost;
      if (owner === undefined) allocatedOnShared[name] = (allocatedOnShared[name] ?? 0) + cost;
    }
    if (owner !== undefined) team(owner).idleCostPerHour += idle;
    else sharedIdle += idle;
    if (node.nodePool !== undefined) {
      const pool = (nodePools[node.nodePool] ??= { costPerHour: 0, allocatedCostPerHour: 0, idleCostPerHour: 0 });
      pool.costPerHour += node.pricePerHour;
      pool.allocatedCostPerHour += allocated;
      pool.idleCostPerHour += idle;
    }
    total += node.pricePerHour;
    nodes.push({
      name: node.name,
      pricePerHour: node.pricePerHour,
      costByPod,
      costByTeam,
      allocatedCostPerHour: allocated,
      idleCostPerHour: idle,
      ...(owner !== undefined ? { idleChargedTo: owner } : {}),
    });
  }
  const sharedBase = Object.values(allocatedOnShared).reduce((a, b) => a + b, 0);
  let idle = sharedIdle;
  if (input.shareIdle && sharedBase > 0) {
    for (const [name, cost] of Object.entries(allocatedOnShared)) team(name).sharedIdleCostPerHour = sharedIdle * (cost / sharedBase);
    idle = 0;
  }
  for (const t of Object.values(teams)) t.costPerHour = t.allocatedCostPerHour + t.idleCostPerHour + t.sharedIdleCostPerHour;
  return { nodes, nodePools, teams, idleCostPerHour: idle, totalCostPerHour: total };
}
