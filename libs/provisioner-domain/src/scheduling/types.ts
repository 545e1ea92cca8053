import type { NodePool } from '../apis/index.js';
import type {
  DaemonSet,
  LimitRange,
  Namespace,
  NodeSelectorRequirementWithMinValues,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  StorageClass,
  Taint,
} from '../core/types.js';
import type { Rejection } from '../explain/rejection.js';
import type { CapacityType, InstanceType } from '../instancetypes/types.js';
import type { LimitRangeChange } from './limit-range.js';
import type { DisplacedPod, SkippedPod } from './provisionable.js';
import type { ResourceList } from '../quantity/resourcelist.js';

/**
 * A node that exists, or a NodeClaim launched but not yet registered (in flight), as the scheduler sees it.
 * In-flight NodeClaims count as capacity so that one round never launches twice for the same pods.
 */
export interface ExistingNode {
  /** Node name, or the NodeClaim name while the node is in flight. */
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  /** Canonical units. */
  allocatable: ResourceList;
  /** Canonical units; counted against NodePool limits (Karpenter counts capacity). Defaults to `allocatable`. */
  capacity?: ResourceList;
  /** Pods bound (or nominated) to it, DaemonSet pods included. */
  pods: readonly Pod[];
  /** Registered, Ready and startup taints gone (Karpenter's Initialized condition). */
  initialized: boolean;
  /** `karpenter.sh/nodepool` of a Karpenter-managed node; counted against that NodePool's limits. */
  nodePoolName?: string;
  /**
   * Going away: a NodeClaim being deleted or carrying the `karpenter.sh/disrupted` taint, or a Node with a
   * deletionTimestamp (Karpenter's `StateNode.MarkedForDeletion`). No new pods go there, and its reschedulable
   * pods are packed with the pending ones (see `roundPods`). A cordoned node is not going away: give it the
   * `node.kubernetes.io/unschedulable` taint instead.
   */
  markedForDeletion?: boolean;
  /**
   * For an in-flight NodeClaim (no Node registered yet): its `spec.requirements`. A pod then matches when its
   * node requirements are compatible with these and the labels (a pod with `zone In [a, b]` matches a NodeClaim
   * with `zone In [a, b]`, though no zone label is known yet), and each pod placed narrows them for the rest
   * of the round (two pods needing different zones never share it). Omitted for registered nodes: pods match
   * their labels, as kube-scheduler does.
   */
  requirements?: readonly NodeSelectorRequirementWithMinValues[];
}

/** Everything the scheduling simulation reads: a value, no clients. */
export interface SchedulingSnapshot {
  /**
   * Pods to place (pending, or displaced by a disruption simulation). Pods Karpenter does not provision for
   * (bound, preempting, terminal, terminating, DaemonSet, mirror) are skipped with a reason; the reschedulable
   * pods of existing nodes marked for deletion are added (see `roundPods`).
   */
  pods: readonly Pod[];
  existingNodes: readonly ExistingNode[];
  /** karpenter.sh/v1 NodePools with defaults applied (Provisioners converted first). */
  nodePools: readonly NodePool[];
  /** Instance types per NodePool name, as `CloudProvider.getInstanceTypes` returned them. */
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
  daemonSets?: readonly DaemonSet[];
  persistentVolumes?: readonly PersistentVolume[];
  persistentVolumeClaims?: readonly PersistentVolumeClaim[];
  storageClasses?: readonly StorageClass[];
  namespaces?: readonly Namespace[];
  /**
   * LimitRanges whose Container defaults are applied to the pods to place and to DaemonSet pod templates before
   * packing, as admission would (see `applyLimitRangeDefaults`): for pods that have not been through admission
   * (a scenario's). A controller, whose pods are admitted, applies them to its DaemonSets itself
   * (`applyLimitRangeDefaultsToDaemonSet`) and leaves this unset.
   */
  limitRanges?: readonly LimitRange[];
}

/**
 * How planned NodeClaims are sized. `karpenter` is Karpenter's algorithm as is: a NodeClaim keeps taking pods
 * while any instance type still fits them, so it may end up on a large type when smaller ones would be cheaper.
 * `cost` (the default) runs the same algorithm, then replaces groups of NodeClaims by a cheaper set when it
 * finds one that keeps every constraint, and keeps the Karpenter-style plan otherwise: its total price is never
 * above the `karpenter` plan's on the same input, with the same pods placed (see `improvePacking`, ADR 0003).
 */
export type PackingMode = 'karpenter' | 'cost';

export interface SchedulingOptions {
  /** `Respect` (default) relaxes preferences only when a pod cannot fit; `Ignore` drops them up front. */
  preferencePolicy?: 'Respect' | 'Ignore';
  /** `cost` (default) or `karpenter`; see `PackingMode`. */
  packing?: PackingMode;
}

/** What a launch of a planned NodeClaim would pick: the cheapest available offering of its options. */
export interface LaunchChoice {
  instanceType: string;
  capacityType: CapacityType;
  zone: string;
  /** USD per hour. */
  pricePerHour: number;
}

/** A NodeClaim the round decided to create. */
export interface NodeClaimPlan {
  nodePoolName: string;
  /** Requirements to write on the NodeClaim spec: the NodePool's, narrowed by its pods, plus instance-type In options. */
  requirements: NodeSelectorRequirementWithMinValues[];
  /** Names of every instance type that fits all of `pods`, cheapest first. */
  instanceTypeOptions: string[];
  launch: LaunchChoice;
  pods: Pod[];
  /** Sum of the pods' requests plus DaemonSet overhead, canonical units. */
  requests: ResourceList;
  /** Requests of the DaemonSets that would run on the launched type (included in `requests`), canonical units. */
  daemonSetOverhead?: ResourceList;
  /**
   * Labels the launched node gets: the NodePool's template labels, single-valued requirements, the launched
   * type's labels, `karpenter.sh/nodepool`, `karpenter.sh/capacity-type`, `topology.kubernetes.io/zone`,
   * `node.kubernetes.io/instance-type` and `kubernetes.io/hostname` (the placeholder).
   */
  labels?: Record<string, string>;
  /** Unique placeholder hostname of this plan within the round (`hostname-placeholder-0001`). */
  hostname?: string;
}

export interface UnschedulablePod {
  pod: Pod;
  /** For a person: why no existing node and no NodePool can take the pod. */
  reason: string;
  /** Per NodePool name, the first constraint that excluded the pod. */
  nodePools: Record<string, string>;
  /** The same per NodePool, as data (see `describeRejection`). */
  rejections?: Record<string, Rejection>;
}

export interface SchedulingResult {
  nodeClaims: NodeClaimPlan[];
  /** Existing nodes that received pods in this round. */
  existingNodes: { name: string; pods: Pod[] }[];
  unschedulable: UnschedulablePod[];
  /** Pods of the snapshot that Karpenter does not provision for, with the reason, in snapshot order. */
  skipped: SkippedPod[];
  /** Pods taken from nodes going away and placed with the pending ones (placed or unschedulable above). */
  displaced: DisplacedPod[];
  /** Pods to place and DaemonSets whose LimitRange defaults were applied, with what changed. */
  limitRangeDefaults: LimitRangeChange[];
}
