import type { Toleration } from '../core/types.js';
import type { PodInfo } from './pod-info.js';
import type { NodeNameSelector } from './pod-requirements.js';
import { effectiveNodeRequirements, effectiveTolerations, effectiveTopologyTerms, type PodPreferences } from './preferences.js';
import type { Requirements } from './requirements.js';
import type { PreparedTopology, Topology } from './topology/topology.js';
import type { TopologyTerm } from './topology/topology-term.js';

/** One try at placing a pod under a given set of (possibly relaxed) preferences. */
export interface Attempt {
  readonly info: PodInfo;
  readonly requests: Float64Array;
  readonly preferences: PodPreferences;
  readonly requirements: Requirements;
  /** `matchFields` of the required node-affinity term in use: only nodes so named (never new ones for `In`). */
  readonly nodeNames: NodeNameSelector | undefined;
  readonly tolerations: readonly Toleration[];
  readonly terms: readonly TopologyTerm[];
  readonly topology: PreparedTopology;
}

/** `volume`: the volume-topology alternative this attempt uses (see `VolumeRequirementsResult`). */
export function makeAttempt(info: PodInfo, requests: Float64Array, preferences: PodPreferences, topology: Topology, volume: Requirements): Attempt {
  const requirements = effectiveNodeRequirements(info, preferences, volume);
  const tolerations = effectiveTolerations(info, preferences);
  const terms = effectiveTopologyTerms(info, preferences);
  return {
    info,
    requests,
    preferences,
    requirements,
    nodeNames: info.requiredTermNodeNames[preferences.droppedRequiredTerms],
    tolerations,
    terms,
    topology: topology.prepare({ namespace: info.namespace, labels: info.labels }, terms, info.selection, tolerations),
  };
}
