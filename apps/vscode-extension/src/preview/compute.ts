/**
 * What the preview shows for one edited file: its NodePools (Provisioners converted) run through the domain's
 * `previewPacking` over the pods of a scenario file, the pods in the edited file itself, or the cluster's
 * pending pods, in that order of preference. Returns a `PreviewModel` or one plain sentence.
 */
import { isProvisionable, loadScenario, previewPacking, toSchedulingSnapshot, type InstanceType, type NodePool, type Pod, type ScenarioFile, type SimulationOutput } from '@karpenter-ts/provisioner-domain';
import type { PreviewModel, PreviewSide } from './protocol.js';

export interface PreviewSource {
  /** The edited file. */
  document: ScenarioFile;
  /** A scenario file the user chose for the pods (its pending pods are used). */
  scenario?: ScenarioFile;
  /** The connected cluster's pods and NodePools, when connected. */
  cluster?: { context: string; pods: readonly Pod[]; nodePools: readonly NodePool[] };
  /** The catalog to offer; default: the scenario's or the document's InstanceTypeCatalog, else the default catalog. */
  instanceTypes?: readonly InstanceType[];
}

export type PreviewOutcome = { ok: true; model: PreviewModel } | { ok: false; message: string };

function side(output: SimulationOutput): PreviewSide {
  return {
    nodeClaims: output.nodeClaims.map((nc) => ({ nodePool: nc.nodePool, instanceType: nc.instanceType, zone: nc.zone, capacityType: nc.capacityType, pods: nc.pods, pricePerHour: nc.pricePerHour })),
    unschedulable: output.unschedulable.map((u) => ({ pod: u.pod, reason: u.reason, nodePools: u.nodePools })),
    totalPricePerHour: output.totalPricePerHour,
  };
}

const basename = (name: string): string => name.split(/[\\/]/).pop() ?? name;

/** Computes the preview; `now` reads a clock in milliseconds (for `elapsedMs`). Never throws. */
export function computePreview(source: PreviewSource, now: () => number = () => performance.now()): PreviewOutcome {
  const started = now();
  const edited = loadScenario([source.document]);
  if (!edited.ok) {
    const errors = edited.issues.filter((i) => i.severity === 'error');
    const first = errors[0];
    return { ok: false, message: `${basename(source.document.name)} has ${errors.length} error${errors.length === 1 ? '' : 's'} (first: line ${first?.line ?? 0}: ${first?.message ?? ''}). Fix them to preview its packing.` };
  }
  const editedNodePools = edited.scenario.nodePools;
  if (editedNodePools.length === 0) return { ok: false, message: `${basename(source.document.name)} holds no NodePool or Provisioner to preview.` };
  let pods: readonly Pod[];
  let podSource: string;
  let clusterNodePools: readonly NodePool[] = [];
  let instanceTypes = source.instanceTypes ?? (edited.scenario.catalogSource === 'document' ? edited.scenario.instanceTypes : undefined);
  if (source.scenario) {
    const loaded = loadScenario([source.scenario]);
    if (!loaded.ok) return { ok: false, message: `The scenario ${basename(source.scenario.name)} has errors (first: line ${loaded.issues[0]?.line ?? 0}: ${loaded.issues[0]?.message ?? ''}).` };
    pods = toSchedulingSnapshot(loaded.scenario).pods;
    clusterNodePools = loaded.scenario.nodePools;
    instanceTypes ??= loaded.scenario.instanceTypes;
    podSource = `${pods.length} pending pod${pods.length === 1 ? '' : 's'} of scenario ${basename(source.scenario.name)}`;
  } else if (edited.scenario.pods.some((p) => !p.spec.nodeName)) {
    pods = toSchedulingSnapshot(edited.scenario).pods;
    podSource = `${pods.length} pending pod${pods.length === 1 ? '' : 's'} of ${basename(source.document.name)}`;
  } else if (source.cluster) {
    pods = source.cluster.pods.filter(isProvisionable);
    clusterNodePools = source.cluster.nodePools;
    podSource = `${pods.length} pending pod${pods.length === 1 ? '' : 's'} of cluster context "${source.cluster.context}"`;
  } else {
    return { ok: false, message: 'No pods to place: connect to a cluster, add pods to this file, or run "Karpenter: Preview Packing with Pods of a Scenario File…".' };
  }
  instanceTypes ??= edited.scenario.instanceTypes;
  try {
    const preview = previewPacking({ pods, clusterNodePools, editedNodePools, instanceTypes });
    const model: PreviewModel = {
      document: basename(source.document.name),
      editedNames: preview.editedNames,
      podSource,
      asEdited: side(preview.asEdited),
      elapsedMs: 0,
      ...(preview.asApplied ? { asApplied: side(preview.asApplied) } : {}),
      ...(preview.pricePerHourDifference !== undefined ? { pricePerHourDifference: preview.pricePerHourDifference } : {}),
    };
    model.elapsedMs = Math.round((now() - started) * 10) / 10;
    return { ok: true, model };
  } catch (err) {
    return { ok: false, message: `The preview could not run: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}` };
  }
}
