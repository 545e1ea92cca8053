/**
 * One look at a node being terminated, as Karpenter's termination controller takes it (`terminator.Drain`,
 * `DeleteExpiringPods`, the VolumeAttachment wait, then the instance and the finalizer): pods and
 * VolumeAttachments in, what to do now out. Pure: the caller passes `nowMs`; the same input gives the same step.
 *
 * Invariant (tested as a property): the step says `terminate` only when every pod on the node is a DaemonSet
 * pod, a mirror pod, terminal, terminating (evicted or deleted), or tolerates `karpenter.sh/disrupted:NoSchedule`
 * (Karpenter's exception: such a pod would only come back to the same node). A running pod whose eviction was
 * asked for but not yet seen terminating still holds the node.
 */
import type { Pod } from '../core/types.js';
import { isDaemonSetPod } from './pods.js';
import { isEvictable, isWaitingEviction, podDeletionDue, STUCK_TERMINATING_AFTER_MS, DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS, type PodDeletion } from './drain.js';

/** PriorityClasses whose pods Karpenter evicts last (after every other evictable pod has gone). */
export const CRITICAL_PRIORITY_CLASSES: ReadonlySet<string> = new Set(['system-cluster-critical', 'system-node-critical']);

/** Pods of a critical PriorityClass. */
export function isCriticalPod(pod: Pod): boolean {
  return CRITICAL_PRIORITY_CLASSES.has(pod.spec.priorityClassName ?? '');
}

/** Input of {@link terminationStep}. */
export interface TerminationStepInput {
  /** Every pod bound to the node, as the cache shows it now. */
  pods: readonly Pod[];
  nowMs: number;
  /**
   * The NodeClaim's termination deadline (deletionTimestamp + terminationGracePeriod), ms since the Unix epoch;
   * undefined without a terminationGracePeriod (the drain waits as long as it takes).
   */
  deadlineMs?: number;
  /** Identities ({@link podIdentity}) of pods already handed to the eviction queue in this drain. */
  evictionRequested?: ReadonlySet<string>;
  /** Names of VolumeAttachments still attached to the node (the caller filters `spec.nodeName`). */
  volumeAttachments?: readonly string[];
}

/** What to do now for a terminating node. */
export interface TerminationStep {
  /**
   * - `drain`: pods still to go; evict `evict`, delete `delete`, look again after `requeueAfterMs`;
   * - `detach-volumes`: pods gone, VolumeAttachments remain; look again after `requeueAfterMs`;
   * - `terminate`: delete the instance, then remove the finalizer.
   */
  phase: 'drain' | 'detach-volumes' | 'terminate';
  /**
   * Pods to hand to the eviction queue now (never asked before): the evictable pods of the first non-empty
   * group in Karpenter's order, non-critical before critical (DaemonSet pods are never evicted).
   */
  evict: Pod[];
  /** Pods to delete now because the deadline leaves them only their own grace period (PDBs bypassed). */
  delete: PodDeletion[];
  /** Pods the node waits for (do-not-disrupt pods included). */
  waitingFor: Pod[];
  /** When looking again may change the answer without an event, ms from now (≥ 1); absent for `terminate`. */
  requeueAfterMs?: number;
}

