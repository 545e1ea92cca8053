import { z } from 'zod';
import { ResourceListSchema } from './common.js';

/** One way to buy an instance type (Karpenter's Offering): a zone and a capacity type at a price. */
export const OfferingSchema = z.object({
  zone: z.string(),
  capacityType: z.string(),
  /** USD per hour. */
  pricePerHour: z.number().nonnegative(),
  /** False when the provider reports no capacity (e.g. after an InsufficientCapacityError). */
  available: z.boolean(),
});
export type Offering = z.infer<typeof OfferingSchema>;

/** An instance type of a NodePool's catalog: capacity, allocatable (capacity minus overhead), labels, offerings. */
export const InstanceTypeSchema = z.object({
  name: z.string(),
  /** Well-known single-valued labels of the type (arch, os, family, size, ...). */
  labels: z.record(z.string(), z.string()),
  capacity: ResourceListSchema,
  /** Capacity minus kube-reserved, system-reserved and the eviction threshold. */
  allocatable: ResourceListSchema,
  /** Cheapest first. */
  offerings: z.array(OfferingSchema),
});
export type InstanceType = z.infer<typeof InstanceTypeSchema>;

/**
 * `GET /api/v1/instancetypes?nodePool=NAME`: the NodePool's catalog as the cloud provider reports it for that
 * NodePool, ordered by name. Without `nodePool`: one entry per NodePool.
 */
export const InstanceTypesResponseSchema = z.object({
  nodePools: z.array(
    z.object({
      nodePool: z.string(),
      instanceTypes: z.array(InstanceTypeSchema),
    }),
  ),
});
export type InstanceTypesResponse = z.infer<typeof InstanceTypesResponseSchema>;
