import { z } from 'zod';

/**
 * `POST /api/v1/simulate`: the body is a DESIGN.md §4.1 scenario (multi-document YAML or JSON; content type
 * `application/yaml`, `text/yaml`, `application/json` or `text/plain`); the answer is the §4.2 JSON of
 * `karpenter-ts simulate`, key order included.
 */
export const SimulatedNodeClaimSchema = z.object({
  nodePool: z.string(),
  instanceType: z.string(),
  instanceTypeOptions: z.array(z.string()),
  capacityType: z.string(),
  zone: z.string(),
  /** USD per hour. */
  pricePerHour: z.number().nonnegative(),
  /** `namespace/name`. */
  pods: z.array(z.string()),
  requests: z.record(z.string(), z.string()),
});
export type SimulatedNodeClaim = z.infer<typeof SimulatedNodeClaimSchema>;

export const SimulateResponseSchema = z.object({
  nodeClaims: z.array(SimulatedNodeClaimSchema),
  existingNodes: z.array(z.object({ name: z.string(), pods: z.array(z.string()) })),
  unschedulable: z.array(z.object({ pod: z.string(), reason: z.string(), nodePools: z.record(z.string(), z.string()) })),
  /** USD per hour. */
  totalPricePerHour: z.number().nonnegative(),
});
export type SimulateResponse = z.infer<typeof SimulateResponseSchema>;
