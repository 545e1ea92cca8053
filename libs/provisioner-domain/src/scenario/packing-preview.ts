/**
 * The packing preview of NodePools being edited: what the scheduler would launch for a set of pending pods with
 * the cluster's NodePools ("as applied") and with the edited ones replacing the cluster's of the same name ("as
 * edited"), and the price difference.
 */
import type { NodePool } from '../apis/index.js';
import type { Pod } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import { schedule } from '../scheduling/schedule.js';
import type { SchedulingSnapshot } from '../scheduling/types.js';
import { formatSimulation, roundPrice, type SimulationOutput } from './format.js';

export interface PackingPreviewInput {
  /** Pods to place: the cluster's pending pods, or the pending pods of a scenario. */
  pods: readonly Pod[];
  /** NodePools as applied in the cluster (defaults applied); may be empty. */
  clusterNodePools: readonly NodePool[];
  /** NodePools of the edited document(s) (defaults applied); they replace cluster NodePools of the same name. */
  editedNodePools: readonly NodePool[];
  /** The catalog every NodePool is offered (the scheduler filters it by each NodePool's requirements). */
  instanceTypes: readonly InstanceType[];
}

export interface PackingPreview {
  /** Names of the edited NodePools, in document order. */
  editedNames: string[];
  /** The cluster's NodePools as they are; `undefined` when none of the edited NodePools exists in the cluster. */
  asApplied?: SimulationOutput;
  /** The cluster's NodePools with the edited ones replacing (or joining) them. */
  asEdited: SimulationOutput;
  /** `asEdited.totalPricePerHour - asApplied.totalPricePerHour` in USD per hour; `undefined` without `asApplied`. */
  pricePerHourDifference?: number;
}

function simulate(pods: readonly Pod[], nodePools: readonly NodePool[], instanceTypes: readonly InstanceType[]): SimulationOutput {
  const snapshot: SchedulingSnapshot = {
    pods,
    existingNodes: [],
    nodePools,
    instanceTypes: Object.fromEntries(nodePools.map((np) => [np.metadata.name ?? '', instanceTypes])),
  };
  return formatSimulation(schedule(snapshot), snapshot);
}

/**
 * Runs the scheduling simulation for the preview. Existing nodes are left out on purpose: pending pods are the
 * ones kube-scheduler found no room for, so the question is which NodeClaims would launch. "As edited" keeps
 * the cluster's NodePools whose names the edit does not use (they still compete, by weight, as in the cluster)
 * and replaces or adds the edited ones. Pure; throws only what `schedule` throws (malformed NodePool limits).
 */
export function previewPacking(input: PackingPreviewInput): PackingPreview {
  const editedNames = input.editedNodePools.map((np) => np.metadata.name ?? '');
  const edited = new Set(editedNames);
  const asEditedPools = [...input.clusterNodePools.filter((np) => !edited.has(np.metadata.name ?? '')), ...input.editedNodePools];
  const asEdited = simulate(input.pods, asEditedPools, input.instanceTypes);
  const existsInCluster = input.clusterNodePools.some((np) => edited.has(np.metadata.name ?? ''));
  if (!existsInCluster) return { editedNames, asEdited };
  const asApplied = simulate(input.pods, input.clusterNodePools, input.instanceTypes);
  return { editedNames, asApplied, asEdited, pricePerHourDifference: roundPrice(asEdited.totalPricePerHour - asApplied.totalPricePerHour) };
}
