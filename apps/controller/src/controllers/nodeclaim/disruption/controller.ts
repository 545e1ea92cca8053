import { LABEL_NODEPOOL, consolidatable, detectDrift, type Condition, type Drift, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import { isConditionTrue, setCondition } from '../../../state/conditions.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel } from '../status.js';

/** How often a NodeClaim's drift is looked at again without an event (the cloud provider's answer can change), ms. */
export const DRIFT_RECHECK_MS = 5 * 60_000;

/**
 * `nodeclaim.disruption` (Karpenter's `nodeclaim/disruption`), keyed by NodeClaim name: keeps two status
 * conditions that the disruption loop reads.
 * - `Drifted` (True with the domain's `detectDrift` reason: NodePoolDrifted, RequirementsDrifted,
 *   InstanceTypeNotFound, CloudProviderDrifted) for a Launched NodeClaim that no longer matches its NodePool;
 *   removed when it matches again or is not launched. Instance types come from `CloudProvider.getInstanceTypes`
 *   of the pool; `CloudProvider.isDrifted` is asked too (an error there is logged and counts as no drift).
 * - `Consolidatable` (True once `consolidateAfter` has passed since the last pod event, domain's
 *   `consolidatable`); removed otherwise, with a look-again at the instant it would turn true.
 * NodeClaims being deleted are left alone. The status write carries the resourceVersion it was computed from.
 */
export function nodeClaimDisruption(ctx: ControllerContext): Controller {
  const log = ctx.log.child({ controller: 'nodeclaim.disruption' });
  return {
    name: 'nodeclaim.disruption',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) return;
      const poolName = claimLabel(claim, LABEL_NODEPOOL);
      const pool = ctx.state.nodePool(poolName);
      if (!pool) return;
      const nowMs = ctx.clock.now();
      const node = ctx.state.nodeForNodeClaim(claim);

      let drift: Drift | undefined;
      if (isConditionTrue(claim, 'Launched')) {
        const instanceTypes = await ctx.cloudProvider.getInstanceTypes(pool.nodePool);
        let cloudProviderReason: string | undefined;
        try {
          cloudProviderReason = await ctx.cloudProvider.isDrifted(claim);
        } catch (error) {
          log.debug({ err: error, NodeClaim: ref(name) }, 'cloud provider drift check failed');
        }
        drift = detectDrift({ nodeClaim: claim, ...(node ? { node } : {}), nodePool: pool.nodePool, instanceTypes, ...(cloudProviderReason ? { cloudProviderReason } : {}) });
      }
      const consolidation = consolidatable({ nodeClaim: claim, ...(node ? { node } : {}), pods: [] }, pool.nodePool, nowMs);

      const nowIso = new Date(nowMs).toISOString();
      let conditions: Condition[] = claim.status?.conditions ?? [];
      const generation = claim.metadata.generation;
      conditions = drift
        ? setCondition(conditions, { type: 'Drifted', status: 'True', reason: drift.reason, message: drift.message, ...(generation === undefined ? {} : { observedGeneration: generation }) }, nowIso)
        : conditions.filter((c) => c.type !== 'Drifted');
      conditions = consolidation.consolidatable
        ? setCondition(conditions, { type: 'Consolidatable', status: 'True', reason: 'Consolidatable', ...(generation === undefined ? {} : { observedGeneration: generation }) }, nowIso)
        : conditions.filter((c) => c.type !== 'Consolidatable');
      if (JSON.stringify(conditions) !== JSON.stringify(claim.status?.conditions ?? [])) {
        try {
          const updated = await ctx.client.patch<NodeClaim>(
            resources.nodeClaims,
            name,
            'merge',
            { metadata: { resourceVersion: claim.metadata.resourceVersion }, status: { conditions } },
            { subresource: 'status' },
          );
          ctx.state.informers.nodeClaims.assume(updated);
        } catch (error) {
          if (isNotFound(error)) return;
          throw error;
        }
        if (drift && !isConditionTrue(claim, 'Drifted')) {
          log.info({ NodeClaim: ref(name), NodePool: ref(poolName), reason: drift.reason, message: drift.message }, 'marked nodeclaim as drifted');
        }
      }
      const retryAtMs = !consolidation.consolidatable && consolidation.reason === 'ConsolidateAfterPending' ? consolidation.retryAtMs : undefined;
      return { requeueAfterMs: Math.max(1, Math.min(DRIFT_RECHECK_MS, retryAtMs === undefined ? DRIFT_RECHECK_MS : retryAtMs - nowMs)) };
    },
  };
}
