import type { Pod } from '../core/types.js';
import { Requirements } from './requirements.js';

/** One preferred node-affinity term as requirements, with its weight. */
export interface WeightedRequirements {
  weight: number;
  requirements: Requirements;
}

/** `spec.nodeSelector` as `In [value]` requirements (keys normalised). */
export function nodeSelectorRequirements(pod: Pod): Requirements {
  return Requirements.fromLabels(pod.spec.nodeSelector);
}

/**
 * The required node-affinity terms, in order, each as requirements (terms are ORed by Kubernetes; expressions
 * within a term ANDed). `matchFields` are not modelled (only `metadata.name` exists and new nodes have no name
 * yet). Empty when the pod has no required node affinity.
 */
export function requiredNodeAffinityTerms(pod: Pod): Requirements[] {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.map((term) => Requirements.fromNodeSelectorRequirements(term.matchExpressions));
}

/** Preferred node-affinity terms, heaviest first (stable for equal weights), each as requirements. */
export function preferredNodeAffinityTerms(pod: Pod): WeightedRequirements[] {
  const terms = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms
    .map((term, index) => ({ index, weight: term.weight, requirements: Requirements.fromNodeSelectorRequirements(term.preference.matchExpressions) }))
    .sort((a, b) => b.weight - a.weight || a.index - b.index)
    .map(({ weight, requirements }) => ({ weight, requirements }));
}

/**
 * The node requirements a pod imposes strictly: `nodeSelector` AND the first required node-affinity term.
 * (Later terms are tried by the scheduler's preference relaxation, as Karpenter does.)
 */
export function strictPodRequirements(pod: Pod): Requirements {
  const selector = nodeSelectorRequirements(pod);
  const first = requiredNodeAffinityTerms(pod)[0];
  return first ? selector.intersect(first) : selector;
}

/**
 * Whether an existing node's labels satisfy the pod's node selection with kube-scheduler's full semantics:
 * `nodeSelector` AND (any required node-affinity term). Labels must be normalised.
 */
export function podMatchesNodeLabels(pod: Pod, labels: Readonly<Record<string, string>>): boolean {
  if (nodeSelectorRequirements(pod).matchLabels(labels)) return false;
  const terms = requiredNodeAffinityTerms(pod);
  return terms.length === 0 || terms.some((term) => term.matchLabels(labels) === undefined);
}
