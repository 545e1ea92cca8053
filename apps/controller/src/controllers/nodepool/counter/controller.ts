import {
  LABEL_NODEPOOL,
  addResources,
  formatResourceList,
  toResourceList,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { claimLabel } from '../../nodeclaim/status.js';

/**
 * `nodepool.counter` (Karpenter's `controllers/nodepool/counter`): writes `status.resources` (the sum of the
 * capacity of the pool's launched NodeClaims, plus `nodes`) and `status.nodes` (their count) on the NodePool;
 * for a v1alpha5 Provisioner, `status.resources` only. Skips the write when nothing changed.
 */
export function nodePoolCounter(ctx: ControllerContext): Controller {
  return {
    name: 'nodepool.counter',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const pool = ctx.state.nodePool(name);
      if (!pool) return;
      const claims = ctx.state.nodeClaims().filter((c: NodeClaim) => claimLabel(c, LABEL_NODEPOOL) === name && c.status?.capacity);
      const total = addResources(...claims.map((c) => toResourceList(c.status?.capacity)));
      const formatted = { ...formatResourceList(total), nodes: String(claims.length) };
      const type = pool.source === 'NodePool' ? resources.nodePools : resources.provisioners;
      const current = (pool.source === 'NodePool' ? ctx.state.informers.nodePools.get(name) : ctx.state.informers.provisioners.get(name))?.status as
        | { resources?: Record<string, string | number>; nodes?: number }
        | undefined;
      const sameResources = JSON.stringify(sortKeys(current?.resources ?? {})) === JSON.stringify(sortKeys(formatted));
      const sameNodes = pool.source !== 'NodePool' || current?.nodes === claims.length;
      if (sameResources && sameNodes) return;
      // A merge patch keeps keys it does not mention: null out resource names that are gone.
      const patchResources: Record<string, string | null> = { ...formatted };
      for (const key of Object.keys(current?.resources ?? {})) if (!(key in formatted)) patchResources[key] = null;
      const status = pool.source === 'NodePool' ? { resources: patchResources, nodes: claims.length } : { resources: patchResources };
      try {
        await ctx.client.patch(type, name, 'merge', { status }, { subresource: 'status' });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    },
  };
}

function sortKeys(map: Record<string, string | number>): [string, string][] {
  return Object.entries(map)
    .map(([k, v]) => [k, String(v)] as [string, string])
    .sort(([a], [b]) => a.localeCompare(b));
}
