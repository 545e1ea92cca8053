import { describe, expect, it } from 'vitest';
import { applyNodePoolDefaults } from '../apis/nodepool.defaults.js';
import type { NodePool } from '../apis/nodepool.js';
import { emptySinceMs, evaluateEmptiness } from './emptiness.js';
import { isReschedulable, podBlocksDisruption } from './pods.js';
import { managed, pod, pool, SECOND, T0, type NodeOptions } from './test-fixtures.js';
import type { DisruptionBlockCode } from './types.js';

const DND = { 'karpenter.sh/do-not-disrupt': 'true' };

describe('evaluateEmptiness: one rule per row (pool WhenEmpty, consolidateAfter 30s, initialized at T0)', () => {
  it.each<{ name: string; node?: NodeOptions; nodePool?: NodePool | null; nowMs?: number; code?: DisruptionBlockCode; reason?: RegExp; retryAtMs?: number }>([
    { name: 'empty for consolidateAfter since initialization → candidate', nowMs: T0 + 30 * SECOND },
    { name: 'empty for less → wait until initialized + consolidateAfter', nowMs: T0 + 12 * SECOND, code: 'ConsolidateAfterNotElapsed', retryAtMs: T0 + 30 * SECOND, reason: /18s to go/ },
    { name: 'consolidateAfter counts from status.lastPodEventTime when later', node: { lastPodEventMs: T0 + 100 * SECOND }, nowMs: T0 + 120 * SECOND, code: 'ConsolidateAfterNotElapsed', retryAtMs: T0 + 130 * SECOND },
    { name: '... and the initialized time when that is later', node: { lastPodEventMs: T0 - 100 * SECOND }, nowMs: T0 + 30 * SECOND },
    { name: 'a pod event not yet written (pendingPodEventMs) counts too', node: { lastPodEventMs: T0, pendingPodEventMs: T0 + 50 * SECOND }, nowMs: T0 + 60 * SECOND, code: 'ConsolidateAfterNotElapsed', retryAtMs: T0 + 80 * SECOND },
    { name: 'a reschedulable pod → not empty', node: { pods: [pod('web')] }, nowMs: T0 + 60 * SECOND, code: 'NotEmpty', reason: /default\/web/ },
    { name: 'only a DaemonSet pod → candidate', node: { pods: [pod('ds', { owner: 'DaemonSet' })] }, nowMs: T0 + 60 * SECOND },
    { name: 'only a mirror (static) pod → candidate', node: { pods: [pod('static', { owner: 'Node' })] }, nowMs: T0 + 60 * SECOND },
    { name: 'only a mirror pod by annotation → candidate', node: { pods: [pod('static', { annotations: { 'kubernetes.io/config.mirror': 'x' } })] }, nowMs: T0 + 60 * SECOND },
    { name: 'only terminal pods → candidate', node: { pods: [pod('done', { phase: 'Succeeded' }), pod('failed', { phase: 'Failed' })] }, nowMs: T0 + 60 * SECOND },
    { name: 'only a terminating pod → candidate', node: { pods: [pod('going', { deleting: true })] }, nowMs: T0 + 60 * SECOND },
    { name: 'a terminating StatefulSet pod still counts (its replacement waits for it)', node: { pods: [pod('db-0', { owner: 'StatefulSet', deleting: true })] }, nowMs: T0 + 60 * SECOND, code: 'NotEmpty' },
    { name: 'not initialized → blocked', node: { initializedAtMs: null }, nowMs: T0 + 60 * SECOND, code: 'NotInitialized' },
    { name: 'no Node registered → blocked', node: { registered: false }, nowMs: T0 + 60 * SECOND, code: 'NotInitialized' },
    { name: 'consolidateAfter Never → blocked', nodePool: pool('default', { consolidateAfter: 'Never' }), nowMs: T0 + 1000 * SECOND, code: 'ConsolidateAfterNever', reason: /Never/ },
    { name: 'WhenEmptyOrUnderutilized also removes empty nodes', nodePool: pool('default', { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s' }), nowMs: T0 },
    { name: 'no NodePool → blocked', nodePool: null, nowMs: T0 + 60 * SECOND, code: 'NodePoolNotFound', reason: /NodePool "default" not found/ },
    { name: 'the NodeClaim is being deleted → already disrupting', node: { claimMeta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }, nowMs: T0 + 60 * SECOND, code: 'Disrupting' },
    { name: 'the Node is being deleted → already disrupting', node: { nodeMeta: { deletionTimestamp: '2026-01-01T00:00:00Z' } }, nowMs: T0 + 60 * SECOND, code: 'Disrupting' },
    { name: 'the Node is tainted karpenter.sh/disrupted → already disrupting', node: { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] }, nowMs: T0 + 60 * SECOND, code: 'Disrupting' },
    { name: 'nominated for pending pods → blocked', node: { nominated: true }, nowMs: T0 + 60 * SECOND, code: 'Nominated' },
    { name: 'Node annotated do-not-disrupt → blocked', node: { nodeMeta: { annotations: DND } }, nowMs: T0 + 60 * SECOND, code: 'DoNotDisruptNode', reason: /Node has/ },
    { name: 'NodeClaim annotated do-not-disrupt → blocked', node: { claimMeta: { annotations: DND } }, nowMs: T0 + 60 * SECOND, code: 'DoNotDisruptNode', reason: /NodeClaim has/ },
    { name: 'a do-not-disrupt DaemonSet pod → blocked', node: { pods: [pod('ds', { owner: 'DaemonSet', annotations: DND })] }, nowMs: T0 + 60 * SECOND, code: 'DoNotDisruptPod', reason: /pod default\/ds/ },
    { name: 'a do-not-disrupt pod that is terminal does not block', node: { pods: [pod('done', { phase: 'Succeeded', annotations: DND })] }, nowMs: T0 + 60 * SECOND },
    { name: 'do-not-disrupt is reported before the wait', node: { nodeMeta: { annotations: DND } }, nowMs: T0, code: 'DoNotDisruptNode' },
    { name: '"false" is not do-not-disrupt', node: { nodeMeta: { annotations: { 'karpenter.sh/do-not-disrupt': 'false' } } }, nowMs: T0 + 60 * SECOND },
  ])('$name', ({ node, nodePool, nowMs, code, reason, retryAtMs }) => {
    const np = nodePool === null ? undefined : applyNodePoolDefaults(nodePool ?? pool());
    const result = evaluateEmptiness(managed('n1', node), np, nowMs ?? T0);
    if (code === undefined) {
      expect(result).toMatchObject({ kind: 'candidate', candidate: { nodeClaim: 'n1', node: 'n1', nodePool: 'default' } });
      return;
    }
    expect(result.kind).toBe('blocked');
    if (result.kind !== 'blocked') return;
    expect(result.blocked.code).toBe(code);
    if (reason) expect(result.blocked.reason).toMatch(reason);
    if (retryAtMs !== undefined) expect(result.blocked.retryAtMs).toBe(retryAtMs);
  });
});

describe('emptySinceMs', () => {
  it('is the latest of the Initialized transition, lastPodEventTime and a pending pod event; undefined before initialization', () => {
    expect(emptySinceMs(managed('a'))).toBe(T0);
    expect(emptySinceMs(managed('a', { lastPodEventMs: T0 + 5 }))).toBe(T0 + 5);
    expect(emptySinceMs(managed('a', { lastPodEventMs: T0 + 5, pendingPodEventMs: T0 + 9 }))).toBe(T0 + 9);
    expect(emptySinceMs(managed('a', { initializedAtMs: null, lastPodEventMs: T0 }))).toBeUndefined();
  });
});

describe('pod predicates', () => {
  it.each([
    { name: 'a running pod', p: pod('a'), reschedulable: true, blocks: false },
    { name: 'a DaemonSet pod', p: pod('a', { owner: 'DaemonSet' }), reschedulable: false, blocks: false },
    { name: 'a do-not-disrupt DaemonSet pod', p: pod('a', { owner: 'DaemonSet', annotations: DND }), reschedulable: false, blocks: true },
    { name: 'a terminating do-not-disrupt pod', p: pod('a', { deleting: true, annotations: DND }), reschedulable: false, blocks: false },
    { name: 'a pending bound pod', p: pod('a', { phase: 'Pending' }), reschedulable: true, blocks: false },
  ])('$name', ({ p, reschedulable, blocks }) => {
    expect(isReschedulable(p)).toBe(reschedulable);
    expect(podBlocksDisruption(p)).toBe(blocks);
  });
});