/** The key a drain remembers a pod by: its uid, else `namespace/name`. */
export function podIdentity(pod: Pod): string {
  return pod.metadata.uid ?? `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** How often a drain that waits looks again without an event, ms. */
export const DRAIN_RECHECK_MS = 5_000;

/**
 * Decides one step of a node's termination:
 * 1. pods the drain waits for ({@link isWaitingEviction}): each one whose deletion is due under the deadline
 *    ({@link podDeletionDue}) is deleted; the evictable ones of the first non-empty group (non-critical, then
 *    `system-cluster-critical`/`system-node-critical`) not yet asked are evicted; `do-not-disrupt` pods wait;
 * 2. then VolumeAttachments of the node are waited for, unless the deadline has passed;
 * 3. then `terminate`.
 * `requeueAfterMs` is the recheck period, shortened to the next instant a rule changes its answer (a deletion
 * falls due, a terminating pod becomes stuck).
 */
export function terminationStep(input: TerminationStepInput): TerminationStep {
  const { nowMs, deadlineMs } = input;
  const requested = input.evictionRequested ?? new Set<string>();
  const waitingFor = input.pods.filter((p) => isWaitingEviction(p, nowMs));
  if (waitingFor.length > 0) {
    const deletions = waitingFor.map((p) => podDeletionDue(p, nowMs, deadlineMs)).filter((d): d is PodDeletion => d !== undefined);
    const deleted = new Set(deletions.map((d) => d.pod));
    const evictable = waitingFor.filter((p) => isEvictable(p) && !deleted.has(p));
    const nonCritical = evictable.filter((p) => !isCriticalPod(p));
    const group = nonCritical.length > 0 ? nonCritical : evictable;
    const evict = group.filter((p) => !requested.has(podIdentity(p)));
    return { phase: 'drain', evict, delete: deletions, waitingFor, requeueAfterMs: nextLookMs(waitingFor, nowMs, deadlineMs) };
  }
  const pastDeadline = deadlineMs !== undefined && nowMs >= deadlineMs;
  const attachments = input.volumeAttachments ?? [];
  if (attachments.length > 0 && !pastDeadline) {
    const requeue = deadlineMs === undefined ? DRAIN_RECHECK_MS : Math.max(1, Math.min(DRAIN_RECHECK_MS, deadlineMs - nowMs));
    return { phase: 'detach-volumes', evict: [], delete: [], waitingFor: [], requeueAfterMs: requeue };
  }
  return { phase: 'terminate', evict: [], delete: [], waitingFor: [] };
}

function nextLookMs(pods: readonly Pod[], nowMs: number, deadlineMs: number | undefined): number {
  let nextMs = DRAIN_RECHECK_MS;
  for (const pod of pods) {
    const deletedMs = Date.parse(String(pod.metadata.deletionTimestamp ?? ''));
    if (!Number.isNaN(deletedMs)) nextMs = Math.min(nextMs, deletedMs + STUCK_TERMINATING_AFTER_MS + 1 - nowMs);
    else if (deadlineMs !== undefined) nextMs = Math.min(nextMs, deadlineMs - (pod.spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS) * 1000 - nowMs);
  }
  return Math.max(1, nextMs);
}

/** True when a pod may still be running on a node that is terminated now without breaking the invariant above. */
export function mayRemainAtTermination(pod: Pod): boolean {
  return isDaemonSetPod(pod) || !isWaitingEviction(pod, Number.POSITIVE_INFINITY) || pod.metadata.deletionTimestamp !== undefined;
}

/** A NodeClaim status condition the termination of its node sets (Karpenter v1's termination conditions). */
export interface TerminationCondition {
  type: 'Drained' | 'VolumesDetached' | 'InstanceTerminating';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * The NodeClaim conditions that report `step` (from {@link terminationStep} on `input`), as Karpenter v1's
 * termination controller sets them:
 * - `drain`: `Drained=Unknown` (Draining);
 * - `detach-volumes`: `Drained=True`, `VolumesDetached=Unknown` (AwaitingVolumeDetachment);
 * - `terminate`: `Drained=True`; `VolumesDetached=True`, or `False` (TerminationGracePeriodElapsed) when
 *   VolumeAttachments remain because the deadline passed; `InstanceTerminating=True`.
 * True conditions carry their type as reason, as Karpenter's. Returns the conditions in that order.
 */
export function terminationConditions(step: TerminationStep, input: Pick<TerminationStepInput, 'volumeAttachments'>): TerminationCondition[] {
  const drained: TerminationCondition = { type: 'Drained', status: 'True', reason: 'Drained', message: '' };
  if (step.phase === 'drain') {
    return [{ type: 'Drained', status: 'Unknown', reason: 'Draining', message: `Waiting for ${step.waitingFor.length} pod(s) to leave the node` }];
  }
  const attachments = input.volumeAttachments?.length ?? 0;
  if (step.phase === 'detach-volumes') {
    return [drained, { type: 'VolumesDetached', status: 'Unknown', reason: 'AwaitingVolumeDetachment', message: `Waiting for ${attachments} VolumeAttachment(s) to be deleted` }];
  }
  const volumes: TerminationCondition =
    attachments > 0
      ? { type: 'VolumesDetached', status: 'False', reason: 'TerminationGracePeriodElapsed', message: `${attachments} VolumeAttachment(s) remained when the terminationGracePeriod elapsed` }
      : { type: 'VolumesDetached', status: 'True', reason: 'VolumesDetached', message: '' };
  return [drained, volumes, { type: 'InstanceTerminating', status: 'True', reason: 'InstanceTerminating', message: '' }];
}
