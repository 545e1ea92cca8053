import type { Pod, Timestamp } from '../core/types.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { podHostPorts, type HostPort } from './host-ports.js';
import { podRequests } from './pod-requests.js';
import { nodeSelectorRequirements, preferredNodeAffinityTerms, requiredNodeAffinityTerms, requiredNodeNameSelectors, type NodeNameSelector, type WeightedRequirements } from './pod-requirements.js';
import type { Requirements } from './requirements.js';
import { affinityTerms, spreadTerms, type NamespaceResolver, type TopologyTerm } from './topology/topology-term.js';
import type { NodeSelection } from './topology/topology.js';
import type { VolumeRequirementsResult, VolumeTopology } from './volume-topology.js';

/** A pod prepared once per round: requests, node selection, topology terms, host ports, volume requirements. */
export interface PodInfo {
  readonly pod: Pod;
  /** `namespace/name`. */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly uid: string;
  /** Creation time in ms since the epoch; +Infinity when unknown (sorts last). */
  readonly createdMs: number;
  /** podRequests (canonical units, `pods: 1` included). */
  readonly requests: ResourceList;
  readonly hostPorts: readonly HostPort[];
  readonly volume: VolumeRequirementsResult;
  readonly nodeSelector: Requirements;
  /** Required node-affinity terms (ORed), in order. */
  readonly requiredTerms: readonly Requirements[];
  /** Each required term's `matchFields` (node names; `undefined` when the term has none), index for index. */
  readonly requiredTermNodeNames: readonly (NodeNameSelector | undefined)[];
  /** Preferred node-affinity terms, heaviest first. */
  readonly preferredNodeTerms: readonly WeightedRequirements[];
  readonly spreads: readonly TopologyTerm[];
  readonly affinity: { required: readonly TopologyTerm[]; preferred: readonly TopologyTerm[] };
  readonly antiAffinity: { required: readonly TopologyTerm[]; preferred: readonly TopologyTerm[] };
  /** Required node selection (nodeSelector ∧ each required term) as topology spread's node filter uses it. */
  readonly selection: NodeSelection;
}

/** `namespace/name` (namespace `default` when unset). */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? pod.metadata.generateName ?? ''}`;
}

/** @throws QuantityParseError on a malformed quantity in the pod. */
export function buildPodInfo(pod: Pod, resolver: NamespaceResolver, volumes: VolumeTopology): PodInfo {
  const nodeSelector = nodeSelectorRequirements(pod);
  const requiredTerms = requiredNodeAffinityTerms(pod);
  const alternatives = requiredTerms.length === 0 ? [nodeSelector] : requiredTerms.map((t) => nodeSelector.intersect(t));
  const selection: NodeSelection = {
    alternatives,
    key: alternatives.map((a) => a.describe()).join(' | '),
    constrained: alternatives.every((a) => a.size > 0),
  };
  return {
    pod,
    key: podKey(pod),
    namespace: pod.metadata.namespace ?? 'default',
    labels: pod.metadata.labels ?? {},
    uid: pod.metadata.uid ?? '',
    createdMs: timestampMs(pod.metadata.creationTimestamp),
    requests: podRequests(pod),
    hostPorts: podHostPorts(pod),
    volume: volumes.requirementsFor(pod),
    nodeSelector,
    requiredTerms,
    requiredTermNodeNames: requiredNodeNameSelectors(pod),
    preferredNodeTerms: preferredNodeAffinityTerms(pod),
    spreads: spreadTerms(pod),
    affinity: affinityTerms(pod, 'affinity', resolver),
    antiAffinity: affinityTerms(pod, 'anti-affinity', resolver),
    selection,
  };
}

function timestampMs(t: Timestamp | undefined): number {
  if (t === undefined) return Number.POSITIVE_INFINITY;
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}

/**
 * Scheduling order (issue 4): CPU request descending, then memory descending, then creation time ascending,
 * then UID, then namespace/name — a total order, so the result does not depend on input order.
 */
export function comparePodInfos(a: PodInfo, b: PodInfo): number {
  return (
    (b.requests['cpu'] ?? 0) - (a.requests['cpu'] ?? 0) ||
    (b.requests['memory'] ?? 0) - (a.requests['memory'] ?? 0) ||
    (a.createdMs === b.createdMs ? 0 : a.createdMs < b.createdMs ? -1 : 1) ||
    compareStrings(a.uid, b.uid) ||
    compareStrings(a.key, b.key)
  );
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
