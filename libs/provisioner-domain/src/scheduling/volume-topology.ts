import type { PersistentVolume, PersistentVolumeClaim, PersistentVolumeClaimSpec, Pod, StorageClass } from '../core/types.js';
import { LabelRequirement } from './requirement.js';
import { Requirements } from './requirements.js';
import { normalizeLabelKey } from './well-known-labels.js';

/** The storage objects volume topology reads. */
export interface VolumeSnapshot {
  persistentVolumes?: readonly PersistentVolume[];
  persistentVolumeClaims?: readonly PersistentVolumeClaim[];
  storageClasses?: readonly StorageClass[];
}

/**
 * The node requirements of a pod's volumes: `alternatives` are ORed (any one suffices), each the AND over the
 * pod's volumes of one of their node-selector terms; `[Requirements.EMPTY]` when the volumes impose nothing.
 */
export type VolumeRequirementsResult = { ok: true; alternatives: readonly Requirements[] } | { ok: false; reason: string };

const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** Indexed storage objects, built once per scheduling round. */
export class VolumeTopology {
  private readonly pvcs = new Map<string, PersistentVolumeClaim>();
  private readonly pvs = new Map<string, PersistentVolume>();
  private readonly classes = new Map<string, StorageClass>();
  private readonly defaultClass: StorageClass | undefined;

  constructor(snapshot: VolumeSnapshot) {
    for (const pvc of snapshot.persistentVolumeClaims ?? []) this.pvcs.set(`${pvc.metadata.namespace ?? 'default'}/${pvc.metadata.name ?? ''}`, pvc);
    for (const pv of snapshot.persistentVolumes ?? []) this.pvs.set(pv.metadata.name ?? '', pv);
    for (const sc of snapshot.storageClasses ?? []) this.classes.set(sc.metadata.name ?? '', sc);
    this.defaultClass = (snapshot.storageClasses ?? []).find((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
  }

  /**
   * The node requirements a pod's volumes impose, ANDed over its volumes (mirrors Karpenter's VolumeTopology and
   * kube-scheduler's VolumeBinding):
   * - a PVC bound to a PersistentVolume: the PV's `nodeAffinity.required.nodeSelectorTerms`, ORed;
   * - an unbound PVC (or generic ephemeral volume) whose StorageClass is `WaitForFirstConsumer`: the class's
   *   `allowedTopologies` terms, ORed, each as `In` requirements;
   * - unbound `Immediate` claims bind elsewhere first and impose nothing yet.
   * The result is in disjunctive normal form (`Requirements.intersectEach`): one alternative per satisfiable
   * combination of terms, in term order, so a NodeClaim can carry any one of them. A PVC that does not exist,
   * or a bound PV that does not exist, makes the pod unschedulable (reason given), as kube-scheduler does.
   */
  requirementsFor(pod: Pod): VolumeRequirementsResult {
    const choices: Requirements[][] = [];
    const namespace = pod.metadata.namespace ?? 'default';
    for (const volume of pod.spec.volumes ?? []) {
      let claimSpec: PersistentVolumeClaimSpec | undefined;
      if (volume.persistentVolumeClaim) {
        const pvc = this.pvcs.get(`${namespace}/${volume.persistentVolumeClaim.claimName}`);
        if (!pvc) return { ok: false, reason: `persistentvolumeclaim "${volume.persistentVolumeClaim.claimName}" not found` };
        claimSpec = pvc.spec;
      } else if (volume.ephemeral?.volumeClaimTemplate?.spec) {
        claimSpec = volume.ephemeral.volumeClaimTemplate.spec;
      } else {
        continue;
      }
      if (claimSpec.volumeName) {
        const pv = this.pvs.get(claimSpec.volumeName);
        if (!pv) return { ok: false, reason: `persistentvolume "${claimSpec.volumeName}" not found` };
        const terms = pv.spec.nodeAffinity?.required?.nodeSelectorTerms ?? [];
        choices.push(terms.map((term) => Requirements.fromNodeSelectorRequirements(term.matchExpressions)));
        continue;
      }
      const className = claimSpec.storageClassName;
      const storageClass = className === undefined || className === null ? this.defaultClass : this.classes.get(className);
      if (!storageClass || storageClass.volumeBindingMode !== 'WaitForFirstConsumer') continue;
      choices.push(
        (storageClass.allowedTopologies ?? []).map((term) =>
          Requirements.of(...(term.matchLabelExpressions ?? []).map((expr) => LabelRequirement.in(normalizeLabelKey(expr.key), expr.values))),
        ),
      );
    }
    return { ok: true, alternatives: Requirements.EMPTY.intersectEach(choices) };
  }
}
