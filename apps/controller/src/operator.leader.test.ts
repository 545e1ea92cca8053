import type { CloudProvider, NodeClaim } from '@karpenter-ts/provisioner-domain';
import { SimulatedCloudProvider } from './cloudprovider/simulated/simulated.js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from './http/metrics.js';
import { resources } from './kube/resources.js';
import { startOperator, type Operator } from './operator.js';
import { defaultOptions } from './options.js';
import { ec2NodeClass, nodePool, pendingPod } from './testing/builders.js';
import { FakeClock } from './testing/fake-clock.js';
import { FakeKubeClient } from './testing/fake-kube.js';
import { PartitionableClient } from './testing/partition.js';

/** One replica: its view of the shared API, its metrics and its log lines stamped with fake-clock time. */
interface Replica {
  name: string;
  client: PartitionableClient;
  metrics: Metrics;
  operator: Operator;
  logs: { atMs: number; message: string; level: number }[];
}

const running: Operator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((o) => o.stop()));
});

async function replica(name: string, api: FakeKubeClient, clock: FakeClock, cloudProvider?: (client: PartitionableClient) => CloudProvider): Promise<Replica> {
  const client = new PartitionableClient(api, () => clock.now());
  const logs: Replica['logs'] = [];
  const log = pino(
    { level: 'debug', mixin: () => ({ atMs: clock.now() }) },
    { write: (line: string) => logs.push(JSON.parse(line) as { atMs: number; message: string; level: number; msg: string }) && undefined },
  );
  const metrics = new Metrics({ defaultMetrics: false });
  const options = { ...defaultOptions(), metricsPort: 0, healthProbePort: 0, apiPort: 0, bindAddress: '127.0.0.1', logLevel: 'debug' as const };
  const operator = await startOperator({ options, client, log, clock, metrics, identity: name, ...(cloudProvider ? { cloudProvider: cloudProvider(client) } : {}) });
  running.push(operator);
  return { name, client, metrics, operator, logs };
}

const messages = (r: Replica, text: string): number[] => r.logs.filter((l) => (l as unknown as { msg: string }).msg === text).map((l) => l.atMs);
const isLeader = async (r: Replica): Promise<boolean> => (await r.metrics.leaderElectionMaster.get()).values.some((v) => v.value === 1);
/** Writes that reached the API other than the lease and Events: the controllers acting. */
const acts = (r: Replica) => r.client.calls.filter((c) => c.outcome === 'ok' && c.resource !== 'leases' && c.resource !== 'events');

async function newApi(): Promise<{ api: FakeKubeClient; clock: FakeClock }> {
  const api = new FakeKubeClient();
  const clock = new FakeClock();
  api.now = () => clock.now();
  api.seed(resources.nodePools, nodePool());
  api.seed(resources.ec2NodeClasses, ec2NodeClass());
  return { api, clock };
}

/** Advances fake time in steps, checking after each that at most one replica reports itself leader. */
async function advanceChecking(clock: FakeClock, replicas: Replica[], totalMs: number, stepMs = 250): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    await clock.advance(stepMs);
    const leaders = (await Promise.all(replicas.map(isLeader))).filter(Boolean).length;
    expect(leaders, `leaders at ${clock.now()}`).toBeLessThanOrEqual(1);
  }
}

describe('operator leader election', () => {
  it('two replicas on one API: when the leader\'s lease calls hang, it stops acting before the other takes over — never two leaders', async () => {
    const { api, clock } = await newApi();
    const a = await replica('a', api, clock);
    await advanceChecking(clock, [a], 1_000);
    expect(await isLeader(a)).toBe(true);
    const b = await replica('b', api, clock);
    let pods = 0;
    const addPod = (): void => api.seed(resources.pods, pendingPod(`p${pods++}`));
    addPod();
    await advanceChecking(clock, [a, b], 5_000);
    expect(acts(a).length).toBeGreaterThan(0); // a provisions
    expect(acts(b)).toEqual([]);

    // Partition a from the lease only: its renewals hang, its controllers could still write.
    a.client.affects = (resource) => resource === 'leases';
    a.client.setMode('hang');
    const partitionedAtMs = clock.now();
    for (let i = 0; i < 12; i++) {
      addPod();
      await advanceChecking(clock, [a, b], 2_500);
    }
    const [aLostAtMs] = messages(a, 'leader election lost');
    const [bLeadsAtMs] = messages(b, 'successfully acquired lease');
    expect(aLostAtMs).toBeDefined();
    expect(bLeadsAtMs).toBeDefined();
    expect(aLostAtMs).toBeLessThanOrEqual(partitionedAtMs + 10_000);
    expect(aLostAtMs!).toBeLessThan(bLeadsAtMs!);
    // The timeline of acts: a's all before it lost the lease, b's all after it acquired it.
    expect(acts(a).every((c) => c.atMs <= aLostAtMs!)).toBe(true);
    expect(acts(b).length).toBeGreaterThan(0);
    expect(acts(b).every((c) => c.atMs >= bLeadsAtMs!)).toBe(true);
    // a keeps running (campaigning), it did not exit.
    let aDone = false;
    void a.operator.done.then(() => (aDone = true));
    await clock.advance(0);
    expect(aDone).toBe(false);
  });

  it('survives an API outage longer than its lease: loses leadership, keeps running, leads and provisions again afterwards', async () => {
    const { api, clock } = await newApi();
    const a = await replica('a', api, clock);
    await clock.advance(1_000);
    expect(await isLeader(a)).toBe(true);
    let exited: number | undefined;
    void a.operator.done.then((code) => (exited = code));

    a.client.setMode('fail'); // the API server is down: connections refused
    api.closeWatches();
    await clock.advance(60_000);
    expect(messages(a, 'leader election lost')).toHaveLength(1);
    expect(await isLeader(a)).toBe(false);
    expect(exited).toBeUndefined();

    a.client.setMode('ok');
    await clock.advance(40_000);
    expect(messages(a, 'successfully acquired lease')).toHaveLength(2);
    expect(await isLeader(a)).toBe(true);
    api.seed(resources.pods, pendingPod('after-outage'));
    await clock.advance(10_000);
    expect(api.all<NodeClaim>(resources.nodeClaims).length).toBeGreaterThan(0);
    expect(exited).toBeUndefined();
  });

  it('shutdown waits for in-flight reconciles up to a timeout, then stops anyway (a hung cloud call cannot block it)', async () => {
    const { api, clock } = await newApi();
    let launches = 0;
    const hanging = (client: PartitionableClient): CloudProvider => {
      const simulated = new SimulatedCloudProvider({ client });
      return Object.assign(Object.create(simulated) as CloudProvider, {
        create: () => (launches++, new Promise<never>(() => undefined)),
      });
    };
    const a = await replica('a', api, clock, hanging);
    api.seed(resources.pods, pendingPod('p'));
    while (launches === 0) await clock.advance(500);
    const readyz = async (): Promise<number> => (await fetch(`http://127.0.0.1:${a.operator.servers.healthProbePort}/readyz`)).status;
    expect(await readyz()).toBe(200);
    let stopped = false;
    const stopping = a.operator.stop().then(() => (stopped = true));
    await clock.advance(5_000);
    expect(stopped).toBe(false); // still waiting for the launch
    expect(await readyz()).toBe(503); // draining: not ready
    await clock.advance(7_000);
    await stopping;
    expect(stopped).toBe(true);
    expect(messages(a, 'in-flight reconciles did not finish in time; their API calls are refused')).toHaveLength(1);
    expect(messages(a, 'controllers stopped and lease released')).toHaveLength(1);
  });
});
