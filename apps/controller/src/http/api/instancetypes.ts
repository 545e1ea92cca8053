import type { InstanceTypesResponse } from '@karpenter-ts/capacity-api';
import { allocatable, compareOfferingKey, formatRequests, type InstanceType } from '@karpenter-ts/provisioner-domain';

/**
 * `GET /api/v1/instancetypes`: each NodePool's catalog as the cloud provider reports it for that NodePool,
 * types by name, offerings cheapest first (ties by zone and capacity type).
 */
export function buildInstanceTypes(byPool: readonly { nodePool: string; instanceTypes: readonly InstanceType[] }[]): InstanceTypesResponse {
  return {
    nodePools: byPool.map(({ nodePool, instanceTypes }) => ({
      nodePool,
      instanceTypes: [...instanceTypes]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((type) => ({
          name: type.name,
          labels: { ...type.labels },
          capacity: formatRequests(type.capacity),
          allocatable: formatRequests(allocatable(type)),
          offerings: [...type.offerings]
            .sort((a, b) => a.pricePerHour - b.pricePerHour || compareOfferingKey(a, b))
            .map((o) => ({ zone: o.zone, capacityType: o.capacityType, pricePerHour: o.pricePerHour, available: o.available })),
        })),
    })),
  };
}
