import { LABEL_NODEPOOL, NodeClaimNotFoundError, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import { isConditionTrue } from '../../../state/conditions.js';
import { isNodeReady } from '../../../state/snapshot.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel } from '../status.js';

/** The single key of the garbage collector's queue: one pass covers every instance and NodeClaim. */
export const GARBAGE_COLLECTION_KEY = 'garbagecollection';

/** An instance with no NodeClaim is left alone this long after its creation, ms (Karpenter AWS: 30 s). */
export const INSTANCE_GRACE_PERIOD_MS = 30_000;

/** Pass period: every 10 s for the first 20 passes after start, then every 2 min (Karpenter AWS's cadence). */
export const FAST_PERIOD_MS = 10_000;
export const SLOW_PERIOD_MS = 120_000;
const FAST_PASSES = 20;

/**
 * `nodeclaim.garbagecollection`: reconciles the cloud provider's instances with the cluster's NodeClaims in both
 * directions, so no instance is paid for without a NodeClaim and no NodeClaim stands for an instance that is gone.
 *
 * - Instances `CloudProvider.list()` reports (not being deleted) whose providerID no NodeClaim carries, created
 *   more than {@link INSTANCE_GRACE_PERIOD_MS} ago, are terminated with `CloudProvider.delete`, and their Node,
 *   if one registered, is deleted ("garbage collected cloudprovider instance"). Mirrors Karpenter AWS's
 *   `nodeclaim.garbagecollection` `Controller.Reconcile`/`garbageCollect` (the grace covers a launch whose
 *   NodeClaim status write has not landed yet). Instances without a creation time are never collected.
 * - NodeClaims that launched (have a providerID), are not being deleted and whose instance is missing from the
 *   list are checked with `CloudProvider.get`; on NodeClaimNotFoundError the NodeClaim is deleted (its pods are
 *   provisioned again), unless its Node is still Ready, since a running kubelet proves the instance exists.
 *   Mirrors Karpenter's core `nodeclaim.garbagecollection` ("garbage collecting nodeclaim with no cloudprovider
 *   representation"), which waits for Registered; here any launched NodeClaim qualifies once `get` confirms.
 *
 * Runs as a singleton: it lists everything itself and asks to run again after its period.
 */
export function nodeClaimGarbageCollection(ctx: ControllerContext): Controller {
  const log = ctx.log.child({ controller: 'nodeclaim.garbagecollection' });
  let passes = 0;
  return {
    name: 'nodeclaim.garbagecollection',
    async reconcile(): Promise<ReconcileResult | void> {
      if (!ctx.state.synced) return { requeueAfterMs: 1_000 };
      // List instances before reading NodeClaims: an instance launched after this list cannot be mistaken for an orphan.
      const instances = (await ctx.cloudProvider.list()).filter((i) => !i.metadata.deletionTimestamp && i.status?.providerID);
      const claims = ctx.state.nodeClaims();
      const claimedIDs = new Set(claims.map((c) => c.status?.providerID).filter((id): id is string => Boolean(id)));
      const nowMs = ctx.clock.now();
      const errors: unknown[] = [];
      for (const instance of instances) {
        const providerID = instance.status?.providerID ?? '';
        if (claimedIDs.has(providerID)) continue;
        const createdMs = Date.parse(instance.metadata.creationTimestamp ?? '');
        if (Number.isNaN(createdMs) || nowMs - createdMs <= INSTANCE_GRACE_PERIOD_MS) continue;
        try {
          await collectInstance(ctx, instance);
          log.info({ 'provider-id': providerID }, 'garbage collected cloudprovider instance');
        } catch (error) {
          errors.push(error);
        }
      }
      const listedIDs = new Set(instances.map((i) => i.status?.providerID));
      for (const claim of claims) {
        const providerID = claim.status?.providerID;
        if (!providerID || claim.metadata.deletionTimestamp || listedIDs.has(providerID)) continue;
        try {
          await collectNodeClaim(ctx, claim, providerID, log);
        } catch (error) {
          errors.push(error);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, `garbage collection failed for ${errors.length} object(s)`);
      passes++;
      return { requeueAfterMs: passes <= FAST_PASSES ? FAST_PERIOD_MS : SLOW_PERIOD_MS };
    },
  };
}

async function collectInstance(ctx: ControllerContext, instance: NodeClaim): Promise<void> {
  try {
    await ctx.cloudProvider.delete(instance);
  } catch (error) {
    if (!(error instanceof NodeClaimNotFoundError)) throw error;
  }
  const node = ctx.state.nodes().find((n) => n.spec?.providerID === instance.status?.providerID);
  if (!node?.metadata.name) return;
  try {
    await ctx.client.delete(resources.nodes, node.metadata.name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

async function collectNodeClaim(ctx: ControllerContext, claim: NodeClaim, providerID: string, log: ControllerContext['log']): Promise<void> {
  try {
    await ctx.cloudProvider.get(providerID);
    return; // launched after our list, or the list is eventually consistent: it exists
  } catch (error) {
    if (!(error instanceof NodeClaimNotFoundError)) throw error;
  }
  const node = ctx.state.nodeForNodeClaim(claim);
  if (node && isNodeReady(node)) return;
  try {
    await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '', { preconditions: { uid: claim.metadata.uid ?? '' } });
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return;
  }
  log.info(
    { NodeClaim: ref(claim.metadata.name), NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)), 'provider-id': providerID, registered: isConditionTrue(claim, 'Registered') },
    'garbage collecting nodeclaim with no cloudprovider representation',
  );
}
