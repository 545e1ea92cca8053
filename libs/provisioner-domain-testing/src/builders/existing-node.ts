import { allocatable as allocatableOf, toResourceList, type ExistingNode, type InstanceType, type Pod, type QuantityMap, type Taint } from '@karpenter-ts/provisioner-domain';

export interface ExistingNodeOptions {
  /** Default `node`; also the hostname label. */
  name?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Default `{cpu: 4, memory: 16Gi, pods: 110}`, or the instance type's allocatable. */
  allocatable?: QuantityMap;
  capacity?: QuantityMap;
  /** Takes capacity, allocatable and labels from this type, plus zone / capacity type below. */
  instanceType?: InstanceType;
  zone?: string;
  capacityType?: string;
  pods?: Pod[];
  /** Default true. */
  initialized?: boolean;
  nodePoolName?: string;
  markedForDeletion?: boolean;
}

/** A node as the scheduler sees it (see ExistingNode); pods listed run there. */
export function existingNode(options: ExistingNodeOptions = {}): ExistingNode {
  const name = options.name ?? 'node';
  const it = options.instanceType;
  const labels: Record<string, string> = {
    ...(it?.labels ?? {}),
    'kubernetes.io/hostname': name,
    ...(options.zone ? { 'topology.kubernetes.io/zone': options.zone } : {}),
    ...(options.capacityType ? { 'karpenter.sh/capacity-type': options.capacityType } : {}),
    ...(options.nodePoolName ? { 'karpenter.sh/nodepool': options.nodePoolName } : {}),
    ...(options.labels ?? {}),
  };
  const allocatable = options.allocatable ? toResourceList(options.allocatable) : it ? allocatableOf(it) : toResourceList({ cpu: 4, memory: '16Gi', pods: 110 });
  const capacity = options.capacity ? toResourceList(options.capacity) : it?.capacity;
  return {
    name,
    labels,
    taints: options.taints ?? [],
    allocatable,
    ...(capacity ? { capacity } : {}),
    pods: (options.pods ?? []).map((p) => ({ ...p, spec: { ...p.spec, nodeName: name } })),
    initialized: options.initialized ?? true,
    ...(options.nodePoolName ? { nodePoolName: options.nodePoolName } : {}),
    ...(options.markedForDeletion ? { markedForDeletion: true } : {}),
  };
}
