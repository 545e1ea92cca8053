/**
 * NodePool disruption budgets (`spec.disruption.budgets`), as Karpenter v1's `NodePool.GetAllowedDisruptionsByReason`
 * and the disruption controller's `BuildDisruptionBudgetMapping` compute them.
 */
import { parseDuration } from '../apis/duration.js';
import { applyNodePoolDefaults } from '../apis/nodepool.defaults.js';
import type { Budget, DisruptionReason, NodePool } from '../apis/nodepool.js';
import { nextCronHitMs, parseCronSchedule } from './cron.js';

/** Whether a budget is in force at a moment, or why that cannot be told. */
export type BudgetActivity = { ok: true; active: boolean } | { ok: false; error: string };

/**
 * Whether `budget` is active at `nowMs` (ms since the Unix epoch): always without `schedule` and `duration`;
 * otherwise when the schedule (cron, UTC) fired within the last `duration`, i.e. the first hit strictly after
 * `nowMs - duration` is not after `nowMs` — the window is [hit, hit + duration). A `schedule` without `duration`
 * is never active (Karpenter walks back a zero duration); a `duration` without `schedule`, or text that is not a
 * schedule or duration, is an error (the CRD refuses both).
 */
export function isBudgetActive(budget: Budget, nowMs: number): BudgetActivity {
  if (budget.schedule === undefined && budget.duration === undefined) return { ok: true, active: true };
  const parsed = parseCronSchedule(budget.schedule ?? '');
  if (!parsed.ok) return { ok: false, error: budget.schedule === undefined ? '"duration" is set without "schedule"' : parsed.error };
  let durationMs = 0;
  if (budget.duration !== undefined) {
    const d = parseDuration(budget.duration.replace(/0s$/, '') || '0s');
    if (d === undefined || d === 'Never') return { ok: false, error: `duration "${budget.duration}" is not hours and/or minutes` };
    durationMs = d;
  }
  return { ok: true, active: nextCronHitMs(parsed.schedule, nowMs - durationMs) <= nowMs };
}

/**
 * The number of nodes `nodes` (`"5"` or `"10%"`) allows out of `nodeCount`. A percentage is rounded UP, as
 * Karpenter does (`intstr.GetScaledValueFromIntOrPercent(..., roundUp=true)`, the same as a PDB's
 * maxUnavailable): 5% of 10 nodes allows 1, 10% of 25 allows 3, 0% allows 0. `undefined` for text that is
 * neither an integer nor a percentage.
 */
export function budgetNodeLimit(nodes: string, nodeCount: number): number | undefined {
  const percent = /^([0-9]+)%$/.exec(nodes);
  if (percent) return Math.ceil((Number(percent[1]) * nodeCount) / 100);
  if (/^[0-9]+$/.test(nodes)) return Number(nodes);
  return undefined;
}

/** One budget of a NodePool as evaluated for a reason at a moment. */
export interface BudgetEvaluation {
  /** Position in `spec.disruption.budgets` (0-based). */
  index: number;
  budget: Budget;
  /** The budget lists the reason, or lists none (applies to all). */
  appliesToReason: boolean;
  /** In force now (false when invalid). */
  active: boolean;
  /** Nodes it allows disrupted at once, when active (scaled to the pool's node count). */
  limit?: number;
  /** Why the budget could not be evaluated (which blocks the pool, failing closed). */
  error?: string;
}

/** A NodePool's budget for one disruption reason at one moment. */
export interface PoolBudget {
  nodePool: string;
  reason: DisruptionReason;
  /** Nodes of the pool counted by budgets: managed and initialized. */
  nodeCount: number;
  /** Of those, being disrupted now (marked or being deleted, or NotReady). */
  disrupting: number;
  /**
   * Nodes that may be disrupted at once: the minimum `limit` over active budgets that apply to the reason, at
   * most `nodeCount` (no active budget: `nodeCount`); 0 when any budget is invalid.
   */
  limit: number;
  /** More nodes that may start being disrupted now: `limit - disrupting`, never negative. */
  allowed: number;
  /** Index of the budget that sets `limit`, when one does. */
  limitingBudget?: number;
  budgets: BudgetEvaluation[];
}

