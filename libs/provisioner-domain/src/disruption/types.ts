/**
 * The disruption planner's input and output shapes: a snapshot of NodeClaims with their Nodes and pods in,
 * decisions as data out (what to disrupt, and for every other node why not).
 */
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { DisruptionReason, NodePool } from '../apis/nodepool.js';
import type { DaemonSet, Node, Pod, PodDisruptionBudget } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import type { NodeClaimPlan } from '../scheduling/types.js';
import type { PoolBudget } from './budgets.js';

/** One managed node as the disruption rules see it. */
export interface DisruptionNodeInput {
  nodeClaim: NodeClaim;
  /** The registered Node (matched by providerID); absent before registration. */
  node?: Node;
  /** Pods bound to the node, whatever their phase. */
  pods: readonly Pod[];
  /**
   * The provisioner expects pending pods to land here (Karpenter's nominated state node): it is empty only
   * because kube-scheduler has not bound them yet. Default false.
   */
  nominated?: boolean;
  /**
   * Latest pod bound to / removed from the node that is not yet in `nodeClaim.status.lastPodEventTime`
   * (a write still rate-limited), ms since the Unix epoch. The later of the two counts.
   */
  pendingPodEventMs?: number;
  /**
   * Set when drift detection (drift.ts) found the node drifted: the planner then plans a drift command for it
   * (budget reason Drifted), whatever the consolidation policy. `reason` is for people (e.g. `NodePoolDrifted`).
   */
  drifted?: { reason: string };
}

/** Everything `disrupt` decides on. Pure data: the same input gives the same decision. */
export interface DisruptionInput {
  /** The moment of the decision, ms since the Unix epoch (the caller's clock; the domain reads none). */
  nowMs: number;
  /** NodePools (defaults are applied here with `applyNodePoolDefaults`; converted Provisioners welcome). */
  nodePools: readonly NodePool[];
  /** The managed nodes to consider, all of them for each pool whose budgets matter (budgets count them). */
  nodes: readonly DisruptionNodeInput[];
  /**
   * Consolidation inputs (issue 12). When `instanceTypes` is absent only emptiness and drift run (no fit proof
   * is possible without a catalog). Instance types per NodePool name, as `CloudProvider.getInstanceTypes`
   * returned them (the same map `SchedulingSnapshot.instanceTypes` takes).
   */
  instanceTypes?: Readonly<Record<string, readonly InstanceType[]>>;
  /** Pods waiting for a node: consolidation must still place them (they are packed with the displaced pods). */
  pendingPods?: readonly Pod[];
  /** Nodes not managed by Karpenter (or not candidates) that pods may move to, with their pods. */
  unmanagedNodes?: readonly { node: Node; pods: readonly Pod[] }[];
  daemonSets?: readonly DaemonSet[];
  podDisruptionBudgets?: readonly PodDisruptionBudget[];
  options?: DisruptionOptions;
}

/** Knobs of the planner, with Karpenter's defaults. */
export interface DisruptionOptions {
  /** Allow spot -> spot replacement (Karpenter's SpotToSpotConsolidation feature gate). Default false. */
  spotToSpotConsolidation?: boolean;
  /** Cheaper spot instance-type options a spot -> spot replacement needs. Default 15. */
  minSpotToSpotOptions?: number;
  /**
   * Bound of the multi-node search, in scheduling simulations (the domain reads no clock; the controller maps
   * Karpenter's 1-minute timeout to this). Default 100.
   */
  maxConsolidationSimulations?: number;
  /**
   * Bound of single-node consolidation, in scheduling simulations (Karpenter's 3-minute timeout, mapped by the
   * caller). Candidates are tried cheapest-to-disrupt first; those left untried are reported with code
   * `simulation-budget`. Default 100.
   */
  maxSingleNodeSimulations?: number;
  /**
   * Let nodes with pods that no controller owns (a bare Pod, which eviction would lose) be consolidated or
   * drifted. Default false: such a node is reported with code `uncontrolled-pod`.
   */
  allowUncontrolledPods?: boolean;
  /**
   * Stop after this many commands in one pass (Karpenter issues one command per pass and recomputes). Default:
   * no limit: every command the budgets allow, each applied to the simulated cluster before the next is sought.
   */
  maxCommands?: number;
}

