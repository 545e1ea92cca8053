import {
  LABEL_NODEPOOL,
  TAINT_UNSCHEDULABLE,
  applyLimitRangeDefaultsToDaemonSet,
  displacedPods,
  isEphemeralTaint,
  toResourceList,
  type ExistingNode,
  type InstanceType,
  type Node,
  type NodeClaim,
  type Pod,
  type SchedulingSnapshot,
  type Taint,
} from '@karpenter-ts/provisioner-domain';
import type { ClusterState } from './cluster.js';
import { isConditionTrue } from './conditions.js';
import { isGoingAway } from './going-away.js';
import type { ResolvedNodePool } from './nodepools.js';

export interface SnapshotInput {
  state: ClusterState;
  /** Pods to place. */
  pods: readonly Pod[];
  pools: readonly ResolvedNodePool[];
  /** Instance types per NodePool name (CloudProvider.getInstanceTypes). */
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
}

/**
 * The scheduling input for one provisioning round: every Node as an ExistingNode (with its bound pods), plus
 * every NodeClaim that has no Node yet (in flight) as an ExistingNode with the claim's allocatable (or, before
 * launch, its requests), so one round never launches twice for the same pods. DaemonSets come with their
 * namespace's LimitRange defaults applied to the pod template, as their pods will be admitted. Mirrors Karpenter's cluster
 * state: nodes not yet initialized are seen without their ephemeral and startup taints.
 */
export function buildSchedulingSnapshot(input: SnapshotInput): SchedulingSnapshot {
  const { state } = input;
  const limitRanges = state.limitRanges();
  const existingNodes: ExistingNode[] = [];
  const claimed = new Set<string>();
  for (const node of state.nodes()) {
    const claim = state.nodeClaimForNode(node);
    if (claim?.metadata.name) claimed.add(claim.metadata.name);
    existingNodes.push(nodeAsExisting(node, claim, state.podsOnNode(node.metadata.name ?? '')));
  }
  for (const claim of state.nodeClaims()) {
    if (!claim.metadata.name || claimed.has(claim.metadata.name)) continue;
    if (claim.status?.nodeName && state.node(claim.status.nodeName)) continue;
    existingNodes.push(inFlightClaimAsExisting(claim));
  }
  return {
    pods: input.pods,
    existingNodes,
    nodePools: input.pools.map((p) => p.nodePool),
    instanceTypes: input.instanceTypes,
    // Admitted pods already carry their LimitRange defaults; DaemonSet templates do not (aws#3199).
    daemonSets: state.daemonSets().map((ds) => applyLimitRangeDefaultsToDaemonSet(ds, limitRanges)?.daemonSet ?? ds),
  };
}

/** A Node as the scheduler sees it. */
export function nodeAsExisting(node: Node, claim: NodeClaim | undefined, pods: readonly Pod[]): ExistingNode {
  const initialized = claim ? isConditionTrue(claim, 'Initialized') : isNodeReady(node);
  const startupTaints = new Set((claim?.spec.startupTaints ?? []).map((t) => `${t.key}:${t.effect}`));
  const taints: Taint[] = (node.spec?.taints ?? []).filter(
    (t) => initialized || !(isEphemeralTaint(t) || startupTaints.has(`${t.key}:${t.effect}`)),
  );
  if (node.spec?.unschedulable && !taints.some((t) => t.key === TAINT_UNSCHEDULABLE.key)) taints.push(TAINT_UNSCHEDULABLE);
  const nodePoolName = node.metadata.labels?.[LABEL_NODEPOOL];
  return {
    name: node.metadata.name ?? '',
    labels: node.metadata.labels ?? {},
    taints,
    allocatable: toResourceList(node.status?.allocatable),
    pods,
    initialized,
    ...(nodePoolName ? { nodePoolName } : {}),
    markedForDeletion: isGoingAway(node) || (claim !== undefined && isClaimGoingAway(claim)),
  };
}

/**
 * True when some node going away still runs pods that need a new home (the domain's `displacedPods`): the
 * provisioner must run for them even when no pod is pending.
 */
export function hasDisplacedPods(state: ClusterState): boolean {
  return state.nodes().some((node) => displacedPods(nodeAsExisting(node, state.nodeClaimForNode(node), state.podsOnNode(node.metadata.name ?? ''))).length > 0);
}

/**
 * A launched-but-unregistered (or not yet launched) NodeClaim as the scheduler sees it: the labels it will
 * carry (its labels plus single-valued `In` requirements) and its full `spec.requirements`, so pods match it as
 * the NodeClaim was planned (a pod with `zone In [a, b]` matches a NodeClaim with `zone In [a, b]` before the
 * zone is known; see the domain's `ExistingNode.requirements`). Its pods are the ones it was planned for, back
 * in the pending set; they land on it again instead of on a second NodeClaim.
 */
export function inFlightClaimAsExisting(claim: NodeClaim): ExistingNode {
  const labels: Record<string, string> = { ...singleValuedRequirementLabels(claim), ...(claim.metadata.labels ?? {}) };
  const allocatable = claim.status?.allocatable ?? claim.spec.resources?.requests;
  const nodePoolName = claim.metadata.labels?.[LABEL_NODEPOOL];
  return {
    name: claim.metadata.name ?? '',
    labels,
    taints: (claim.spec.taints ?? []) as Taint[],
    allocatable: toResourceList(allocatable),
    requirements: claim.spec.requirements,
    pods: [],
    initialized: false,
    ...(nodePoolName ? { nodePoolName } : {}),
    markedForDeletion: isClaimGoingAway(claim),
  };
}

/** A NodeClaim being deleted, or whose instance is terminating (Karpenter's `StateNode.Deleted`). */
export function isClaimGoingAway(claim: NodeClaim): boolean {
  return Boolean(claim.metadata.deletionTimestamp) || isConditionTrue(claim, 'InstanceTerminating');
}

/** Labels implied by `In` requirements with exactly one value (Karpenter writes these onto the node). */
export function singleValuedRequirementLabels(claim: NodeClaim): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const r of claim.spec.requirements) {
    if (r.operator === 'In' && r.values?.length === 1 && r.values[0] !== undefined) labels[r.key] = r.values[0];
  }
  return labels;
}

/** Node condition Ready=True. */
export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}
