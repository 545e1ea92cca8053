import { createApiRef } from '@backstage/core-plugin-api';
import type { CapacityResponse } from '@karpenter-ts/capacity-api';

/** Options of {@link KarpenterCapacityApi.getCapacity}. */
export interface GetCapacityOptions {
  /**
   * Split the idle cost of shared capacity over the teams in proportion to their allocated cost
   * (OpenCost "share idle"); the controller's `shareIdle=true`. Default false: shared idle is reported apart.
   */
  shareIdle?: boolean;
  /** Aborts the request (a page that unmounts). */
  signal?: AbortSignal;
}

/**
 * Reads the karpenter-ts controller's read-only API (DESIGN.md §4.3). Implementations resolve with a
 * response that passed the shared zod schema (`@karpenter-ts/capacity-api`) and reject with a
 * {@link CapacityApiError} whose `code` says what went wrong and whose `hint` says what to change.
 */
export interface KarpenterCapacityApi {
  /** `GET /api/v1/capacity?groupBy=team`: per-team nodes, requests, allocatable, cost and pending pods. */
  getCapacity(options?: GetCapacityOptions): Promise<CapacityResponse>;
}

/** The Backstage ApiRef of {@link KarpenterCapacityApi} (id `plugin.karpenter-ts.capacity`). */
export const karpenterCapacityApiRef = createApiRef<KarpenterCapacityApi>({ id: 'plugin.karpenter-ts.capacity' });
