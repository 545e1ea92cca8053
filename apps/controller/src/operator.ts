import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type {
  CloudProvider,
  DaemonSet,
  EC2NodeClass,
  LimitRange,
  Namespace,
  Node,
  NodeClaim,
  NodePool,
  Pod,
  PodDisruptionBudget,
  Provisioner,
} from '@karpenter-ts/provisioner-domain';
import type { Logger } from 'pino';
import { nodeClassSupportOf, type NodeClassSupport } from './cloudprovider/nodeclass.js';
import { simulatedProviderOptions } from './cloudprovider/simulated/options.js';
import { SimulatedCloudProvider } from './cloudprovider/simulated/simulated.js';
import { newControllers } from './controllers/controllers.js';
import { runControllers, type Registration } from './controllers/manager.js';
import type { ControllerContext } from './controllers/types.js';
import { Metrics } from './http/metrics.js';
import { startHttpServers, type HttpServers } from './http/server.js';
import { ApiAuthenticator } from './http/api/auth.js';
import { ApiHandlers } from './http/api/handlers.js';
import { startApiServer, type ApiServer } from './http/api/server.js';
import { Simulator } from './http/api/simulate.js';
import type { KubeClient } from './kube/client.js';
import { delay, systemClock, type Clock } from './kube/clock.js';
import { KubeEventRecorder } from './kube/events.js';
import { fenced, LeadershipLostError } from './kube/fence.js';
import { Informer } from './kube/informer.js';
import { LeaderElector } from './kube/leaderelection.js';
import { WarmupReporter } from './kube/warmup.js';
import { resources } from './kube/resources.js';
import { trimNamespace, trimNode, trimPod, type InformerTransform } from './kube/transform.js';
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
  /**
   * Builds the cloud provider over the operator's cluster state (the AWS provider reads EC2NodeClasses from it)
   * and names the controllers it brings (node class status, interruption); used when `cloudProvider` is unset.
   */
  cloudProviderFactory?: (deps: { state: ClusterState; clock: Clock; client: KubeClient }) => { cloudProvider: CloudProvider; controllers?: (ctx: ControllerContext) => Registration[] };
  /** Which node class kinds the cloud provider manages; default what `cloudProvider` declares (see nodeClassSupportOf). */
  nodeClasses?: NodeClassSupport;
  metrics?: Metrics;
  /** Leader election identity; default `<hostname>_<random>`. */
  identity?: string;
  /** How long to wait for in-flight reconciles when a leadership term ends, ms. Default the renew deadline. */
  reconcileDrainTimeoutMs?: number;
}

/** A running controller process (see {@link startOperator}). */
export interface Operator {
  state: ClusterState;
  servers: HttpServers;
  /** The read-only API (/api/v1/...) on its own port; served by every replica, leader or not. */
  api: ApiServer;
  /**
   * Resolves when the operator stops: 0 after `stop()`, 1 when a controller loop failed. Losing leadership
   * does not end it (it campaigns again).
   */
  done: Promise<number>;
  /** Graceful stop: stop controllers, release the lease, stop informers, close servers. */
  stop(): Promise<void>;
}

/**
 * Wires and starts everything (Karpenter's `operator.NewOperator` + `Start`): informers (list+watch) for pods,
 * nodes, NodePools, NodeClaims, Provisioners, DaemonSets, EC2NodeClasses and LimitRanges; the metrics and health servers (ready once the
 * caches synced); leader election on the `karpenter-leader-election` Lease (unless disabled); and, while
 * leading, every controller and the eviction queue, on API and cloud handles fenced to the leadership term
 * (calls after the term ends are refused). On losing the lease the term's reconciles are cancelled, awaited
 * up to `reconcileDrainTimeoutMs`, and the operator campaigns again; `stop()` waits for them the same way.
 */
