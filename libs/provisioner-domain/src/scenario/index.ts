/**
 * Scenarios (DESIGN.md §4.1) and simulation output (§4.2): read Kubernetes/Karpenter YAML into a checked
 * scenario and a scheduling snapshot, and format a scheduling result as the stable JSON or a table.
 */
export type { LoadScenarioResult, Scenario, ScenarioFile, ScenarioIssue } from './types.js';
export { loadScenario, parseFieldPath } from './load.js';
export { SUPPORTED_KINDS } from './collect.js';
export { existingNodeOf, toSchedulingSnapshot, TAINT_UNSCHEDULABLE } from './snapshot.js';
export type { FieldPath } from './yaml-documents.js';
export { formatRequests, formatSimulation, podRef, roundPrice, type SimulatedNodeClaim, type SimulationOutput } from './format.js';
export { formatSimulationTable } from './table.js';
export { expandDeployment, expandJob, expandReplicaSet, expandStatefulSet, podTemplateHash } from './workloads.js';
export { stableHash, stableUid, scenarioTimestamp, SCENARIO_EPOCH_MS } from './hash.js';
export { explainPendingPods, isProvisionable, podOwnerRef, type PendingPodExplanation } from './pending-pods.js';
export { previewPacking, type PackingPreview, type PackingPreviewInput } from './packing-preview.js';
