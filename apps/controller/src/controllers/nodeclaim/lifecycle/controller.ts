import { FINALIZER_TERMINATION, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { resources } from '../../../kube/resources.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { finalizeNodeClaim } from './finalize.js';
import { initialize } from './initialization.js';
import { launch } from './launch.js';
import { register } from './registration.js';

type Step = (ctx: ControllerContext, claim: NodeClaim) => Promise<{ claim?: NodeClaim; result?: ReconcileResult }>;

/** Launch → registration → initialization, each step a no-op once its condition is True. */
const steps: readonly Step[] = [launch, register, initialize];

/**
 * `nodeclaim.lifecycle`: drives one NodeClaim from created to Initialized, and finalizes it once deleted
 * (Karpenter's `controllers/nodeclaim/lifecycle`, whose `Reconcile` calls `finalize` for a NodeClaim with a
 * deletionTimestamp). Keyed by NodeClaim name; woken by NodeClaim events and by events of the Node with its
 * providerID. Launch and finalization of one NodeClaim share this controller's work-queue key, which is never
 * processed by two workers at once: a NodeClaim deleted while its launch is in flight is finalized after the
 * launch returned and recorded its providerID, so the launched instance is terminated, never leaked.
 */
export function nodeClaimLifecycle(ctx: ControllerContext): Controller {
  return {
    name: 'nodeclaim.lifecycle',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      let claim = ctx.state.nodeClaim(name);
      if (!claim) return;
      if (claim.metadata.deletionTimestamp) return finalizeNodeClaim(ctx, claim);
      if (!(claim.metadata.finalizers ?? []).includes(FINALIZER_TERMINATION)) {
        claim = await ctx.client.patch<NodeClaim>(resources.nodeClaims, name, 'merge', {
          metadata: { resourceVersion: claim.metadata.resourceVersion, finalizers: [...(claim.metadata.finalizers ?? []), FINALIZER_TERMINATION] },
        });
        ctx.state.informers.nodeClaims.assume(claim);
      }
      for (const step of steps) {
        const out = await step(ctx, claim);
        // Deleted while this step ran (e.g. during the cloud provider's create): finalize on the next pass.
        if (ctx.state.nodeClaim(name)?.metadata.deletionTimestamp) return { requeueAfterMs: 0 };
        if (out.result || !out.claim) return out.result;
        claim = out.claim;
      }
    },
  };
}

/**
 * Whether a NodeClaim update should wake `nodeclaim.lifecycle`: any change except one confined to the text and
 * timestamps of status conditions (a failed launch rewriting its error message). Such a write is the
 * reconciler's own report; reacting to it would retry the launch at once, bypassing the per-NodeClaim backoff
 * (controller-runtime reconcilers filter their own status writes with predicates the same way).
 */
export function lifecycleShouldWake(previous: NodeClaim | undefined, next: NodeClaim): boolean {
  if (!previous) return true;
  const comparable = (c: NodeClaim): string =>
    JSON.stringify({
      ...c,
      metadata: { ...c.metadata, resourceVersion: undefined, managedFields: undefined },
      status: { ...(c.status ?? {}), conditions: (c.status?.conditions ?? []).map((x) => ({ type: x.type, status: x.status, reason: x.reason })) },
    });
  return comparable(previous) !== comparable(next);
}
