/**
 * The only door from the plan validator into `@karpenter-ts/provisioner-domain`: quantity parsing and object
 * shapes, nothing of the scheduler. One place, so the independence of the validator is easy to check.
 */
export { toCanonicalAmount } from '@karpenter-ts/provisioner-domain';
export type {
  Container,
  DaemonSet,
  InstanceType,
  LabelSelector,
  Namespace,
  NodeClaimPlan,
  NodePool,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimSpec,
  Pod,
  PodAffinityTerm,
  QuantityMap,
  ResourceList,
  SchedulingResult,
  SchedulingSnapshot,
  StorageClass,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from '@karpenter-ts/provisioner-domain';
