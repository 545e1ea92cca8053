import type { NodeClaim, NodeClaimStatus } from '@karpenter-ts/provisioner-domain';
import { resources } from '../../kube/resources.js';
import { setCondition, type ConditionStatus, type ConditionUpdate } from '../../state/conditions.js';
import type { ControllerContext } from '../types.js';

/**
 * Merge-patches the NodeClaim's status subresource with `status` fields and `conditions` updates, keeps the
 * informer cache in step (read-your-writes) and returns the updated NodeClaim. The root `Ready` condition
 * follows Launched, Registered and Initialized, as Karpenter's.
 */
export async function patchNodeClaimStatus(
  ctx: ControllerContext,
  claim: NodeClaim,
  status: Partial<NodeClaimStatus>,
  conditions: readonly ConditionUpdate[] = [],
): Promise<NodeClaim> {
  const nowIso = new Date(ctx.clock.now()).toISOString();
  let list = claim.status?.conditions ?? [];
  for (const c of conditions) list = setCondition(list, { ...c, observedGeneration: claim.metadata.generation }, nowIso);
  const get = (type: string): ConditionStatus | undefined => list.find((c) => c.type === type)?.status;
  const all = ['Launched', 'Registered', 'Initialized'].map(get);
  const ready: ConditionUpdate = all.every((s) => s === 'True')
    ? { type: 'Ready', status: 'True', reason: 'Ready' }
    : all.some((s) => s === 'False')
      ? { type: 'Ready', status: 'False', reason: 'UnhealthyDependents' }
      : { type: 'Ready', status: 'Unknown', reason: 'AwaitingReconciliation' };
  list = setCondition(list, { ...ready, observedGeneration: claim.metadata.generation }, nowIso);
  const updated = await ctx.client.patch<NodeClaim>(
    resources.nodeClaims,
    claim.metadata.name ?? '',
    'merge',
    { status: { ...status, conditions: list } },
    { subresource: 'status' },
  );
  ctx.state.informers.nodeClaims.assume(updated);
  return updated;
}

/** The value of a NodeClaim label, or `''`. */
export const claimLabel = (claim: NodeClaim, key: string): string => claim.metadata.labels?.[key] ?? '';
