import { LABEL_NODEPOOL, isProvisionable, needsHashRestamp, type Node, type NodeClaim, type Pod } from '@karpenter-ts/provisioner-domain';
import type { InformerHandler } from '../kube/informer.js';
import type { KubeObject } from '../kube/client.js';
import { isGoingAway } from '../state/going-away.js';
import { DISRUPTION_KEY, disruption } from './disruption/controller.js';
import type { Registration } from './manager.js';
import { EvictionQueue } from './node/termination/eviction.js';
import { nodeTermination } from './node/termination/controller.js';
import { GARBAGE_COLLECTION_KEY, nodeClaimGarbageCollection } from './nodeclaim/garbagecollection/controller.js';
import { lifecycleShouldWake, nodeClaimLifecycle } from './nodeclaim/lifecycle/controller.js';
import { PodEvents, nodeClaimPodEvents, watchPodEvents } from './nodeclaim/podevents/controller.js';
import { claimLabel } from './nodeclaim/status.js';
import { nodePoolCounter } from './nodepool/counter/controller.js';
import { nodePoolHash } from './nodepool/hash/controller.js';
import { nodeClaimDisruption } from './nodeclaim/disruption/controller.js';
import { nodeClaimExpirationController } from './nodeclaim/expiration/controller.js';
import { nodePoolReadiness, readinessKey } from './nodepool/readiness/controller.js';
import { poolNodeClass, usesNodeClass } from './nodepool/readiness/nodeclass.js';
import { watchPodMetrics } from './pod/metrics/controller.js';
import { stateMetricsSource } from './metrics/state.js';
import { Batcher } from './provisioning/batcher.js';
import { PROVISIONER_KEY, provisioner } from './provisioning/provisioner.js';
import type { ControllerContext } from './types.js';

/** Every controller of the process, what wakes each one, and the helpers they share. */
export interface ControllerSet {
  registrations: Registration[];
  /** The drain's eviction queue; run it beside the controllers. */
  evictions: EvictionQueue;
  batcher: Batcher;
  /** Subscriptions that are not controllers (metrics); call to stop. */
  stopWatchers: () => void;
}

/** Subscribes `handler` to add/update/delete of an informer; returns the unsubscribe function. */
function onAny<T extends KubeObject>(informer: { on(h: InformerHandler<T>): () => void }, handler: (object: T, previous?: T) => void): () => void {
  return informer.on({ onAdd: (o) => handler(o), onUpdate: (p, o) => handler(o, p), onDelete: (o) => handler(o) });
}

const combine = (...stops: (() => void)[]): (() => void) => () => stops.forEach((s) => s());

/**
 * The controllers, as Karpenter's `controllers.NewControllers`: provisioner (batched), nodeclaim.lifecycle
 * (which also finalizes deleted NodeClaims, as Karpenter's), nodeclaim.podevents, nodeclaim.garbagecollection,
 * node.termination, disruption (the singleton loop), nodepool.readiness, nodepool.counter, nodepool.hash,
 * nodeclaim.disruption, nodeclaim.expiration, the cloud provider's own (`providerControllers`), plus pod metrics.
 * nodeclaim.podevents and disruption share the pod events not yet written to NodeClaims.
 */
