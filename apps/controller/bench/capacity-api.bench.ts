/**
 * Benchmark of GET /api/v1/capacity (issue 11): 1,000 pods on 200 nodes in 10 teams (one dedicated NodePool per
 * team plus a shared one; 8 of every 10 pods in team namespaces, the rest unlabelled), served from the
 * controller's cached state (informers over the in-memory API). Prints median and p95 of
 * 1. building the answer (ApiHandlers.capacity: catalog lookup, pending explanation, cost allocation, shaping),
 * 2. the whole HTTP round trip through the API server on a local port (auth disabled), JSON included.
 * Target (issue 11): under 20 ms median from the cached state. Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/capacity-api.bench.ts [--repeat 200]
 */
import { CapacityResponseSchema } from '@karpenter-ts/capacity-api';
import { defaultCatalog, type Namespace, type Node, type NodeClaim, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { ApiHandlers } from '../src/http/api/handlers.js';
import { startApiServer } from '../src/http/api/server.js';
import { Simulator } from '../src/http/api/simulate.js';
import { launchedClaim, launchedNode, nodePool } from '../src/testing/builders.js';
import { newTestContext } from '../src/testing/context.js';

const TEAMS = 10;
const NODES = 200;
const PODS = 1_000;
const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 200;

const catalog = defaultCatalog().filter((t) => t.labels['kubernetes.io/os'] === 'linux' && t.labels['kubernetes.io/arch'] === 'amd64');
const types = catalog.filter((t) => (t.capacity['cpu'] ?? 0) >= 4000 && (t.capacity['cpu'] ?? 0) <= 16000);

function seed(): Record<string, object[]> {
  const namespaces: Namespace[] = [];
  const pools: NodePool[] = [nodePool('shared')];
  for (let t = 0; t < TEAMS; t++) {
    namespaces.push({ metadata: { name: `team-${t}`, labels: { team: `team-${t}` } } });
    const pool = nodePool(`team-${t}`);
    pool.spec.template.metadata = { labels: { team: `team-${t}` } };
    pool.spec.limits = { cpu: '1000' };
    pools.push(pool);
  }
  namespaces.push({ metadata: { name: 'unlabelled' } });
  const nodes: Node[] = [];
  const claims: NodeClaim[] = [];
  for (let i = 0; i < NODES; i++) {
    const pool = i % 2 === 0 ? 'shared' : `team-${(i >> 1) % TEAMS}`;
    const type = types[i % types.length];
    if (!type) throw new Error('no instance type');
    const base = launchedNode(`node-${i}`, pool);
    nodes.push({
      ...base,
      metadata: {
        ...base.metadata,
        labels: { ...base.metadata.labels, 'node.kubernetes.io/instance-type': type.name, 'topology.kubernetes.io/zone': 'test-zone-a', 'karpenter.sh/capacity-type': 'on-demand' },
      },
      status: { ...base.status, allocatable: { cpu: String((type.capacity['cpu'] ?? 0) / 1000), memory: `${(type.capacity['memory'] ?? 0) / 2 ** 30}Gi`, pods: '110' } },
    });
    claims.push(launchedClaim(`node-${i}`, pool));
  }
  const pods: Pod[] = [];
  for (let i = 0; i < PODS; i++) {
    const team = i % 10 < 8 ? `team-${i % TEAMS}` : 'unlabelled';
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `pod-${i}`, namespace: team, uid: `uid-pod-${i}` },
      spec: { nodeName: `node-${i % NODES}`, containers: [{ name: 'c', resources: { requests: { cpu: ['100m', '250m', '500m', '1'][i % 4] ?? '1', memory: ['128Mi', '512Mi', '1Gi'][i % 3] ?? '1Gi' } } }] },
      status: { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] },
    });
  }
  return { namespaces, nodePools: pools, nodes, nodeClaims: claims, pods };
}

function stats(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return `median ${at(0.5).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms, min ${at(0).toFixed(2)} ms (${samples.length} runs)`;
}

async function main(): Promise<void> {
  const t = await newTestContext(seed());
  const simulator = new Simulator({ timeoutMs: 10_000 });
  const handlers = new ApiHandlers({ state: t.ctx.state, cloudProvider: t.ctx.cloudProvider, clock: t.clock, teamLabelKey: 'team', simulator });
  const first = CapacityResponseSchema.parse(await handlers.capacity(new URLSearchParams('groupBy=team')));
  console.log(
    `capacity API bench: ${first.totals.pods} pods on ${first.totals.nodes} nodes, ${first.teams.length} teams (incl. unassigned), $${first.totals.costPerHour.toFixed(2)}/h`,
  );
  for (let i = 0; i < 20; i++) await handlers.capacity(new URLSearchParams('groupBy=team')); // warm-up
  const build: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await handlers.capacity(new URLSearchParams('groupBy=team'));
    build.push(performance.now() - started);
  }
  console.log(`  build answer (handler):        ${stats(build)}`);
  const server = await startApiServer({
    handlers,
    authenticator: undefined,
    log: t.ctx.log,
    bindAddress: '127.0.0.1',
    port: 0,
    corsAllowedOrigins: [],
    maxBodyBytes: 1_048_576,
    ready: () => true,
  });
  const url = `http://127.0.0.1:${server.port}/api/v1/capacity?groupBy=team`;
  let bytes = 0;
  for (let i = 0; i < 20; i++) bytes = (await (await fetch(url)).text()).length;
  const http: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const started = performance.now();
    await (await fetch(url)).text();
    http.push(performance.now() - started);
  }
  console.log(`  HTTP round trip (${(bytes / 1024).toFixed(0)} KiB JSON): ${stats(http)}`);
  console.log('  target (issue 11): < 20 ms median from cached state');
  await server.close();
  await simulator.close();
  await t.stop();
}

await main();
