/**
 * Which pods a provisioning round takes: the pending pods Karpenter provisions for, plus the pods of nodes that
 * are going away; and, for every other pod handed in, why it is skipped. One rule for the controller,
 * `simulate` and the editor previews.
 */
import type { Pod } from '../core/types.js';
import { isDaemonSetPod, isMirrorPod, isReschedulable, isTerminalPod, isTerminatingPod, podBlocksDisruption } from '../disruption/pods.js';
import type { ExistingNode } from './types.js';

/** Stable identifiers of the reasons a pod gets no capacity. */
export type SkipCode = 'Terminal' | 'Terminating' | 'Bound' | 'Preempting' | 'DaemonSet' | 'MirrorPod';

/** A pod handed to the round that Karpenter does not provision for, and why (`reason` is for a person). */
export interface SkippedPod {
  pod: Pod;
  code: SkipCode;
  reason: string;
}

/**
 * Why Karpenter would not provision capacity for `pod`, or undefined when it would (given kube-scheduler found
 * it unschedulable). Mirrors Karpenter's `pod.IsProvisionable` (kubernetes-sigs/karpenter pkg/utils/pod):
 * a pod bound to a node (`spec.nodeName`), a preempting pod (`status.nominatedNodeName`: kube-scheduler evicts
 * lower-priority pods and places it there), a DaemonSet pod (its controller places it; it counts as overhead
 * of new nodes) and a static pod's mirror (owned by its Node or annotated `kubernetes.io/config.mirror`) are
 * skipped; so are terminal pods (phase Succeeded/Failed) and terminating pods (deletionTimestamp), which the
 * PodScheduled=False/Unschedulable condition Karpenter also requires never carries in practice.
 * `spec.schedulerName` is not looked at, as in Karpenter (see `otherSchedulerName`).
 */
export function provisioningSkipReason(pod: Pod): { code: SkipCode; reason: string } | undefined {
  const phase = pod.status?.phase;
  if (isTerminalPod(pod)) return { code: 'Terminal', reason: `pod is ${phase}: a finished pod needs no capacity` };
  if (isTerminatingPod(pod)) return { code: 'Terminating', reason: 'pod is terminating (metadata.deletionTimestamp is set)' };
  if (pod.spec.nodeName) return { code: 'Bound', reason: `pod is bound to node ${pod.spec.nodeName}` };
  if (pod.status?.nominatedNodeName) {
    return { code: 'Preempting', reason: `pod is preempting on node ${pod.status.nominatedNodeName} (status.nominatedNodeName): kube-scheduler places it there once lower-priority pods are evicted` };
  }
  if (isDaemonSetPod(pod)) {
    const owner = pod.metadata.ownerReferences?.find((o) => o.kind === 'DaemonSet')?.name ?? '';
    return { code: 'DaemonSet', reason: `pod belongs to DaemonSet ${owner}: it runs on every eligible node and is counted as overhead of new nodes instead` };
  }
  if (isMirrorPod(pod)) return { code: 'MirrorPod', reason: 'pod is the mirror of a static pod: the kubelet of its node runs it' };
  return undefined;
}

/** kube-scheduler gave up on the pod: condition PodScheduled=False with reason Unschedulable (Karpenter's `FailedToSchedule`). */
export function isMarkedUnschedulable(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.status === 'False' && c.reason === 'Unschedulable');
}

/**
 * A pod the controller provisions for (Karpenter's `IsProvisionable`): kube-scheduler marked it unschedulable
 * and `provisioningSkipReason` finds nothing against it. `simulate` does not ask for the condition: a scenario's
 * pods without `spec.nodeName` are pending by definition.
 */
export function isProvisionable(pod: Pod): boolean {
  return isMarkedUnschedulable(pod) && provisioningSkipReason(pod) === undefined;
}

/**
 * The scheduler name a pod is addressed to when it is not kube-scheduler's (`default-scheduler`), else
 * undefined. Karpenter ignores `spec.schedulerName` and trusts the PodScheduled condition; so do we, but
 * `simulate` notes such pods because another scheduler may never place them on the nodes launched for them.
 */
export function otherSchedulerName(pod: Pod): string | undefined {
  const name = pod.spec.schedulerName;
  return name && name !== 'default-scheduler' ? name : undefined;
}

/**
 * A node that is going away: a NodeClaim being deleted or carrying the `karpenter.sh/disrupted` taint, or a
 * Node with a deletionTimestamp (Karpenter's `StateNode.MarkedForDeletion`), as `ExistingNode.markedForDeletion`.
 */
export function isDeletingNode(node: ExistingNode): boolean {
  return node.markedForDeletion === true;
}

/**
 * The pods of a node going away that need a new home (Karpenter's provisioner packs
 * `nodes.Deleting().ReschedulablePods` with the pending pods): reschedulable (`IsReschedulable`: active, or a
 * terminating StatefulSet pod; not a DaemonSet or mirror pod) and not held by `karpenter.sh/do-not-disrupt`.
 */
export function displacedPods(node: ExistingNode): Pod[] {
  if (!isDeletingNode(node)) return [];
  return node.pods.filter((p) => isReschedulable(p) && !podBlocksDisruption(p));
}

/** A pod of a node that is going away, packed with the pending pods. */
export interface DisplacedPod {
  pod: Pod;
  nodeName: string;
  /** `node X is being deleted`. */
  reason: string;
}

/** The pods a round places, with those skipped and those taken from nodes going away. */
export interface RoundPods {
  pods: Pod[];
  skipped: SkippedPod[];
  displaced: DisplacedPod[];
  /** The existing nodes with their displaced pods removed (they are counted where they land instead). */
  existingNodes: ExistingNode[];
}

/**
 * Splits the snapshot's pods into those to place and those skipped (see `provisioningSkipReason`), and adds
 * the displaced pods of every node going away (see `displacedPods`), once each: a displaced pod also handed in
 * as pending is placed once. The nodes going away keep only the pods that stay (DaemonSet, mirror,
 * do-not-disrupt), so topology counts the displaced ones where they land, not twice.
 */
export function roundPods(snapshotPods: readonly Pod[], existingNodes: readonly ExistingNode[]): RoundPods {
  const pods: Pod[] = [];
  const skipped: SkippedPod[] = [];
  const seen = new Set<string>();
  for (const pod of snapshotPods) {
    const skip = provisioningSkipReason(pod);
    if (skip) skipped.push({ pod, ...skip });
    else {
      pods.push(pod);
      seen.add(identity(pod));
    }
  }
  const displaced: DisplacedPod[] = [];
  const nodes = existingNodes.map((node) => {
    const moving = displacedPods(node);
    if (moving.length === 0) return node;
    const set = new Set(moving);
    for (const pod of moving) {
      const id = identity(pod);
      if (seen.has(id)) continue;
      seen.add(id);
      pods.push(pod);
      displaced.push({ pod, nodeName: node.name, reason: `node ${node.name} is being deleted` });
    }
    return { ...node, pods: node.pods.filter((p) => !set.has(p)) };
  });
  return { pods, skipped, displaced, existingNodes: nodes };
}

function identity(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}
