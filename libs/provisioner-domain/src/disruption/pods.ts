/**
 * Pod predicates the disruption rules use, as Karpenter's `utils/pod` defines them.
 */
import { ANNOTATION_DO_NOT_DISRUPT } from '../apis/labels.js';
import type { ObjectMeta, Pod } from '../core/types.js';

const ownedBy = (pod: Pod, kind: string): boolean => (pod.metadata.ownerReferences ?? []).some((o) => o.kind === kind);

/** Owned by a DaemonSet: its controller recreates it on every node anyway. */
export function isDaemonSetPod(pod: Pod): boolean {
  return ownedBy(pod, 'DaemonSet');
}

/** A static pod's API mirror: owned by its Node, or annotated `kubernetes.io/config.mirror`. */
export function isMirrorPod(pod: Pod): boolean {
  return ownedBy(pod, 'Node') || pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;
}

/** Phase Succeeded or Failed. */
export function isTerminalPod(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Has a deletionTimestamp. */
export function isTerminatingPod(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

/** Neither terminal nor terminating (Karpenter's `IsActive`). */
export function isActivePod(pod: Pod): boolean {
  return !isTerminalPod(pod) && !isTerminatingPod(pod);
}

/**
 * A pod that would have to be rescheduled if its node went away (Karpenter's `IsReschedulable`): active, or a
 * terminating StatefulSet pod (its replacement cannot start before it is gone); and neither a DaemonSet pod nor
 * a mirror pod. A node without such pods is empty.
 */
export function isReschedulable(pod: Pod): boolean {
  return (isActivePod(pod) || (ownedBy(pod, 'StatefulSet') && isTerminatingPod(pod))) && !isDaemonSetPod(pod) && !isMirrorPod(pod);
}

/** Annotated `karpenter.sh/do-not-disrupt: "true"`. */
export function hasDoNotDisruptAnnotation(meta: ObjectMeta | undefined): boolean {
  return meta?.annotations?.[ANNOTATION_DO_NOT_DISRUPT] === 'true';
}

/**
 * A pod that keeps its node from voluntary disruption (Karpenter's `HasDoNotDisrupt`): active and annotated
 * `karpenter.sh/do-not-disrupt: "true"`. DaemonSet and mirror pods count too; terminal and terminating ones do not.
 */
export function podBlocksDisruption(pod: Pod): boolean {
  return isActivePod(pod) && hasDoNotDisruptAnnotation(pod.metadata);
}

/** `namespace/name` of a pod. */
export const podName = (pod: Pod): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
