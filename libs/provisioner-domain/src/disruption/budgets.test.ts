import { describe, expect, it } from 'vitest';
import type { Budget, DisruptionReason } from '../apis/nodepool.js';
import { budgetNodeLimit, evaluateBudgets, isBudgetActive } from './budgets.js';
import { HOUR, MINUTE, pool, T0 } from './test-fixtures.js';

describe('budgetNodeLimit: counts, and percentages of the pool rounded UP as Karpenter does', () => {
  it.each([
    { nodes: '10%', count: 1, expected: 1 },
    { nodes: '10%', count: 10, expected: 1 },
    { nodes: '10%', count: 11, expected: 2 },
    { nodes: '10%', count: 25, expected: 3 },
    { nodes: '5%', count: 10, expected: 1 },
    { nodes: '33%', count: 3, expected: 1 },
    { nodes: '34%', count: 3, expected: 2 },
    { nodes: '50%', count: 3, expected: 2 },
    { nodes: '100%', count: 7, expected: 7 },
    { nodes: '0%', count: 100, expected: 0 },
    { nodes: '10%', count: 0, expected: 0 },
    { nodes: '5', count: 100, expected: 5 },
    { nodes: '5', count: 2, expected: 5 },
    { nodes: '0', count: 10, expected: 0 },
    { nodes: 'x', count: 10, expected: undefined },
    { nodes: '-1', count: 10, expected: undefined },
  ])('$nodes of $count → $expected', ({ nodes, count, expected }) => {
    expect(budgetNodeLimit(nodes, count)).toBe(expected);
  });
});

