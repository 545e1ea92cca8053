import {
  ANNOTATION_NODEPOOL_HASH,
  ANNOTATION_NODEPOOL_HASH_VERSION,
  LABEL_NODEPOOL,
  needsHashRestamp,
  nodePoolHashAnnotations,
  type NodeClaim,
  type NodePool,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import { claimLabel } from '../../nodeclaim/status.js';
import type { Controller, ControllerContext } from '../../types.js';

/**
 * `nodepool.hash` (Karpenter's `nodepool/hash`), keyed by NodePool name:
 * - stamps the NodePool with `karpenter.sh/nodepool-hash` (the domain's `nodePoolTemplateHash` of the pool with
 *   defaults applied) and `karpenter.sh/nodepool-hash-version`, so a person can see what NodeClaims are compared
 *   against;
 * - stamps each NodeClaim of the pool that has no hash or one of another version (and is not already Drifted)
 *   with the pool's current hash: an upgrade of the hash algorithm never drifts nodes.
 * NodeClaims created by the provisioner carry the hash from the start (`nodeClaimFromPlan`). Provisioner-converted
 * pools have no NodePool object to stamp; their NodeClaims are stamped all the same.
 */
export function nodePoolHash(ctx: ControllerContext): Controller {
  return {
    name: 'nodepool.hash',
    async reconcile(name: string): Promise<void> {
      const pool = ctx.state.nodePool(name);
      if (!pool) return;
      const wanted = nodePoolHashAnnotations(pool.nodePool);
      if (pool.source === 'NodePool') {
        const object = ctx.state.informers.nodePools.get(name);
        const current = object?.metadata.annotations ?? {};
        if (object && (current[ANNOTATION_NODEPOOL_HASH] !== wanted[ANNOTATION_NODEPOOL_HASH] || current[ANNOTATION_NODEPOOL_HASH_VERSION] !== wanted[ANNOTATION_NODEPOOL_HASH_VERSION])) {
          try {
            const updated = await ctx.client.patch<NodePool>(resources.nodePools, name, 'merge', { metadata: { annotations: wanted } });
            ctx.state.informers.nodePools.assume(updated);
          } catch (error) {
            if (!isNotFound(error)) throw error;
          }
        }
      }
      for (const claim of ctx.state.nodeClaims()) {
        if (claimLabel(claim, LABEL_NODEPOOL) !== name || claim.metadata.deletionTimestamp || !needsHashRestamp(claim)) continue;
        try {
          const updated = await ctx.client.patch<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '', 'merge', {
            metadata: { resourceVersion: claim.metadata.resourceVersion, annotations: wanted },
          });
          ctx.state.informers.nodeClaims.assume(updated);
          ctx.log.debug({ controller: 'nodepool.hash', NodeClaim: ref(claim.metadata.name), NodePool: ref(name) }, 'stamped nodeclaim with the nodepool hash');
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
    },
  };
}
