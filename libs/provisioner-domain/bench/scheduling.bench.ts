/**
 * Scheduling benchmark (issue 4): Karpenter's benchmark shape so the two can be compared side by side, plus the
 * KWOK-shaped packing case. Prints figures; never passes or fails on time.
 *
 *   npx tsx bench/scheduling.bench.ts [--sizes 100,1000,5000,20000] [--repeat 3]
 *
 * Shape: 400 instance types, type i has i vCPU, 2i GiB and 10i pods, offered in 3 zones as spot and on-demand
 * (0.025 USD per vCPU-hour + 0.001 per GiB-hour, spot 0.7×); one NodePool without requirements; pods in five equal
 * groups — no constraints, zonal topology spread, hostname topology spread, zonal self pod-affinity, hostname
 * self anti-affinity — with CPU from {100m, 250m, 500m, 1, 1.5} and memory from {100Mi, 256Mi, 512Mi, 1Gi, 2Gi, 4Gi}
 * drawn with a fixed seed. Group members carry `my-label: <a..g>` (spread selects its own value) like Karpenter's.
 *
 * Every case runs in both packing modes: `karpenter` (Karpenter's algorithm as is) and `cost` (the default: the
 * same plan, then cost-aware re-packing; ADR 0003). The lower bound is the max over CPU and memory of the total
 * requests times the best price per unit any offering charges; ratio = $/h ÷ bound.
 */
import type { Pod } from '../src/core/types.js';
import { allocatable } from '../src/instancetypes/allocatable.js';
import { defaultCatalog } from '../src/instancetypes/default-catalog.js';
import { schedule } from '../src/scheduling/schedule.js';
import { benchmarkInstanceTypes, diversePods, lowerBound, nodePool, runtime } from './benchmark-shape.js';
import type { PackingMode, SchedulingResult, SchedulingSnapshot } from '../src/scheduling/types.js';

interface Figures {
  ms: number;
  heapMb: number;
  result: SchedulingResult;
}

const MODES: readonly PackingMode[] = ['karpenter', 'cost'];

function run(snapshot: SchedulingSnapshot, repeat: number, packing: PackingMode): Figures {
  let best = Number.POSITIVE_INFINITY;
  let heap = 0;
  let result: SchedulingResult | undefined;
  for (let i = 0; i < repeat; i++) {
    // Fresh NodePool objects each run, so that the templates (instance types filtered per NodePool, cached per
    // NodePool object) are built inside the timing, as in a round whose NodePools changed.
    const fresh = { ...snapshot, nodePools: snapshot.nodePools.map((np) => ({ ...np })) };
    runtime.gc?.();
    const before = runtime.heapUsed();
    const start = runtime.now();
    result = schedule(fresh, { packing });
    const ms = runtime.now() - start;
    heap = Math.max(heap, runtime.heapUsed() - before);
    best = Math.min(best, ms);
  }
  if (!result) throw new Error('no run');
  return { ms: best, heapMb: heap / 2 ** 20, result };
}

function totalPrice(result: SchedulingResult): number {
  return result.nodeClaims.reduce((sum, c) => sum + c.launch.pricePerHour, 0);
}

function arg(name: string): string | undefined {
  const i = runtime.argv.indexOf(name);
  return i >= 0 ? runtime.argv[i + 1] : undefined;
}

function pad(text: string | number, width: number): string {
  return String(text).padStart(width);
}

function benchmarkMix(sizes: number[], repeat: number): void {
  const types = benchmarkInstanceTypes(400);
  // Warm the JIT once per mode so that small sizes are not measured cold.
  for (const packing of MODES) schedule({ pods: diversePods(2000, 7), existingNodes: [], nodePools: [nodePool()], instanceTypes: { default: types } }, { packing });
  runtime.print(`Karpenter benchmark shape: 400 instance types, 5 pod groups (best of ${repeat}, after one warm-up run per mode)`);
  runtime.print(`${pad('pods', 7)} ${pad('packing', 10)} ${pad('ms', 9)} ${pad('pods/s', 9)} ${pad('claims', 7)} ${pad('unsched', 7)} ${pad('$/h', 9)} ${pad('bound $/h', 10)} ${pad('ratio', 6)} ${pad('heap MB', 8)}`);
  for (const size of sizes) {
    const pods = diversePods(size, 42);
    const snapshot: SchedulingSnapshot = { pods, existingNodes: [], nodePools: [nodePool()], instanceTypes: { default: types } };
    const bound = lowerBound(pods, types);
    for (const packing of MODES) {
      const f = run(snapshot, repeat, packing);
      const price = totalPrice(f.result);
      runtime.print(
        `${pad(size, 7)} ${pad(packing, 10)} ${pad(f.ms.toFixed(1), 9)} ${pad(Math.round(size / (f.ms / 1000)), 9)} ${pad(f.result.nodeClaims.length, 7)} ${pad(f.result.unschedulable.length, 7)} ${pad(price.toFixed(2), 9)} ${pad(bound.toFixed(2), 10)} ${pad((price / bound).toFixed(2), 6)} ${pad(f.heapMb.toFixed(1), 8)}`,
      );
    }
  }
}

