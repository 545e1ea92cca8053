import type { Budget, NodePool } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { boundPod, daemonSetPod, nodePool } from '../../../testing/builders.js';
import { allowedDisruptions, decideEmptiness, type EmptinessInput } from './decide.js';

const base = (over: Partial<EmptinessInput> = {}): EmptinessInput => ({
  nodePool: nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' }),
  initialized: true,
  pods: [],
  reschedulablePods: [],
  nodeMeta: { name: 'n' },
  nodeClaimMeta: { name: 'n' },
  emptySinceMs: 0,
  nowMs: 30_000,
  ...over,
});
const pool = (disruption: Record<string, unknown>): NodePool => nodePool('default', disruption);

describe('decideEmptiness', () => {
  it.each([
    { name: 'empty for consolidateAfter → candidate', input: base(), kind: 'candidate' },
    { name: 'empty for less → wait the rest', input: base({ nowMs: 12_000 }), kind: 'wait', remainingMs: 18_000 },
    { name: 'a reschedulable pod → not empty', input: base({ reschedulablePods: [boundPod('p', 'n')], emptySinceMs: undefined }), kind: 'not-empty' },
    { name: 'only DaemonSet pods → still a candidate', input: base({ pods: [daemonSetPod('d', 'n')] }), kind: 'candidate' },
    { name: 'not initialized → ignored', input: base({ initialized: false }), kind: 'ignore' },
    { name: 'consolidateAfter Never → ignored', input: base({ nodePool: pool({ consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never' }) }), kind: 'ignore' },
    { name: 'WhenEmptyOrUnderutilized also removes empty nodes', input: base({ nodePool: pool({ consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s' }), nowMs: 0 }), kind: 'candidate' },
    { name: 'node annotated do-not-disrupt → blocked', input: base({ nodeMeta: { name: 'n', annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } }), kind: 'blocked' },
    { name: 'nodeclaim annotated do-not-disrupt → blocked', input: base({ nodeClaimMeta: { name: 'n', annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } }), kind: 'blocked' },
    {
      name: 'a do-not-disrupt DaemonSet pod → blocked',
      input: base({ pods: [{ ...daemonSetPod('d', 'n'), metadata: { ...daemonSetPod('d', 'n').metadata, annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } }] }),
      kind: 'blocked',
    },
  ])('$name', ({ input, kind, remainingMs }) => {
    const decision = decideEmptiness(input);
    expect(decision.kind).toBe(kind);
    if (remainingMs !== undefined) expect(decision).toMatchObject({ remainingMs });
  });
});

describe('allowedDisruptions', () => {
  it.each<{ name: string; budgets: Budget[] | undefined; total: number; disrupting: number; expected: number }>([
    { name: 'default 10% of 1 node rounds up to 1', budgets: undefined, total: 1, disrupting: 0, expected: 1 },
    { name: 'default 10% of 25 nodes → 3', budgets: undefined, total: 25, disrupting: 0, expected: 3 },
    { name: 'minus nodes already disrupting', budgets: [{ nodes: '10%' }], total: 25, disrupting: 2, expected: 1 },
    { name: 'never negative', budgets: [{ nodes: '1' }], total: 5, disrupting: 3, expected: 0 },
    { name: 'an absolute count', budgets: [{ nodes: '5' }], total: 100, disrupting: 0, expected: 5 },
    { name: 'the most restrictive budget wins', budgets: [{ nodes: '50%' }, { nodes: '2' }], total: 10, disrupting: 0, expected: 2 },
    { name: '0 blocks', budgets: [{ nodes: '0' }], total: 10, disrupting: 0, expected: 0 },
    { name: 'budgets for other reasons do not apply', budgets: [{ nodes: '0', reasons: ['Drifted'] }], total: 10, disrupting: 0, expected: 10 },
    { name: 'a budget for Empty applies', budgets: [{ nodes: '0', reasons: ['Empty'] }], total: 10, disrupting: 0, expected: 0 },
  ])('$name', ({ budgets, total, disrupting, expected }) => {
    expect(allowedDisruptions(budgets, 'Empty', total, disrupting)).toBe(expected);
  });
});
