/**
 * Maps one EC2 `InstanceTypeInfo` (DescribeInstanceTypes) to the domain's InstanceType, as Karpenter's AWS
 * provider does: capacity (vCPU, memory less the VM memory overhead, pods from the ENI limits or the kubelet
 * maxPods, NVIDIA/AMD GPUs and Neuron devices), the well-known `karpenter.k8s.aws/*` labels, and Karpenter's
 * default node overhead (kube-reserved CPU ladder, 11 MiB per pod + 255 MiB, eviction 100Mi).
 */
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { karpenterDefaultOverhead, type InstanceType, type Offering } from '@karpenter-ts/provisioner-domain';

const MIB = 2 ** 20;

/** Options of {@link mapInstanceType}. */
export interface MapInstanceTypeOptions {
  /** Fraction of the memory the hypervisor keeps (setting VM_MEMORY_OVERHEAD_PERCENT); default 0.075. */
  vmMemoryOverheadPercent?: number;
  /** The EC2NodeClass kubelet maxPods; when unset, the ENI limits formula. */
  maxPods?: number;
}

const archByEc2: Record<string, string> = { x86_64: 'amd64', arm64: 'arm64' };

/** Pods by the ENI limits formula: maxENI × (IPv4 addresses per ENI − 1) + 2 (undefined without network info). */
export function eniLimitedPods(info: InstanceTypeInfo): number | undefined {
  const enis = info.NetworkInfo?.MaximumNetworkInterfaces;
  const ipv4 = info.NetworkInfo?.Ipv4AddressesPerInterface;
  if (enis === undefined || ipv4 === undefined) return undefined;
  return enis * (ipv4 - 1) + 2;
}

/**
 * Baseline network bandwidth in Mbps, the value of `karpenter.k8s.aws/instance-network-bandwidth`: the sum of
 * the network cards' `BaselineBandwidthInGbps` × 1000 (m5.large: 0.75 Gbps → 750), as DescribeInstanceTypes
 * reports it today; for answers without it, a fixed `NetworkPerformance` such as "25 Gigabit" (→ 25000) or
 * "4x 100 Gigabit" (→ 400000). Burstable figures ("Up to 12.5 Gigabit") and words ("High", "Moderate") say
 * nothing about the baseline, so those types get no label (Karpenter ships a hand-kept table for them instead).
 */
export function networkBandwidthMbps(info: InstanceTypeInfo): number | undefined {
  const cards = (info.NetworkInfo?.NetworkCards ?? []).map((c) => c.BaselineBandwidthInGbps).filter((g): g is number => g !== undefined && g > 0);
  if (cards.length > 0) return Math.round(cards.reduce((a, b) => a + b, 0) * 1000);
  const fixed = /^(?:(\d+)x\s+)?(\d+(?:\.\d+)?)\s+Gigabit$/.exec(info.NetworkInfo?.NetworkPerformance?.trim() ?? '');
  if (!fixed) return undefined;
  return Math.round(Number(fixed[1] ?? 1) * Number(fixed[2]) * 1000);
}

/**
 * The `karpenter.k8s.aws/*` and Kubernetes labels of a type ("m5.large" → family m5, category m,
 * generation 5, size large). Memory in MiB, GPU memory in MiB, local NVMe in GB, as Karpenter writes them.
 */
