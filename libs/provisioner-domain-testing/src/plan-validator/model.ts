/**
 * The cluster as it would look after a scheduling round: every existing node with its pods, and every planned
 * NodeClaim as the node a launch would make (the chosen instance type, zone and capacity type), with the pods
 * the plan put on each. Built from the snapshot and the result only; the scheduler's modules are not used.
 */
import type {
  DaemonSet,
  InstanceType,
  NodeClaimPlan,
  NodePool,
  Pod,
  ResourceList,
  SchedulingResult,
  SchedulingSnapshot,
  Taint,
} from './domain.js';
import { fixedLabelView, nodeSelectionProblem, plannedLabelView, podKey, untoleratedTaint, type LabelView } from './labels.js';
import type { PlanViolation } from './violation.js';

/** One node of the after-round cluster. */
export interface ValidatorNode {
  /** Existing node name, or `nodeClaims[i]` for a plan. */
  id: string;
  planned: boolean;
  view: LabelView;
  /** Taints a pod must tolerate to run there (a plan: the NodePool's `taints`, not its `startupTaints`). */
  taints: readonly Taint[];
  /** `undefined` when unknown (a plan naming an instance type the snapshot does not have). */
  allocatable: ResourceList | undefined;
  existingPods: readonly Pod[];
  newPods: Pod[];
  /** DaemonSet pods that would run on a planned node (empty for existing nodes, whose pods are listed). */
  daemonPods: Pod[];
  nodePoolName: string | undefined;
  markedForDeletion: boolean;
  plan?: { index: number; value: NodeClaimPlan; pool: NodePool | undefined; instanceType: InstanceType | undefined };
}

export interface ValidatorModel {
  nodes: ValidatorNode[];
  /** Pod key to the node it runs on after the round. */
  nodeOf: Map<string, ValidatorNode>;
}

/** allocatable = capacity - kubeReserved - systemReserved - evictionThreshold, per resource, not below zero. */
export function allocatableOf(it: InstanceType): ResourceList {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(it.capacity)) {
    const reserved = (it.overhead.kubeReserved[k] ?? 0) + (it.overhead.systemReserved[k] ?? 0) + (it.overhead.evictionThreshold[k] ?? 0);
    out[k] = Math.max(0, v - reserved);
  }
  return out;
}

/** The labels a launch of `it` in `zone`/`capacityType` for `pool` would certainly put on the node. */
export function launchLabels(pool: NodePool | undefined, poolName: string, it: InstanceType | undefined, instanceType: string, zone: string, capacityType: string, hostname: string): Record<string, string> {
  return {
    ...(pool?.spec.template.metadata?.labels ?? {}),
    ...(it?.labels ?? {}),
    'karpenter.sh/nodepool': poolName,
    'node.kubernetes.io/instance-type': instanceType,
    'topology.kubernetes.io/zone': zone,
    'karpenter.sh/capacity-type': capacityType,
    'kubernetes.io/hostname': hostname,
  };
}

/** The pod a DaemonSet would run (its template, in the DaemonSet's namespace). */
export function daemonPod(ds: DaemonSet): Pod {
  return {
    metadata: { ...(ds.spec.template.metadata ?? {}), name: `${ds.metadata.name ?? 'daemonset'}-daemon`, namespace: ds.metadata.namespace ?? 'default' },
    spec: ds.spec.template.spec,
  };
}

/** DaemonSet pods that would run on a node: node selection certainly holds and NoSchedule/NoExecute taints are tolerated. */
export function daemonPodsFor(daemonSets: readonly DaemonSet[], view: LabelView, taints: readonly Taint[]): Pod[] {
  return daemonSets.map(daemonPod).filter((p) => nodeSelectionProblem(p, view) === undefined && untoleratedTaint(p, taints) === undefined);
}

/** Builds the after-round cluster; reports placements on unknown or deleting nodes and plans with unknown pools/types. */
export function buildModel(snapshot: SchedulingSnapshot, result: SchedulingResult, out: PlanViolation[]): ValidatorModel {
  const nodes: ValidatorNode[] = [];
  const nodeOf = new Map<string, ValidatorNode>();
  const byName = new Map<string, ValidatorNode>();
  for (const n of snapshot.existingNodes) {
    const labels = { 'kubernetes.io/hostname': n.name, ...n.labels };
    const node: ValidatorNode = {
      id: n.name,
      planned: false,
      view: fixedLabelView(labels),
      taints: n.taints,
      allocatable: n.allocatable,
      existingPods: n.pods,
      newPods: [],
      daemonPods: [],
      nodePoolName: n.nodePoolName,
      markedForDeletion: n.markedForDeletion ?? false,
    };
    nodes.push(node);
    byName.set(n.name, node);
    for (const p of n.pods) nodeOf.set(podKey(p), node);
  }
  for (const entry of result.existingNodes) {
    const node = byName.get(entry.name);
    if (!node) {
      out.push({ code: 'unknown-node', node: entry.name, message: `existingNodes names node ${entry.name}, which is not in the snapshot` });
      continue;
    }
    if (node.markedForDeletion) out.push({ code: 'node-marked-for-deletion', node: entry.name, message: `pods placed on ${entry.name}, which is marked for deletion` });
    node.newPods.push(...entry.pods);
    for (const p of entry.pods) nodeOf.set(podKey(p), node);
  }
  result.nodeClaims.forEach((plan, index) => {
    const id = `nodeClaims[${index}]`;
    const pool = snapshot.nodePools.find((np) => np.metadata.name === plan.nodePoolName);
    if (!pool) out.push({ code: 'unknown-nodepool', node: id, message: `${id} names NodePool ${plan.nodePoolName}, which is not in the snapshot` });
    const it = (snapshot.instanceTypes[plan.nodePoolName] ?? []).find((t) => t.name === plan.launch.instanceType);
    if (!it) out.push({ code: 'unknown-instance-type', node: id, message: `${id} launches ${plan.launch.instanceType}, which NodePool ${plan.nodePoolName} does not offer` });
    const fixed = launchLabels(pool, plan.nodePoolName, it, plan.launch.instanceType, plan.launch.zone, plan.launch.capacityType, id);
    const view = plannedLabelView(fixed, plan.requirements);
    const taints = pool?.spec.template.spec.taints ?? [];
    const node: ValidatorNode = {
      id,
      planned: true,
      view,
      taints,
      allocatable: it ? allocatableOf(it) : undefined,
      existingPods: [],
      newPods: [...plan.pods],
      daemonPods: daemonPodsFor(snapshot.daemonSets ?? [], view, taints),
      nodePoolName: plan.nodePoolName,
      markedForDeletion: false,
      plan: { index, value: plan, pool, instanceType: it },
    };
    nodes.push(node);
    for (const p of plan.pods) nodeOf.set(podKey(p), node);
  });
  return { nodes, nodeOf };
}
