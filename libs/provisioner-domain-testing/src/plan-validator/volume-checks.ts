/**
 * Volume topology of placed pods, written from the Kubernetes API reference (kube-scheduler's VolumeBinding
 * filter), not from the scheduler's modules:
 * - a PVC bound to a PersistentVolume: some term of the PV's `spec.nodeAffinity.required.nodeSelectorTerms`
 *   (ORed; expressions in a term ANDed; an empty term matches nothing) must certainly hold on the node;
 * - an unbound PVC or generic ephemeral volume whose StorageClass (named, or the default class) binds
 *   `WaitForFirstConsumer`: some term of `allowedTopologies` (ORed; each `key In values` ANDed) must hold;
 * - an unbound `Immediate` claim imposes nothing yet;
 * - a missing PVC or a missing bound PV means the pod cannot be placed at all.
 * Several volumes are ANDed. Deprecated beta topology keys read the stable label when the node lacks them.
 */
import type { NodeSelectorRequirement, NodeSelectorTerm, PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, Pod, SchedulingSnapshot, StorageClass } from './domain.js';
import { podKey, podNamespace, requirementCertain, type LabelView } from './labels.js';
import type { ValidatorModel } from './model.js';
import type { PlanViolation } from './violation.js';

const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** Beta label keys and the stable keys that replaced them. */
const STABLE_KEY: Readonly<Record<string, string>> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
};

interface StorageIndex {
  pvcs: Map<string, PersistentVolumeClaim>;
  pvs: Map<string, PersistentVolume>;
  classes: Map<string, StorageClass>;
  defaultClass: StorageClass | undefined;
}

export function checkVolumeTopology(snapshot: SchedulingSnapshot, model: ValidatorModel, out: PlanViolation[]): void {
  const storage: StorageIndex = {
    pvcs: new Map((snapshot.persistentVolumeClaims ?? []).map((c) => [`${c.metadata.namespace ?? 'default'}/${c.metadata.name ?? ''}`, c])),
    pvs: new Map((snapshot.persistentVolumes ?? []).map((v) => [v.metadata.name ?? '', v])),
    classes: new Map((snapshot.storageClasses ?? []).map((c) => [c.metadata.name ?? '', c])),
    defaultClass: (snapshot.storageClasses ?? []).find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true'),
  };
  for (const node of model.nodes) {
    for (const pod of node.newPods) {
      const problem = volumeProblem(pod, withStableKeys(node.view), storage);
      if (problem) out.push({ code: 'volume-topology', pod: podKey(pod), node: node.id, message: `${podKey(pod)} on ${node.id}: ${problem}` });
    }
  }
}

function volumeProblem(pod: Pod, view: LabelView, storage: StorageIndex): string | undefined {
  for (const volume of pod.spec.volumes ?? []) {
    let spec: PersistentVolumeClaimSpec | undefined;
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (claimName !== undefined) {
      const pvc = storage.pvcs.get(`${podNamespace(pod)}/${claimName}`);
      if (!pvc) return `persistentvolumeclaim ${claimName} does not exist`;
      spec = pvc.spec;
    } else {
      spec = volume.ephemeral?.volumeClaimTemplate?.spec;
    }
    if (!spec) continue;
    if (spec.volumeName) {
      const pv = storage.pvs.get(spec.volumeName);
      if (!pv) return `persistentvolume ${spec.volumeName} does not exist`;
      const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms;
      if (terms && !terms.some((t) => termHolds(t, view))) return `no nodeSelectorTerm of persistentvolume ${spec.volumeName}'s node affinity holds`;
      continue;
    }
    const name = spec.storageClassName;
    const sc = name === undefined || name === null ? storage.defaultClass : storage.classes.get(name);
    if (sc?.volumeBindingMode !== 'WaitForFirstConsumer') continue;
    const topologies = sc.allowedTopologies ?? [];
    if (topologies.length === 0) continue;
    const holds = topologies.some((t) => (t.matchLabelExpressions ?? []).every((e) => requirementCertain({ key: e.key, operator: 'In', values: e.values }, view)));
    if (!holds) return `no allowedTopologies term of storageclass ${sc.metadata.name ?? ''} holds`;
  }
  return undefined;
}

function termHolds(term: NodeSelectorTerm, view: LabelView): boolean {
  const exprs: NodeSelectorRequirement[] = term.matchExpressions ?? [];
  return exprs.length > 0 && exprs.every((e) => requirementCertain(e, view));
}

function withStableKeys(view: LabelView): LabelView {
  return {
    valueOf(key) {
      const v = view.valueOf(key);
      const stable = STABLE_KEY[key];
      return v.kind === 'absent' && stable ? view.valueOf(stable) : v;
    },
  };
}
