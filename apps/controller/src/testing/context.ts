import type { CloudProvider, DaemonSet, EC2NodeClass, LimitRange, Namespace, Node, NodeClaim, NodePool, Pod, PodDisruptionBudget, Provisioner } from '@karpenter-ts/provisioner-domain';
import { nodeClassSupportOf, type NodeClassSupport } from '../cloudprovider/nodeclass.js';
import { SimulatedCloudProvider } from '../cloudprovider/simulated/simulated.js';
import type { ControllerContext } from '../controllers/types.js';
import { createLogger } from '../log.js';
import { Metrics } from '../http/metrics.js';
import { noopRecorder, type EventInput } from '../kube/events.js';
import { Informer } from '../kube/informer.js';
import { resources, type ResourceType } from '../kube/resources.js';
import { trimNamespace, trimNode, trimPod, type InformerTransform } from '../kube/transform.js';
import { defaultOptions, type Options } from '../options.js';
import { ClusterState, allInformers } from '../state/cluster.js';
import { FakeClock, flush } from './fake-clock.js';
import { FakeKubeClient } from './fake-kube.js';

export interface TestContext {
  ctx: ControllerContext;
  client: FakeKubeClient;
  clock: FakeClock;
  events: EventInput[];
  /** Every log line the controllers wrote (debug and up), parsed: `{ level: 'INFO', message, ...fields }`. */
  logs: TestLogLine[];
  /** Lets informer events propagate (the fake API notifies watches synchronously; handlers may chain). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** One captured log line. */
export interface TestLogLine {
  level: string;
  message: string;
  [field: string]: unknown;
}

/**
 * A ControllerContext over the in-memory API for controller unit tests: informers running against a
 * FakeKubeClient (synced before this resolves), a FakeClock, logs captured in `logs` (the production logger's format), fresh metrics, recorded events,
 * and the simulated cloud provider unless another is given (a provider, or a function building one over the
 * test's fake API and clock).
 */
export async function newTestContext(
  seed: Partial<Record<'pods' | 'nodes' | 'nodeClaims' | 'nodePools' | 'provisioners' | 'daemonSets' | 'ec2NodeClasses' | 'limitRanges' | 'namespaces' | 'podDisruptionBudgets', object[]>> = {},
  overrides: { options?: Partial<Options>; cloudProvider?: CloudProvider | ((client: FakeKubeClient, clock: FakeClock) => CloudProvider); nodeClasses?: NodeClassSupport } = {},
): Promise<TestContext> {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  client.now = () => clock.now();
  for (const [key, objects] of Object.entries(seed)) {
    const type = resources[key as keyof typeof resources] as ResourceType;
    for (const object of objects ?? []) client.seed(type, object as Pod);
  }
  const logs: TestLogLine[] = [];
  const log = createLogger('debug', { write: (line: string) => (logs.push(JSON.parse(line) as TestLogLine), true) } as unknown as NodeJS.WritableStream);
  // The same transforms as the operator's informers, so tests see what production caches hold.
  const mk = <T extends Pod | Node | NodeClaim | NodePool | Provisioner | DaemonSet | EC2NodeClass | LimitRange | Namespace | PodDisruptionBudget>(type: ResourceType, transform?: InformerTransform<T>) =>
    new Informer<T>({ client, type, log, clock, ...(transform ? { transform } : {}) });
  const informers = {
    pods: mk<Pod>(resources.pods, trimPod),
    nodes: mk<Node>(resources.nodes, trimNode),
    nodeClaims: mk<NodeClaim>(resources.nodeClaims),
    nodePools: mk<NodePool>(resources.nodePools),
    provisioners: mk<Provisioner>(resources.provisioners),
    daemonSets: mk<DaemonSet>(resources.daemonSets),
    ec2NodeClasses: mk<EC2NodeClass>(resources.ec2NodeClasses),
    limitRanges: mk<LimitRange>(resources.limitRanges),
    namespaces: mk<Namespace>(resources.namespaces, trimNamespace),
    podDisruptionBudgets: mk<PodDisruptionBudget>(resources.podDisruptionBudgets),
  };
  const state = new ClusterState(informers);
  const abort = new AbortController();
  const runs = allInformers(informers).map((i) => i.run(abort.signal));
  await Promise.all(allInformers(informers).map((i) => i.waitForSync()));
  await flush();
  const events: EventInput[] = [];
  const cloudProvider =
    typeof overrides.cloudProvider === 'function'
      ? overrides.cloudProvider(client, clock)
      : (overrides.cloudProvider ?? new SimulatedCloudProvider({ client, nodeClass: (ref) => state.nodeClass(ref) }));
  const ctx: ControllerContext = {
    client,
    state,
    cloudProvider,
    nodeClasses: overrides.nodeClasses ?? nodeClassSupportOf(cloudProvider),
    log,
    clock,
    metrics: new Metrics({ defaultMetrics: false }),
    options: { ...defaultOptions(), ...overrides.options },
    events: { publish: (e) => (events.push(e), noopRecorder.publish(e)) },
  };
  return {
    ctx,
    client,
    clock,
    events,
    logs,
    settle: () => flush(),
    stop: async () => {
      abort.abort();
      await Promise.all(runs);
    },
  };
}
