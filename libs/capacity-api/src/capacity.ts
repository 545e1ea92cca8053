import { z } from 'zod';
import { CostPerHourSchema, ResourceListSchema, UtilisationSchema } from './common.js';
import { PendingPodSchema } from './pending.js';

/** The team name of pods whose namespace carries no team label. */
export const UNASSIGNED_TEAM = 'unassigned';

/** Nodes and NodeClaims of one instance type, capacity type and zone (eks-node-viewer's grouping). */
export const NodeGroupSchema = z.object({
  instanceType: z.string(),
  capacityType: z.string(),
  zone: z.string(),
  /** Registered Nodes. */
  nodes: z.number().int().nonnegative(),
  /** NodeClaims, including those whose Node has not registered yet. */
  nodeClaims: z.number().int().nonnegative(),
  /** Sum of the Nodes' prices, USD per hour. */
  costPerHour: CostPerHourSchema,
});
export type NodeGroup = z.infer<typeof NodeGroupSchema>;

/**
 * A NodePool's `spec.limits` against what its NodeClaims hold (Karpenter counts the capacity of every
 * NodeClaim of the pool). `headroom` = limit - used, floored at 0, for the limited resources only; a
 * NodePool without limits has empty `limits` and `headroom`.
 */
export const NodePoolLimitsSchema = z.object({
  nodePool: z.string(),
  limits: ResourceListSchema,
  used: ResourceListSchema,
  headroom: ResourceListSchema,
});
export type NodePoolLimits = z.infer<typeof NodePoolLimitsSchema>;

/** One Node with what it holds and costs. */
export const NodeCapacitySchema = z.object({
  name: z.string(),
  /** Its NodeClaim, when Karpenter launched it. */
  nodeClaim: z.string().optional(),
  /** `karpenter.sh/nodepool` label; absent for nodes Karpenter does not manage. */
  nodePool: z.string().optional(),
  /** Team of its NodePool (dedicated capacity), else absent. */
  team: z.string().optional(),
  instanceType: z.string(),
  capacityType: z.string(),
  zone: z.string(),
  /** Price of the offering it launched with (instance type, zone, capacity type), USD per hour; 0 when unknown. */
  pricePerHour: CostPerHourSchema,
  /** False when no catalog offering matches the node (not managed by Karpenter, or an unknown type). */
  priced: z.boolean(),
  allocatable: ResourceListSchema,
  /** Sum of the requests of its non-terminal pods. */
  requested: ResourceListSchema,
  utilisation: UtilisationSchema,
  /** Non-terminal pods bound to it. */
  pods: z.number().int().nonnegative(),
  /** `spec.unschedulable`. */
  cordoned: z.boolean(),
  /** Node or NodeClaim has a deletionTimestamp, or the node carries the `karpenter.sh/disrupted` taint. */
  deleting: z.boolean(),
  /** Node condition Ready=True. */
  ready: z.boolean(),
  /** Cost allocated to each team's pods on it, USD per hour. */
  costByTeam: z.record(z.string(), CostPerHourSchema),
  /** price - sum(costByTeam), USD per hour. */
  idleCostPerHour: CostPerHourSchema,
});
export type NodeCapacity = z.infer<typeof NodeCapacitySchema>;

/** A NodePool with its nodes' totals, cost, idle cost and limits headroom. */
export const NodePoolCapacitySchema = z.object({
  name: z.string(),
  /** The team its template labels name (dedicated capacity), else absent (shared). */
  team: z.string().optional(),
  nodes: z.number().int().nonnegative(),
  nodeClaims: z.number().int().nonnegative(),
  allocatable: ResourceListSchema,
  requested: ResourceListSchema,
  utilisation: UtilisationSchema,
  /** Sum of its nodes' prices, USD per hour. */
  costPerHour: CostPerHourSchema,
  /** Sum of its nodes' idle cost, USD per hour. */
  idleCostPerHour: CostPerHourSchema,
  limits: NodePoolLimitsSchema,
});
export type NodePoolCapacity = z.infer<typeof NodePoolCapacitySchema>;

/**
 * One team's share of the cluster.
 * - capacity it owns: the NodePools whose template labels carry its team label (`nodePools`), their Nodes
 *   and NodeClaims (`nodes`, `nodeClaims`, `nodeGroups`), their `allocatable`, and `utilisation` = requests of
 *   every pod on those nodes / their allocatable;
 * - what it uses: `pods` (bound, non-terminal pods of its namespaces) and their `requested`, wherever they run;
 * - cost (OpenCost allocation model): `allocatedCostPerHour` (its pods' shares of their nodes' prices) +
 *   `idleCostPerHour` (idle of its dedicated NodePools) + `sharedIdleCostPerHour` (its share of the
 *   shared idle when `shareIdle=true`, else 0) = `costPerHour`.
 */
export const TeamCapacitySchema = z.object({
  team: z.string(),
  nodePools: z.array(z.string()),
  nodes: z.number().int().nonnegative(),
  nodeClaims: z.number().int().nonnegative(),
  nodeGroups: z.array(NodeGroupSchema),
  pods: z.number().int().nonnegative(),
  allocatable: ResourceListSchema,
  requested: ResourceListSchema,
  utilisation: UtilisationSchema,
  costPerHour: CostPerHourSchema,
  allocatedCostPerHour: CostPerHourSchema,
  idleCostPerHour: CostPerHourSchema,
  sharedIdleCostPerHour: CostPerHourSchema,
  pendingPods: z.number().int().nonnegative(),
  pending: z.array(PendingPodSchema),
  /** Limits headroom of each of its NodePools. */
  nodePoolLimits: z.array(NodePoolLimitsSchema),
});
export type TeamCapacity = z.infer<typeof TeamCapacitySchema>;

/**
 * `GET /api/v1/capacity?groupBy=team[&shareIdle=true]`.
 * Invariant (to the cent): `sum(teams[].costPerHour) + idle.costPerHour = totals.costPerHour =
 * sum(nodes[].pricePerHour)`. Teams are ordered by name, `unassigned` last; nodes and NodePools by name.
 */
export const CapacityResponseSchema = z.object({
  groupBy: z.literal('team'),
  /** The label key that names a team on NodePool templates and namespaces (default `team`). */
  teamLabelKey: z.string(),
  /** Whether idle cost of shared capacity was split over the teams. */
  shareIdle: z.boolean(),
  /** RFC 3339 time the answer was computed. */
  generatedAt: z.string(),
  teams: z.array(TeamCapacitySchema),
  nodePools: z.array(NodePoolCapacitySchema),
  nodes: z.array(NodeCapacitySchema),
  /** Idle cost of shared capacity not charged to any team (0 when `shareIdle=true` and some team has pods). */
  idle: z.object({ costPerHour: CostPerHourSchema }),
  totals: z.object({
    nodes: z.number().int().nonnegative(),
    nodeClaims: z.number().int().nonnegative(),
    pods: z.number().int().nonnegative(),
    pendingPods: z.number().int().nonnegative(),
    allocatable: ResourceListSchema,
    requested: ResourceListSchema,
    utilisation: UtilisationSchema,
    costPerHour: CostPerHourSchema,
  }),
});
export type CapacityResponse = z.infer<typeof CapacityResponseSchema>;
