import type { NodeClaim, NodePool } from '../apis/index.js';
import type { InstanceType } from '../instancetypes/types.js';

/**
 * The port through which the controller launches and removes capacity. Mirrors Karpenter's
 * `cloudprovider.CloudProvider`. Implementations live at the edge (apps/controller/src/cloudprovider/*).
 *
 * Error contract (typed errors in ./errors.ts):
 * - `create` throws `InsufficientCapacityError` when no offering of the NodeClaim's requirements has capacity,
 *   naming the offerings that failed. The provider marks them unavailable in its unavailable-offerings cache
 *   (as Karpenter AWS's `UnavailableOfferings`, 3 minutes), so `getInstanceTypes` reports them
 *   `available: false` and `create` skips them meanwhile; the caller deletes the NodeClaim so that its pods are
 *   provisioned again around them.
 *   `NodeClassNotReadyError` when the referenced node class cannot be used yet, `CreateError` otherwise.
 * - `delete` and `get` throw `NodeClaimNotFoundError` when the instance is already gone; the termination
 *   controller treats that as success.
 * - Any other thrown Error is transient: the caller retries with backoff.
 */
export interface CloudProvider {
  /** Short provider name used in providerIDs, logs and metrics, e.g. `aws`, `simulated`. */
  readonly name: string;
  /**
   * Launches one instance for the NodeClaim, choosing among its requirements' instance types and offerings
   * (cheapest available). Returns the NodeClaim with `status.providerID`, `status.capacity`,
   * `status.allocatable`, `status.imageID` and the resolved labels (instance type, zone, capacity type).
   */
  create(nodeClaim: NodeClaim): Promise<NodeClaim>;
  /** Terminates the instance behind `nodeClaim.status.providerID`. */
  delete(nodeClaim: NodeClaim): Promise<void>;
  /** The instance with this providerID, as a NodeClaim. */
  get(providerID: string): Promise<NodeClaim>;
  /** Every instance this provider launched for the cluster (for garbage collection). */
  list(): Promise<NodeClaim[]>;
  /** The instance types a NodePool may launch, with offerings and prices. */
  getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]>;
  /** A drift reason (e.g. `AMIDrift`) when the instance no longer matches its node class, else `undefined`. */
  isDrifted(nodeClaim: NodeClaim): Promise<string | undefined>;
}
