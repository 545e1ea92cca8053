import { FINALIZER_TERMINATION, LABEL_CAPACITY_TYPE, LABEL_NODEPOOL, LABEL_TOPOLOGY_ZONE, NodeClaimNotFoundError, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import type { ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel } from '../status.js';

/**
 * Finalizes a NodeClaim being deleted that carries `karpenter.sh/termination` (Karpenter's
 * `nodeclaim/lifecycle` `Controller.finalize`, which runs inside the lifecycle reconciler): deletes its Node
 * (whose own finalizer drains it) and waits until the Node is gone, makes sure the instance is terminated
 * (`CloudProvider.delete` until NotFound), then removes the finalizer ("deleted nodeclaim"). Called by
 * `nodeclaim.lifecycle` on the same work-queue key as the launch, so a launch in flight always finishes (and
 * records its providerID) before finalization looks for the instance to terminate. No-op for a NodeClaim that
 * is not being deleted or no longer carries the finalizer.
 */
export async function finalizeNodeClaim(ctx: ControllerContext, claim: NodeClaim): Promise<ReconcileResult | void> {
  const name = claim.metadata.name ?? '';
  if (!claim.metadata.deletionTimestamp || !(claim.metadata.finalizers ?? []).includes(FINALIZER_TERMINATION)) return;
  const node = ctx.state.nodeForNodeClaim(claim) ?? (claim.status?.nodeName ? ctx.state.node(claim.status.nodeName) : undefined);
  if (node) {
    if (!node.metadata.deletionTimestamp) {
      try {
        await ctx.client.delete(resources.nodes, node.metadata.name ?? '');
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return; // the Node's deletion event wakes us
  }
  if (claim.status?.providerID || claim.metadata.name) {
    try {
      await ctx.cloudProvider.delete(claim);
      ctx.state.markInstanceTerminating(name, ctx.clock.now()); // first accepted request (Karpenter's InstanceTerminating)
      return { requeueAfterMs: 1_000 }; // termination started; look again until the provider reports NotFound
    } catch (error) {
      if (!(error instanceof NodeClaimNotFoundError)) throw error;
    }
  }
  const nodePool = claimLabel(claim, LABEL_NODEPOOL);
  const terminatingSince = ctx.state.takeInstanceTerminationSince(name);
  if (terminatingSince !== undefined) ctx.metrics.nodeClaimsInstanceTerminationDuration.observe({ nodepool: nodePool }, Math.max(0, ctx.clock.now() - terminatingSince) / 1000);
  await removeFinalizer(ctx, claim);
  const deletedAtMs = Date.parse(String(claim.metadata.deletionTimestamp));
  if (!Number.isNaN(deletedAtMs)) ctx.metrics.nodeClaimsTerminationDuration.observe({ nodepool: nodePool }, Math.max(0, ctx.clock.now() - deletedAtMs) / 1000);
  ctx.metrics.nodeClaimsTerminated.inc({ nodepool: claimLabel(claim, LABEL_NODEPOOL), capacity_type: claimLabel(claim, LABEL_CAPACITY_TYPE), zone: claimLabel(claim, LABEL_TOPOLOGY_ZONE) });
  ctx.log.info(
    { controller: 'nodeclaim.lifecycle', NodeClaim: ref(name), NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)), Node: ref(claim.status?.nodeName), 'provider-id': claim.status?.providerID },
    'deleted nodeclaim',
  );
}

async function removeFinalizer(ctx: ControllerContext, claim: NodeClaim): Promise<void> {
  const finalizers = (claim.metadata.finalizers ?? []).filter((f) => f !== FINALIZER_TERMINATION);
  try {
    const updated = await ctx.client.patch<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '', 'merge', {
      metadata: { resourceVersion: claim.metadata.resourceVersion, finalizers },
    });
    ctx.state.informers.nodeClaims.assume(updated);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
