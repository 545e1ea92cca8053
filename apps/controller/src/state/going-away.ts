import { TAINT_DISRUPTED, type Node } from '@karpenter-ts/provisioner-domain';

/**
 * A Node that is going away (Karpenter's `StateNode.MarkedForDeletion`): it has a deletionTimestamp or carries
 * the `karpenter.sh/disrupted` taint. A cordoned node (`spec.unschedulable`) is not: it takes no new pods (its
 * `node.kubernetes.io/unschedulable` taint says so) but its pods stay.
 */
export function isGoingAway(node: Node): boolean {
  return Boolean(node.metadata.deletionTimestamp) || (node.spec?.taints ?? []).some((t) => t.key === TAINT_DISRUPTED.key);
}
