import type { ResourceList } from '../quantity/resourcelist.js';

/** Karpenter's capacity types, in launch preference order when several are allowed and priced. */
export type CapacityType = 'reserved' | 'spot' | 'on-demand';

/**
 * One way to buy an instance type: a zone and a capacity type at a price.
 * Mirrors Karpenter's `cloudprovider.Offering` (its requirements reduced to zone + capacity type).
 */
export interface Offering {
  zone: string;
  capacityType: CapacityType;
  /** USD per hour. */
  pricePerHour: number;
  /** False when the provider reports no capacity (e.g. after an InsufficientCapacityError). */
  available: boolean;
}

/** Resources the node keeps for itself; allocatable = capacity - kubeReserved - systemReserved - evictionThreshold. */
export interface InstanceTypeOverhead {
  kubeReserved: ResourceList;
  systemReserved: ResourceList;
  evictionThreshold: ResourceList;
}

/**
 * A machine shape a cloud provider can launch. Mirrors Karpenter's `cloudprovider.InstanceType`.
 * `labels` are the well-known single-valued labels of the type (`node.kubernetes.io/instance-type`,
 * `kubernetes.io/arch`, `kubernetes.io/os`, family/size/cpu/memory labels, ...); zone and capacity type come
 * from `offerings`.
 */
export interface InstanceType {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Canonical units (see ResourceList). */
  capacity: ResourceList;
  overhead: InstanceTypeOverhead;
  offerings: readonly Offering[];
  /**
   * Where the `ephemeral-storage` capacity comes from, for explanations: e.g. `the 40Gi volume
   * spec.blockDeviceMappings[0] (/dev/xvda) of EC2NodeClass linux` (set by `shapeInstanceTypesByNodeClass`).
   */
  ephemeralStorageSource?: string;
}