/** Why a node is not disrupted now, as a code a program can branch on. */
export type DisruptionBlockCode =
  /** Already being deleted or tainted `karpenter.sh/disrupted` (counts against budgets). */
  | 'Disrupting'
  /** No NodePool (or converted Provisioner) of the node's `karpenter.sh/nodepool` label. */
  | 'NodePoolNotFound'
  /** The NodeClaim is not Initialized (or has no Node yet). */
  | 'NotInitialized'
  /** The NodePool never removes nodes for emptiness (`consolidateAfter: Never`, or a policy without it). */
  | 'ConsolidationDisabled'
  /** The NodePool has `consolidateAfter: Never`: it never removes nodes for emptiness or underutilization. */
  | 'ConsolidateAfterNever'
  /** Not empty, and the NodePool's consolidationPolicy is WhenEmpty: only empty nodes are removed. */
  | 'PolicyWhenEmpty'
  /** Pods that would need to move are bound to the node. */
  | 'NotEmpty'
  /** The provisioner nominated the node for pending pods. */
  | 'Nominated'
  /** `karpenter.sh/do-not-disrupt: "true"` on the Node or its NodeClaim. */
  | 'DoNotDisruptNode'
  /** A pod on the node has `karpenter.sh/do-not-disrupt: "true"`. */
  | 'DoNotDisruptPod'
  /** Empty, but not yet for `consolidateAfter`; see `retryAtMs`. */
  | 'ConsolidateAfterNotElapsed'
  /** The NodePool's disruption budget allows no more now. */
  | 'BudgetExhausted'
  /** A pod is selected by a PodDisruptionBudget that allows no disruption now. */
  | 'PDBBlocks'
  /** A pod no controller owns (a bare Pod) would be lost by eviction; see `allowUncontrolledPods`. */
  | 'Uncontrolled'
  /** No instance type / offering of the node's pool matches its instance-type, zone and capacity-type labels: its price is unknown. */
  | 'PriceUnknown'
  /** Its pods fit neither on the other nodes nor on one strictly cheaper replacement. */
  | 'PodsDoNotFitElsewhere'
  /** The pods fit on one new NodeClaim, but none of its instance types is strictly cheaper than the node. */
  | 'ReplacementNotCheaper'
  /** A spot node would be replaced by a spot node, and spot-to-spot consolidation is off. */
  | 'SpotToSpotDisabled'
  /** A spot-to-spot replacement has fewer cheaper instance-type options than `minSpotToSpotOptions`. */
  | 'TooFewSpotOptions'
  /** Drifted, but its pods cannot be placed on the other nodes or on new NodeClaims. */
  | 'DriftedBlocked'
  /** Consolidatable, but the simulation budget of this pass ran out before it was tried. */
  | 'SimulationBudgetExhausted'
  /** Consolidatable, but a cheaper plan already moves pods onto it in this pass, or nothing cheaper exists. */
  | 'NotConsolidatable';

/** The reasons commands carry, as Karpenter logs them (`reason: "empty"`); budgets count them per NodePool reason (Empty, Drifted, Underutilized). */
export type DisruptionCommandReason = 'empty' | 'drifted' | 'underutilized';

/** The method that produced a command, in Karpenter's order. */
export type DisruptionMethod = 'emptiness' | 'drift' | 'multi-node-consolidation' | 'single-node-consolidation';

/** A node the emptiness rule chose, before budgets. */
export interface EmptinessCandidate {
  nodeClaim: string;
  node: string;
  nodePool: string;
  /** When the node last saw a pod come or go (or was initialized), ms since the Unix epoch. */
  emptySinceMs: number;
  /** The pool's consolidateAfter, ms. */
  consolidateAfterMs: number;
}

/** Disrupt these NodeClaims (delete them; termination drains and removes their nodes). */
export interface DisruptionCommand {
  reason: DisruptionCommandReason;
  /** NodeClaim names, in decision order. */
  nodeClaims: string[];
  /** The same nodes with the facts the decision rests on (emptiness commands; other methods may leave it empty). */
  candidates: EmptinessCandidate[];
  /** The method (absent only on commands built before issue 12; read as `emptiness`). */
  method?: DisruptionMethod;
  /** `delete` when the pods fit elsewhere; `replace` when `replacements` must be launched and initialized first. */
  decision?: 'delete' | 'replace';
  /** NodeClaims to create before deleting the candidates (same shape the provisioning round plans). */
  replacements?: NodeClaimPlan[];
  /** Why the nodes are drifted (drift commands), for people. */
  driftReason?: string;
  /** Where the fit proof put each pod of the candidates: an existing node's name or a replacement's (`replacement-N`). */
  movedPods?: { pod: string; to: string }[];
  /** Price of the candidates now, USD per hour. */
  pricePerHourBefore?: number;
  /** Price of the replacements, USD per hour (0 for a delete). */
  pricePerHourAfter?: number;
}

/** A node that is not disrupted now, and why. */
export interface BlockedNode {
  node: string;
  nodeClaim: string;
  /** The node's pool, when it names one. */
  nodePool?: string;
  code: DisruptionBlockCode;
  /** Text for a person: what holds the node and, where it applies, what would release it. */
  reason: string;
  /** When looking again may give another answer without any event (consolidateAfter elapsing), ms since the Unix epoch. */
  retryAtMs?: number;
}

/** The decision for one node, for "why was (or wasn't) this node disrupted". */
export interface NodeExplanation {
  node: string;
  nodeClaim: string;
  nodePool?: string;
  /** True when a command disrupts the node. */
  disrupted: boolean;
  /** Set when not disrupted. */
  code?: DisruptionBlockCode;
  /** One sentence for a person. */
  reason: string;
  retryAtMs?: number;
}

/** What `disrupt` decided. */
export interface DisruptionDecision {
  nowMs: number;
  /** Nodes the emptiness rule chose, before budgets. */
  candidates: EmptinessCandidate[];
  /** What to do now (at most one command per reason). */
  commands: DisruptionCommand[];
  /** Every other node, with the reason it stays. */
  blocked: BlockedNode[];
  /** Budgets per NodePool for the reasons evaluated, by pool name then reason. */
  budgets: Record<string, Partial<Record<DisruptionReason, PoolBudget>>>;
  /** One entry per input node, in input order. */
  explanations: NodeExplanation[];
  /** Sum of the prices of the managed nodes whose price is known, USD per hour, before the commands (issue 12). */
  pricePerHourBefore?: number;
  /** The same after every command: candidates removed, replacements added, USD per hour. */
  pricePerHourAfter?: number;
  /** Scheduling simulations run (consolidation and drift fit proofs). */
  simulations?: number;
}
