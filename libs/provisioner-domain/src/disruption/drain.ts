/**
 * What a node drain does with each pod, as Karpenter's termination controller decides it (`utils/pod`
 * `IsEvictable` / `IsWaitingEviction` / `IsDrainable` / `IsStuckTerminating`, and the terminator's
 * `DeleteExpiringPods`). Pure: the caller passes `nowMs`.
 */
import { TAINT_DISRUPTED } from '../apis/labels.js';
import type { Pod, Taint } from '../core/types.js';
import { isTolerated } from '../scheduling/taints.js';
import { hasDoNotDisruptAnnotation, isActivePod, isDaemonSetPod, isMirrorPod, isTerminalPod, isTerminatingPod } from './pods.js';

/** How long past its deletionTimestamp a terminating pod may take before it no longer blocks its node, ms. */
export const STUCK_TERMINATING_AFTER_MS = 60_000;
/** Kubernetes' default `terminationGracePeriodSeconds`. */
export const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;

const toleratesDisrupted = (pod: Pod): boolean => isTolerated(pod.spec.tolerations, TAINT_DISRUPTED as Taint);

/**
 * A terminating pod more than {@link STUCK_TERMINATING_AFTER_MS} past its deletionTimestamp (which the API
 * server sets to the deletion time plus the grace period): its kubelet is most likely gone, and waiting for it
 * would keep the node forever (Karpenter's `IsStuckTerminating`).
 */
export function isStuckTerminating(pod: Pod, nowMs: number): boolean {
  if (!isTerminatingPod(pod)) return false;
  const deletionMs = Date.parse(String(pod.metadata.deletionTimestamp));
  return !Number.isNaN(deletionMs) && nowMs - deletionMs > STUCK_TERMINATING_AFTER_MS;
}

/**
 * A pod the drain waits for before the node may go (Karpenter's `IsWaitingEviction`): not terminal, not
 * tolerating `karpenter.sh/disrupted:NoSchedule`, not stuck terminating, not a mirror pod, and (this port
 * leaves them to the end of the node) not a DaemonSet pod. `karpenter.sh/do-not-disrupt` pods count: the drain
 * waits for them although it does not evict them.
 */
export function isWaitingEviction(pod: Pod, nowMs: number): boolean {
  return !isTerminalPod(pod) && !toleratesDisrupted(pod) && !isStuckTerminating(pod, nowMs) && !isMirrorPod(pod) && !isDaemonSetPod(pod);
}

/**
 * A pod the drain evicts through the Eviction API (Karpenter's `IsEvictable`): active (neither terminal nor
 * terminating), not tolerating `karpenter.sh/disrupted:NoSchedule`, not a mirror or DaemonSet pod, and not
 * annotated `karpenter.sh/do-not-disrupt: "true"` (those are waited for until the NodeClaim's
 * terminationGracePeriod runs out, see {@link podDeletionDue}).
 */
export function isEvictable(pod: Pod): boolean {
  return isActivePod(pod) && !toleratesDisrupted(pod) && !isMirrorPod(pod) && !isDaemonSetPod(pod) && !hasDoNotDisruptAnnotation(pod.metadata);
}

/** A pod the drain deletes now, and the grace period to delete it with. */
export interface PodDeletion {
  pod: Pod;
  /** min(the pod's terminationGracePeriodSeconds, whole seconds left until the node's deadline), ≥ 0. */
  gracePeriodSeconds: number;
}

/**
 * With the NodeClaim's termination deadline (`deletionTimestamp + spec.terminationGracePeriod`, ms), whether a
 * waited-for pod must be deleted now, bypassing PodDisruptionBudgets and `do-not-disrupt` (Karpenter's
 * `DeleteExpiringPods`): a pod is deleted once `nowMs` is past `deadline - terminationGracePeriodSeconds`, so
 * it still gets its full grace period before the node goes when possible, and never more than the time left.
 * Returns undefined when the pod may still wait (or is already terminating, or there is no deadline).
 */
export function podDeletionDue(pod: Pod, nowMs: number, deadlineMs: number | undefined): PodDeletion | undefined {
  if (deadlineMs === undefined || isTerminatingPod(pod) || !isWaitingEviction(pod, nowMs)) return undefined;
  const podGraceSeconds = pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
  if (nowMs < deadlineMs - podGraceSeconds * 1000) return undefined;
  const leftSeconds = Math.max(0, Math.floor((deadlineMs - nowMs) / 1000));
  return { pod, gracePeriodSeconds: Math.min(podGraceSeconds, leftSeconds) };
}
