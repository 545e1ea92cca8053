import {
  FINALIZER_TERMINATION,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  NodeClaimNotFoundError,
  TAINT_DISRUPTED,
  DRAIN_RECHECK_MS,
  isWaitingEviction,
  parseDuration,
  terminationConditions,
  terminationStep,
  type TerminationCondition,
  type PodDeletion,
  type Node,
  type NodeClaim,
  type Pod,
  type Taint,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { patchNodeClaimStatus } from '../../nodeclaim/status.js';
import { resources } from '../../../kube/resources.js';
import { podList, ref } from '../../../log.js';
import { podKey } from '../../../state/pods.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import type { EvictionQueue } from './eviction.js';

/**
 * `node.termination` (Karpenter's `controllers/node/termination`): for a Node being deleted that carries
 * `karpenter.sh/termination`:
 * 1. deletes its NodeClaim too, so `kubectl delete node` takes the same path as a disruption;
 * 2. taints it `karpenter.sh/disrupted:NoSchedule` ("tainted node");
 * 3. drains it (the domain's `terminationStep`, Karpenter's `terminator.Drain`): the evictable pods (not
 *    DaemonSet, mirror, terminal, terminating, tolerating the disrupted taint, or annotated
 *    `karpenter.sh/do-not-disrupt`) go to the eviction queue, non-critical ones first and
 *    `system-cluster-critical`/`system-node-critical` ones only once no other evictable pod is left (policy/v1 Eviction; PodDisruptionBudgets are
 *    respected, a 429 is retried, never bypassed), and it waits until every waited-for pod is gone —
 *    do-not-disrupt pods included, pods stuck terminating (over a minute past their deletionTimestamp, e.g.
 *    their kubelet is gone) excluded. When the NodeClaim has `spec.terminationGracePeriod`, its deadline
 *    (deletionTimestamp + that period) is enforced: each remaining pod is deleted (bypassing PDBs and
 *    do-not-disrupt) once only its own terminationGracePeriodSeconds is left, with grace period
 *    min(its own, time left) (Karpenter's `DeleteExpiringPods`). Each pod is handed to the queue once per
 *    drain (by uid), so "draining node" is logged once, and again only for pods that arrive on the node later —
 *    not on every look while evicted pods finish terminating (or while the cache has not seen their deletion);
 * 4. waits until no VolumeAttachment names the node (not past the deadline);
 * 5. terminates the instance (`CloudProvider.delete`; NotFound counts as done);
 * 6. removes the finalizer ("deleted node").
 * The NodeClaim reports the progress in Karpenter v1's conditions (the domain's `terminationConditions`):
 * `Drained` (Unknown while pods are waited for), `VolumesDetached` (Unknown while VolumeAttachments remain, False
 * when the deadline cut the wait short) and `InstanceTerminating` (True before the instance is deleted).
 * Events: FailedDraining and TerminationGracePeriodExpiring on the Node while it drains, Disrupted on each pod
 * deleted at the deadline, AwaitingVolumeDetachment while volumes detach.
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

      const nowMs = ctx.clock.now();
      const deadlineMs = terminationDeadlineMs(claim ?? ctx.state.nodeClaimForNode(node));
      const pods = ctx.state.podsOnNode(name);
      const drained = !pods.some((p) => isWaitingEviction(p, nowMs));
      const volumeAttachments = drained ? await volumeAttachmentsOf(ctx, name) : [];
      const step = terminationStep({ pods, nowMs, deadlineMs, evictionRequested: drains.handedOver(name), volumeAttachments });
      await reportTermination(ctx, ctx.state.nodeClaimForNode(node) ?? claim, terminationConditions(step, { volumeAttachments }));
      if (step.phase === 'drain') {
        if (deadlineMs !== undefined) {
          ctx.events.publish({ regarding: node, type: 'Warning', reason: 'TerminationGracePeriodExpiring', message: `All pods will be deleted by ${new Date(deadlineMs).toISOString()}` });
        }
        ctx.events.publish({ regarding: node, type: 'Warning', reason: 'FailedDraining', message: `Failed to drain node, ${step.waitingFor.length} pods are waiting to be evicted` });
        await deleteExpiringPods(ctx, log, step.delete, deadlineMs);
        const toEvict = drains.newPods(name, step.evict.filter((p) => !evictions.has(p)));
        if (toEvict.length > 0) {
          evictions.add(...toEvict);
          log.info({ pods: toEvict.length, Pods: podList(toEvict.map(podKey)) }, 'draining node');
        }
        return { requeueAfterMs: step.requeueAfterMs ?? DRAIN_RECHECK_MS };
      }
      if (step.phase === 'detach-volumes') {
        ctx.events.publish({ regarding: node, type: 'Normal', reason: 'AwaitingVolumeDetachment', message: `Awaiting deletion of ${volumeAttachments.length} VolumeAttachment(s) bound to the node` });
        log.debug({ volumeAttachments }, 'awaiting volume detachment');
        return { requeueAfterMs: step.requeueAfterMs ?? DRAIN_RECHECK_MS };
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
      ctx.metrics.nodesTerminated.inc({ nodepool: nodePool, zone: node.metadata.labels?.[LABEL_TOPOLOGY_ZONE] ?? '' });
      const deletedAt = Date.parse(String(node.metadata.deletionTimestamp));
      if (!Number.isNaN(deletedAt)) ctx.metrics.nodesTerminationDuration.observe({ nodepool: nodePool }, Math.max(0, ctx.clock.now() - deletedAt) / 1000);
      drains.end(name);
      log.info({}, 'deleted node');
    },
  };
}

/**
 * Writes the termination conditions to the NodeClaim's status when one differs (status, reason or message) from
 * what it shows; a NodeClaim already gone is fine (the node terminates all the same).
 */
async function reportTermination(ctx: ControllerContext, claim: NodeClaim | undefined, conditions: readonly TerminationCondition[]): Promise<void> {
  if (!claim) return;
  const current = claim.status?.conditions ?? [];
  const changed = conditions.some((c) => {
    const now = current.find((x) => x.type === c.type);
    return now?.status !== c.status || now.reason !== c.reason || (now.message ?? '') !== c.message;
  });
  if (!changed) return;
  try {
    await patchNodeClaimStatus(ctx, claim, {}, conditions);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
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

  /** Identities (uid, else namespace/name) of the pods handed over in the node's drain so far. */
  handedOver(nodeName: string): ReadonlySet<string> {
    return this.handed.get(nodeName) ?? new Set();
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
 * The NodeClaim's termination deadline, ms since epoch: its deletionTimestamp plus `spec.terminationGracePeriod`
 * (Karpenter's `nodeclaim.TerminationGracePeriod` annotation holds the same instant). Undefined when it is not
 * deleting or has no terminationGracePeriod: the drain then waits as long as it takes.
 */
export function terminationDeadlineMs(claim: NodeClaim | undefined): number | undefined {
  const deletedMs = Date.parse(String(claim?.metadata.deletionTimestamp ?? ''));
  const period = claim?.spec.terminationGracePeriod;
  const periodMs = period ? parseDuration(period) : undefined;
  if (Number.isNaN(deletedMs) || typeof periodMs !== 'number') return undefined;
  return deletedMs + periodMs;
}

/** Deletes the pods whose deletion is due under the deadline (the step's `delete`), each with its grace period. */
async function deleteExpiringPods(ctx: ControllerContext, log: ControllerContext['log'], deletions: readonly PodDeletion[], deadlineMs: number | undefined): Promise<void> {
  if (deadlineMs === undefined) return;
  for (const { pod, gracePeriodSeconds } of deletions) {
    const { name = '', namespace = '' } = pod.metadata;
    const deadline = new Date(deadlineMs).toISOString();
    ctx.events.publish({
      regarding: { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata },
      type: 'Normal',
      reason: 'Disrupted',
      message: `Deleting the pod to accommodate the terminationTime ${deadline} of the node. The pod was granted ${gracePeriodSeconds} seconds of grace-period of its ${pod.spec.terminationGracePeriodSeconds ?? 30} terminationGracePeriodSeconds. This bypasses the PDB of the pod and the do-not-disrupt annotation.`,
    });
    try {
      await ctx.client.delete(resources.pods, name, { namespace, gracePeriodSeconds, ...(pod.metadata.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) });
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    log.info(
      { Pod: { name, namespace }, 'pod.terminationGracePeriodSeconds': pod.spec.terminationGracePeriodSeconds ?? 30, 'delete.gracePeriodSeconds': gracePeriodSeconds, 'nodeclaim.expirationTime': deadline },
      'deleting pod',
    );
  }
}

/** A VolumeAttachment as far as the drain reads it. */
interface VolumeAttachment {
  metadata: { name?: string };
  spec?: { nodeName?: string };
}

/**
 * Names of the VolumeAttachments still bound to the node (storage.k8s.io/v1, listed once the pods are gone):
 * the instance is only terminated once the CSI drivers have detached its volumes (Karpenter's
 * `VolumesDetached` wait), or once the NodeClaim's terminationGracePeriod has run out.
 */
async function volumeAttachmentsOf(ctx: ControllerContext, nodeName: string): Promise<string[]> {
  const { items } = await ctx.client.list<VolumeAttachment>(resources.volumeAttachments);
  return items.filter((va) => va.spec?.nodeName === nodeName).map((va) => va.metadata.name ?? '');
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
    if (claim?.metadata.name) ctx.state.markInstanceTerminating(claim.metadata.name, ctx.clock.now());
  } catch (error) {
    if (!(error instanceof NodeClaimNotFoundError)) throw error;
  }
}