function benchmarkKwok(repeat: number): void {
  const types = defaultCatalog().filter((t) => (t.capacity['cpu'] ?? 0) < 32_000);
  const pods: Pod[] = [];
  for (let i = 0; i < 1000; i++) {
    const big = i >= 500;
    pods.push({
      metadata: { name: `kwok-${i}`, namespace: 'default', uid: `kwok-${String(i).padStart(4, '0')}` },
      spec: { containers: [{ name: 'c', resources: { requests: big ? { cpu: '3500m', memory: '28Gi' } : { cpu: '900m', memory: '3100Mi' } } }] },
    });
  }
  const np = nodePool([{ key: 'kubernetes.io/os', operator: 'In', values: ['linux'] }]);
  const snapshot: SchedulingSnapshot = { pods, existingNodes: [], nodePools: [np], instanceTypes: { default: types } };
  const byName = new Map(types.map((t) => [t.name, t]));
  const bound = lowerBound(pods, types);
  runtime.print('');
  runtime.print('KWOK-shaped case: 1,000 pods (500 × 0.9 CPU/3100Mi + 500 × 3.5 CPU/28Gi), default catalog types under 32 vCPU, linux');
  for (const packing of MODES) {
    const f = run(snapshot, repeat, packing);
    let allocCpu = 0;
    let allocMem = 0;
    let usedCpu = 0;
    let usedMem = 0;
    for (const c of f.result.nodeClaims) {
      const t = byName.get(c.launch.instanceType);
      if (!t) continue;
      const a = allocatable(t);
      allocCpu += a['cpu'] ?? 0;
      allocMem += a['memory'] ?? 0;
      usedCpu += c.requests['cpu'] ?? 0;
      usedMem += c.requests['memory'] ?? 0;
    }
    const price = totalPrice(f.result);
    runtime.print(
      `  ${pad(packing, 9)}: ${f.ms.toFixed(1)} ms, ${Math.round(1000 / (f.ms / 1000))} pods/s, ${f.result.nodeClaims.length} NodeClaims, ${f.result.unschedulable.length} unschedulable, ` +
        `${price.toFixed(2)} $/h (bound ${bound.toFixed(2)}, ratio ${(price / bound).toFixed(2)}), ` +
        `CPU utilisation ${((100 * usedCpu) / allocCpu).toFixed(1)}%, memory utilisation ${((100 * usedMem) / allocMem).toFixed(1)}%`,
    );
  }
}

/** The seed story's shape (10 inflate pods of 1 CPU, default catalog, on-demand amd64 linux): the case ADR 0003 starts from. */
function benchmarkInflate(): void {
  const pods: Pod[] = Array.from({ length: 10 }, (_, i) => ({
    metadata: { name: `inflate-${i}`, namespace: 'default', uid: `inflate-${i}` },
    spec: { containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] },
  }));
  const np = nodePool([
    { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
    { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
    { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
  ]);
  const snapshot: SchedulingSnapshot = { pods, existingNodes: [], nodePools: [np], instanceTypes: { default: defaultCatalog() } };
  runtime.print('');
  runtime.print('Seed story: 10 × 1 CPU inflate pods, default catalog, on-demand amd64 linux');
  for (const packing of MODES) {
    const result = schedule(snapshot, { packing });
    runtime.print(`  ${pad(packing, 9)}: ${result.nodeClaims.map((c) => `${c.launch.instanceType} (${c.pods.length} pods)`).join(' + ')} = ${totalPrice(result).toFixed(3)} $/h`);
  }
}

const sizes = (arg('--sizes') ?? '100,1000,5000,20000').split(',').map(Number);
const repeat = Number(arg('--repeat') ?? '3');
benchmarkMix(sizes, repeat);
benchmarkKwok(repeat);
benchmarkInflate();
