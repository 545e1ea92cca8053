import {
  FINALIZER_TERMINATION,
  LABEL_NODEPOOL,
  formatResourceList,
  nodePoolHashAnnotations,
  type NodeClaim,
  type NodeClaimPlan,
} from '@karpenter-ts/provisioner-domain';
import type { ResolvedNodePool } from '../../state/nodepools.js';

/**
 * The NodeClaim object for one scheduling decision, as Karpenter's `NodeClaimTemplate.ToNodeClaim`:
 * generateName `<nodepool>-`, the template's labels and annotations plus `karpenter.sh/nodepool` and the
 * pool's `karpenter.sh/nodepool-hash` with its version (what drift compares against), the plan's
 * requirements (NodePool's narrowed by the pods, instance-type options included), the template's taints,
 * startup taints, nodeClassRef, expireAfter and terminationGracePeriod, `resources.requests` = the pods'
 * requests plus DaemonSet overhead, an owner reference to the NodePool (or Provisioner) and the termination
 * finalizer (so no NodeClaim exists, even briefly, that could be deleted without draining).
 */
export function nodeClaimFromPlan(plan: NodeClaimPlan, pool: ResolvedNodePool): NodeClaim {
  const template = pool.nodePool.spec.template;
  const spec = template.spec;
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: {
      generateName: `${pool.name}-`,
      labels: { ...(template.metadata?.labels ?? {}), [LABEL_NODEPOOL]: pool.name },
      annotations: { ...(template.metadata?.annotations ?? {}), ...nodePoolHashAnnotations(pool.nodePool) },
      ownerReferences: [{ ...pool.owner } as NonNullable<NodeClaim['metadata']['ownerReferences']>[number]],
      finalizers: [FINALIZER_TERMINATION],
    },
    spec: {
      requirements: plan.requirements.map((r) => ({ ...r, values: [...(r.values ?? [])] })),
      resources: { requests: formatResourceList(plan.requests) },
      nodeClassRef: { ...spec.nodeClassRef },
      ...(spec.taints?.length ? { taints: spec.taints } : {}),
      ...(spec.startupTaints?.length ? { startupTaints: spec.startupTaints } : {}),
      ...(spec.expireAfter ? { expireAfter: spec.expireAfter } : {}),
      ...(spec.terminationGracePeriod ? { terminationGracePeriod: spec.terminationGracePeriod } : {}),
    },
  };
}
