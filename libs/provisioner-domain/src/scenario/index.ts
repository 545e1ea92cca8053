/**
 * Scenarios (docs/scenario.md) and simulation output (docs/simulate-json.md): read Kubernetes/Karpenter YAML into a checked
 * scenario and a scheduling snapshot, and format a scheduling result as the stable JSON or a table.
 */
export type { LoadScenarioOptions, LoadScenarioResult, Scenario, ScenarioFile, ScenarioIssue } from './types.js';
export { BUILT_IN_CATALOG_NAME, loadScenario, parseFieldPath } from './load.js';
export { SUPPORTED_KINDS } from './collect.js';
export { existingNodeOf, toSchedulingSnapshot, TAINT_UNSCHEDULABLE } from './snapshot.js';
export type { FieldPath } from './yaml-documents.js';
export { fieldLocator } from './yaml-documents.js';
export { formatRequests, formatSimulation, podRef, roundPrice, type SimulatedNodeClaim, type SimulationOutput } from './format.js';
export { formatSimulationTable, foldList, HOURS_PER_MONTH, type SimulationTableOptions } from './table.js';
export { expandDeployment, expandJob, expandReplicaSet, expandStatefulSet, podTemplateHash } from './workloads.js';
export { stableHash, stableUid, scenarioTimestamp, SCENARIO_EPOCH_MS } from './hash.js';
export { MAX_YAML_DEPTH, yamlNesting } from './yaml-limits.js';
export { explainPendingPods, podOwnerRef, type PendingPodExplanation } from './pending-pods.js';
export { previewPacking, type PackingPreview, type PackingPreviewInput } from './packing-preview.js';
export * from './disruption-input.js';
