import type { CloudProvider, DaemonSet, Node, NodeClaim, NodePool, Pod, Provisioner } from '@karpenter-ts/provisioner-domain';
import { pino } from 'pino';
import { SimulatedCloudProvider } from '../cloudprovider/simulated/simulated.js';
import type { ControllerContext } from '../controllers/types.js';
import { Metrics } from '../http/metrics.js';
import { noopRecorder, type EventInput } from '../kube/events.js';
import { Informer } from '../kube/informer.js';
import { resources, type ResourceType } from '../kube/resources.js';
import { defaultOptions, type Options } from '../options.js';
import { ClusterState, allInformers } from '../state/cluster.js';
import { FakeClock, flush } from './fake-clock.js';
import { FakeKubeClient } from './fake-kube.js';

export interface TestContext {
  ctx: ControllerContext;
  client: FakeKubeClient;
  clock: FakeClock;
  events: EventInput[];
  /** Lets informer events propagate (the fake API notifies watches synchronously; handlers may chain). */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A ControllerContext over the in-memory API for controller unit tests: informers running against a
 * FakeKubeClient (synced before this resolves), a FakeClock, silent logs, fresh metrics, recorded events,
 * and the simulated cloud provider unless another is given.
 */
export async function newTestContext(
  seed: Partial<Record<'pods' | 'nodes' | 'nodeClaims' | 'nodePools' | 'provisioners' | 'daemonSets', object[]>> = {},
  overrides: { options?: Partial<Options>; cloudProvider?: CloudProvider } = {},
): Promise<TestContext> {
  const client = new FakeKubeClient();
  const clock = new FakeClock();
  client.now = () => clock.now();
  for (const [key, objects] of Object.entries(seed)) {
    const type = resources[key as keyof typeof resources] as ResourceType;
    for (const object of objects ?? []) client.seed(type, object as Pod);
  }
  const log = pino({ level: 'silent' });
  const mk = <T extends Pod | Node | NodeClaim | NodePool | Provisioner | DaemonSet>(type: ResourceType) => new Informer<T>({ client, type, log, clock });
  const informers = {
    pods: mk<Pod>(resources.pods),
    nodes: mk<Node>(resources.nodes),
    nodeClaims: mk<NodeClaim>(resources.nodeClaims),
    nodePools: mk<NodePool>(resources.nodePools),
    provisioners: mk<Provisioner>(resources.provisioners),
    daemonSets: mk<DaemonSet>(resources.daemonSets),
  };
  const state = new ClusterState(informers);
  const abort = new AbortController();
  const runs = allInformers(informers).map((i) => i.run(abort.signal));
  await Promise.all(allInformers(informers).map((i) => i.waitForSync()));
  await flush();
  const events: EventInput[] = [];
  const ctx: ControllerContext = {
    client,
    state,
    cloudProvider: overrides.cloudProvider ?? new SimulatedCloudProvider({ client }),
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
    settle: () => flush(),
    stop: async () => {
      abort.abort();
      await Promise.all(runs);
    },
  };
}
