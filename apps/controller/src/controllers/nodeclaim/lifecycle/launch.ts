import {
  CreateError,
  InsufficientCapacityError,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  NodeClassNotReadyError,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import { ref } from '../../../log.js';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { isConditionTrue } from '../../../state/conditions.js';
import type { ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel, patchNodeClaimStatus } from '../status.js';

/**
 * Launch (Karpenter's `lifecycle/launch.go`): calls `CloudProvider.create` once per NodeClaim, writes the
 * resolved labels (instance type, zone, capacity type) on the NodeClaim and providerID, capacity, allocatable,
 * imageID and `Launched=True` on its status. On InsufficientCapacityError the NodeClaim is deleted so that its
 * pods are provisioned again elsewhere; NodeClassNotReady and other launch errors set `Launched=False` and
 * retry with backoff.
 */
export async function launch(ctx: ControllerContext, claim: NodeClaim): Promise<{ claim?: NodeClaim; result?: ReconcileResult }> {
  if (isConditionTrue(claim, 'Launched')) return { claim };
  const log = ctx.log.child({ controller: 'nodeclaim.lifecycle', NodeClaim: ref(claim.metadata.name), NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)) });
  const started = performance.now();
  let launched: NodeClaim;
  try {
    launched = await ctx.cloudProvider.create(claim);
    ctx.metrics.cloudProviderDuration.observe({ controller: 'nodeclaim.lifecycle', method: 'Create', provider: ctx.cloudProvider.name, error: '' }, (performance.now() - started) / 1000);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String((error as { code: unknown }).code) : 'Unknown';
    ctx.metrics.cloudProviderDuration.observe({ controller: 'nodeclaim.lifecycle', method: 'Create', provider: ctx.cloudProvider.name, error: code }, (performance.now() - started) / 1000);
    if (error instanceof InsufficientCapacityError) {
      log.error({ err: error }, 'failed launching nodeclaim');
      ctx.events.publish({ regarding: claim, type: 'Warning', reason: 'InsufficientCapacityError', message: `NodeClaim ${claim.metadata.name ?? ''} event: ${error.message}` });
      try {
        await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
      } catch (deleteError) {
        if (!isNotFound(deleteError)) throw deleteError;
      }
      return { result: {} };
    }
    if (error instanceof NodeClassNotReadyError || error instanceof CreateError) {
      const reason = error instanceof CreateError ? error.reason : 'NodeClassNotReady';
      await patchNodeClaimStatus(ctx, claim, {}, [{ type: 'Launched', status: 'False', reason, message: error.message }]);
    }
    throw error;
  }
  const labels = { ...(claim.metadata.labels ?? {}), ...(launched.metadata.labels ?? {}) };
  let current = claim;
  if (Object.entries(labels).some(([k, v]) => claim.metadata.labels?.[k] !== v)) {
    current = await ctx.client.patch<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '', 'merge', { metadata: { labels } });
    ctx.state.informers.nodeClaims.assume(current);
  }
  const status = launched.status ?? {};
  current = await patchNodeClaimStatus(
    ctx,
    current,
    { providerID: status.providerID, imageID: status.imageID, capacity: status.capacity, allocatable: status.allocatable },
    [{ type: 'Launched', status: 'True', reason: 'Launched' }],
  );
  ctx.metrics.nodeClaimsLaunched.inc({ nodepool: claimLabel(current, LABEL_NODEPOOL) });
  log.info(
    {
      'provider-id': status.providerID,
      'instance-type': labels[LABEL_INSTANCE_TYPE],
      zone: labels[LABEL_TOPOLOGY_ZONE],
      'capacity-type': labels[LABEL_CAPACITY_TYPE],
      allocatable: status.allocatable,
    },
    'launched nodeclaim',
  );
  return { claim: current };
}
