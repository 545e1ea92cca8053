import { describe, expect, it } from 'vitest';
import type { Budget } from '../apis/nodepool.js';
import { disrupt, explainNode } from './disrupt.js';
import { HOUR, managed, MINUTE, pod, pool, SECOND, T0 } from './test-fixtures.js';
import type { DisruptionNodeInput } from './types.js';

const empties = (n: number, prefix = 'n', o: Parameters<typeof managed>[1] = {}): DisruptionNodeInput[] =>
  Array.from({ length: n }, (_, i) => managed(`${prefix}${String(i).padStart(2, '0')}`, o));
const friday = T0 + 24 * HOUR;

describe('disrupt: budgets across the pool', () => {
  it.each<{ name: string; budgets?: Budget[]; nodes: DisruptionNodeInput[]; nowMs: number; disrupted: number; budgetBlocked: number }>([
    { name: 'default 10% of 10 empty nodes → 1', nodes: empties(10), nowMs: T0 + HOUR, disrupted: 1, budgetBlocked: 9 },
    { name: 'default 10% of 11 → 2 (rounded up)', nodes: empties(11), nowMs: T0 + HOUR, disrupted: 2, budgetBlocked: 9 },
    { name: '5% of 10 → 1 (rounded up, never blocked by rounding)', budgets: [{ nodes: '5%' }], nodes: empties(10), nowMs: T0 + HOUR, disrupted: 1, budgetBlocked: 9 },
    { name: '100% → all', budgets: [{ nodes: '100%' }], nodes: empties(4), nowMs: T0 + HOUR, disrupted: 4, budgetBlocked: 0 },
    {
      name: 'nodes already being deleted count against the budget',
      budgets: [{ nodes: '2' }],
      nodes: [...empties(3), managed('gone', { claimMeta: { deletionTimestamp: '2026-01-01T00:00:00Z' } })],
      nowMs: T0 + HOUR,
      disrupted: 1,
      budgetBlocked: 2,
    },
    { name: 'a NotReady node counts as disrupting', budgets: [{ nodes: '1' }], nodes: [...empties(2), managed('sick', { ready: false, pods: [pod('x')] })], nowMs: T0 + HOUR, disrupted: 0, budgetBlocked: 2 },
    {
      name: 'nodes with pods count in the percentage base',
      budgets: [{ nodes: '50%' }],
      nodes: [...empties(1), managed('busy1', { pods: [pod('a')] }), managed('busy2', { pods: [pod('b')] }), managed('busy3', { pods: [pod('c')] })],
      nowMs: T0 + HOUR,
      disrupted: 1,
      budgetBlocked: 0,
    },
    { name: 'uninitialized nodes are not counted', budgets: [{ nodes: '50%' }], nodes: [...empties(2), ...empties(2, 'new', { initializedAtMs: null })], nowMs: T0 + HOUR, disrupted: 1, budgetBlocked: 1 },
    { name: 'a business-hours freeze: Friday 08:59 allows', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }], nodes: empties(3), nowMs: friday + 9 * HOUR - MINUTE, disrupted: 3, budgetBlocked: 0 },
    { name: 'a business-hours freeze: Friday 09:00 blocks', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }], nodes: empties(3), nowMs: friday + 9 * HOUR, disrupted: 0, budgetBlocked: 3 },
    { name: 'a business-hours freeze: Friday 16:59:59 blocks', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }], nodes: empties(3), nowMs: friday + 17 * HOUR - SECOND, disrupted: 0, budgetBlocked: 3 },
    { name: 'a business-hours freeze: Friday 17:00 allows', budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }], nodes: empties(3), nowMs: friday + 17 * HOUR, disrupted: 3, budgetBlocked: 0 },
    { name: 'a freeze for Drifted only leaves Empty alone', budgets: [{ nodes: '0', reasons: ['Drifted'] }], nodes: empties(3), nowMs: T0 + HOUR, disrupted: 3, budgetBlocked: 0 },
    { name: 'a freeze for Empty holds', budgets: [{ nodes: '0', reasons: ['Empty'] }, { nodes: '100%' }], nodes: empties(3), nowMs: T0 + HOUR, disrupted: 0, budgetBlocked: 3 },
  ])('$name', ({ budgets, nodes, nowMs, disrupted, budgetBlocked }) => {
    const decision = disrupt({ nowMs, nodePools: [pool('default', budgets ? { budgets } : {})], nodes });
    expect(decision.commands.flatMap((c) => c.nodeClaims)).toHaveLength(disrupted);
    expect(decision.blocked.filter((b) => b.code === 'BudgetExhausted')).toHaveLength(budgetBlocked);
    for (const command of decision.commands) expect(command.reason).toBe('empty');
  });
});