export async function startOperator(deps: OperatorDeps): Promise<Operator> {
  const { options, client, log } = deps;
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics ?? new Metrics();
  // 403s while RBAC propagates and 429s while the API server starts are expected: one info line, not warnings.
  const warmup = new WarmupReporter(log);
  const informer = <T extends Pod | Node | NodeClaim | NodePool | Provisioner | DaemonSet | EC2NodeClass | LimitRange | Namespace | PodDisruptionBudget>(
    type: (typeof resources)[keyof typeof resources],
    options: { allowMissing?: boolean; transform?: InformerTransform<T> } = {},
  ): Informer<T> => new Informer<T>({ client, type, log, clock, warmup, ...options });
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
    namespaces: informer<Namespace>(resources.namespaces, { transform: trimNamespace }),
    podDisruptionBudgets: informer<PodDisruptionBudget>(resources.podDisruptionBudgets),
  };
  const state = new ClusterState(informers);
  const built = deps.cloudProvider ? undefined : deps.cloudProviderFactory?.({ state, clock, client });
  const cloudProvider = deps.cloudProvider ?? built?.cloudProvider ?? new SimulatedCloudProvider({ client, clock, nodeClass: (ref) => state.nodeClass(ref), ...simulatedProviderOptions(options) });
  const recorder = new KubeEventRecorder(client, clock, log);
  const ctx: ControllerContext = {
    client,
    state,
    cloudProvider,
    nodeClasses: deps.nodeClasses ?? nodeClassSupportOf(cloudProvider),
    log,
    clock,
    metrics,
    options,
    events: recorder,
  };

  const informerAbort = new AbortController();
  const informerRuns = allInformers(informers).map((i) => i.run(informerAbort.signal));
  // Set by stop(): /readyz answers 503 while draining so that Services and rollouts stop sending work here.
  let stopping = false;
  const servers = await startHttpServers({
    metrics,
    log,
    bindAddress: options.bindAddress,
    metricsPort: options.metricsPort,
    healthProbePort: options.healthProbePort,
    ready: () => state.synced && !stopping,
  });
  const simulator = new Simulator({ timeoutMs: options.apiSimulateTimeoutMs });
  const api = await startApiServer({
    // Reads only: the unfenced handles, so that every replica answers, not only the leader.
    handlers: new ApiHandlers({ state, cloudProvider, clock, teamLabelKey: options.teamLabelKey, simulator }),
    authenticator: options.apiAuthDisabled
      ? undefined
      : new ApiAuthenticator({ client, clock, ttlMs: options.apiTokenCacheTtlMs, maxEntries: options.apiTokenCacheSize }),
    log,
    bindAddress: options.bindAddress,
    port: options.apiPort,
    corsAllowedOrigins: options.apiCorsAllowedOrigins,
    maxBodyBytes: options.apiMaxBodyBytes,
    ready: () => state.synced,
  });

  const stopAbort = new AbortController();
  // Every controller queue, informer and timer listens for the stop on these signals, by design: lift
  // Node's default of 10 listeners (its "possible memory leak" warning) to a bound well above our count.
  setMaxListeners(MAX_ABORT_LISTENERS, informerAbort.signal, stopAbort.signal);
  const elector = options.disableLeaderElection
    ? undefined
    : new LeaderElector({
        client,
        log,
        clock,
        namespace: options.systemNamespace,
        name: options.leaderElectionName,
        identity: deps.identity ?? `${hostname()}_${randomBytes(6).toString('hex')}`,
        leaseDurationMs: options.leaderElectionLeaseDurationMs,
        renewDeadlineMs: options.leaderElectionRenewDeadlineMs,
        retryPeriodMs: options.leaderElectionRetryPeriodMs,
        warmup,
      });
  const drainTimeoutMs = deps.reconcileDrainTimeoutMs ?? options.leaderElectionRenewDeadlineMs;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  const setLeader = (value: 0 | 1): void => {
    metrics.leaderElectionMaster.set({ name: options.leaderElectionName }, value);
  };

  /**
   * One leadership term: every controller and the eviction queue, on handles fenced by `term` (kube/fence.ts),
   * until `term` aborts; then waits for in-flight reconciles up to drainTimeoutMs. Rejects when a controller
   * loop fails on its own.
   */
  const runTerm = async (term: AbortSignal): Promise<void> => {
    setMaxListeners(MAX_ABORT_LISTENERS, term);
    const termCtx: ControllerContext = { ...ctx, client: fenced(client, term), cloudProvider: fenced(cloudProvider, term), signal: term };
    const set = newControllers(termCtx, built?.controllers);
    log.info({ controllers: set.registrations.map((r) => r.controller.name) }, 'starting controllers');
    term.addEventListener('abort', () => set.stopWatchers(), { once: true });
    const running = Promise.all([
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
        term,
      ),
      set.evictions.run(term),
    ]);
    const ended = new Promise<void>((resolve) => term.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([running, ended]);
    if (!term.aborted) {
      await running; // a controller loop ended by itself: surface its error
      return;
    }
    const drained = await Promise.race([running.then(() => true), delay(clock, drainTimeoutMs).then(() => false)]);
    if (!drained) log.warn({ timeoutMs: drainTimeoutMs }, 'in-flight reconciles did not finish in time; their API calls are refused');
  };

  const lead = async (): Promise<void> => {
    await Promise.all(allInformers(informers).map((i) => i.waitForSync(stopAbort.signal)));
    log.info({}, 'caches synced');
    if (!elector) {
      await runTerm(stopAbort.signal);
      return;
    }
    // Karpenter's process exits when it loses the lease and relies on its Deployment to restart it; this
    // one stops its controllers, keeps its caches, and campaigns again (an API server outage longer than
    // the lease must not kill it).
    while (!stopAbort.signal.aborted) {
      setLeader(0);
      if (!(await elector.acquire(stopAbort.signal))) return;
      setLeader(1);
      const term = new AbortController();
      const onStop = (): void => term.abort();
      stopAbort.signal.addEventListener('abort', onStop, { once: true });
      const renewing = elector.renewLoop(term.signal).then((lost) => {
        if (lost) {
          setLeader(0);
          term.abort(new LeadershipLostError('leader election lost'));
        }
        return lost;
      });
      try {
        await runTerm(term.signal);
      } finally {
        term.abort();
        stopAbort.signal.removeEventListener('abort', onStop);
      }
      if (await renewing) log.info({ lease: `${options.systemNamespace}/${options.leaderElectionName}` }, 'controllers stopped after losing leadership; campaigning again');
    }
  };
  const leading = lead().catch((error: unknown) => {
    if (stopAbort.signal.aborted) return;
    log.error({ err: error }, 'controllers failed');
    resolveDone(1);
  });

  return {
    state,
    servers,
    api,
    done,
    async stop() {
      if (stopping) return;
      stopping = true;
      const stopStartedMs = clock.now();
      stopAbort.abort();
      await Promise.race([leading, delay(clock, drainTimeoutMs + 1_000)]);
      await elector?.release();
      log.info({ handoverMs: clock.now() - stopStartedMs }, 'controllers stopped and lease released');
      await Promise.race([recorder.drain(), delay(clock, 2_000)]); // queued Events, briefly
      informerAbort.abort();
      await Promise.allSettled(informerRuns);
      await Promise.all([servers.close(), api.close(), simulator.close()]);
      resolveDone(0);
    },
  };
}
