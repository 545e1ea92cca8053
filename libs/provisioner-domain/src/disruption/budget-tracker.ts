/**
 * Budgets across one planning pass: per NodePool and reason, how many more nodes may start being disrupted,
 * counting the nodes already disrupting and those each earlier command of the pass took (whatever its reason).
 */
import { parseDuration } from '../apis/duration.js';
import type { DisruptionReason, NodePool } from '../apis/nodepool.js';
import { evaluateBudgets, type PoolBudget } from './budgets.js';
import { nextCronHitMs, parseCronSchedule } from './cron.js';

/** Counts per pool: nodes budgets count, of which already disrupting. */
export interface PoolCounts {
  nodeCount: number;
  disrupting: number;
}

export class BudgetTracker {
  readonly evaluated: Record<string, Partial<Record<DisruptionReason, PoolBudget>>> = {};
  private readonly taken = new Map<string, number>();

  constructor(
    private readonly pools: ReadonlyMap<string, NodePool>,
    private readonly counts: ReadonlyMap<string, PoolCounts>,
    private readonly nowMs: number,
  ) {}

  /** The pool's budget for the reason (evaluated once per pass). */
  budget(pool: string, reason: DisruptionReason): PoolBudget {
    const known = this.evaluated[pool]?.[reason];
    if (known) return known;
    const counts = this.counts.get(pool) ?? { nodeCount: 0, disrupting: 0 };
    const evaluated = evaluateBudgets({ nodePool: this.pools.get(pool) as NodePool, reason, nodeCount: counts.nodeCount, disrupting: counts.disrupting, nowMs: this.nowMs });
    this.evaluated[pool] = { ...this.evaluated[pool], [reason]: evaluated };
    return evaluated;
  }

  /** More nodes of the pool that may start being disrupted for the reason now. */
  remaining(pool: string, reason: DisruptionReason): number {
    return Math.max(0, this.budget(pool, reason).allowed - (this.taken.get(pool) ?? 0));
  }

  /** Records that `count` more nodes of the pool are being disrupted by a command of this pass. */
  take(pool: string, count = 1): void {
    this.taken.set(pool, (this.taken.get(pool) ?? 0) + count);
  }

  /**
   * Why the pool allows no more for the reason, as a sentence: `budget allows 0 of 3 nodes for reason
   * Underutilized until 17:00 UTC` (the end of the limiting budget's window, when it has a schedule), with the
   * nodes already disrupting or taken earlier in the pass when they are what uses it up.
   */
  describe(pool: string, reason: DisruptionReason): string {
    const b = this.budget(pool, reason);
    const limiting = b.limitingBudget === undefined ? undefined : b.budgets[b.limitingBudget];
    if (limiting?.error) return `NodePool "${pool}" allows no disruptions: budget ${limiting.index + 1} is invalid: ${limiting.error}`;
    let until = '';
    const budget = limiting?.budget;
    if (budget?.schedule !== undefined && budget.duration !== undefined) {
      const parsed = parseCronSchedule(budget.schedule);
      const duration = parseDuration(budget.duration.replace(/0s$/, '') || '0s');
      if (parsed.ok && typeof duration === 'number') {
        const endMs = nextCronHitMs(parsed.schedule, this.nowMs - duration) + duration;
        const end = new Date(endMs).toISOString();
        const sameDay = end.slice(0, 10) === new Date(this.nowMs).toISOString().slice(0, 10);
        until = ` until ${sameDay ? '' : `${end.slice(0, 10)} `}${end.slice(11, 16)} UTC`;
      }
    }
    const used = b.disrupting + (this.taken.get(pool) ?? 0);
    const usedText = used > 0 ? ` (${used} already being disrupted or not Ready)` : '';
    return `budget of NodePool "${pool}" allows ${b.limit} of ${b.nodeCount} nodes for reason ${reason}${until}${usedText}`;
  }
}