describe('disrupt: decisions as data', () => {
  it('one command with the admitted NodeClaims, longest-empty first; every other node blocked with a reason', () => {
    const decision = disrupt({
      nowMs: T0 + HOUR,
      nodePools: [pool('default', { budgets: [{ nodes: '2' }] }), pool('never', { consolidateAfter: 'Never' })],
      nodes: [
        managed('recent', { lastPodEventMs: T0 + 30 * MINUTE }),
        managed('old'),
        managed('oldest', { initializedAtMs: T0 - HOUR }),
        managed('busy', { pods: [pod('web')] }),
        managed('kept', { pool: 'never' }),
        managed('orphan', { pool: 'missing' }),
      ],
    });
    expect(decision.candidates.map((c) => c.nodeClaim)).toEqual(['recent', 'old', 'oldest']);
    expect(decision.commands).toEqual([expect.objectContaining({ reason: 'empty', method: 'emptiness', decision: 'delete', replacements: [], nodeClaims: ['oldest', 'old'], candidates: [expect.objectContaining({ nodeClaim: 'oldest' }), expect.objectContaining({ nodeClaim: 'old' })] })]);
    expect(decision.blocked.map((b) => [b.node, b.code])).toEqual([
      ['recent', 'BudgetExhausted'],
      ['busy', 'PolicyWhenEmpty'],
      ['kept', 'ConsolidateAfterNever'],
      ['orphan', 'NodePoolNotFound'],
    ]);
    expect(decision.budgets['default']?.Empty).toMatchObject({ nodeCount: 4, disrupting: 0, limit: 2, allowed: 2 });
    expect(decision.explanations.map((e) => [e.node, e.disrupted])).toEqual([
      ['recent', false],
      ['old', true],
      ['oldest', true],
      ['busy', false],
      ['kept', false],
      ['orphan', false],
    ]);
  });

  it('answers "why was this node not disrupted" per node, by Node or NodeClaim name', () => {
    const decision = disrupt({
      nowMs: friday + 10 * HOUR,
      nodePools: [pool('default', { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }] })],
      nodes: [managed('frozen'), managed('busy', { pods: [pod('web')] }), managed('fresh', { lastPodEventMs: friday + 10 * HOUR - 10 * SECOND })],
    });
    expect(explainNode(decision, 'frozen')).toMatch(/^node frozen \(NodeClaim frozen, NodePool default\): not disrupted: empty, but NodePool "default" allows no more disruptions for reason Empty: budget 1 \(nodes "0", schedule "0 9 \* \* mon-fri" for 8h\) is active/);
    expect(explainNode(decision, 'busy')).toContain('not empty: 1 pod(s) would need to move: default/web');
    expect(explainNode(decision, 'fresh')).toMatch(/consolidateAfter 30s \(20s to go\) \(eligible at 2026-01-02T10:00:20.000Z\)$/);
    expect(explainNode(decision, 'nope')).toBeUndefined();
    const allowed = disrupt({ nowMs: friday + 18 * HOUR, nodePools: [pool('default', { budgets: [{ nodes: '0', schedule: '0 9 * * mon-fri', duration: '8h' }] })], nodes: [managed('frozen')] });
    expect(explainNode(allowed, 'frozen')).toMatch(/^node frozen \(NodeClaim frozen, NodePool default\): disrupted \(empty\)/);
  });

  it('is deterministic: same input, same decision; the input is not modified', () => {
    const input = { nowMs: T0 + HOUR, nodePools: [pool()], nodes: empties(12) };
    const before = JSON.stringify(input);
    expect(disrupt(input)).toEqual(disrupt(input));
    expect(JSON.stringify(input)).toBe(before);
  });

  it('no command when nothing is admitted', () => {
    expect(disrupt({ nowMs: T0, nodePools: [pool()], nodes: empties(2) }).commands).toEqual([]);
  });
});
