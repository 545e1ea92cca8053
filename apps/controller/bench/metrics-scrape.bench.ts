/**
 * Benchmark of a /metrics scrape (issue 14): the state gauges (karpenter_nodes_*, karpenter_nodepools_*,
 * karpenter_cluster_state_*) and karpenter_pods_state are computed from the cached cluster state when
 * Prometheus scrapes, so a scrape costs O(nodes + pods). Cluster: 500 nodes of 10 NodePools, 5,000 pods
 * (10 per node, one of them a DaemonSet pod), served from informers over the in-memory API. Prints median and
 * p95 of `registry.metrics()` (the text /metrics serves), its size and series count. Prints figures; never
 * passes or fails on time.
 *
 *   npx tsx bench/metrics-scrape.bench.ts [--repeat 50]
 */
import type { Node, NodeClaim, NodePool, Pod } from '@karpenter-ts/provisioner-domain';
import { stateMetricsSource } from '../src/controllers/metrics/state.js';
import { watchPodMetrics } from '../src/controllers/pod/metrics/controller.js';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool } from '../src/testing/builders.js';
import { newTestContext } from '../src/testing/context.js';

const POOLS = 10;
const NODES = 500;
const PODS_PER_NODE = 10;
const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 50;

const pools: NodePool[] = [];
for (let p = 0; p < POOLS; p++) {
  const pool = nodePool(`pool-${p}`);
  pool.spec.limits = { cpu: '1000', memory: '4000Gi' };
  (pool as { status?: unknown }).status = { ...pool.status, resources: { cpu: '200', memory: '400Gi', pods: '3200', nodes: '50' } };
  pools.push(pool);
}
const nodes: Node[] = [];
const claims: NodeClaim[] = [];
const pods: Pod[] = [];
for (let n = 0; n < NODES; n++) {
  const name = `node-${n}`;
  const pool = `pool-${n % POOLS}`;
  const node = launchedNode(name, pool);
  node.metadata.labels = { ...node.metadata.labels, 'topology.kubernetes.io/zone': `zone-${n % 3}`, 'node.kubernetes.io/instance-type': 'c-4x-amd64-linux' };
  nodes.push(node);
  claims.push(launchedClaim(name, pool));
  pods.push(daemonSetPod(`ds-${name}`, name));
  for (let i = 1; i < PODS_PER_NODE; i++) pods.push(boundPod(`app-${n}-${i}`, name));
}

const t = await newTestContext({ nodePools: pools, nodes, nodeClaims: claims, pods });
const stop = watchPodMetrics(t.ctx);
t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
let text = await t.ctx.metrics.registry.metrics();
const timesMs: number[] = [];
for (let i = 0; i < REPEAT; i++) {
  const started = performance.now();
  text = await t.ctx.metrics.registry.metrics();
  timesMs.push(performance.now() - started);
}
stop();
await t.stop();
timesMs.sort((a, b) => a - b);
const at = (q: number) => timesMs[Math.min(timesMs.length - 1, Math.floor(q * timesMs.length))] ?? Number.NaN;
const series = text.split('\n').filter((l) => l && !l.startsWith('#')).length;
process.stdout.write(
  `metrics scrape, ${NODES} nodes, ${pods.length} pods, ${POOLS} NodePools, ${REPEAT} runs: median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms; ${series} series, ${(text.length / 1024).toFixed(0)} KiB\n`,
);
