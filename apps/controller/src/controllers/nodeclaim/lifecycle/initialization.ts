import {
  LABEL_NODEPOOL,
  LABEL_NODE_INITIALIZED,
  isEphemeralTaint,
  toResourceList,
  type Node,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import { ref } from '../../../log.js';
import { resources } from '../../../kube/resources.js';
import { isConditionTrue } from '../../../state/conditions.js';
import { isNodeReady } from '../../../state/snapshot.js';
import type { ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel, patchNodeClaimStatus } from '../status.js';

/**
 * Why a registered node is not initialized yet, or `undefined` when it is: mirrors Karpenter's
 * `lifecycle/initialization.go` — the Node is Ready, no ephemeral or startup taint remains, and every resource
 * the NodeClaim requested (e.g. `nvidia.com/gpu`) is registered in the node's allocatable.
 */
export function notInitializedReason(claim: NodeClaim, node: Node): string | undefined {
  if (!isNodeReady(node)) return 'NodeNotReady';
  const taints = node.spec?.taints ?? [];
  const ephemeral = taints.find((t) => isEphemeralTaint(t));
  if (ephemeral) return `EphemeralTaint ${ephemeral.key}`;
  const startup = (claim.spec.startupTaints ?? []).find((s) => taints.some((t) => t.key === s.key && t.effect === s.effect));
  if (startup) return `StartupTaint ${startup.key}`;
  const requested = toResourceList(claim.spec.resources?.requests);
  const allocatable = toResourceList(node.status?.allocatable);
  const missing = Object.keys(requested).find((k) => (requested[k] ?? 0) > 0 && !((allocatable[k] ?? 0) > 0));
  if (missing) return `ResourceNotRegistered ${missing}`;
  return undefined;
}

/**
 * Initialization: when {@link notInitializedReason} clears, labels the Node `karpenter.sh/initialized=true` and
 * sets `Initialized=True` on the NodeClaim. Until then it waits for the next Node event.
 */
export async function initialize(ctx: ControllerContext, claim: NodeClaim): Promise<{ claim?: NodeClaim; result?: ReconcileResult }> {
  if (isConditionTrue(claim, 'Initialized')) return { claim };
  const node = ctx.state.nodeForNodeClaim(claim);
  if (!node) return { result: {} };
  const reason = notInitializedReason(claim, node);
  if (reason) {
    if (reason === 'NodeNotReady' || reason.startsWith('EphemeralTaint') || reason.startsWith('StartupTaint')) return { result: {} };
    return { result: { requeueAfterMs: 5_000 } };
  }
  if (node.metadata.labels?.[LABEL_NODE_INITIALIZED] !== 'true') {
    const updated = await ctx.client.patch<Node>(resources.nodes, node.metadata.name ?? '', 'merge', { metadata: { labels: { [LABEL_NODE_INITIALIZED]: 'true' } } });
    ctx.state.informers.nodes.assume(updated);
  }
  const current = await patchNodeClaimStatus(ctx, claim, {}, [{ type: 'Initialized', status: 'True', reason: 'Initialized' }]);
  ctx.metrics.nodeClaimsInitialized.inc({ nodepool: claimLabel(claim, LABEL_NODEPOOL) });
  ctx.log.info(
    {
      controller: 'nodeclaim.lifecycle',
      NodeClaim: ref(claim.metadata.name),
      NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)),
      'provider-id': claim.status?.providerID,
      Node: ref(node.metadata.name),
      allocatable: node.status?.allocatable,
    },
    'initialized nodeclaim',
  );
  return { claim: current };
}
