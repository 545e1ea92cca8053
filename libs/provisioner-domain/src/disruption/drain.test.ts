import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { isEvictable, isStuckTerminating, isWaitingEviction, podDeletionDue } from './drain.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
const pod = (meta: Partial<Pod['metadata']> = {}, spec: Partial<Pod['spec']> = {}, phase: NonNullable<Pod['status']>['phase'] = 'Running'): Pod => ({
  metadata: { name: 'p', namespace: 'default', ...meta },
  spec: { containers: [], ...spec },
  status: { phase },
});
const doNotDisrupt = { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } };
const deletedAgo = (ms: number) => ({ deletionTimestamp: new Date(NOW - ms).toISOString() });

describe('drain rules', () => {
  it.each([
    ['a running pod', pod(), true, true],
    ['do-not-disrupt: waited for, not evicted', pod(doNotDisrupt), true, false],
    ['terminating 30 s: waited for, not evicted again', pod(deletedAgo(30_000)), true, false],
    ['terminating 61 s past its deletionTimestamp: stuck, not waited for', pod(deletedAgo(61_000)), false, false],
    ['terminal', pod({}, {}, 'Succeeded'), false, false],
    ['tolerates karpenter.sh/disrupted', pod({}, { tolerations: [{ key: 'karpenter.sh/disrupted', operator: 'Exists' }] }), false, false],
    ['DaemonSet pod', pod({ ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'u' }] }), false, false],
    ['mirror pod', pod({ annotations: { 'kubernetes.io/config.mirror': 'x' } }), false, false],
  ])('%s', (_, p, waiting, evictable) => {
    expect(isWaitingEviction(p, NOW)).toBe(waiting);
    expect(isEvictable(p)).toBe(evictable);
  });

  it('isStuckTerminating needs more than 1 minute past the deletionTimestamp', () => {
    expect(isStuckTerminating(pod(deletedAgo(60_000)), NOW)).toBe(false);
    expect(isStuckTerminating(pod(deletedAgo(60_001)), NOW)).toBe(true);
    expect(isStuckTerminating(pod(), NOW)).toBe(false);
  });

  it('podDeletionDue: deletes a pod when only its grace period is left before the deadline, with min(grace, time left)', () => {
    const p = pod(doNotDisrupt, { terminationGracePeriodSeconds: 120 });
    expect(podDeletionDue(p, NOW, undefined)).toBeUndefined(); // no terminationGracePeriod: wait forever
    expect(podDeletionDue(p, NOW, NOW + 121_000)).toBeUndefined();
    expect(podDeletionDue(p, NOW, NOW + 120_000)).toEqual({ pod: p, gracePeriodSeconds: 120 });
    expect(podDeletionDue(p, NOW, NOW + 45_500)).toEqual({ pod: p, gracePeriodSeconds: 45 });
    expect(podDeletionDue(p, NOW, NOW - 5_000)).toEqual({ pod: p, gracePeriodSeconds: 0 });
    // Default grace period 30 s.
    expect(podDeletionDue(pod(), NOW, NOW + 31_000)).toBeUndefined();
    expect(podDeletionDue(pod(), NOW, NOW + 30_000)?.gracePeriodSeconds).toBe(30);
    // Already terminating: not deleted again.
    expect(podDeletionDue(pod(deletedAgo(1_000)), NOW, NOW)).toBeUndefined();
  });
});