export function newControllers(ctx: ControllerContext, providerControllers?: (ctx: ControllerContext) => Registration[]): ControllerSet {
  const { informers } = ctx.state;
  const claimOfNode = (node: Node): string | undefined => ctx.state.nodeClaimForNode(node)?.metadata.name;
  /** Enqueues the NodeClaim behind any Node event (controllers keyed by NodeClaim name). */
  const onNodeOfClaim = (enqueue: (key: string) => void) =>
    onAny<Node>(informers.nodes, (n) => {
      const claim = claimOfNode(n);
      if (claim) enqueue(claim);
    });
  const evictions = new EvictionQueue({ client: ctx.client, clock: ctx.clock, log: ctx.log.child({ controller: 'node.termination' }), metrics: ctx.metrics, events: ctx.events });
  let flush: () => void = () => undefined;
  const podEvents = new PodEvents();
  const batcher = new Batcher({ idleMs: ctx.options.batchIdleMs, maxMs: ctx.options.batchMaxMs, clock: ctx.clock, onFlush: () => flush() });

  const registrations: Registration[] = [
    {
      controller: provisioner(ctx),
      concurrency: 1,
      watch: (enqueue) => {
        flush = () => enqueue(PROVISIONER_KEY);
        return combine(
          informers.pods.on({ onAdd: (p: Pod) => isProvisionable(p) && batcher.trigger(), onUpdate: (_, p: Pod) => isProvisionable(p) && batcher.trigger() }),
          informers.nodePools.on({ onAdd: () => batcher.trigger(), onUpdate: () => batcher.trigger() }),
          informers.provisioners.on({ onAdd: () => batcher.trigger(), onUpdate: () => batcher.trigger() }),
          // A node that starts going away: its pods need capacity before they are evicted (Karpenter's
          // provisioner packs them with the pending pods).
          informers.nodes.on({ onUpdate: (previous: Node, n: Node) => isGoingAway(n) && !isGoingAway(previous) && batcher.trigger() }),
          informers.nodeClaims.on({ onUpdate: (previous: NodeClaim, c: NodeClaim) => Boolean(c.metadata.deletionTimestamp) && !previous.metadata.deletionTimestamp && batcher.trigger() }),
          () => batcher.stop(),
        );
      },
    },
    {
      // Launch and finalization share this queue's per-NodeClaim key, so they never run at the same time.
      controller: nodeClaimLifecycle(ctx),
      watch: (enqueue) =>
        combine(
          informers.nodeClaims.on({
            onAdd: (c) => c.metadata.name && enqueue(c.metadata.name),
            onUpdate: (previous, c) => lifecycleShouldWake(previous, c) && c.metadata.name && enqueue(c.metadata.name),
            onDelete: (c) => c.metadata.name && enqueue(c.metadata.name),
          }),
          onNodeOfClaim(enqueue),
        ),
    },
    {
      controller: nodeClaimPodEvents(ctx, podEvents),
      watch: (enqueue) => watchPodEvents(ctx, podEvents, enqueue),
    },
    {
      controller: nodeClaimGarbageCollection(ctx),
      concurrency: 1,
      // A singleton that asks for its next pass itself; start the first one now.
      watch: (enqueue) => {
        enqueue(GARBAGE_COLLECTION_KEY);
        return () => undefined;
      },
    },
    {
      controller: nodeTermination(ctx, evictions),
      watch: (enqueue) =>
        combine(
          onAny<Node>(informers.nodes, (n) => n.metadata.deletionTimestamp && n.metadata.name && enqueue(n.metadata.name)),
          onAny<Pod>(informers.pods, (p) => {
            const nodeName = p.spec.nodeName;
            if (nodeName && ctx.state.node(nodeName)?.metadata.deletionTimestamp) enqueue(nodeName);
          }),
        ),
    },
    {
      // The singleton disruption loop (issue 12): it polls every DISRUPTION_POLL_PERIOD by requeueing itself.
      controller: disruption(ctx, podEvents),
      concurrency: 1,
      watch: (enqueue) => {
        enqueue(DISRUPTION_KEY);
        return () => undefined;
      },
    },
    {
      controller: nodePoolReadiness(ctx),
      watch: (enqueue) =>
        combine(
          onAny(informers.nodePools, (np) => np.metadata.name && enqueue(readinessKey('NodePool', np.metadata.name))),
          onAny(informers.provisioners, (p) => p.metadata.name && enqueue(readinessKey('Provisioner', p.metadata.name))),
          // Karpenter's NodeClassEventHandler: a node class change wakes the pools that reference it.
          onAny(informers.ec2NodeClasses, (nodeClass) => {
            const ref = { group: informers.ec2NodeClasses.type.group, kind: informers.ec2NodeClasses.type.kind, name: nodeClass.metadata.name ?? '' };
            for (const np of informers.nodePools.list()) if (np.metadata.name && usesNodeClass(poolNodeClass('NodePool', np), ref)) enqueue(readinessKey('NodePool', np.metadata.name));
            for (const p of informers.provisioners.list()) if (p.metadata.name && usesNodeClass(poolNodeClass('Provisioner', p), ref)) enqueue(readinessKey('Provisioner', p.metadata.name));
          }),
        ),
    },
    {
      controller: nodePoolCounter(ctx),
      watch: (enqueue) =>
        combine(
          onAny<NodeClaim>(informers.nodeClaims, (c) => {
            const pool = claimLabel(c, LABEL_NODEPOOL);
            if (pool) enqueue(pool);
          }),
          onAny(informers.nodePools, (np) => np.metadata.name && enqueue(np.metadata.name)),
          onAny(informers.provisioners, (p) => p.metadata.name && enqueue(p.metadata.name)),
        ),
    },
    // issue 12 (helper dnode): drift and Consolidatable conditions, NodePool hash stamping, expiration.
    {
      controller: nodePoolHash(ctx),
      watch: (enqueue) =>
        combine(
          onAny(informers.nodePools, (np) => np.metadata.name && enqueue(np.metadata.name)),
          onAny(informers.provisioners, (p) => p.metadata.name && enqueue(p.metadata.name)),
          onAny<NodeClaim>(informers.nodeClaims, (c) => {
            const pool = claimLabel(c, LABEL_NODEPOOL);
            if (pool && !c.metadata.deletionTimestamp && needsHashRestamp(c)) enqueue(pool);
          }),
        ),
    },
    {
      controller: nodeClaimDisruption(ctx),
      watch: (enqueue) =>
        combine(
          onAny<NodeClaim>(informers.nodeClaims, (c) => c.metadata.name && enqueue(c.metadata.name)),
          onNodeOfClaim(enqueue),
          onAny(informers.nodePools, (np) => {
            for (const c of ctx.state.nodeClaims()) if (claimLabel(c, LABEL_NODEPOOL) === np.metadata.name && c.metadata.name) enqueue(c.metadata.name);
          }),
          onAny(informers.provisioners, (p) => {
            for (const c of ctx.state.nodeClaims()) if (claimLabel(c, LABEL_NODEPOOL) === p.metadata.name && c.metadata.name) enqueue(c.metadata.name);
          }),
        ),
    },
    {
      controller: nodeClaimExpirationController(ctx),
      watch: (enqueue) => onAny<NodeClaim>(informers.nodeClaims, (c) => c.metadata.name && !c.metadata.deletionTimestamp && enqueue(c.metadata.name)),
    },
  ];
  // The cloud provider's own controllers (e.g. AWS: ec2nodeclass.status, interruption).
  registrations.push(...(providerControllers?.(ctx) ?? []));
  const stopPodMetrics = watchPodMetrics(ctx);
  ctx.metrics.setStateSource(stateMetricsSource(ctx.state)); // issue 14 (helper obs): state gauges
  const stopWatchers = (): void => {
    stopPodMetrics();
    ctx.metrics.setStateSource(undefined);
  };
  return { registrations, evictions, batcher, stopWatchers };
}
