import { z } from 'zod';
import { ResourceListSchema } from './common.js';

/**
 * A pod waiting for capacity (unbound, not terminal, not yet placed by the provisioner), with why it waits.
 * `reason` is for a person; `nodePools` gives, per NodePool name, the first constraint that excluded the pod
 * (empty while the pod still fits a node being launched).
 */
export const PendingPodSchema = z.object({
  namespace: z.string(),
  name: z.string(),
  /** The team of the pod's namespace (its team label), or `"unassigned"`. */
  team: z.string(),
  /** Pod requests (containers, init containers and overhead as the scheduler counts them). */
  requests: ResourceListSchema,
  /** RFC 3339 creation time of the pod, when known. */
  createdAt: z.string().optional(),
  /** Why it waits, for a person. */
  reason: z.string(),
  /** Per NodePool name, why that NodePool cannot take it. */
  nodePools: z.record(z.string(), z.string()),
  /** The node or NodeClaim the provisioner nominated for it, while it waits for that capacity to come up. */
  nominatedTo: z.string().optional(),
});
export type PendingPod = z.infer<typeof PendingPodSchema>;

/** `GET /api/v1/pending`: every pending pod, ordered by namespace then name. */
export const PendingResponseSchema = z.object({
  /** RFC 3339 time the answer was computed. */
  generatedAt: z.string(),
  pods: z.array(PendingPodSchema),
});
export type PendingResponse = z.infer<typeof PendingResponseSchema>;
