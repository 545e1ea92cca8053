import type { KubeObject } from '../../kube/client.js';
import type { EventInput } from '../../kube/events.js';
import type { Pod, SchedulingResult } from '@karpenter-ts/provisioner-domain';

/** How long a pod's FailedScheduling event suppresses the next one, ms (Karpenter: 5 minutes). */
export const FAILED_SCHEDULING_DEDUPE_MS = 300_000;

/** How long a NodePool scheduling warning suppresses the next one of the same kind, ms (Karpenter's NoCompatibleInstanceTypes: 1 minute). */
export const NODEPOOL_EVENT_DEDUPE_MS = 60_000;

/**
 * The `Nominated` event on a pod (Karpenter's `NominatePodEvent`): "Pod should schedule on: nodeclaim/NAME,
 * node/NAME" (whichever of the two is known), deduplicated per pod uid for the recorder's default 2 minutes.
 */
export function nominatedEvent(pod: Pod, target: { nodeClaimName?: string | undefined; nodeName?: string | undefined }): EventInput {
  const info = [target.nodeClaimName ? `nodeclaim/${target.nodeClaimName}` : '', target.nodeName ? `node/${target.nodeName}` : ''].filter(Boolean);
  return { regarding: asPodObject(pod), type: 'Normal', reason: 'Nominated', message: `Pod should schedule on: ${info.join(', ')}` };
}

/**
 * The `FailedScheduling` warning on a pod (Karpenter's `PodFailedToScheduleEvent`): "Failed to schedule pod,
 * REASON" where REASON is the domain's explanation (`schedule(...).unschedulable[].reason`), deduplicated per
 * pod uid for {@link FAILED_SCHEDULING_DEDUPE_MS} whatever the reason says.
 */
export function failedSchedulingEvent(pod: Pod, reason: string): EventInput {
  return { regarding: asPodObject(pod), type: 'Warning', reason: 'FailedScheduling', message: `Failed to schedule pod, ${reason}`, dedupeTimeoutMs: FAILED_SCHEDULING_DEDUPE_MS };
}

/**
 * Warnings on the NodePools that kept pods from scheduling, one per pool and kind, from the domain's
 * rejections of the round's unschedulable pods:
 * - `NoCompatibleInstanceTypes` (Karpenter's event of that name) when the pool's requirements leave no
 *   instance type: "No available instance type meets the NodePool requirements".
 * - `LimitsExceeded` when the pool's `spec.limits` refused a pod: "NodePool limits reached, LIMIT; N pod(s)
 *   could not be scheduled" (Karpenter only logs this; an event lets `kubectl describe nodepool` show it).
 * Deduplicated per pool uid (or name) and reason for {@link NODEPOOL_EVENT_DEDUPE_MS}. `poolObject` finds the
 * NodePool (or v1alpha5 Provisioner) by name; pools it does not find get no event.
 */
export function nodePoolEvents(unschedulable: SchedulingResult['unschedulable'], poolObject: (name: string) => KubeObject | undefined): EventInput[] {
  const byPool = new Map<string, { noInstanceTypes: number; limits: Map<string, number> }>();
  for (const u of unschedulable) {
    for (const [name, rejection] of Object.entries(u.rejections ?? {})) {
      const entry = byPool.get(name) ?? { noInstanceTypes: 0, limits: new Map<string, number>() };
      byPool.set(name, entry);
      if (rejection.kind === 'no-instance-types') entry.noInstanceTypes++;
      if (rejection.kind === 'limits') {
        const text = u.nodePools?.[name] ?? `${rejection.resource} limit reached`;
        entry.limits.set(text, (entry.limits.get(text) ?? 0) + 1);
      }
    }
  }
  const events: EventInput[] = [];
  for (const [name, entry] of [...byPool].sort(([a], [b]) => a.localeCompare(b))) {
    const object = poolObject(name);
    if (!object) continue;
    const regarding = { ...object, apiVersion: object.apiVersion ?? 'karpenter.sh/v1', kind: object.kind ?? 'NodePool' };
    const id = object.metadata.uid ?? name;
    if (entry.noInstanceTypes > 0) {
      events.push({
        regarding,
        type: 'Warning',
        reason: 'NoCompatibleInstanceTypes',
        message: 'No available instance type meets the NodePool requirements',
        dedupeValues: [id],
        dedupeTimeoutMs: NODEPOOL_EVENT_DEDUPE_MS,
      });
    }
    if (entry.limits.size > 0) {
      const pods = [...entry.limits.values()].reduce((a, b) => a + b, 0);
      events.push({
        regarding,
        type: 'Warning',
        reason: 'LimitsExceeded',
        message: `NodePool limits reached, ${[...entry.limits.keys()].join('; ')}; ${pods} pod(s) could not be scheduled`,
        dedupeValues: [id],
        dedupeTimeoutMs: NODEPOOL_EVENT_DEDUPE_MS,
      });
    }
  }
  return events;
}

function asPodObject(pod: Pod): Pod {
  return { ...pod, apiVersion: pod.apiVersion ?? 'v1', kind: pod.kind ?? 'Pod' };
}
