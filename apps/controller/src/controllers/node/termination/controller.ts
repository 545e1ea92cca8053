import {
  FINALIZER_TERMINATION,
  LABEL_NODEPOOL,
  NodeClaimNotFoundError,
  TAINT_DISRUPTED,
  isTolerated,
  type Node,
  type NodeClaim,
  type Pod,
  type Taint,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { podList, ref } from '../../../log.js';
import { isDaemonSetPod, isMirrorPod, isEvictable, isTerminal, podKey } from '../../../state/pods.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import type { EvictionQueue } from './eviction.js';

/** How often a drain that waits on pods looks again when no pod event arrives, ms. */
const DRAIN_RECHECK_MS = 5_000;

/**
 * `node.termination` (Karpenter's `controllers/node/termination`): for a Node being deleted that carries
 * `karpenter.sh/termination`:
 * 1. deletes its NodeClaim too, so `kubectl delete node` takes the same path as a disruption;
 * 2. taints it `karpenter.sh/disrupted:NoSchedule` ("tainted node");
 * 3. drains it: every pod except DaemonSet, mirror and terminal pods and pods tolerating the disrupted taint
 *    goes to the eviction queue (policy/v1 Eviction; PodDisruptionBudgets are respected, a 429 is retried,
 *    never bypassed), and it waits until those pods are gone. Each pod is handed to the queue once per drain
 *    (by uid), so "draining node" is logged once, and again only for pods that arrive on the node later —
 *    not on every look while evicted pods finish terminating (or while the cache has not seen their deletion);
 * 4. terminates the instance (`CloudProvider.delete`; NotFound counts as done);
 * 5. removes the finalizer ("deleted node").
 */
export function nodeTermination(ctx: ControllerContext, evictions: EvictionQueue): Controller {
  const drains = new DrainTracker();
  return {
    name: 'node.termination',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      let node = ctx.state.node(name);
      if (!node || !node.metadata.deletionTimestamp || !(node.metadata.finalizers ?? []).includes(FINALIZER_TERMINATION)) {
        drains.end(name);
        return;
      }
      const log = ctx.log.child({ controller: 'node.termination', Node: ref(name), NodePool: ref(node.metadata.labels?.[LABEL_NODEPOOL]) });
      const claim = ctx.state.nodeClaimForNode(node);
      if (claim && !claim.metadata.deletionTimestamp) {
        try {
          await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
      }
      node = await taintDisrupted(ctx, node);

      const remaining = ctx.state.podsOnNode(name).filter((p) => isDrained(p));
      if (remaining.length > 0) {
        const toEvict = drains.newPods(name, remaining.filter((p) => isEvictable(p) && !evictions.has(p)));
        if (toEvict.length > 0) {
          evictions.add(...toEvict);
          log.info({ pods: toEvict.length, Pods: podList(toEvict.map(podKey)) }, 'draining node');
        }
        return { requeueAfterMs: DRAIN_RECHECK_MS };
      }

      await terminateInstance(ctx, claim, node);
      const finalizers = (node.metadata.finalizers ?? []).filter((f) => f !== FINALIZER_TERMINATION);
      try {
        const updated = await ctx.client.patch<Node>(resources.nodes, name, 'merge', {
          metadata: { resourceVersion: node.metadata.resourceVersion, finalizers },
        });
        ctx.state.informers.nodes.assume(updated);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const nodePool = node.metadata.labels?.[LABEL_NODEPOOL] ?? '';
      ctx.metrics.nodesTerminated.inc({ nodepool: nodePool });
      const deletedAt = Date.parse(String(node.metadata.deletionTimestamp));
      if (!Number.isNaN(deletedAt)) ctx.metrics.nodesTerminationDuration.observe({ nodepool: nodePool }, Math.max(0, ctx.clock.now() - deletedAt) / 1000);
      drains.end(name);
      log.info({}, 'deleted node');
    },
  };
}

/**
 * The pods each ongoing drain has already handed to the eviction queue, by node name → pod uid (or
 * namespace/name when a pod has no uid). An eviction the API server accepted leaves the pod running until it
 * terminates, and the informer may not have seen its deletionTimestamp yet: without this record every look
 * at the node would queue and log it again. Entries go when the drain ends or the node is gone.
 */
export class DrainTracker {
  private readonly handed = new Map<string, Set<string>>();

  /** The pods of `candidates` not handed over before in this node's drain; records them as handed over. */
  newPods(nodeName: string, candidates: readonly Pod[]): Pod[] {
    let seen = this.handed.get(nodeName);
    if (!seen) {
      seen = new Set();
      this.handed.set(nodeName, seen);
    }
    const fresh: Pod[] = [];
    for (const pod of candidates) {
      const id = pod.metadata.uid ?? podKey(pod);
      if (seen.has(id)) continue;
      seen.add(id);
      fresh.push(pod);
    }
    return fresh;
  }

  /** Forgets the node's drain (finished, or the node is gone). */
  end(nodeName: string): void {
    this.handed.delete(nodeName);
  }

  /** Nodes with a drain on record (for tests). */
  get size(): number {
    return this.handed.size;
  }
}

/**
 * Pods the drain evicts and waits for (Karpenter's `IsDrainable`): not DaemonSet or mirror pods, not terminal,
 * and not tolerating `karpenter.sh/disrupted:NoSchedule` (such a pod asked to stay until the node goes).
 */
function isDrained(pod: Pod): boolean {
  return !isDaemonSetPod(pod) && !isMirrorPod(pod) && !isTerminal(pod) && !isTolerated(pod.spec.tolerations, TAINT_DISRUPTED as Taint);
}

/** Adds `karpenter.sh/disrupted:NoSchedule` unless present; logs "tainted node" when it does. */
export async function taintDisrupted(ctx: ControllerContext, node: Node): Promise<Node> {
  const taints = node.spec?.taints ?? [];
  if (taints.some((t) => t.key === TAINT_DISRUPTED.key && t.effect === TAINT_DISRUPTED.effect)) return node;
  const taint: Taint = { key: TAINT_DISRUPTED.key, effect: TAINT_DISRUPTED.effect, timeAdded: new Date(ctx.clock.now()).toISOString() };
  const updated = await ctx.client.patch<Node>(resources.nodes, node.metadata.name ?? '', 'merge', {
    metadata: { resourceVersion: node.metadata.resourceVersion },
    spec: { taints: [...taints, taint] },
  });
  ctx.state.informers.nodes.assume(updated);
  ctx.log.info(
    { controller: 'node.termination', Node: ref(node.metadata.name), 'taint.Key': taint.key, 'taint.Value': '', 'taint.Effect': taint.effect },
    'tainted node',
  );
  return updated;
}

/** CloudProvider.delete for the node's instance; already gone is fine. */
async function terminateInstance(ctx: ControllerContext, claim: NodeClaim | undefined, node: Node): Promise<void> {
  if (!claim && !node.spec?.providerID) return;
  const target: NodeClaim =
    claim ??
    ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: node.metadata.name ?? '' },
      spec: { requirements: [], nodeClassRef: { group: '', kind: '', name: '' } },
      status: { providerID: node.spec?.providerID ?? '' },
    } as NodeClaim);
  try {
    await ctx.cloudProvider.delete(target);
  } catch (error) {
    if (!(error instanceof NodeClaimNotFoundError)) throw error;
  }
}