export function instanceTypeLabels(info: InstanceTypeInfo): Record<string, string> {
  const name = info.InstanceType ?? '';
  const [family = '', size = ''] = name.split('.');
  const match = /^([a-z]+)(\d+)/.exec(family);
  const labels: Record<string, string> = { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/os': 'linux' };
  const arch = info.ProcessorInfo?.SupportedArchitectures?.map((a) => archByEc2[a]).find((a) => a !== undefined);
  if (arch !== undefined) labels['kubernetes.io/arch'] = arch;
  labels['karpenter.k8s.aws/instance-family'] = family;
  labels['karpenter.k8s.aws/instance-size'] = size;
  if (match?.[1] !== undefined) labels['karpenter.k8s.aws/instance-category'] = match[1];
  if (match?.[2] !== undefined) labels['karpenter.k8s.aws/instance-generation'] = match[2];
  if (info.VCpuInfo?.DefaultVCpus !== undefined) labels['karpenter.k8s.aws/instance-cpu'] = String(info.VCpuInfo.DefaultVCpus);
  if (info.MemoryInfo?.SizeInMiB !== undefined) labels['karpenter.k8s.aws/instance-memory'] = String(info.MemoryInfo.SizeInMiB);
  const manufacturer = info.ProcessorInfo?.Manufacturer;
  if (manufacturer !== undefined && manufacturer !== '') labels['karpenter.k8s.aws/instance-cpu-manufacturer'] = manufacturer.toLowerCase();
  if (info.Hypervisor !== undefined) labels['karpenter.k8s.aws/instance-hypervisor'] = info.Hypervisor;
  if (info.InstanceStorageInfo?.TotalSizeInGB !== undefined) labels['karpenter.k8s.aws/instance-local-nvme'] = String(info.InstanceStorageInfo.TotalSizeInGB);
  if (info.NetworkInfo?.EncryptionInTransitSupported !== undefined) {
    labels['karpenter.k8s.aws/instance-encryption-in-transit-supported'] = String(info.NetworkInfo.EncryptionInTransitSupported);
  }
  const bandwidthMbps = networkBandwidthMbps(info);
  if (bandwidthMbps !== undefined) labels['karpenter.k8s.aws/instance-network-bandwidth'] = String(bandwidthMbps);
  const gpu = info.GpuInfo?.Gpus?.[0];
  if (gpu !== undefined) {
    if (gpu.Name !== undefined) labels['karpenter.k8s.aws/instance-gpu-name'] = gpu.Name.toLowerCase();
    if (gpu.Manufacturer !== undefined) labels['karpenter.k8s.aws/instance-gpu-manufacturer'] = gpu.Manufacturer.toLowerCase();
    if (gpu.Count !== undefined) labels['karpenter.k8s.aws/instance-gpu-count'] = String(gpu.Count);
    if (gpu.MemoryInfo?.SizeInMiB !== undefined) labels['karpenter.k8s.aws/instance-gpu-memory'] = String(gpu.MemoryInfo.SizeInMiB);
  }
  return labels;
}

/**
 * The domain InstanceType of `info` with the given offerings. Capacity: `cpu` in millicores, `memory` in
 * bytes (SizeInMiB less ceil(SizeInMiB × vmMemoryOverheadPercent) MiB), `pods`, `nvidia.com/gpu` /
 * `amd.com/gpu` and `aws.amazon.com/neuron` counts. Returns undefined when EC2 gave no vCPU or memory figure.
 */
export function mapInstanceType(info: InstanceTypeInfo, offerings: readonly Offering[], options: MapInstanceTypeOptions = {}): InstanceType | undefined {
  const vcpus = info.VCpuInfo?.DefaultVCpus;
  const memoryMiB = info.MemoryInfo?.SizeInMiB;
  if (info.InstanceType === undefined || vcpus === undefined || memoryMiB === undefined) return undefined;
  const overheadMiB = Math.ceil(memoryMiB * (options.vmMemoryOverheadPercent ?? 0.075));
  const pods = options.maxPods ?? eniLimitedPods(info) ?? 110;
  const capacity: Record<string, number> = { cpu: vcpus * 1000, memory: (memoryMiB - overheadMiB) * MIB, pods };
  for (const gpu of info.GpuInfo?.Gpus ?? []) {
    const resource = gpu.Manufacturer === 'NVIDIA' ? 'nvidia.com/gpu' : gpu.Manufacturer === 'AMD' ? 'amd.com/gpu' : undefined;
    if (resource !== undefined) capacity[resource] = (capacity[resource] ?? 0) + (gpu.Count ?? 0);
  }
  const neuron = (info.NeuronInfo?.NeuronDevices ?? []).reduce((sum, d) => sum + (d.Count ?? 0), 0);
  if (neuron > 0) capacity['aws.amazon.com/neuron'] = neuron;
  return { name: info.InstanceType, labels: instanceTypeLabels(info), capacity, overhead: karpenterDefaultOverhead(capacity), offerings };
}
