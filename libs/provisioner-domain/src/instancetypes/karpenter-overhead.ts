/**
 * The node overhead Karpenter's AWS provider assumes for an instance type when the EC2NodeClass sets no kubelet
 * reservations (its `kubeReservedResources` and `evictionThreshold`, pkg/providers/instancetype/types.go):
 *
 * - kube-reserved CPU: 6% of the first core, 1% of the second, 0.5% of cores 3-4 and 0.25% of every core above
 *   4, each band truncated to whole millicores (2 vCPU → 70m, 4 vCPU → 80m, 96 vCPU → 310m);
 * - kube-reserved memory: 11 MiB per pod the node can hold plus 255 MiB (29 pods → 574Mi, 110 pods → 1465Mi);
 * - kube-reserved ephemeral-storage: 1Gi (only when the type has ephemeral-storage capacity);
 * - system-reserved: nothing;
 * - eviction threshold: memory.available 100Mi and nodefs.available 10% of the ephemeral-storage capacity.
 *
 * Used for InstanceTypeCatalog entries that give no `overhead`, so that a catalog written from EC2's numbers
 * gets the allocatable Karpenter would compute rather than the full capacity.
 */
import type { ResourceList } from '../quantity/resourcelist.js';
import type { InstanceTypeOverhead } from './types.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

/** Karpenter's kube-reserved CPU bands: `[fromMillis, toMillis, fraction]`. */
export const KUBE_RESERVED_CPU_BANDS: readonly (readonly [number, number, number])[] = [
  [0, 1000, 0.06],
  [1000, 2000, 0.01],
  [2000, 4000, 0.005],
  [4000, 2 ** 31, 0.0025],
];

/** kube-reserved CPU in millicores for a node of `cpuMillis` capacity, as Karpenter's AWS provider computes it. */
export function kubeReservedCpuMillis(cpuMillis: number): number {
  let reserved = 0;
  for (const [from, to, fraction] of KUBE_RESERVED_CPU_BANDS) {
    if (cpuMillis < from) break;
    reserved += Math.trunc((Math.min(cpuMillis, to) - from) * fraction);
  }
  return reserved;
}

/** kube-reserved memory in bytes for a node that holds `maxPods` pods: (11 × maxPods + 255) MiB. */
export function kubeReservedMemoryBytes(maxPods: number): number {
  return (11 * maxPods + 255) * MIB;
}

/**
 * Karpenter's default overhead for a node of `capacity` (canonical units: cpu in millicores, memory and
 * ephemeral-storage in bytes, pods a count). Resources absent from `capacity` get no reservation, except memory,
 * which is reserved whenever the node has memory. Pure.
 */
export function karpenterDefaultOverhead(capacity: ResourceList): InstanceTypeOverhead {
  const kubeReserved: Record<string, number> = {};
  const evictionThreshold: Record<string, number> = {};
  const cpu = capacity['cpu'];
  if (cpu !== undefined) kubeReserved['cpu'] = kubeReservedCpuMillis(cpu);
  if (capacity['memory'] !== undefined) {
    kubeReserved['memory'] = kubeReservedMemoryBytes(capacity['pods'] ?? 110);
    evictionThreshold['memory'] = 100 * MIB;
  }
  const storage = capacity['ephemeral-storage'];
  if (storage !== undefined) {
    kubeReserved['ephemeral-storage'] = GIB;
    evictionThreshold['ephemeral-storage'] = Math.ceil(storage / 10);
  }
  return { kubeReserved, systemReserved: {}, evictionThreshold };
}
