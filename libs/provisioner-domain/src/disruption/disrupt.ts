/**
 * The disruption planner: which nodes to disrupt now and, for every other node, why not. Pure: it takes the
 * moment as `nowMs` and a snapshot of NodePools, NodeClaims, Nodes and pods; the controller, the CLI and the
 * previews call the same code.
 */
import { formatDuration } from '../apis/duration.js';
import { applyNodePoolDefaults } from '../apis/nodepool.defaults.js';
import type { NodePool } from '../apis/nodepool.js';
import { describeBudgetBlock, evaluateBudgets, type PoolBudget } from './budgets.js';
import { countsAsDisrupting, evaluateEmptiness, isInitializedNode, nodePoolNameOf } from './emptiness.js';
import type { BlockedNode, DisruptionDecision, DisruptionInput, EmptinessCandidate, NodeExplanation } from './types.js';

/**
 * Plans disruption at `input.nowMs`. Today: emptiness (Karpenter v1's `Emptiness` method).
 *
 * Each node is checked by `evaluateEmptiness`; the candidates of each NodePool are then admitted in order
 * (longest without pod churn first, then by NodeClaim name) while the pool's budget for reason `Empty` allows
 * (`evaluateBudgets`: nodes counted are the pool's registered, initialized ones; those being deleted, tainted
 * `karpenter.sh/disrupted` or NotReady count as already disrupting). Admitted candidates form one command
 * `{ reason: 'empty', nodeClaims }` (none when nothing is admitted); every other node is in `blocked` with a
 * code and a sentence, and every node has an entry in `explanations`.
 */
export function disrupt(input: DisruptionInput): DisruptionDecision {
  const { nowMs } = input;
  const pools = new Map<string, NodePool>();
  for (const np of input.nodePools) if (np.metadata.name && !np.metadata.deletionTimestamp) pools.set(np.metadata.name, applyNodePoolDefaults(np));

  const candidates: EmptinessCandidate[] = [];
  const blockedByNode = new Map<number, BlockedNode>();
  input.nodes.forEach((node, i) => {
    const poolName = nodePoolNameOf(node.nodeClaim);
    const result = evaluateEmptiness(node, poolName ? pools.get(poolName) : undefined, nowMs);
    if (result.kind === 'candidate') candidates.push(result.candidate);
    else blockedByNode.set(i, result.blocked);
  });

  const budgets: DisruptionDecision['budgets'] = {};
  const poolBudget = (name: string): PoolBudget => {
    const existing = budgets[name]?.Empty;
    if (existing) return existing;
    const members = input.nodes.filter((n) => nodePoolNameOf(n.nodeClaim) === name && isInitializedNode(n));
    const evaluated = evaluateBudgets({
      nodePool: pools.get(name) as NodePool,
      reason: 'Empty',
      nodeCount: members.length,
      disrupting: members.filter(countsAsDisrupting).length,
      nowMs,
    });
    budgets[name] = { ...budgets[name], Empty: evaluated };
    return evaluated;
  };

  const ordered = [...candidates].sort((a, b) => a.emptySinceMs - b.emptySinceMs || a.nodeClaim.localeCompare(b.nodeClaim));
  const remaining = new Map<string, number>();
  const admitted: EmptinessCandidate[] = [];
  const overBudget = new Map<string, BlockedNode>();
  for (const candidate of ordered) {
    const budget = poolBudget(candidate.nodePool);
    const left = remaining.get(candidate.nodePool) ?? budget.allowed;
    if (left > 0) {
      admitted.push(candidate);
      remaining.set(candidate.nodePool, left - 1);
      continue;
    }
    const why = describeBudgetBlock(budget) ?? `NodePool "${candidate.nodePool}" budget allows ${budget.allowed} disruption(s) now, taken by nodes empty for longer`;
    overBudget.set(candidate.nodeClaim, { node: candidate.node, nodeClaim: candidate.nodeClaim, nodePool: candidate.nodePool, code: 'budget', reason: `empty, but ${why}` });
  }

  const admittedByName = new Map(admitted.map((c) => [c.nodeClaim, c]));
  const blocked: BlockedNode[] = [];
  const explanations: NodeExplanation[] = input.nodes.map((node, i) => {
    const held = blockedByNode.get(i) ?? overBudget.get(node.nodeClaim.metadata.name ?? '');
    if (held) {
      blocked.push(held);
      return { node: held.node, nodeClaim: held.nodeClaim, ...(held.nodePool ? { nodePool: held.nodePool } : {}), disrupted: false, code: held.code, reason: held.reason, ...(held.retryAtMs === undefined ? {} : { retryAtMs: held.retryAtMs }) };
    }
    const candidate = admittedByName.get(node.nodeClaim.metadata.name ?? '') as EmptinessCandidate;
    return { node: candidate.node, nodeClaim: candidate.nodeClaim, nodePool: candidate.nodePool, disrupted: true, reason: describeAdmitted(candidate, nowMs, budgets[candidate.nodePool]?.Empty) };
  });

  return {
    nowMs,
    candidates,
    commands: admitted.length > 0 ? [{ reason: 'empty', nodeClaims: admitted.map((c) => c.nodeClaim), candidates: admitted }] : [],
    blocked,
    budgets,
    explanations,
  };
}

function describeAdmitted(candidate: EmptinessCandidate, nowMs: number, budget: PoolBudget | undefined): string {
  const budgetText = budget ? `; NodePool "${candidate.nodePool}" budget allowed ${budget.allowed} of ${budget.nodeCount} node(s) (${budget.disrupting} already disrupting)` : '';
  return `disrupted (empty): no pod came or went for ${formatDuration(nowMs - candidate.emptySinceMs)}, consolidateAfter is ${formatDuration(candidate.consolidateAfterMs)}${budgetText}`;
}

/**
 * The explanation for one node of a decision, looked up by Node or NodeClaim name: whether it is disrupted and
 * why (or why not), as one line for a person, e.g. `node n1 (NodeClaim default-abc, NodePool default): not
 * disrupted: not empty: 1 pod(s) would need to move: default/web-1`. `undefined` when the node was not in the input.
 */
export function explainNode(decision: DisruptionDecision, name: string): string | undefined {
  const e = decision.explanations.find((x) => x.node === name || x.nodeClaim === name);
  if (!e) return undefined;
  const where = [`NodeClaim ${e.nodeClaim}`, ...(e.nodePool ? [`NodePool ${e.nodePool}`] : [])].join(', ');
  const retry = e.retryAtMs === undefined ? '' : ` (eligible at ${new Date(e.retryAtMs).toISOString()})`;
  return `node ${e.node} (${where}): ${e.disrupted ? e.reason : `not disrupted: ${e.reason}${retry}`}`;
}
