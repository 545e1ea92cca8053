/**
 * Emptiness, one node at a time: Karpenter v1's candidate filters (`disruption.NewCandidate`), its emptiness
 * method (`Emptiness.ShouldDisrupt`) and the NodeClaim `Consolidatable` condition (`nodeclaim/disruption`
 * consolidation) folded into one pure check.
 */
import { parseDuration, formatDuration } from '../apis/duration.js';
import { LABEL_NODEPOOL, TAINT_DISRUPTED } from '../apis/labels.js';
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { NodePool } from '../apis/nodepool.js';
import type { Node, Timestamp } from '../core/types.js';
import { hasDoNotDisruptAnnotation, isReschedulable, podBlocksDisruption, podName } from './pods.js';
import type { BlockedNode, DisruptionNodeInput, EmptinessCandidate } from './types.js';

/** The rule's answer for one node. */
export type EmptinessEvaluation = { kind: 'candidate'; candidate: EmptinessCandidate } | { kind: 'blocked'; blocked: BlockedNode };

/** ms since the Unix epoch of a metav1.Time (text or Date); `undefined` when absent or unreadable. */
export function timestampMs(t: Timestamp | null | undefined): number | undefined {
  if (t === undefined || t === null) return undefined;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The node's name as reported: the Node's, else the NodeClaim's `status.nodeName`, else the NodeClaim's name. */
export function nodeNameOf(input: DisruptionNodeInput): string {
  return input.node?.metadata.name ?? input.nodeClaim.status?.nodeName ?? input.nodeClaim.metadata.name ?? '';
}

/** The NodePool a NodeClaim belongs to (its `karpenter.sh/nodepool` label), or `undefined`. */
export function nodePoolNameOf(claim: NodeClaim): string | undefined {
  return claim.metadata.labels?.[LABEL_NODEPOOL] || undefined;
}

/** When the NodeClaim became Initialized (the condition's lastTransitionTime), or `undefined` when it is not. */
export function initializedAtMs(claim: NodeClaim): number | undefined {
  const condition = claim.status?.conditions?.find((c) => c.type === 'Initialized');
  if (condition?.status !== 'True') return undefined;
  return timestampMs(condition.lastTransitionTime) ?? 0;
}

/** A registered node whose NodeClaim is initialized: what budgets count (Karpenter counts managed, initialized nodes). */
export function isInitializedNode(input: DisruptionNodeInput): boolean {
  return input.node !== undefined && initializedAtMs(input.nodeClaim) !== undefined;
}

const isNodeReady = (node: Node): boolean => (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Why the node is already on its way out, or `undefined`: NodeClaim or Node deleting, or the disrupted taint. */
export function beingDisruptedReason(input: DisruptionNodeInput): string | undefined {
  if (input.nodeClaim.metadata.deletionTimestamp) return 'its NodeClaim is being deleted';
  if (input.node?.metadata.deletionTimestamp) return 'the Node is being deleted';
  if ((input.node?.spec?.taints ?? []).some((t) => t.key === TAINT_DISRUPTED.key)) return `the Node is tainted ${TAINT_DISRUPTED.key}`;
  return undefined;
}

/**
 * A node that counts against its pool's budget as already disrupted (Karpenter's `BuildDisruptionBudgetMapping`):
 * marked for or in deletion, or not Ready.
 */
export function countsAsDisrupting(input: DisruptionNodeInput): boolean {
  return beingDisruptedReason(input) !== undefined || (input.node !== undefined && !isNodeReady(input.node));
}

/**
 * Since when the node has been without pod churn: the latest of `status.lastPodEventTime`, the caller's
 * `pendingPodEventMs` and the Initialized transition (Karpenter counts consolidateAfter from the last pod event,
 * or from initialization when no pod ever came or went). `undefined` when not initialized.
 */
export function emptySinceMs(input: DisruptionNodeInput): number | undefined {
  const initialized = initializedAtMs(input.nodeClaim);
  if (initialized === undefined) return undefined;
  const lastPodEvent = timestampMs(input.nodeClaim.status?.lastPodEventTime);
  return Math.max(initialized, lastPodEvent ?? -Infinity, input.pendingPodEventMs ?? -Infinity);
}

const listPods = (names: readonly string[]): string => (names.length > 5 ? `${names.slice(0, 5).join(', ')}, ... (${names.length - 5} more)` : names.join(', '));

/**
 * Whether one node is an emptiness candidate at `nowMs`, checked in this order (the first that holds is the
 * reason reported):
 * 1. not already being disrupted (NodeClaim/Node deleting, `karpenter.sh/disrupted` taint);
 * 2. its NodePool exists (`nodePool`, with defaults applied, `undefined` when missing);
 * 3. the NodeClaim is Initialized and its Node registered;
 * 4. the pool removes empty nodes: consolidationPolicy WhenEmpty or WhenEmptyOrUnderutilized (both do) and
 *    consolidateAfter is not `Never`;
 * 5. no reschedulable pods (DaemonSet, mirror, terminal and terminating pods do not count; see `isReschedulable`);
 * 6. not nominated for pending pods;
 * 7. no `karpenter.sh/do-not-disrupt: "true"` on the Node, the NodeClaim or an active pod;
 * 8. no pod came or went for consolidateAfter (see `emptySinceMs`).
 * Budgets are applied by `disrupt`, across the pool.
 */
export function evaluateEmptiness(input: DisruptionNodeInput, nodePool: NodePool | undefined, nowMs: number): EmptinessEvaluation {
  const node = nodeNameOf(input);
  const nodeClaim = input.nodeClaim.metadata.name ?? '';
  const poolName = nodePoolNameOf(input.nodeClaim);
  const block = (code: BlockedNode['code'], reason: string, retryAtMs?: number): EmptinessEvaluation => ({
    kind: 'blocked',
    blocked: { node, nodeClaim, ...(poolName ? { nodePool: poolName } : {}), code, reason, ...(retryAtMs === undefined ? {} : { retryAtMs }) },
  });

  const disrupting = beingDisruptedReason(input);
  if (disrupting) return block('Disrupting', `already being disrupted: ${disrupting}`);
  if (!poolName) return block('NodePoolNotFound', `the NodeClaim has no ${LABEL_NODEPOOL} label`);
  if (!nodePool) return block('NodePoolNotFound', `NodePool "${poolName}" not found`);
  const since = emptySinceMs(input);
  if (since === undefined) return block('NotInitialized', 'the NodeClaim is not initialized yet');
  if (!input.node) return block('NotInitialized', 'no Node has registered for the NodeClaim yet');

  const disruption = nodePool.spec.disruption;
  const policy = disruption?.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
  if (policy !== 'WhenEmpty' && policy !== 'WhenEmptyOrUnderutilized') return block('ConsolidationDisabled', `NodePool "${poolName}" has consolidationPolicy ${String(policy)}`);
  const after = parseDuration(disruption?.consolidateAfter ?? '0s');
  if (after === 'Never') return block('ConsolidateAfterNever', `NodePool "${poolName}" has consolidateAfter: Never, so empty nodes are kept`);
  if (after === undefined) return block('ConsolidationDisabled', `NodePool "${poolName}" has an invalid consolidateAfter "${disruption?.consolidateAfter ?? ''}"`);

  const movable = input.pods.filter(isReschedulable).map(podName);
  if (movable.length > 0) return block('NotEmpty', `not empty: ${movable.length} pod(s) would need to move: ${listPods(movable)}`);
  if (input.nominated) return block('Nominated', 'nominated for pending pods that the provisioner expects to be bound to it');

  if (hasDoNotDisruptAnnotation(input.node.metadata)) return block('DoNotDisruptNode', 'the Node has the "karpenter.sh/do-not-disrupt" annotation');
  if (hasDoNotDisruptAnnotation(input.nodeClaim.metadata)) return block('DoNotDisruptNode', 'the NodeClaim has the "karpenter.sh/do-not-disrupt" annotation');
  const pinned = input.pods.find(podBlocksDisruption);
  if (pinned) return block('DoNotDisruptPod', `pod ${podName(pinned)} has the "karpenter.sh/do-not-disrupt" annotation`);

  const elapsed = nowMs - since;
  if (elapsed < after) {
    return block(
      'ConsolidateAfterNotElapsed',
      `empty, but a pod came or went ${formatDuration(Math.max(0, elapsed))} ago and NodePool "${poolName}" has consolidateAfter ${formatDuration(after)} (${formatDuration(Math.ceil((after - elapsed) / 1000) * 1000)} to go)`,
      since + after,
    );
  }
  return { kind: 'candidate', candidate: { nodeClaim, node, nodePool: poolName, emptySinceMs: since, consolidateAfterMs: after } };
}
