import { LABEL_NODEPOOL, nodeClaimExpiration } from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel } from '../status.js';
import { disruptedLabels } from '../disrupted-labels.js';

/**
 * Longest wait before looking at a NodeClaim's expiration again, ms. Timers cannot be set for more than ~24.8
 * days (2^31 - 1 ms), and the default expireAfter is 30 days.
 */
export const EXPIRATION_MAX_WAIT_MS = 60 * 60_000;

/**
 * `nodeclaim.expiration` (Karpenter's `nodeclaim/expiration`), keyed by NodeClaim name: deletes a NodeClaim
 * once `creationTimestamp + spec.expireAfter` has passed (domain's `nodeClaimExpiration`; `Never` never
 * expires). Forceful: no budget, do-not-disrupt or consolidation rule is consulted; termination then drains
 * the node, honouring PodDisruptionBudgets until the NodeClaim's terminationGracePeriod runs out, and the
 * provisioner replaces capacity for the evicted pods. Logs "disrupting nodeclaim(s) via delete" with reason
 * `expired` and counts `karpenter_nodeclaims_disrupted_total{reason="expired"}`. An unreadable expireAfter is
 * logged and never acted on.
 */
export function nodeClaimExpirationController(ctx: ControllerContext): Controller {
  const log = ctx.log.child({ controller: 'nodeclaim.expiration' });
  return {
    name: 'nodeclaim.expiration',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) return;
      const nowMs = ctx.clock.now();
      const expiration = nodeClaimExpiration(claim, nowMs);
      if (expiration.kind === 'never') return;
      if (expiration.kind === 'invalid') {
        log.error({ NodeClaim: ref(name) }, expiration.message);
        return;
      }
      if (expiration.kind === 'pending') return { requeueAfterMs: Math.max(1, Math.min(EXPIRATION_MAX_WAIT_MS, expiration.expiresAtMs - nowMs)) };
      try {
        await ctx.client.delete(resources.nodeClaims, name, claim.metadata.uid ? { preconditions: { uid: claim.metadata.uid } } : {});
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      const nodePool = claimLabel(claim, LABEL_NODEPOOL);
      ctx.metrics.nodeClaimsDisrupted.inc(disruptedLabels(ctx, claim, 'expired'));
      ctx.events.publish({
        regarding: claim,
        type: 'Normal',
        reason: 'Expired',
        message: `NodeClaim expired: expireAfter ${claim.spec.expireAfter ?? '720h'} passed at ${new Date(expiration.expiresAtMs).toISOString()}`,
      });
      log.info(
        { NodeClaim: ref(name), NodePool: ref(nodePool), Node: ref(claim.status?.nodeName), reason: 'expired', 'expiration.time': new Date(expiration.expiresAtMs).toISOString() },
        'disrupting nodeclaim(s) via delete',
      );
    },
  };
}
