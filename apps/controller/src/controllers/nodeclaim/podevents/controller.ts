import { isTerminalPod, isTerminatingPod, timestampMs, type NodeClaim, type Pod } from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';

/**
 * Least time between two writes of `status.lastPodEventTime` on one NodeClaim, ms. Karpenter's dedupe timeout
 * (10 s): pod churn on a busy node costs at most one status write per 10 s. Unlike Karpenter, the last event
 * of a burst is not dropped: it is written when the window ends, and {@link PodEvents} holds it until then.
 */
export const POD_EVENT_WRITE_INTERVAL_MS = 10_000;

/**
 * Pod events (bound to / removed from a node) seen but not yet written to their NodeClaim's
 * `status.lastPodEventTime`, by NodeClaim name. Entries go when written or when the NodeClaim goes, so the map
 * holds at most one entry per live NodeClaim. The emptiness rule reads {@link pendingMs} so that a rate-limited
 * write never makes a node look empty for longer than it has been.
 */
export class PodEvents {
  private readonly latest = new Map<string, number>();

  /** Notes a pod event on `nodeClaim` at `atMs` (keeps the latest). */
  record(nodeClaim: string, atMs: number): void {
    this.latest.set(nodeClaim, Math.max(atMs, this.latest.get(nodeClaim) ?? -Infinity));
  }

  /** The latest unwritten pod event of `nodeClaim`, ms since the Unix epoch. */
  pendingMs(nodeClaim: string): number | undefined {
    return this.latest.get(nodeClaim);
  }

  /** Drops the entry once `writtenMs` covers it (a newer event recorded meanwhile stays). */
  written(nodeClaim: string, writtenMs: number): void {
    const pending = this.latest.get(nodeClaim);
    if (pending !== undefined && pending <= writtenMs) this.latest.delete(nodeClaim);
  }

  forget(nodeClaim: string): void {
    this.latest.delete(nodeClaim);
  }

  get size(): number {
    return this.latest.size;
  }
}

/**
 * Whether an informer change of a pod is a "pod event" for its node, as Karpenter's `nodeclaim.podevents`
 * filters them: a pod bound to a node (added already bound, or `spec.nodeName` set), one of a node's pods turning
 * terminal (Succeeded/Failed) or terminating (deletionTimestamp set), or deleted. Returns the node's name, or
 * `undefined` when the change is not such an event.
 */
export function podEventNode(previous: Pod | undefined, current: Pod | undefined): string | undefined {
  if (!current) return previous?.spec.nodeName || undefined;
  const nodeName = current.spec.nodeName;
  if (!nodeName) return undefined;
  if (!previous) return nodeName;
  const bound = !previous.spec.nodeName;
  const terminal = !isTerminalPod(previous) && isTerminalPod(current);
  const terminating = !isTerminatingPod(previous) && isTerminatingPod(current);
  return bound || terminal || terminating ? nodeName : undefined;
}

/**
 * Feeds `podEvents` from the pod informer and calls `onEvent` with the NodeClaim of each event's node. Adds
 * replayed when subscribing, or seen before the informer's first list, are state rather than events and are
 * skipped (so a restart neither hastens nor resets emptiness). Returns the unsubscribe function.
 */
export function watchPodEvents(ctx: ControllerContext, podEvents: PodEvents, onEvent: (nodeClaim: string) => void): () => void {
  const pods = ctx.state.informers.pods;
  let replaying = true;
  const note = (previous: Pod | undefined, current: Pod | undefined): void => {
    const nodeName = podEventNode(previous, current);
    const node = nodeName ? ctx.state.node(nodeName) : undefined;
    const claim = node ? ctx.state.nodeClaimForNode(node)?.metadata.name : undefined;
    if (!claim) return;
    podEvents.record(claim, ctx.clock.now());
    onEvent(claim);
  };
  const unsubscribe = pods.on({
    onAdd: (pod) => {
      if (!replaying && pods.synced) note(undefined, pod);
    },
    onUpdate: (previous, pod) => note(previous, pod),
    onDelete: (pod) => note(pod, undefined),
  });
  replaying = false;
  return unsubscribe;
}

/**
 * `nodeclaim.podevents` (Karpenter's `controllers/nodeclaim/podevents`): keyed by NodeClaim; writes the latest
 * pod event of its node to `status.lastPodEventTime` (RFC 3339, ms), at most once per
 * {@link POD_EVENT_WRITE_INTERVAL_MS}. The emptiness rule counts `consolidateAfter` from it, so the time survives
 * a restart.
 */
export function nodeClaimPodEvents(ctx: ControllerContext, podEvents: PodEvents): Controller {
  return {
    name: 'nodeclaim.podevents',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const pendingMs = podEvents.pendingMs(name);
      if (pendingMs === undefined) return;
      const claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) {
        podEvents.forget(name);
        return;
      }
      const persistedMs = timestampMs(claim.status?.lastPodEventTime);
      if (persistedMs !== undefined && persistedMs >= pendingMs) {
        podEvents.written(name, persistedMs);
        return;
      }
      const sinceWriteMs = persistedMs === undefined ? Infinity : ctx.clock.now() - persistedMs;
      if (sinceWriteMs < POD_EVENT_WRITE_INTERVAL_MS) return { requeueAfterMs: POD_EVENT_WRITE_INTERVAL_MS - sinceWriteMs };
      try {
        const updated = await ctx.client.patch<NodeClaim>(
          resources.nodeClaims,
          name,
          'merge',
          { status: { lastPodEventTime: new Date(pendingMs).toISOString() } },
          { subresource: 'status' },
        );
        ctx.state.informers.nodeClaims.assume(updated);
      } catch (error) {
        if (!isNotFound(error)) throw error;
        podEvents.forget(name);
        return;
      }
      podEvents.written(name, pendingMs);
    },
  };
}
