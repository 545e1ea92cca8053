/**
 * The scheduling benchmark's shape, shared by the scheduling and disruption benchmarks: Karpenter's 400 fake
 * instance types, its five pod groups drawn with a seed, the lower bound of a packing's price, a runtime facade.
 */
import type { NodePool } from '../src/apis/index.js';
import type { Pod } from '../src/core/types.js';
import { allocatable } from '../src/instancetypes/allocatable.js';
import type { InstanceType, Offering } from '../src/instancetypes/types.js';

export interface Runtime {
  now(): number;
  /** CPU time of this process (user + system), ms: less sensitive than `now` to other processes on the machine. */
  cpuMs(): number;
  heapUsed(): number;
  gc?: () => void;
  argv: string[];
  print(line: string): void;
}

export const runtime: Runtime = (() => {
  const g = globalThis as unknown as {
    performance: { now(): number };
    process: { memoryUsage(): { heapUsed: number }; cpuUsage(): { user: number; system: number }; argv: string[] };
    gc?: () => void;
    console: { log(line: string): void };
  };
  return {
    now: () => g.performance.now(),
    cpuMs: () => {
      const usage = g.process.cpuUsage();
      return (usage.user + usage.system) / 1000;
    },
    heapUsed: () => g.process.memoryUsage().heapUsed,
    ...(g.gc ? { gc: g.gc } : {}),
    argv: g.process.argv,
    print: (line) => g.console.log(line),
  };
})();

/** mulberry32: a small seeded PRNG so every run draws the same pods. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const GI = 2 ** 30;
export const ZONES = ['test-zone-1', 'test-zone-2', 'test-zone-3'];

export function benchmarkInstanceTypes(count: number): InstanceType[] {
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

export function nodePool(requirements: NodePool['spec']['template']['spec']['requirements'] = []): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name: 'default' },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } } },
  } as NodePool;
}

export const CPUS = ['100m', '250m', '500m', '1', '1500m'];
export const MEMORIES = ['100Mi', '256Mi', '512Mi', '1Gi', '2Gi', '4Gi'];
export const LABEL_VALUES = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

export function diversePods(count: number, seed: number): Pod[] {
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

/** Max over cpu and memory of (total requests × the lowest price per unit any offering charges). */
export function lowerBound(pods: readonly Pod[], types: readonly InstanceType[]): number {
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

export function parseCpu(text: string): number {
  return text.endsWith('m') ? Number(text.slice(0, -1)) / 1000 : Number(text);
}

export function parseMemory(text: string): number {
  const units: Record<string, number> = { Mi: 2 ** 20, Gi: GI };
  const suffix = text.slice(-2);
  return units[suffix] !== undefined ? Number(text.slice(0, -2)) * (units[suffix] ?? 1) : Number(text);
}