// T0 = Thursday 2026-01-01T00:00Z.
describe('isBudgetActive: [hit, hit + duration) windows in UTC', () => {
  const business: Budget = { nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' };
  const friday = T0 + 24 * HOUR;
  it.each([
    { name: 'no schedule, no duration: always', budget: { nodes: '1' }, nowMs: T0, active: true },
    { name: 'a minute before the window opens', budget: business, nowMs: friday + 9 * HOUR - MINUTE, active: false },
    { name: 'the moment it opens', budget: business, nowMs: friday + 9 * HOUR, active: true },
    { name: 'inside', budget: business, nowMs: friday + 12 * HOUR, active: true },
    { name: 'a millisecond before it closes', budget: business, nowMs: friday + 17 * HOUR - 1, active: true },
    { name: 'the moment it closes', budget: business, nowMs: friday + 17 * HOUR, active: false },
    { name: 'Saturday (no hit)', budget: business, nowMs: friday + 24 * HOUR + 10 * HOUR, active: false },
    { name: 'a window across midnight, after midnight', budget: { nodes: '0', schedule: '0 22 * * *', duration: '4h' }, nowMs: T0 + HOUR, active: true },
    { name: 'a window across midnight, after it ends', budget: { nodes: '0', schedule: '0 22 * * *', duration: '4h' }, nowMs: T0 + 2 * HOUR, active: false },
    { name: '@daily for 1h30m', budget: { nodes: '0', schedule: '@daily', duration: '1h30m' }, nowMs: T0 + HOUR + 29 * MINUTE, active: true },
    { name: 'a duration with Go\'s trailing 0s', budget: { nodes: '0', schedule: '@daily', duration: '1h30m0s' }, nowMs: T0 + HOUR + 31 * MINUTE, active: false },
    { name: 'a schedule without duration is never active', budget: { nodes: '0', schedule: '@daily' }, nowMs: T0, active: false },
  ])('$name', ({ budget, nowMs, active }) => {
    expect(isBudgetActive(budget, nowMs)).toEqual({ ok: true, active });
  });

  it.each([
    ['duration without schedule', { nodes: '0', duration: '1h' }],
    ['a schedule robfig refuses', { nodes: '0', schedule: '0 0 9 * * *', duration: '1h' }],
  ])('%s is an error', (_name, budget) => {
    expect(isBudgetActive(budget as Budget, T0).ok).toBe(false);
  });
});

describe('evaluateBudgets: the most restrictive active budget for the reason, minus nodes already disrupting', () => {
  const friday9 = T0 + 24 * HOUR + 9 * HOUR;
  it.each<{ name: string; budgets?: Budget[]; reason?: DisruptionReason; nodeCount: number; disrupting?: number; nowMs?: number; limit: number; allowed: number; limitingBudget?: number }>([
    { name: 'default (from applyNodePoolDefaults): 10% of 1 node rounds up to 1', nodeCount: 1, limit: 1, allowed: 1, limitingBudget: 0 },
    { name: 'default: 10% of 25 nodes → 3', nodeCount: 25, limit: 3, allowed: 3, limitingBudget: 0 },
    { name: 'nodes already disrupting count against it', budgets: [{ nodes: '10%' }], nodeCount: 25, disrupting: 2, limit: 3, allowed: 1 },
    { name: 'never negative', budgets: [{ nodes: '1' }], nodeCount: 5, disrupting: 3, limit: 1, allowed: 0 },
    { name: 'a count above the pool size is capped by it', budgets: [{ nodes: '50' }], nodeCount: 4, limit: 4, allowed: 4 },
    { name: 'the minimum over budgets wins', budgets: [{ nodes: '50%' }, { nodes: '2' }], nodeCount: 10, limit: 2, allowed: 2, limitingBudget: 1 },
    { name: '0 blocks', budgets: [{ nodes: '0' }], nodeCount: 10, limit: 0, allowed: 0, limitingBudget: 0 },
    { name: 'budgets for other reasons do not limit', budgets: [{ nodes: '0', reasons: ['Drifted', 'Underutilized'] }], nodeCount: 10, limit: 10, allowed: 10 },
    { name: 'a budget naming the reason limits', budgets: [{ nodes: '0', reasons: ['Empty'] }], nodeCount: 10, limit: 0, allowed: 0, limitingBudget: 0 },
    { name: 'the reason is matched exactly', budgets: [{ nodes: '1', reasons: ['Empty'] }], reason: 'Drifted', nodeCount: 10, limit: 10, allowed: 10 },
    { name: 'an inactive scheduled budget does not limit', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }, { nodes: '50%' }], nowMs: friday9 - MINUTE, nodeCount: 10, limit: 5, allowed: 5, limitingBudget: 1 },
    { name: 'an active scheduled budget limits', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }, { nodes: '50%' }], nowMs: friday9, nodeCount: 10, limit: 0, allowed: 0, limitingBudget: 0 },
    { name: 'only inactive budgets: unbounded (capped by the pool size)', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }], nowMs: friday9 + 8 * HOUR, nodeCount: 6, limit: 6, allowed: 6 },
    { name: 'an invalid budget, even for another reason, fails closed', budgets: [{ nodes: '5' }, { nodes: '5', reasons: ['Drifted'], schedule: '0 0 9 * * *', duration: '1h' }], nodeCount: 10, limit: 0, allowed: 0, limitingBudget: 1 },
  ])('$name', ({ budgets, reason, nodeCount, disrupting, nowMs, limit, allowed, limitingBudget }) => {
    const result = evaluateBudgets({ nodePool: pool('default', budgets ? { budgets } : {}), reason: reason ?? 'Empty', nodeCount, disrupting: disrupting ?? 0, nowMs: nowMs ?? T0 });
    expect({ limit: result.limit, allowed: result.allowed }).toEqual({ limit, allowed });
    if (limitingBudget !== undefined) expect(result.limitingBudget).toBe(limitingBudget);
  });

  it('describes each budget it evaluated', () => {
    const result = evaluateBudgets({ nodePool: pool('default', { budgets: [{ nodes: '20%', reasons: ['Empty'] }, { nodes: '0', schedule: '@daily', duration: '1h' }] }), reason: 'Empty', nodeCount: 10, disrupting: 0, nowMs: T0 + 2 * HOUR });
    expect(result.budgets).toEqual([
      expect.objectContaining({ index: 0, appliesToReason: true, active: true, limit: 2 }),
      expect.objectContaining({ index: 1, appliesToReason: true, active: false }),
    ]);
  });
});
