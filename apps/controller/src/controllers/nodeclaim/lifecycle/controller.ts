import { FINALIZER_TERMINATION, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { resources } from '../../../kube/resources.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { initialize } from './initialization.js';
import { launch } from './launch.js';
import { register } from './registration.js';

type Step = (ctx: ControllerContext, claim: NodeClaim) => Promise<{ claim?: NodeClaim; result?: ReconcileResult }>;

/** Launch → registration → initialization, each step a no-op once its condition is True. */
const steps: readonly Step[] = [launch, register, initialize];

/**
 * `nodeclaim.lifecycle`: drives one NodeClaim from created to Initialized (Karpenter's
 * `controllers/nodeclaim/lifecycle`). Keyed by NodeClaim name; woken by NodeClaim events and by events of the
 * Node with its providerID. Deleted NodeClaims are left to `nodeclaim.termination`.
 */
export function nodeClaimLifecycle(ctx: ControllerContext): Controller {
  return {
    name: 'nodeclaim.lifecycle',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      let claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) return;
      if (!(claim.metadata.finalizers ?? []).includes(FINALIZER_TERMINATION)) {
        claim = await ctx.client.patch<NodeClaim>(resources.nodeClaims, name, 'merge', {
          metadata: { resourceVersion: claim.metadata.resourceVersion, finalizers: [...(claim.metadata.finalizers ?? []), FINALIZER_TERMINATION] },
        });
        ctx.state.informers.nodeClaims.assume(claim);
      }
      for (const step of steps) {
        const out = await step(ctx, claim);
        if (out.result || !out.claim) return out.result;
        claim = out.claim;
      }
    },
  };
}
