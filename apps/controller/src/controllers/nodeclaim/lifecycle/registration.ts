import {
  FINALIZER_TERMINATION,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  LABEL_NODE_REGISTERED,
  TAINT_UNREGISTERED,
  sameTaint,
  type Node,
  type NodeClaim,
  type Taint,
} from '@karpenter-ts/provisioner-domain';
import { ref } from '../../../log.js';
import { resources } from '../../../kube/resources.js';
import { findCondition, isConditionTrue } from '../../../state/conditions.js';
import type { ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel, patchNodeClaimStatus } from '../status.js';

/**
 * Registration (Karpenter's `lifecycle/registration.go`): once a Node with the NodeClaim's providerID exists,
 * syncs the NodeClaim's labels (plus `karpenter.sh/registered=true`), taints and startup taints onto it,
 * removes `karpenter.sh/unregistered:NoExecute`, adds the termination finalizer and an owner reference to the
 * NodeClaim, then records `status.nodeName` and `Registered=True`. A launched NodeClaim whose node never
 * registers is deleted after `registrationTtlMs` (Karpenter's liveness, 15 min).
 */
export async function register(ctx: ControllerContext, claim: NodeClaim): Promise<{ claim?: NodeClaim; result?: ReconcileResult }> {
  if (isConditionTrue(claim, 'Registered')) return { claim };
  const name = claim.metadata.name ?? '';
  const log = ctx.log.child({ controller: 'nodeclaim.lifecycle', NodeClaim: ref(name), NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)) });
  const node = ctx.state.nodeForNodeClaim(claim);
  if (!node) {
    const launchedAt = Date.parse(String(findCondition(claim, 'Launched')?.lastTransitionTime ?? ''));
    const waitedMs = Number.isNaN(launchedAt) ? 0 : ctx.clock.now() - launchedAt;
    if (waitedMs >= ctx.options.registrationTtlMs) {
      log.error({ 'provider-id': claim.status?.providerID, ttl: `${ctx.options.registrationTtlMs}ms` }, 'deleting nodeclaim, node failed to register within the registration ttl');
      await ctx.client.delete(resources.nodeClaims, name);
      return { result: {} };
    }
    return { result: { requeueAfterMs: ctx.options.registrationTtlMs - waitedMs } };
  }
  if (node.metadata.deletionTimestamp) return { result: {} };

  const taints: Taint[] = (node.spec?.taints ?? []).filter((t) => !sameTaint(t, TAINT_UNREGISTERED as Taint));
  for (const t of [...(claim.spec.taints ?? []), ...(claim.spec.startupTaints ?? [])] as Taint[]) {
    if (!taints.some((existing) => sameTaint(existing, t))) taints.push({ key: t.key, effect: t.effect, ...(t.value ? { value: t.value } : {}) });
  }
  const finalizers = [...new Set([...(node.metadata.finalizers ?? []), FINALIZER_TERMINATION])];
  const owner = { apiVersion: 'karpenter.sh/v1', kind: 'NodeClaim', name, uid: claim.metadata.uid ?? '', blockOwnerDeletion: true };
  const owners = [...(node.metadata.ownerReferences ?? []).filter((o) => o.uid !== owner.uid), owner];
  const updated = await ctx.client.patch<Node>(resources.nodes, node.metadata.name ?? '', 'merge', {
    metadata: {
      resourceVersion: node.metadata.resourceVersion,
      labels: { ...(claim.metadata.labels ?? {}), [LABEL_NODE_REGISTERED]: 'true' },
      finalizers,
      ownerReferences: owners,
    },
    spec: { taints },
  });
  ctx.state.informers.nodes.assume(updated);
  const current = await patchNodeClaimStatus(ctx, claim, { nodeName: updated.metadata.name }, [{ type: 'Registered', status: 'True', reason: 'Registered' }]);
  ctx.metrics.nodeClaimsRegistered.inc({ nodepool: claimLabel(claim, LABEL_NODEPOOL) });
  ctx.metrics.nodesCreated.inc({ nodepool: claimLabel(claim, LABEL_NODEPOOL), zone: updated.metadata.labels?.[LABEL_TOPOLOGY_ZONE] ?? claimLabel(claim, LABEL_TOPOLOGY_ZONE) });
  log.info({ 'provider-id': claim.status?.providerID, Node: ref(updated.metadata.name) }, 'registered nodeclaim');
  return { claim: current };
}
