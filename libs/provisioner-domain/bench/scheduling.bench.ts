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
import type { NodePool } from '../src/apis/index.js';
import type { Pod } from '../src/core/types.js';
import { allocatable } from '../src/instancetypes/allocatable.js';
import { defaultCatalog } from '../src/instancetypes/default-catalog.js';
import type { InstanceType, Offering } from '../src/instancetypes/types.js';
import { schedule } from '../src/scheduling/schedule.js';
import type { PackingMode, SchedulingResult, SchedulingSnapshot } from '../src/scheduling/types.js';

interface Runtime {
  now(): number;
  heapUsed(): number;
  gc?: () => void;
  argv: string[];
  print(line: string): void;
}

const runtime: Runtime = (() => {
  const g = globalThis as unknown as {
    performance: { now(): number };
    process: { memoryUsage(): { heapUsed: number }; argv: string[] };
    gc?: () => void;
    console: { log(line: string): void };
  };
  return {
    now: () => g.performance.now(),
    heapUsed: () => g.process.memoryUsage().heapUsed,
    ...(g.gc ? { gc: g.gc } : {}),
    argv: g.process.argv,
    print: (line) => g.console.log(line),
  };
})();

/** mulberry32: a small seeded PRNG so every run draws the same pods. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GI = 2 ** 30;
const ZONES = ['test-zone-1', 'test-zone-2', 'test-zone-3'];

function benchmarkInstanceTypes(count: number): InstanceType[] {
  const out: InstanceType[] = [];
  for (let i = 1; i <= count; i++) {
    const price = 0.025 * i + 0.001 * 2 * i;
    const offerings: Offering[] = ZONES.flatMap((zone) => [
      { zone, capacityType: 'spot' as const, pricePerHour: price * 0.7, available: true },
      { zone, capacityType: 'on-demand' as const, pricePerHour: price, available: true },
    ]);
    out.push({
      name: `fake-it-${i}`,
      labels: { 'node.kubernetes.io/instance-type': `fake-it-${i}`, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
      capacity: { cpu: i * 1000, memory: 2 * i * GI, pods: 10 * i },
      overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
      offerings,
    });
  }
  return out;
}

function nodePool(requirements: NodePool['spec']['template']['spec']['requirements'] = []): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } } },
  } as NodePool;
}

const CPUS = ['100m', '250m', '500m', '1', '1500m'];
const MEMORIES = ['100Mi', '256Mi', '512Mi', '1Gi', '2Gi', '4Gi'];
const LABEL_VALUES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

function diversePods(count: number, seed: number): Pod[] {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const pods: Pod[] = [];
  const kinds = ['plain', 'zone-spread', 'hostname-spread', 'zone-affinity', 'hostname-anti-affinity'] as const;
  const perKind = Math.floor(count / kinds.length);
  for (let i = 0; i < count; i++) {
    const kind = kinds[Math.min(Math.floor(i / Math.max(perKind, 1)), kinds.length - 1)] ?? 'plain';
    const value = pick(LABEL_VALUES);
    const name = `${kind}-${i}`;
    const pod: Pod = {
      metadata: { name, namespace: 'default', uid: `uid-${String(i).padStart(6, '0')}`, labels: { 'my-label': value } },
      spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: pick(CPUS), memory: pick(MEMORIES) } } }] },
    };
    switch (kind) {
      case 'zone-spread':
      case 'hostname-spread':
        pod.spec.topologySpreadConstraints = [
          {
            maxSkew: 1,
            topologyKey: kind === 'zone-spread' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
            whenUnsatisfiable: 'DoNotSchedule',
            labelSelector: { matchLabels: { 'my-label': value } },
          },
        ];
        break;
      case 'zone-affinity':
        pod.metadata.labels = { 'my-affinity': value };
        pod.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { 'my-affinity': value } } }] } };
        break;
      case 'hostname-anti-affinity':
        pod.metadata.labels = { app: 'nginx' };
        pod.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'nginx' } } }] } };
        break;
      default:
        break;
    }
    pods.push(pod);
  }
  return pods;
}

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
    runtime.gc?.();
    const before = runtime.heapUsed();
    const start = runtime.now();
    result = schedule(snapshot, { packing });
    const ms = runtime.now() - start;
    heap = Math.max(heap, runtime.heapUsed() - before);
    best = Math.min(best, ms);
  }
  if (!result) throw new Error('no run');
  return { ms: best, heapMb: heap / 2 ** 20, result };
}

/** Max over cpu and memory of (total requests × the lowest price per unit any offering charges). */
function lowerBound(pods: readonly Pod[], types: readonly InstanceType[]): number {
  let cpu = 0;
  let memory = 0;
  for (const p of pods) {
    for (const c of p.spec.containers) {
      cpu += parseCpu(String(c.resources?.requests?.['cpu'] ?? '0'));
      memory += parseMemory(String(c.resources?.requests?.['memory'] ?? '0'));
    }
  }
  let perCpu = Number.POSITIVE_INFINITY;
  let perByte = Number.POSITIVE_INFINITY;
  for (const t of types) {
    const a = allocatable(t);
    for (const o of t.offerings) {
      if (!o.available) continue;
      perCpu = Math.min(perCpu, o.pricePerHour / ((a['cpu'] ?? 0) / 1000));
      perByte = Math.min(perByte, o.pricePerHour / (a['memory'] ?? 1));
    }
  }
  return Math.max(cpu * perCpu, memory * perByte);
}

function parseCpu(text: string): number {
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

function parseMemory(text: string): number {
  const units: Record<string, number> = { Mi: 2 ** 20, Gi: GI };
  const suffix = text.slice(-2);
  return units[suffix] !== undefined ? Number(text.slice(0, -2)) * (units[suffix] ?? 1) : Number(text);
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
