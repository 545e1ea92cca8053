import { toResourceList, type CapacityType, type InstanceType, type Offering, type QuantityMap } from '@karpenter-ts/provisioner-domain';

export interface InstanceTypeOptions {
  /** Default `<cpu>x`, e.g. `4x`. */
  name?: string;
  /** vCPUs (default 4). */
  cpu?: number;
  /** Memory quantity (default `<2 × cpu>Gi`). */
  memory?: string;
  /** Pods capacity (default 110). */
  pods?: number;
  /** More capacity, e.g. `{'nvidia.com/gpu': 1}`. */
  extra?: QuantityMap;
  /** Labels added to instance-type, arch (amd64) and os (linux). */
  labels?: Record<string, string>;
  arch?: string;
  os?: string;
  /** Default `['zone-a']`. */
  zones?: string[];
  /** Default `['on-demand']`. */
  capacityTypes?: CapacityType[];
  /** On-demand USD per hour (default 0.025/vCPU + 0.001/GiB); spot is 0.7×, reserved 0.5×. */
  price?: number;
  /** Offerings marked unavailable, as `zone/capacityType`. */
  unavailable?: string[];
  /** Overheads as quantity maps. */
  kubeReserved?: QuantityMap;
  systemReserved?: QuantityMap;
  evictionThreshold?: QuantityMap;
}

/** An InstanceType with capacity in canonical units and one offering per zone × capacity type. */
export function instanceType(options: InstanceTypeOptions = {}): InstanceType {
  const cpu = options.cpu ?? 4;
  const name = options.name ?? `${cpu}x`;
  const capacity = toResourceList({ cpu, memory: options.memory ?? `${cpu * 2}Gi`, pods: options.pods ?? 110, ...(options.extra ?? {}) });
  const gib = (capacity['memory'] ?? 0) / 2 ** 30;
  const onDemand = options.price ?? Math.round((0.025 * cpu + 0.001 * gib) * 1e9) / 1e9;
  const factor: Record<CapacityType, number> = { 'on-demand': 1, spot: 0.7, reserved: 0.5 };
  const offerings: Offering[] = [];
  for (const zone of options.zones ?? ['zone-a']) {
    for (const capacityType of options.capacityTypes ?? ['on-demand']) {
      offerings.push({ zone, capacityType, pricePerHour: onDemand * factor[capacityType], available: !(options.unavailable ?? []).includes(`${zone}/${capacityType}`) });
    }
  }
  return {
    name,
    labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': options.arch ?? 'amd64', 'kubernetes.io/os': options.os ?? 'linux', ...(options.labels ?? {}) },
    capacity,
    overhead: {
      kubeReserved: toResourceList(options.kubeReserved),
      systemReserved: toResourceList(options.systemReserved),
      evictionThreshold: toResourceList(options.evictionThreshold),
    },
    offerings,
  };
}
