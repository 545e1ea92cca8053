import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { mayRemainAtTermination, podIdentity, terminationConditions, terminationStep } from './termination.js';

const NOW = Date.parse('2026-01-01T00:10:00Z');
type Kind = 'plain' | 'critical' | 'daemonset' | 'mirror' | 'do-not-disrupt' | 'tolerates' | 'succeeded';
function pod(name: string, kind: Kind = 'plain', graceSeconds = 30): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      ...(kind === 'daemonset' ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds' }] } : {}),
      ...(kind === 'mirror' ? { annotations: { 'kubernetes.io/config.mirror': 'x' } } : {}),
      ...(kind === 'do-not-disrupt' ? { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } : {}),
    },
    spec: {
      containers: [],
      nodeName: 'n1',
      terminationGracePeriodSeconds: graceSeconds,
      ...(kind === 'critical' ? { priorityClassName: 'system-cluster-critical' } : {}),
      ...(kind === 'tolerates' ? { tolerations: [{ key: 'karpenter.sh/disrupted', operator: 'Exists' as const, effect: 'NoSchedule' as const }] } : {}),
    },
    status: { phase: kind === 'succeeded' ? 'Succeeded' : 'Running' },
  };
}
const names = (pods: readonly Pod[]) => pods.map((p) => p.metadata.name);

