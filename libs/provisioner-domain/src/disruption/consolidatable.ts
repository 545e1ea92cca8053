/**
 * The NodeClaim `Consolidatable` condition (Karpenter's `nodeclaim/disruption` consolidation check): true once
 * an initialized node has gone `consolidateAfter` without a pod being bound to it or removed from it. Pure.
 */
import { parseDuration } from '../apis/duration.js';
import type { NodePool } from '../apis/nodepool.js';
import { emptySinceMs } from './emptiness.js';
import type { DisruptionNodeInput } from './types.js';

/** The answer of {@link consolidatable}: the condition to set and, when false, when it may turn true. */
export type Consolidatable =
  | { consolidatable: true; sinceMs: number }
  | { consolidatable: false; reason: 'ConsolidateAfterNever' | 'NotInitialized' | 'InvalidConsolidateAfter'; message: string }
  | { consolidatable: false; reason: 'ConsolidateAfterPending'; message: string; retryAtMs: number };

/**
 * Whether the node is consolidatable at `nowMs`: `spec.disruption.consolidateAfter` (default `0s`) after the
 * latest of its Initialized transition and its last pod event. `Never` (or an unreadable duration) never makes
 * it consolidatable; neither does a NodeClaim that is not Initialized.
 */
export function consolidatable(input: DisruptionNodeInput, nodePool: NodePool, nowMs: number): Consolidatable {
  const text = nodePool.spec.disruption?.consolidateAfter ?? '0s';
  const after = parseDuration(text);
  if (after === undefined) return { consolidatable: false, reason: 'InvalidConsolidateAfter', message: `NodePool ${nodePool.metadata.name ?? ''} has spec.disruption.consolidateAfter "${text}", which is not a duration` };
  if (after === 'Never') return { consolidatable: false, reason: 'ConsolidateAfterNever', message: 'consolidateAfter is Never' };
  const since = emptySinceMs(input);
  if (since === undefined) return { consolidatable: false, reason: 'NotInitialized', message: 'the NodeClaim is not initialized' };
  const atMs = since + after;
  if (nowMs < atMs) return { consolidatable: false, reason: 'ConsolidateAfterPending', message: `consolidateAfter ${text} has not elapsed since the last pod event`, retryAtMs: atMs };
  return { consolidatable: true, sinceMs: atMs };
}
