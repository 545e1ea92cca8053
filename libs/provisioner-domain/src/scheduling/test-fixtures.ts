/**
 * Minimal builders for the domain's own tests (the public builders live in @karpenter-ts/provisioner-domain-testing,
 * which depends on this package, so the domain cannot import them).
 */
import type { NodePool } from '../apis/index.js';
import type { Container, NodeSelectorRequirementWithMinValues, Pod, PodSpec, Taint } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import type { ExistingNode } from './types.js';

export function testPod(name: string, opts: { cpu?: string; memory?: string; labels?: Record<string, string>; namespace?: string; created?: string; extra?: Record<string, string> } & Partial<PodSpec> = {}): Pod {
  const { cpu, memory, labels, namespace, created, extra, ...spec } = opts;
  const requests: Record<string, string> = { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}), ...(extra ?? {}) };
  const container: Container = { name: 'c', image: 'pause', resources: { requests } };
  return {
    metadata: { name, namespace: namespace ?? 'default', uid: `uid-${name}`, labels: labels ?? {}, ...(created ? { creationTimestamp: created } : {}) },
    spec: { containers: [container], ...spec },
  };
}

export function testNodePool(
  name: string,
  opts: {
    requirements?: NodeSelectorRequirementWithMinValues[];
    taints?: Taint[];
    startupTaints?: Taint[];
    labels?: Record<string, string>;
    limits?: Record<string, string | number>;
    weight?: number;
  } = {},
): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: {
        ...(opts.labels ? { metadata: { labels: opts.labels } } : {}),
        spec: {
          nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
          requirements: (opts.requirements ?? []) as NodePool['spec']['template']['spec']['requirements'],
          ...(opts.taints ? { taints: opts.taints } : {}),
          ...(opts.startupTaints ? { startupTaints: opts.startupTaints } : {}),
        },
      },
      ...(opts.limits ? { limits: opts.limits } : {}),
      ...(opts.weight !== undefined ? { weight: opts.weight } : {}),
    },
  } as NodePool;
}

export function testInstanceType(
  name: string,
  cpu: number,
  memoryGi: number,
  opts: { pods?: number; price?: number; zones?: string[]; capacityTypes?: ('spot' | 'on-demand' | 'reserved')[]; labels?: Record<string, string>; extra?: Record<string, number> } = {},
): InstanceType {
  const price = opts.price ?? cpu * 0.025 + memoryGi * 0.001;
  const offerings = (opts.zones ?? ['zone-a']).flatMap((zone) =>
    (opts.capacityTypes ?? ['on-demand']).map((capacityType) => ({ zone, capacityType, pricePerHour: capacityType === 'spot' ? price * 0.7 : capacityType === 'reserved' ? price * 0.5 : price, available: true })),
  );
  return {
    name,
    labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', ...(opts.labels ?? {}) },
    capacity: { cpu: cpu * 1000, memory: memoryGi * 2 ** 30, pods: opts.pods ?? 110, ...(opts.extra ?? {}) },
    overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
    offerings,
  };
}

export function testExistingNode(name: string, opts: Partial<ExistingNode> & { cpu?: number; memoryGi?: number } = {}): ExistingNode {
  const { cpu, memoryGi, ...rest } = opts;
  return {
    name,
    labels: { 'kubernetes.io/hostname': name, ...(opts.labels ?? {}) },
    taints: [],
    allocatable: { cpu: (cpu ?? 4) * 1000, memory: (memoryGi ?? 16) * 2 ** 30, pods: 110 },
    pods: [],
    initialized: true,
    ...rest,
  };
}
