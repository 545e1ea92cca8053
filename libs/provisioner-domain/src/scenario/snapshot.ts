/**
 * A loaded scenario as the scheduler's input: pending pods, existing nodes with their pods, NodePools and the
 * catalog per NodePool.
 */
import { LABEL_NODEPOOL, LABEL_PROVISIONER_NAME, TAINT_DISRUPTED } from '../apis/index.js';
import type { DaemonSet, Node, Pod, Taint } from '../core/types.js';
import type { EC2NodeClass, NodePool } from '../apis/index.js';
import { isTerminalPod } from '../disruption/pods.js';
import { shapeInstanceTypesByNodeClass } from '../instancetypes/nodeclass-shape.js';
import { toResourceList } from '../quantity/index.js';
import { podMatchesNodeLabels } from '../scheduling/pod-requirements.js';
import { toleratesAll } from '../scheduling/taints.js';
import type { ExistingNode, SchedulingSnapshot } from '../scheduling/types.js';
import { normalizeNodeLabels } from '../scheduling/well-known-labels.js';
import { stableHash, stableUid } from './hash.js';
import type { Scenario } from './types.js';

/** Taint the node lifecycle controller puts on a cordoned node (`spec.unschedulable: true`). */
export const TAINT_UNSCHEDULABLE: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * A Node object as the scheduler sees it: labels (with `kubernetes.io/hostname` defaulted to the name),
 * taints (plus `node.kubernetes.io/unschedulable:NoSchedule` when cordoned), allocatable from
 * `status.allocatable` (else `status.capacity`, else nothing), the given pods, initialized unless its Ready
 * condition is present and not True, the NodePool from `karpenter.sh/nodepool` (or the v1alpha5
 * `karpenter.sh/provisioner-name`), marked for deletion (going away: its pods are packed with the pending ones)
 * when it has a deletionTimestamp or the `karpenter.sh/disrupted` taint.
 */
export function existingNodeOf(node: Node, pods: readonly Pod[]): ExistingNode {
  const name = node.metadata.name ?? '';
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name, ...(node.metadata.labels ?? {}) };
  const taints = [...(node.spec?.taints ?? [])];
  if (node.spec?.unschedulable && !taints.some((t) => t.key === TAINT_UNSCHEDULABLE.key)) taints.push(TAINT_UNSCHEDULABLE);
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const nodePoolName = labels[LABEL_NODEPOOL] ?? labels[LABEL_PROVISIONER_NAME];
  return {
    name,
    labels,
    taints,
    allocatable: toResourceList(node.status?.allocatable ?? node.status?.capacity),
    pods,
    initialized: ready === undefined || ready.status === 'True',
    ...(nodePoolName !== undefined ? { nodePoolName } : {}),
    ...(node.metadata.deletionTimestamp !== undefined || taints.some((t) => t.key === TAINT_DISRUPTED.key) ? { markedForDeletion: true } : {}),
  };
}

/**
 * The pods DaemonSets run on a node that the scenario does not list: for each DaemonSet whose pod tolerates
 * the node's NoSchedule/NoExecute taints (the unschedulable taint of a cordoned node excepted, as the
 * DaemonSet controller tolerates it) and whose node selection matches the node's labels, one pod
 * `<daemonset>-<hash of node>` bound to the node, unless a pod owned by that DaemonSet is already there.
 */
export function daemonSetPodsFor(node: Node, present: readonly Pod[], daemonSets: readonly DaemonSet[]): Pod[] {
  const name = node.metadata.name ?? '';
  const labels = normalizeNodeLabels({ 'kubernetes.io/hostname': name, ...(node.metadata.labels ?? {}) });
  const taints = (node.spec?.taints ?? []).filter((t) => t.key !== TAINT_UNSCHEDULABLE.key);
  const out: Pod[] = [];
  for (const ds of daemonSets) {
    const dsName = ds.metadata.name ?? '';
    const namespace = ds.metadata.namespace ?? 'default';
    const owned = present.some((p) => p.metadata.ownerReferences?.some((o) => o.kind === 'DaemonSet' && o.name === dsName) && (p.metadata.namespace ?? 'default') === namespace);
    if (owned) continue;
    const template: Pod = { metadata: { ...(ds.spec.template.metadata ?? {}), namespace }, spec: ds.spec.template.spec };
    if (!toleratesAll(template.spec.tolerations, taints, { ignorePreferNoSchedule: true }) || !podMatchesNodeLabels(template, labels, name)) continue;
    const podName = `${dsName}-${stableHash(`${namespace}/${dsName}/${name}`, 5)}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(ds.spec.template.metadata ?? {}),
        name: podName,
        namespace,
        uid: stableUid(`Pod/${namespace}/${podName}`),
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: dsName, uid: stableUid(`DaemonSet/${namespace}/${dsName}`), controller: true }],
      },
      spec: { ...ds.spec.template.spec, nodeName: name },
    });
  }
  return out;
}

/**
 * The scheduling snapshot of a scenario: pending pods are the pods without `spec.nodeName` (in load order;
 * the scheduler skips those Karpenter does not provision for, e.g. preempting or finished ones, with a
 * reason); pods with one run on that node (finished ones are left off: they hold nothing), with the DaemonSet pods the scenario does not list added (see
 * `daemonSetPodsFor`); every NodePool is offered the whole catalog (as the simulated provider's
 * `getInstanceTypes` does; the scheduler filters by requirements), shaped by the EC2NodeClass its
 * `nodeClassRef` names when the scenario has it (`shapeInstanceTypesByNodeClass`: the AMI family's OS, the root
 * volume as ephemeral-storage, kubelet settings).
 */
export function toSchedulingSnapshot(scenario: Scenario): SchedulingSnapshot {
  const byNode = new Map<string, Pod[]>();
  const pending: Pod[] = [];
  for (const pod of scenario.pods) {
    const nodeName = pod.spec.nodeName;
    if (nodeName && isTerminalPod(pod)) continue;
    if (nodeName) byNode.set(nodeName, [...(byNode.get(nodeName) ?? []), pod]);
    else pending.push(pod);
  }
  const instanceTypes: Record<string, typeof scenario.instanceTypes> = {};
  for (const np of scenario.nodePools) instanceTypes[np.metadata.name ?? ''] = shapeInstanceTypesByNodeClass(scenario.instanceTypes, nodeClassOf(np, scenario));
  return {
    pods: pending,
    existingNodes: scenario.nodes.map((n) => {
      const pods = byNode.get(n.metadata.name ?? '') ?? [];
      return existingNodeOf(n, [...pods, ...daemonSetPodsFor(n, pods, scenario.daemonSets)]);
    }),
    nodePools: scenario.nodePools,
    instanceTypes,
    daemonSets: scenario.daemonSets,
    persistentVolumes: scenario.persistentVolumes,
    persistentVolumeClaims: scenario.persistentVolumeClaims,
    storageClasses: scenario.storageClasses,
    namespaces: scenario.namespaces,
    limitRanges: scenario.limitRanges,
  };
}

/** The scenario's EC2NodeClass a NodePool references (`spec.template.spec.nodeClassRef`), if any. */
export function nodeClassOf(nodePool: NodePool, scenario: Pick<Scenario, 'nodeClasses'>): EC2NodeClass | undefined {
  const ref = nodePool.spec.template.spec.nodeClassRef;
  if (!ref || ref.kind !== 'EC2NodeClass') return undefined;
  return scenario.nodeClasses.find((nc) => nc.metadata.name === ref.name);
}
