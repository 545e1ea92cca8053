import type { Condition } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { rootReadyCondition, setCondition } from './conditions.js';

const c = (type: string, status: Condition['status'], observedGeneration: number, lastTransitionTime = '2026-01-01T00:00:00Z'): Condition => ({
  type,
  status,
  reason: type,
  message: '',
  observedGeneration,
  lastTransitionTime,
});

describe('setCondition', () => {
  it('moves lastTransitionTime only when the status changes, but always records observedGeneration, reason and message', () => {
    const list = [c('A', 'True', 1)];
    expect(setCondition(list, { type: 'A', status: 'True', reason: 'A', message: '', observedGeneration: 1 }, 'later')).toEqual(list);
    expect(setCondition(list, { type: 'A', status: 'True', reason: 'A', observedGeneration: 2 }, 'later')).toEqual([{ ...list[0], observedGeneration: 2 }]);
    expect(setCondition(list, { type: 'A', status: 'True', reason: 'Other', message: 'm', observedGeneration: 1 }, 'later')[0]).toMatchObject({ reason: 'Other', message: 'm', lastTransitionTime: '2026-01-01T00:00:00Z' });
    expect(setCondition(list, { type: 'A', status: 'False', reason: 'Broken', observedGeneration: 1 }, 'later')[0]).toMatchObject({ status: 'False', lastTransitionTime: 'later' });
    expect(setCondition(list, { type: 'B', status: 'Unknown', reason: 'B' }, 'later').map((x) => x.type)).toEqual(['A', 'B']);
  });
});

describe('rootReadyCondition (operatorpkg ConditionSet semantics)', () => {
  it.each([
    ['every dependent True at this generation', [c('V', 'True', 2), c('N', 'True', 2)], { status: 'True', reason: 'Ready', message: '' }],
    ['a dependent False', [c('V', 'True', 2), c('N', 'False', 2)], { status: 'False', reason: 'UnhealthyDependents', message: 'N=False' }],
    ['a dependent missing', [c('V', 'True', 2)], { status: 'Unknown', reason: 'ReconcilingDependents', message: 'N=Unknown' }],
    ['a True dependent of an older generation', [c('V', 'True', 1), c('N', 'True', 2)], { status: 'Unknown', reason: 'ReconcilingDependents', message: 'V=True' }],
    ['a False dependent of an older generation only', [c('V', 'False', 1), c('N', 'True', 2)], { status: 'Unknown', reason: 'ReconcilingDependents', message: 'V=False' }],
    [
      'several unhealthy, most recent first',
      [c('V', 'False', 2, '2026-01-01T00:00:00Z'), c('N', 'False', 2, '2026-01-01T00:05:00Z')],
      { status: 'False', reason: 'UnhealthyDependents', message: 'N=False, V=False' },
    ],
  ])('%s', (_name, conditions, expected) => {
    expect(rootReadyCondition(conditions, ['V', 'N'], 2)).toEqual({ type: 'Ready', ...expected });
  });
});
