import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { eniLimitedPods, mapInstanceType, networkBandwidthMbps } from './instancetype-mapping.js';

const MIB = 2 ** 20;

// Shapes as DescribeInstanceTypes returns them (trimmed to the fields the mapping reads).
const m5large: InstanceTypeInfo = {
  InstanceType: 'm5.large',
  VCpuInfo: { DefaultVCpus: 2 },
  MemoryInfo: { SizeInMiB: 8192 },
  ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
  Hypervisor: 'nitro',
  NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10, EncryptionInTransitSupported: false },
};
const g5xlarge: InstanceTypeInfo = {
  InstanceType: 'g5.xlarge',
  VCpuInfo: { DefaultVCpus: 4 },
  MemoryInfo: { SizeInMiB: 16384 },
  ProcessorInfo: { SupportedArchitectures: ['x86_64'] },
  Hypervisor: 'nitro',
  InstanceStorageInfo: { TotalSizeInGB: 250 },
  NetworkInfo: { MaximumNetworkInterfaces: 4, Ipv4AddressesPerInterface: 15, EncryptionInTransitSupported: true },
  GpuInfo: { Gpus: [{ Name: 'A10G', Manufacturer: 'NVIDIA', Count: 1, MemoryInfo: { SizeInMiB: 24576 } }] },
};

describe('mapInstanceType', () => {
  it('m5.large: 29 ENI pods, memory less 7.5%, Karpenter labels and overhead', () => {
    const t = mapInstanceType(m5large, [])!;
    expect(eniLimitedPods(m5large)).toBe(29);
    expect(t.capacity).toEqual({ cpu: 2000, memory: (8192 - 615) * MIB, pods: 29 });
    expect(t.labels).toMatchObject({
      'kubernetes.io/arch': 'amd64',
      'karpenter.k8s.aws/instance-category': 'm',
      'karpenter.k8s.aws/instance-family': 'm5',
      'karpenter.k8s.aws/instance-generation': '5',
      'karpenter.k8s.aws/instance-size': 'large',
      'karpenter.k8s.aws/instance-cpu': '2',
      'karpenter.k8s.aws/instance-memory': '8192',
      'karpenter.k8s.aws/instance-hypervisor': 'nitro',
    });
    expect(t.overhead.kubeReserved).toMatchObject({ cpu: 70, memory: 574 * MIB });
    expect(t.overhead.evictionThreshold).toMatchObject({ memory: 100 * MIB });
  });

  it('g5.xlarge: NVIDIA GPU capacity and gpu labels, local NVMe; kubelet maxPods wins over ENI limits', () => {
    const t = mapInstanceType(g5xlarge, [], { maxPods: 110, vmMemoryOverheadPercent: 0 })!;
    expect(t.capacity).toEqual({ cpu: 4000, memory: 16384 * MIB, pods: 110, 'nvidia.com/gpu': 1 });
    expect(t.labels).toMatchObject({
      'karpenter.k8s.aws/instance-gpu-name': 'a10g',
      'karpenter.k8s.aws/instance-gpu-manufacturer': 'nvidia',
      'karpenter.k8s.aws/instance-gpu-count': '1',
      'karpenter.k8s.aws/instance-gpu-memory': '24576',
      'karpenter.k8s.aws/instance-local-nvme': '250',
      'karpenter.k8s.aws/instance-encryption-in-transit-supported': 'true',
    });
  });

  it('returns undefined for a type without vCPU or memory figures', () => {
    expect(mapInstanceType({ InstanceType: 'm5.large' }, [])).toBeUndefined();
  });
});

describe('networkBandwidthMbps (karpenter.k8s.aws/instance-network-bandwidth)', () => {
  it.each([
    ['baseline of one card', { NetworkCards: [{ BaselineBandwidthInGbps: 0.75 }], NetworkPerformance: 'Up to 10 Gigabit' }, 750],
    ['baselines of several cards add up', { NetworkCards: [{ BaselineBandwidthInGbps: 100 }, { BaselineBandwidthInGbps: 100 }] }, 200_000],
    ['fixed figure without card baselines', { NetworkPerformance: '25 Gigabit' }, 25_000],
    ['fixed multi-card figure', { NetworkPerformance: '4x 100 Gigabit' }, 400_000],
    ['burst-only figure: unknown', { NetworkPerformance: 'Up to 12.5 Gigabit' }, undefined],
    ['words: unknown', { NetworkPerformance: 'Moderate' }, undefined],
  ])('%s', (_, NetworkInfo, expected) => {
    const info: InstanceTypeInfo = { ...m5large, NetworkInfo };
    expect(networkBandwidthMbps(info)).toBe(expected);
    expect(mapInstanceType(info, [])?.labels['karpenter.k8s.aws/instance-network-bandwidth']).toBe(expected === undefined ? undefined : String(expected));
  });
});
