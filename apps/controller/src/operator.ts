import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type {
  CloudProvider,
  DaemonSet,
  EC2NodeClass,
  LimitRange,
  Node,
  NodeClaim,
  NodePool,
  Pod,
  Provisioner,
} from '@karpenter-ts/provisioner-domain';
import type { Logger } from 'pino';
import { nodeClassSupportOf, type NodeClassSupport } from './cloudprovider/nodeclass.js';
import { SimulatedCloudProvider } from './cloudprovider/simulated/simulated.js';
import { newControllers } from './controllers/controllers.js';
import { runControllers } from './controllers/manager.js';
import type { ControllerContext } from './controllers/types.js';
import { Metrics } from './http/metrics.js';
import { startHttpServers, type HttpServers } from './http/server.js';
import type { KubeClient } from './kube/client.js';
import { systemClock, type Clock } from './kube/clock.js';
import { KubeEventRecorder } from './kube/events.js';
import { Informer } from './kube/informer.js';
import { LeaderElector } from './kube/leaderelection.js';
import { resources } from './kube/resources.js';
import { trimNode, trimPod, type InformerTransform } from './kube/transform.js';
import type { Options } from './options.js';
import { ClusterState, allInformers, type ClusterInformers } from './state/cluster.js';

/** Listeners allowed on the operator's stop signals: one per informer, controller queue, timer and loop. */
const MAX_ABORT_LISTENERS = 100;

export interface OperatorDeps {
  options: Options;
  client: KubeClient;
  log: Logger;
  clock?: Clock;
  cloudProvider?: CloudProvider;
  /** Which node class kinds the cloud provider manages; default what `cloudProvider` declares (see nodeClassSupportOf). */
  nodeClasses?: NodeClassSupport;
  metrics?: Metrics;
}

/** A running controller process (see {@link startOperator}). */
export interface Operator {
  state: ClusterState;
  servers: HttpServers;
  /** Resolves when the operator stops on its own (leadership lost), with the exit code to use. */
  done: Promise<number>;
  /** Graceful stop: stop controllers, release the lease, stop informers, close servers. */
  stop(): Promise<void>;
}

/**
 * Wires and starts everything (Karpenter's `operator.NewOperator` + `Start`): informers (list+watch) for pods,
 * nodes, NodePools, NodeClaims, Provisioners, DaemonSets, EC2NodeClasses and LimitRanges; the metrics and health servers (ready once the
 * caches synced); leader election on the `karpenter-leader-election` Lease (unless disabled); and, while
 * leading, every controller and the eviction queue.
 */
export async function startOperator(deps: OperatorDeps): Promise<Operator> {
  const { options, client, log } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? new Metrics();
  const informer = <T extends Pod | Node | NodeClaim | NodePool | Provisioner | DaemonSet | EC2NodeClass | LimitRange>(
    type: (typeof resources)[keyof typeof resources],
    options: { allowMissing?: boolean; transform?: InformerTransform<T> } = {},
  ): Informer<T> => new Informer<T>({ client, type, log, clock, ...options });
  // Pods and Nodes are cached trimmed to the fields the controller reads (kube/transform.ts): they are
  // what grows with the cluster.
  const informers: ClusterInformers = {
    pods: informer<Pod>(resources.pods, { transform: trimPod }),
    nodes: informer<Node>(resources.nodes, { transform: trimNode }),
    nodeClaims: informer<NodeClaim>(resources.nodeClaims),
    nodePools: informer<NodePool>(resources.nodePools),
    provisioners: informer<Provisioner>(resources.provisioners, { allowMissing: true }),
    daemonSets: informer<DaemonSet>(resources.daemonSets),
    ec2NodeClasses: informer<EC2NodeClass>(resources.ec2NodeClasses, { allowMissing: true }),
    limitRanges: informer<LimitRange>(resources.limitRanges),
  };
  const state = new ClusterState(informers);
  const cloudProvider = deps.cloudProvider ?? new SimulatedCloudProvider({ client, nodeClass: (ref) => state.nodeClass(ref) });
  const ctx: ControllerContext = {
    client,
    state,
    cloudProvider,
    nodeClasses: deps.nodeClasses ?? nodeClassSupportOf(cloudProvider),
    log,
    clock,
    metrics,
    options,
    events: new KubeEventRecorder(client, clock, log),
  };

  const informerAbort = new AbortController();
  const informerRuns = allInformers(informers).map((i) => i.run(informerAbort.signal));
  const servers = await startHttpServers({
    metrics,
    log,
    bindAddress: options.bindAddress,
    metricsPort: options.metricsPort,
    healthProbePort: options.healthProbePort,
    ready: () => state.synced,
  });

  const controllersAbort = new AbortController();
  // Every controller queue, informer and timer listens for the stop on these two signals, by design: lift
  // Node's default of 10 listeners (its "possible memory leak" warning) to a bound well above our count.
  setMaxListeners(MAX_ABORT_LISTENERS, informerAbort.signal, controllersAbort.signal);
  const elector = options.disableLeaderElection
    ? undefined
    : new LeaderElector({
        client,
        log,
        clock,
        namespace: options.systemNamespace,
        name: options.leaderElectionName,
        identity: `${hostname()}_${randomBytes(6).toString('hex')}`,
        leaseDurationMs: options.leaderElectionLeaseDurationMs,
        renewDeadlineMs: options.leaderElectionRenewDeadlineMs,
        retryPeriodMs: options.leaderElectionRetryPeriodMs,
      });
  let stopping = false;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const lead = async (): Promise<void> => {
    await Promise.all(allInformers(informers).map((i) => i.waitForSync(controllersAbort.signal)));
    if (elector) {
      metrics.leaderElectionMaster.set({ name: options.leaderElectionName }, 0);
      const acquired = await elector.acquire(controllersAbort.signal);
      if (!acquired) return;
      metrics.leaderElectionMaster.set({ name: options.leaderElectionName }, 1);
      void elector.renewLoop(controllersAbort.signal).then((lost) => {
        if (!lost || stopping) return;
        metrics.leaderElectionMaster.set({ name: options.leaderElectionName }, 0);
        controllersAbort.abort();
        resolveDone(1);
      });
    }
    const set = newControllers(ctx);
    log.info({ controllers: set.registrations.map((r) => r.controller.name) }, 'starting controllers');
    controllersAbort.signal.addEventListener('abort', () => set.stopWatchers(), { once: true });
    await Promise.all([
      runControllers(
        set.registrations,
        {
          log,
          clock,
          defaultConcurrency: options.reconcileConcurrency,
          onReconcile: (controller, result, durationMs) => {
            metrics.reconcileTotal.inc({ controller, result });
            metrics.reconcileDuration.observe({ controller }, durationMs / 1000);
          },
        },
        controllersAbort.signal,
      ),
      set.evictions.run(controllersAbort.signal),
    ]);
  };
  const leading = lead().catch((error: unknown) => {
    if (controllersAbort.signal.aborted) return;
    log.error({ err: error }, 'controllers failed');
    resolveDone(1);
  });

  return {
    state,
    servers,
    done,
    async stop() {
      if (stopping) return;
      stopping = true;
      controllersAbort.abort();
      await leading;
      await elector?.release();
      informerAbort.abort();
      await Promise.allSettled(informerRuns);
      await servers.close();
      resolveDone(0);
    },
  };
}
