import type { NodeSelectorTerm, Pod } from '../core/types.js';
import { LabelRequirement } from './requirement.js';
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
 * within a term ANDed). A term's `matchFields` are not labels: see `requiredNodeNameSelectors`, index for index.
 * Empty when the pod has no required node affinity.
 */
export function requiredNodeAffinityTerms(pod: Pod): Requirements[] {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.map((term) => Requirements.fromNodeSelectorRequirements(term.matchExpressions));
}

/**
 * A required node-affinity term's `matchFields`: which node names it admits. Kubernetes allows only the field
 * `metadata.name` with `In` or `NotIn` and one value; any other entry matches no node (kube-scheduler rejects
 * such a pod). Entries are ANDed, each reusing `LabelRequirement` for its values.
 */
export class NodeNameSelector {
  private constructor(
    private readonly requirements: readonly LabelRequirement[],
    private readonly text: string,
  ) {}

  /** `undefined` when the term has no `matchFields`. */
  static fromTerm(term: NodeSelectorTerm): NodeNameSelector | undefined {
    const fields = term.matchFields ?? [];
    if (fields.length === 0) return undefined;
    const requirements = fields.map((f) => {
      const legal = f.key === 'metadata.name' && (f.operator === 'In' || f.operator === 'NotIn');
      const req = legal ? LabelRequirement.fromNodeSelectorRequirement(f.key, f.operator, f.values ?? []) : undefined;
      return req === undefined || typeof req === 'string' ? LabelRequirement.in(f.key, []) : req;
    });
    const text = fields.map((f) => `${f.key} ${f.operator} [${(f.values ?? []).join(', ')}]`).join(', ');
    return new NodeNameSelector(requirements, text);
  }

  /** Whether a node with this name (an existing node) satisfies every entry. */
  allows(nodeName: string): boolean {
    return this.requirements.every((r) => r.allows(nodeName));
  }

  /**
   * Whether a node not launched yet can satisfy it. Its name is not known before launch, so `In` can never be
   * met; `NotIn` can (the generated name is none of the listed ones).
   */
  get matchesNewNodes(): boolean {
    return this.requirements.every((r) => r.complement && r.allowsUndefined);
  }

  /** For people: `metadata.name In [node-a]`. */
  describe(): string {
    return this.text;
  }
}

/** Each required node-affinity term's `matchFields` (`undefined` for a term without), in term order. */
export function requiredNodeNameSelectors(pod: Pod): (NodeNameSelector | undefined)[] {
  const terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return terms.map((term) => NodeNameSelector.fromTerm(term));
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
 * `nodeSelector` AND (any required node-affinity term, its `matchFields` checked against `nodeName`; a term
 * with `matchFields` never matches when `nodeName` is not given). Labels must be normalised.
 */
export function podMatchesNodeLabels(pod: Pod, labels: Readonly<Record<string, string>>, nodeName?: string): boolean {
  if (nodeSelectorRequirements(pod).matchLabels(labels)) return false;
  const terms = requiredNodeAffinityTerms(pod);
  const names = requiredNodeNameSelectors(pod);
  return terms.length === 0 || terms.some((term, i) => term.matchLabels(labels) === undefined && nameAllows(names[i], nodeName));
}

function nameAllows(selector: NodeNameSelector | undefined, nodeName: string | undefined): boolean {
  return selector === undefined || (nodeName !== undefined && selector.allows(nodeName));
}
