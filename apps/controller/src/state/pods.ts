import type { Pod } from '@karpenter-ts/provisioner-domain';

/** `namespace/name` of a pod, as logs and metrics print it. */
export const podKey = (pod: Pod): string => `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;

/** Owned (as controller) by a DaemonSet. */
export function isDaemonSetPod(pod: Pod): boolean {
  return (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'DaemonSet' && o.controller !== false);
}

/** A static pod's API mirror: annotation `kubernetes.io/config.mirror` or owned by its Node. */
export function isMirrorPod(pod: Pod): boolean {
  return pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined || (pod.metadata.ownerReferences ?? []).some((o) => o.kind === 'Node');
}

/** Phase Succeeded or Failed: holds no resources any more. */
export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Has a deletionTimestamp. */
export function isTerminating(pod: Pod): boolean {
  return pod.metadata.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
}

/**
 * Pods the drain evicts (Karpenter's `IsEvictable` for the termination controller): everything except
 * DaemonSet pods, mirror pods, terminal pods and pods already terminating. DaemonSet pods stay (their
 * controller tolerates the disrupted taint and would recreate them anyway).
 */
export function isEvictable(pod: Pod): boolean {
  return !isDaemonSetPod(pod) && !isMirrorPod(pod) && !isTerminal(pod) && !isTerminating(pod);
}
