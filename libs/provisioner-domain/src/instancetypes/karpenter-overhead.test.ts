import { describe, expect, it } from 'vitest';
import { allocatable } from './allocatable.js';
import { karpenterDefaultOverhead, kubeReservedCpuMillis, kubeReservedMemoryBytes } from './karpenter-overhead.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;

// Values of aws/karpenter-provider-aws kubeReservedResources / evictionThreshold (pkg/providers/instancetype/types.go).
describe('karpenterDefaultOverhead', () => {
  it.each([
    [1000, 60],
    [2000, 70],
    [4000, 80],
    [8000, 90],
    [96000, 310],
    [500, 30],
  ])('kube-reserved cpu of %i millicores is %i millicores', (cpu, expected) => {
    expect(kubeReservedCpuMillis(cpu)).toBe(expected);
  });

  it.each([
    [29, 574],
    [58, 893],
    [110, 1465],
    [737, 8362],
  ])('kube-reserved memory for %i pods is %i MiB', (pods, mib) => {
    expect(kubeReservedMemoryBytes(pods)).toBe(mib * MIB);
  });

  it('gives an m5.large (2 vCPU, 7577Mi after VM overhead, 29 pods, 20Gi disk) the allocatable Karpenter computes', () => {
    const capacity = { cpu: 2000, memory: 7577 * MIB, pods: 29, 'ephemeral-storage': 20 * GIB };
    const overhead = karpenterDefaultOverhead(capacity);
    expect(overhead).toEqual({
      kubeReserved: { cpu: 70, memory: 574 * MIB, 'ephemeral-storage': GIB },
      systemReserved: {},
      evictionThreshold: { memory: 100 * MIB, 'ephemeral-storage': Math.ceil((20 * GIB) / 10) },
    });
    expect(allocatable({ capacity, overhead })).toEqual({ cpu: 1930, memory: 6903 * MIB, pods: 29, 'ephemeral-storage': 20 * GIB - GIB - Math.ceil((20 * GIB) / 10) });
  });

  it('reserves nothing for resources the type does not have', () => {
    expect(karpenterDefaultOverhead({ 'nvidia.com/gpu': 1 })).toEqual({ kubeReserved: {}, systemReserved: {}, evictionThreshold: {} });
  });
});
