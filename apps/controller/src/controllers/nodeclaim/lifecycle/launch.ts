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
import { findCondition, isConditionTrue } from '../../../state/conditions.js';
import type { ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel, patchNodeClaimStatus } from '../status.js';
import { disruptedLabels } from '../disrupted-labels.js';

/**
 * Launch (Karpenter's `lifecycle/launch.go`): calls `CloudProvider.create` for the NodeClaim, writes the
 * resolved labels (instance type, zone, capacity type) on the NodeClaim and providerID, capacity, allocatable,
 * imageID and `Launched=True` on its status.
 *
 * Failures, as Karpenter's `Launch.Reconcile` and `Liveness.Reconcile`:
 * - InsufficientCapacityError: the NodeClaim is deleted so that its pods are provisioned again elsewhere (the
 *   provider has marked the offerings it tried unavailable, see `UnavailableOfferings`).
 * - Any other error: `Launched=False` with the error's reason and message, and the error is thrown so the work
 *   queue retries this NodeClaim with per-key exponential backoff. (The status write does not wake the
 *   lifecycle again when only the message changed: see `lifecycleShouldWake`.)
 * - A NodeClaim still not launched `launchTimeoutMs` (5 min, Karpenter's `LaunchTimeout`, counted there from
 *   the Launched condition set at creation; here from `creationTimestamp`) is deleted ("terminating due to timeout", reason
 *   `launch_timeout`); its pods become provisionable again and the provisioner plans new capacity.
 */
export async function launch(ctx: ControllerContext, claim: NodeClaim): Promise<{ claim?: NodeClaim; result?: ReconcileResult }> {
  if (isConditionTrue(claim, 'Launched')) return { claim };
  const log = ctx.log.child({ controller: 'nodeclaim.lifecycle', NodeClaim: ref(claim.metadata.name), NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)) });
  const sinceMs = launchClockStartMs(claim);
  if (sinceMs !== undefined && ctx.clock.now() - sinceMs >= ctx.options.launchTimeoutMs) {
    log.error({ timeout: `${ctx.options.launchTimeoutMs}ms`, reason: 'launch_timeout' }, 'terminating due to timeout');
    ctx.events.publish({ regarding: claim, type: 'Warning', reason: 'LaunchTimeout', message: `NodeClaim ${claim.metadata.name ?? ''} did not launch within ${ctx.options.launchTimeoutMs / 1000}s; deleting it so that its pods are provisioned again` });
    ctx.metrics.nodeClaimsDisrupted.inc(disruptedLabels(ctx, claim, 'launch_timeout'));
    await deleteClaim(ctx, claim);
    return { result: {} };
  }
  const started = performance.now();
  let launched: NodeClaim;
  try {
    launched = await ctx.cloudProvider.create(claim);
    ctx.metrics.cloudProviderDuration.observe({ controller: 'nodeclaim.lifecycle', method: 'Create', provider: ctx.cloudProvider.name }, (performance.now() - started) / 1000);
  } catch (error) {
    // Karpenter's error label: the CloudProvider error's type name, `unknown` for any other error.
    const code = error instanceof InsufficientCapacityError || error instanceof NodeClassNotReadyError || error instanceof CreateError ? error.constructor.name : 'unknown';
    ctx.metrics.cloudProviderDuration.observe({ controller: 'nodeclaim.lifecycle', method: 'Create', provider: ctx.cloudProvider.name }, (performance.now() - started) / 1000);
    ctx.metrics.cloudProviderErrors.inc({ controller: 'nodeclaim.lifecycle', method: 'Create', provider: ctx.cloudProvider.name, error: code });
    if (error instanceof InsufficientCapacityError) {
      log.error({ err: error }, 'failed launching nodeclaim');
      ctx.events.publish({ regarding: claim, type: 'Warning', reason: 'InsufficientCapacityError', message: `NodeClaim ${claim.metadata.name ?? ''} event: ${error.message}` });
      await deleteClaim(ctx, claim);
      return { result: {} };
    }
    const reason = error instanceof CreateError ? error.reason : error instanceof NodeClassNotReadyError ? 'NodeClassNotReady' : 'LaunchFailed';
    const message = error instanceof Error ? error.message : String(error);
    await patchNodeClaimStatus(ctx, claim, {}, [{ type: 'Launched', status: 'False', reason, message: message.slice(0, 1024) }]);
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

/** When the launch timeout started: the NodeClaim's creation (else its Launched condition's last transition). */
function launchClockStartMs(claim: NodeClaim): number | undefined {
  const launched = findCondition(claim, 'Launched');
  const parsed = Date.parse(String(claim.metadata.creationTimestamp || launched?.lastTransitionTime || ''));
  return Number.isNaN(parsed) ? undefined : parsed;
}

async function deleteClaim(ctx: ControllerContext, claim: NodeClaim): Promise<void> {
  try {
    await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}
