import { LABEL_CAPACITY_TYPE, LABEL_NODEPOOL, parseDuration, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import type { ControllerContext } from '../types.js';
import { claimLabel } from './status.js';

/**
 * The labels of `karpenter_nodeclaims_disrupted_total` for a NodeClaim disrupted for `reason`, as Karpenter
 * sets them: `nodepool`, `capacity_type`, `consolidation_policy` (the owning NodePool's policy in snake_case:
 * `when_empty`, `when_empty_or_underutilized`; empty when the pool is gone) and `termination_mode`
 * (`graceful` without a terminationGracePeriod, `eventual` with a positive one, `forceful` with zero).
 */
export function disruptedLabels(ctx: ControllerContext, claim: NodeClaim, reason: string): Record<'reason' | 'nodepool' | 'capacity_type' | 'consolidation_policy' | 'termination_mode', string> {
  const nodepool = claimLabel(claim, LABEL_NODEPOOL);
  const policy = ctx.state.nodePool(nodepool)?.nodePool.spec.disruption?.consolidationPolicy ?? '';
  const grace = claim.spec.terminationGracePeriod === undefined ? undefined : parseDuration(String(claim.spec.terminationGracePeriod));
  const mode = grace === undefined || grace === 'Never' ? 'graceful' : grace > 0 ? 'eventual' : 'forceful';
  return {
    reason,
    nodepool,
    capacity_type: claimLabel(claim, LABEL_CAPACITY_TYPE),
    consolidation_policy: policy.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase(),
    termination_mode: mode,
  };
}