/**
 * Evaluates a NodePool's budgets for `reason` at `nowMs`, Karpenter's way: budgets without `reasons` apply to
 * every reason; the most restrictive active budget wins; a budget that is not active does not limit; nodes
 * already being disrupted count against the result; an invalid budget (any, even one for another reason) makes
 * the pool allow nothing. The pool's defaults come from `applyNodePoolDefaults` (no budgets = `[{nodes: "10%"}]`).
 */
export function evaluateBudgets(input: { nodePool: NodePool; reason: DisruptionReason; nodeCount: number; disrupting: number; nowMs: number }): PoolBudget {
  const { reason, nodeCount, disrupting, nowMs } = input;
  const budgets = applyNodePoolDefaults(input.nodePool).spec.disruption?.budgets ?? [];
  const evaluations: BudgetEvaluation[] = budgets.map((budget, index) => {
    const appliesToReason = budget.reasons === undefined || budget.reasons.includes(reason);
    const activity = isBudgetActive(budget, nowMs);
    if (!activity.ok) return { index, budget, appliesToReason, active: false, error: activity.error };
    if (!activity.active) return { index, budget, appliesToReason, active: false };
    const limit = budgetNodeLimit(budget.nodes ?? '', nodeCount);
    if (limit === undefined) return { index, budget, appliesToReason, active: true, error: `nodes "${budget.nodes ?? ''}" is neither a count nor a percentage` };
    return { index, budget, appliesToReason, active: true, limit };
  });
  let smallest = Number.POSITIVE_INFINITY;
  let limitingBudget: number | undefined;
  for (const e of evaluations) {
    if (e.appliesToReason && e.limit !== undefined && e.limit < smallest) {
      smallest = e.limit;
      limitingBudget = e.index;
    }
  }
  let limit = Math.min(smallest, nodeCount);
  const invalid = evaluations.find((e) => e.error !== undefined);
  if (invalid) {
    limit = 0;
    limitingBudget = invalid.index;
  }
  return {
    nodePool: input.nodePool.metadata.name ?? '',
    reason,
    nodeCount,
    disrupting,
    limit,
    allowed: Math.max(0, limit - disrupting),
    ...(limitingBudget === undefined ? {} : { limitingBudget }),
    budgets: evaluations,
  };
}

/** A budget as a person reads it: `nodes "10%" for Empty, Drifted, schedule "0 9 * * *" for 8h`. */
export function describeBudget(budget: Budget): string {
  const parts = [`nodes "${budget.nodes ?? ''}"`];
  if (budget.reasons) parts.push(`for ${budget.reasons.join(', ')}`);
  if (budget.schedule !== undefined) parts.push(`schedule "${budget.schedule}"${budget.duration ? ` for ${budget.duration}` : ''}`);
  else if (budget.duration !== undefined) parts.push(`duration ${budget.duration}`);
  return parts.join(', ');
}

/** Why a pool allows no more disruptions now, for a person; `undefined` when it allows some. */
export function describeBudgetBlock(pool: PoolBudget): string | undefined {
  if (pool.allowed > 0) return undefined;
  const limiting = pool.limitingBudget === undefined ? undefined : pool.budgets[pool.limitingBudget];
  const disrupting = `${pool.disrupting} of ${pool.nodeCount} node(s) already being disrupted or not Ready`;
  if (limiting?.error) return `NodePool "${pool.nodePool}" allows no disruptions: budget ${limiting.index + 1} (${describeBudget(limiting.budget)}) is invalid: ${limiting.error}`;
  if (limiting) {
    return `NodePool "${pool.nodePool}" allows no more disruptions for reason ${pool.reason}: budget ${limiting.index + 1} (${describeBudget(limiting.budget)}) is active and allows ${pool.limit} node(s) at once; ${disrupting}`;
  }
  return `NodePool "${pool.nodePool}" allows no more disruptions for reason ${pool.reason}: ${disrupting}`;
}
