import {
  describeResources,
  schedule,
  type InstanceType,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import { podList, ref } from '../../log.js';
import { KubeApiError } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import { poolNotReadyReason, type ResolvedNodePool } from '../../state/nodepools.js';
import { podKey } from '../../state/pods.js';
import { buildSchedulingSnapshot, hasDisplacedPods } from '../../state/snapshot.js';
import type { Controller, ControllerContext, ReconcileResult } from '../types.js';
import { failedSchedulingEvent, nodePoolEvents, nominatedEvent } from './events.js';
import { nodeClaimFromPlan } from './nodeclaim-from-plan.js';

/** The single key of the provisioner's queue: one round covers every pending pod. */
export const PROVISIONER_KEY = 'provisioner';

/** NodeClaims created in parallel per round. */
const CREATE_CONCURRENCY = 10;

/**
 * While provisionable pods remain, the provisioner runs again after this long without any outside event
 * (Karpenter's `provisioning.PodController` requeues every provisionable pod after 10 s and triggers the
 * provisioner). Each such round also renews the nominations of the pods it places on existing nodes.
 */
export const PROVISIONABLE_RECHECK_MS = 10_000;

/** A write that got no answer, or a 5xx: the API server may or may not have applied it. */
function outcomeUnknown(error: unknown): boolean {
  return !(error instanceof KubeApiError) || error.statusCode === 0 || error.statusCode >= 500;
}

/** Look again after this long while cluster state is not synced (Karpenter's provisioner: 1 s). */
const SYNC_RECHECK_MS = 1_000;

/**
 * The provisioner (Karpenter's `provisioner` singleton): runs when a batch window closes. It takes every
 * provisionable pod (and, through the domain's `schedule`, the reschedulable pods of nodes going away, even when
 * nothing is pending), schedules them with the domain's `schedule` against existing nodes, in-flight NodeClaims
 * and the instance types of the NodePools whose `Ready` condition is True, and creates a NodeClaim for each new
 * node the simulation decided on. A pool that is not Ready is skipped with "ignoring nodepool, not ready" (as
 * Karpenter logs it, with the failing conditions), and the FailedScheduling reason of a pod left unschedulable
 * names the skipped pools and why.
 * It never binds pods: kube-scheduler does, once the nodes register.
 *
 * Like Karpenter's `Provisioner.Reconcile`, a round waits until cluster state is synced: the informers have
 * listed, and every NodeClaim not being deleted has launched (has a providerID), so every in-flight NodeClaim
 * is seen with the allocatable of the instance it got (Karpenter's `Cluster.Synced` is false while a tracked
 * NodeClaim has no providerID). A round never plans a second NodeClaim for pods an in-flight one was planned
 * for; while launches fail (a cloud API outage), pods that arrive wait for the in-flight NodeClaims to launch
 * or be given up (launch timeout) instead of buying more. While provisionable pods remain, the round repeats
 * every {@link PROVISIONABLE_RECHECK_MS}.
 */
export function provisioner(ctx: ControllerContext): Controller {
  const log = ctx.log.child({ controller: 'provisioner' });
  /**
   * A NodeClaim create ended without an answer (connection lost, timeout, 5xx: the API server may have stored
   * it) and the cache may never have seen it (its watch was down too): the next round reads the NodeClaims
   * from the API server before planning, so it cannot buy the same capacity twice.
   */
  let unconfirmedCreates = 0;
  /** Since when (ms) rounds have been waiting on cluster sync, and when that was last logged. */
  let unsyncedSinceMs: number | undefined;
  let unsyncedLoggedMs = 0;
  return {
    name: 'provisioner',
    async reconcile(): Promise<ReconcileResult | void> {
      if (!ctx.state.synced) return { requeueAfterMs: SYNC_RECHECK_MS };
      if (unconfirmedCreates > 0) {
        // A failed read throws: the round is retried with backoff and plans nothing meanwhile.
        const { items } = await ctx.client.list<NodeClaim>(resources.nodeClaims);
        for (const claim of items) ctx.state.informers.nodeClaims.assume(claim);
        log.info({ unconfirmed: unconfirmedCreates, nodeclaims: items.length }, 'read nodeclaims from the API server after creates without an answer');
        unconfirmedCreates = 0;
      }
      const unlaunched = ctx.state.nodeClaims().filter((c) => !c.metadata.deletionTimestamp && !c.status?.providerID);
      if (unlaunched.length > 0) {
        const nowMs = ctx.clock.now();
        unsyncedSinceMs ??= nowMs;
        log.debug({ nodeclaims: unlaunched.length }, 'waiting on cluster sync');
        // As Karpenter: after 30 s of waiting, say so every 10 s (e.g. the cloud API fails every launch).
        if (nowMs - unsyncedSinceMs > 30_000 && nowMs - unsyncedLoggedMs > 10_000) {
          unsyncedLoggedMs = nowMs;
          log.error({ duration: `${Math.floor((nowMs - unsyncedSinceMs) / 1000)}s`, NodeClaims: podList(unlaunched.map((c) => c.metadata.name ?? '')) }, 'cluster is waiting on sync for extended duration');
        }
        return { requeueAfterMs: SYNC_RECHECK_MS };
      }
      unsyncedSinceMs = undefined;
      const pods = ctx.state.pendingPods();
      ctx.metrics.schedulingQueueDepth.set({ controller: 'provisioner' }, pods.length);
      // The pods of nodes going away need capacity too (the domain packs them with the pending ones).
      if (pods.length === 0 && !hasDisplacedPods(ctx.state)) return;
      const recheck: ReconcileResult = { requeueAfterMs: PROVISIONABLE_RECHECK_MS };
      const started = ctx.clock.now();
      const { pools: allPools, conflicts } = ctx.state.nodePools();
      for (const name of conflicts) log.error({ NodePool: ref(name) }, 'a NodePool and a Provisioner share this name; the Provisioner is ignored');
      const { pools, ignored } = readyPools(allPools);
      for (const { name, reason } of ignored) log.error({ NodePool: ref(name), reason }, 'ignoring nodepool, not ready');
      const instanceTypes: Record<string, InstanceType[]> = {};
      for (const pool of pools) instanceTypes[pool.name] = await ctx.cloudProvider.getInstanceTypes(pool.nodePool);
      log.info({ Pods: podList(pods.map(podKey)), duration: `${ctx.clock.now() - started}ms` }, 'found provisionable pod(s)');

      const snapshot = buildSchedulingSnapshot({ state: ctx.state, pods, pools, instanceTypes });
      const scheduleStarted = performance.now();
      const result = schedule(snapshot, {});
      ctx.metrics.schedulingDuration.observe({ controller: 'provisioner' }, (performance.now() - scheduleStarted) / 1000);

      const nominateUntil = ctx.clock.now() + Math.max(2 * ctx.options.batchMaxMs, 10_000);
      const reused = result.existingNodes.filter((n) => n.pods.length > 0);
      for (const n of reused) {
        ctx.state.nominate(n.name, n.pods.map(podKey), nominateUntil);
        ctx.state.markPodsSchedulable(n.pods.map(podKey), ctx.clock.now());
        const node = ctx.state.node(n.name);
        const claim = node ? ctx.state.nodeClaimForNode(node) : ctx.state.nodeClaim(n.name);
        for (const pod of n.pods) ctx.events.publish(nominatedEvent(pod, { nodeClaimName: claim?.metadata.name, nodeName: node?.metadata.name }));
      }
      if (reused.length > 0) {
        log.info({ nodes: reused.length, pods: reused.reduce((n, e) => n + e.pods.length, 0) }, 'computed unready node(s) will fit pod(s)');
      }
      // Pools that are not Ready were never tried: say so, or the pod's reason would only blame the others.
      const notTried = ignored.map(({ name, reason }) => `NodePool "${name}" was not considered, it is not ready: ${reason}`).join('; ');
      for (const u of result.unschedulable) {
        const reason = notTried ? `${u.reason}; ${notTried}` : u.reason;
        log.error({ Pod: { name: u.pod.metadata.name, namespace: u.pod.metadata.namespace }, error: reason }, 'could not schedule pod');
        ctx.events.publish(failedSchedulingEvent(u.pod, reason));
      }
      for (const event of nodePoolEvents(result.unschedulable, (name) => ctx.state.informers.nodePools.get(name) ?? ctx.state.informers.provisioners.get(name))) ctx.events.publish(event);
      if (result.nodeClaims.length === 0) return recheck;
      log.info(
        { nodeclaims: result.nodeClaims.length, pods: result.nodeClaims.reduce((n, c) => n + c.pods.length, 0) },
        'computed new nodeclaim(s) to fit pod(s)',
      );

      const byName = new Map(pools.map((p) => [p.name, p]));
      let failures = 0;
      const plans = [...result.nodeClaims];
      const worker = async (): Promise<void> => {
        for (let plan = plans.shift(); plan; plan = plans.shift()) {
          const pool = byName.get(plan.nodePoolName);
          if (!pool) continue;
          try {
            const created = await ctx.client.create<NodeClaim>(resources.nodeClaims, nodeClaimFromPlan(plan, pool));
            ctx.state.informers.nodeClaims.assume(created);
            ctx.state.nominate(created.metadata.name ?? '', plan.pods.map(podKey), nominateUntil);
            ctx.state.markPodsSchedulable(plan.pods.map(podKey), ctx.clock.now());
            ctx.metrics.nodeClaimsCreated.inc({ reason: 'provisioning', nodepool: pool.name, min_values_relaxed: 'false' });
            log.info(
              {
                NodePool: ref(pool.name),
                NodeClaim: ref(created.metadata.name),
                requests: describeResources(plan.requests),
                'instance-types': podList(plan.instanceTypeOptions),
                pods: plan.pods.length,
              },
              'created nodeclaim',
            );
            for (const pod of plan.pods) ctx.events.publish(nominatedEvent(pod, { nodeClaimName: created.metadata.name }));
          } catch (error) {
            failures++;
            if (outcomeUnknown(error)) unconfirmedCreates++;
            log.error({ err: error, NodePool: ref(pool.name) }, 'creating nodeclaim');
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(CREATE_CONCURRENCY, plans.length) }, worker));
      if (failures > 0) throw new Error(`failed to create ${failures} nodeclaim(s)`);
      return recheck;
    },
  };
}

/**
 * Splits pools into those the round may use and those it skips because their `Ready` condition is not True
 * (Karpenter's provisioner filters its NodePools the same way), each skipped one with the reason.
 */
export function readyPools(pools: readonly ResolvedNodePool[]): { pools: ResolvedNodePool[]; ignored: { name: string; reason: string }[] } {
  const ready: ResolvedNodePool[] = [];
  const ignored: { name: string; reason: string }[] = [];
  for (const pool of pools) {
    const reason = poolNotReadyReason(pool);
    if (reason === undefined) ready.push(pool);
    else ignored.push({ name: pool.name, reason });
  }
  return { pools: ready, ignored };
}