describe('terminationStep', () => {
  it('evicts non-critical pods first, critical ones once those are gone; never DaemonSet pods', () => {
    const pods = [pod('app'), pod('dns', 'critical'), pod('ds', 'daemonset')];
    expect(terminationStep({ pods, nowMs: NOW })).toMatchObject({ phase: 'drain', evict: [expect.objectContaining({ metadata: expect.objectContaining({ name: 'app' }) })] });
    const rest = [pod('dns', 'critical'), pod('ds', 'daemonset')];
    expect(names(terminationStep({ pods: rest, nowMs: NOW }).evict)).toEqual(['dns']);
    expect(terminationStep({ pods: [pod('ds', 'daemonset')], nowMs: NOW }).phase).toBe('terminate');
  });

  it('asks once per pod; an evicted pod the cache still shows running holds the node', () => {
    const app = pod('app');
    const step = terminationStep({ pods: [app], nowMs: NOW, evictionRequested: new Set([podIdentity(app)]) });
    expect(step).toMatchObject({ phase: 'drain', evict: [], waitingFor: [app] });
  });

  it('waits for do-not-disrupt pods and deletes them at deadline minus their own grace period', () => {
    const pinned = pod('pinned', 'do-not-disrupt', 30);
    const deadlineMs = NOW + 60_000;
    expect(terminationStep({ pods: [pinned], nowMs: NOW, deadlineMs })).toMatchObject({ phase: 'drain', evict: [], delete: [], requeueAfterMs: 5_000 });
    expect(terminationStep({ pods: [pinned], nowMs: NOW + 25_000, deadlineMs }).requeueAfterMs).toBe(5_000);
    expect(terminationStep({ pods: [pinned], nowMs: NOW + 29_000, deadlineMs }).requeueAfterMs).toBe(1_000);
    expect(terminationStep({ pods: [pinned], nowMs: NOW + 30_000, deadlineMs })).toMatchObject({ delete: [{ pod: pinned, gracePeriodSeconds: 30 }] });
  });

  it('waits for VolumeAttachments after the pods, but not past the deadline', () => {
    expect(terminationStep({ pods: [], nowMs: NOW, volumeAttachments: ['csi-1'] })).toMatchObject({ phase: 'detach-volumes', requeueAfterMs: 5_000 });
    expect(terminationStep({ pods: [], nowMs: NOW, deadlineMs: NOW + 2_000, volumeAttachments: ['csi-1'] })).toMatchObject({ phase: 'detach-volumes', requeueAfterMs: 2_000 });
    expect(terminationStep({ pods: [], nowMs: NOW, deadlineMs: NOW, volumeAttachments: ['csi-1'] }).phase).toBe('terminate');
  });

  it('invariant: never terminates while a non-DaemonSet pod that was neither evicted nor deleted runs (property)', () => {
    const kinds: Kind[] = ['plain', 'critical', 'daemonset', 'mirror', 'do-not-disrupt', 'tolerates', 'succeeded'];
    const world = fc.record({
      pods: fc.array(fc.record({ kind: fc.constantFrom(...kinds), grace: fc.integer({ min: 0, max: 120 }), pdbRefusals: fc.integer({ min: 0, max: 50 }) }), { maxLength: 8 }),
      deadlineS: fc.option(fc.integer({ min: 0, max: 600 }), { nil: undefined }),
      volumeLooks: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(world, ({ pods: specs, deadlineS, volumeLooks }) => {
        // A tiny cluster: evictions are refused `pdbRefusals` times (a PDB), accepted ones and deletions make the
        // pod terminating; terminating pods go away on the next look.
        let pods = specs.map((s, i) => pod(`p${i}`, s.kind, s.grace));
        const refusals = new Map(specs.map((s, i) => [`uid-p${i}`, s.pdbRefusals]));
        const requested = new Set<string>();
        let attachments = volumeLooks;
        const deadlineMs = deadlineS === undefined ? undefined : NOW + deadlineS * 1000;
        let nowMs = NOW;
        for (let look = 0; look < 400; look++) {
          const step = terminationStep({ pods, nowMs, deadlineMs, evictionRequested: requested, volumeAttachments: attachments > 0 ? ['va'] : [] });
          if (step.phase === 'terminate') {
            for (const p of pods) expect(mayRemainAtTermination(p), `pod ${p.metadata.name ?? ''} still running at termination`).toBe(true);
            return;
          }
          expect(step.evict.every((p) => !p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet'))).toBe(true);
          pods = pods.filter((p) => !p.metadata.deletionTimestamp); // terminating pods finish
          for (const p of step.evict) requested.add(podIdentity(p));
          const deleting = new Set([...step.delete.map((d) => podIdentity(d.pod))]);
          for (const id of requested) {
            const left = refusals.get(id) ?? 0;
            if (left > 0) refusals.set(id, left - 1);
            else deleting.add(id);
          }
          pods = pods.map((p) => (deleting.has(podIdentity(p)) ? { ...p, metadata: { ...p.metadata, deletionTimestamp: new Date(nowMs).toISOString() } } : p));
          if (step.phase === 'detach-volumes') attachments--;
          nowMs += step.requeueAfterMs ?? 1_000;
        }
        // Never terminated: only allowed while something legitimately holds the node.
        const holders = pods.filter((p) => !mayRemainAtTermination(p));
        expect(holders.length + attachments).toBeGreaterThan(0);
      }),
    );
  });
});

describe('terminationConditions', () => {
  const conditionsOf = (input: Parameters<typeof terminationStep>[0]) => terminationConditions(terminationStep(input), input).map((c) => `${c.type}=${c.status}/${c.reason}`);

  it('Drained Unknown while pods are waited for (do-not-disrupt included), True once they are gone', () => {
    expect(conditionsOf({ pods: [pod('app'), pod('ds', 'daemonset')], nowMs: NOW })).toEqual(['Drained=Unknown/Draining']);
    expect(conditionsOf({ pods: [pod('pinned', 'do-not-disrupt')], nowMs: NOW })).toEqual(['Drained=Unknown/Draining']);
    expect(terminationConditions(terminationStep({ pods: [pod('a'), pod('b')], nowMs: NOW }), {})[0]?.message).toBe('Waiting for 2 pod(s) to leave the node');
    expect(conditionsOf({ pods: [pod('ds', 'daemonset')], nowMs: NOW })).toEqual(['Drained=True/Drained', 'VolumesDetached=True/VolumesDetached', 'InstanceTerminating=True/InstanceTerminating']);
  });

  it('VolumesDetached Unknown while VolumeAttachments remain, False when the deadline passed with them, True without', () => {
    expect(conditionsOf({ pods: [], nowMs: NOW, volumeAttachments: ['va-1'] })).toEqual(['Drained=True/Drained', 'VolumesDetached=Unknown/AwaitingVolumeDetachment']);
    expect(conditionsOf({ pods: [], nowMs: NOW, deadlineMs: NOW + 1_000, volumeAttachments: ['va-1'] })).toEqual(['Drained=True/Drained', 'VolumesDetached=Unknown/AwaitingVolumeDetachment']);
    expect(conditionsOf({ pods: [], nowMs: NOW, deadlineMs: NOW, volumeAttachments: ['va-1', 'va-2'] })).toEqual([
      'Drained=True/Drained',
      'VolumesDetached=False/TerminationGracePeriodElapsed',
      'InstanceTerminating=True/InstanceTerminating',
    ]);
    expect(conditionsOf({ pods: [], nowMs: NOW, volumeAttachments: [] })).toEqual(['Drained=True/Drained', 'VolumesDetached=True/VolumesDetached', 'InstanceTerminating=True/InstanceTerminating']);
  });
});
