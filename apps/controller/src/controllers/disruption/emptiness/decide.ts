/**
 * TEMPORARY ADAPTER — belongs in libs/provisioner-domain/src/disruption/ (emptiness + budgets), which does not
 * exist yet. Pure (no clock reads, no I/O) so it can move there unchanged; the controller only calls it.
 *
 * Mirrors Karpenter: a node is an emptiness candidate when its NodePool's consolidationPolicy allows it
 * (WhenEmpty, or WhenEmptyOrUnderutilized which also removes empty nodes), consolidateAfter is not `Never`,
 * its NodeClaim is initialized, it has no reschedulable pods, it has been empty for consolidateAfter, and
 * neither the node, its NodeClaim nor any of its pods carries `karpenter.sh/do-not-disrupt: "true"`. Budgets:
 * `nodes` as a count or a percentage of the pool's nodes (rounded up, like `intstr.GetScaledValueFromIntOrPercent`
 * with roundUp), minus nodes already being disrupted; the smallest active budget wins; none means 10%.
 */
import { ANNOTATION_DO_NOT_DISRUPT, parseDuration, type Budget, type NodePool, type ObjectMeta, type Pod } from '@karpenter-ts/provisioner-domain';

export type EmptinessDecision =
  | { kind: 'ignore'; reason: string }
  | { kind: 'not-empty' }
  | { kind: 'wait'; remainingMs: number }
  | { kind: 'blocked'; reason: string }
  | { kind: 'candidate' };

export interface EmptinessInput {
  nodePool: NodePool;
  initialized: boolean;
  /** Pods bound to the node that still hold resources (DaemonSet ones included). */
  pods: readonly Pod[];
  /** Of those, the ones that would need to move (not DaemonSet, not mirror, not terminal). */
  reschedulablePods: readonly Pod[];
  nodeMeta: ObjectMeta;
  nodeClaimMeta: ObjectMeta;
  /** Since when (ms) the node has been seen empty; undefined when it is not empty. */
  emptySinceMs: number | undefined;
  nowMs: number;
}

const doNotDisrupt = (meta: ObjectMeta): boolean => meta.annotations?.[ANNOTATION_DO_NOT_DISRUPT] === 'true';

/** Whether the node should be deleted for emptiness now, later, or not at all. */
export function decideEmptiness(input: EmptinessInput): EmptinessDecision {
  const disruption = input.nodePool.spec.disruption;
  const policy = disruption?.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
  if (policy !== 'WhenEmpty' && policy !== 'WhenEmptyOrUnderutilized') return { kind: 'ignore', reason: `consolidationPolicy ${policy}` };
  const after = parseDuration(disruption?.consolidateAfter ?? '0s');
  if (after === undefined || after === 'Never') return { kind: 'ignore', reason: 'consolidateAfter is Never' };
  if (!input.initialized) return { kind: 'ignore', reason: 'not initialized' };
  if (input.reschedulablePods.length > 0 || input.emptySinceMs === undefined) return { kind: 'not-empty' };
  const elapsed = input.nowMs - input.emptySinceMs;
  if (elapsed < after) return { kind: 'wait', remainingMs: after - elapsed };
  if (doNotDisrupt(input.nodeMeta)) return { kind: 'blocked', reason: 'node has "karpenter.sh/do-not-disrupt" annotation' };
  if (doNotDisrupt(input.nodeClaimMeta)) return { kind: 'blocked', reason: 'nodeclaim has "karpenter.sh/do-not-disrupt" annotation' };
  const pinned = input.pods.find((p) => doNotDisrupt(p.metadata));
  if (pinned) return { kind: 'blocked', reason: `pod ${pinned.metadata.namespace ?? ''}/${pinned.metadata.name ?? ''} has "karpenter.sh/do-not-disrupt" annotation` };
  return { kind: 'candidate' };
}

/**
 * How many more nodes of a pool may be disrupted for `reason` now: the minimum over budgets that apply to the
 * reason (budgets without `reasons` apply to all) of `nodes` scaled to `totalNodes`, minus `disrupting`.
 * Budgets with a `schedule` are treated as always active (conservative until cron windows are implemented in
 * the domain). Never negative.
 */
export function allowedDisruptions(budgets: readonly Budget[] | undefined, reason: 'Empty' | 'Underutilized' | 'Drifted', totalNodes: number, disrupting: number): number {
  const list = budgets && budgets.length > 0 ? budgets : [{ nodes: '10%' }];
  let allowed = Number.POSITIVE_INFINITY;
  for (const budget of list) {
    if (budget.reasons && budget.reasons.length > 0 && !budget.reasons.includes(reason)) continue;
    const nodes = budget.nodes ?? '10%';
    const value = nodes.endsWith('%') ? Math.ceil((Number(nodes.slice(0, -1)) / 100) * totalNodes) : Number(nodes);
    allowed = Math.min(allowed, value);
  }
  if (allowed === Number.POSITIVE_INFINITY) allowed = totalNodes;
  return Math.max(0, allowed - disrupting);
}
