import type { Namespace, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../core/types.js';
import { compileSelector, type CompiledSelector } from '../label-selector.js';
import { normalizeLabelKey } from '../well-known-labels.js';

export type TopologyKind = 'spread' | 'affinity' | 'anti-affinity';

/** The namespaces a pod-affinity term looks at: every namespace, or a set of names. */
export interface NamespaceScope {
  readonly all: boolean;
  readonly names: ReadonlySet<string>;
}

/**
 * One topology constraint of a pod, resolved against the pod itself (its namespace, its labels for
 * `matchLabelKeys`) and the cluster's namespaces: a topology spread constraint, or a pod (anti-)affinity term.
 * `groupKey` is equal for constraints that count the same pods in the same domains the same way, so pods of one
 * Deployment share one counter.
 */
export interface TopologyTerm {
  readonly kind: TopologyKind;
  /** Normalised topology key, e.g. `topology.kubernetes.io/zone`. */
  readonly key: string;
  readonly selector: CompiledSelector;
  readonly namespaces: NamespaceScope;
  /** Spread only. */
  readonly maxSkew: number;
  readonly minDomains: number | undefined;
  readonly nodeAffinityPolicy: 'Honor' | 'Ignore';
  readonly nodeTaintsPolicy: 'Honor' | 'Ignore';
  /** ScheduleAnyway spreads and preferred (anti-)affinity terms; relaxed by the scheduler when a pod does not fit. */
  readonly preferred: boolean;
  /** Weight of a preferred (anti-)affinity term; 0 otherwise. */
  readonly weight: number;
  readonly groupKey: string;
  /** For explanations: `topology spread on topology.kubernetes.io/zone (maxSkew 1)`. */
  readonly description: string;
}

/** Resolves namespace names and selectors of affinity terms. */
export class NamespaceResolver {
  private readonly labelsByName = new Map<string, Readonly<Record<string, string>>>();

  constructor(namespaces: readonly Namespace[] | undefined) {
    for (const ns of namespaces ?? []) {
      const name = ns.metadata.name ?? '';
      this.labelsByName.set(name, { 'kubernetes.io/metadata.name': name, ...(ns.metadata.labels ?? {}) });
    }
  }

  /**
   * Kubernetes semantics: `namespaces` ∪ namespaces matching `namespaceSelector`; an empty selector `{}` means
   * every namespace; neither given means the pod's own namespace.
   */
  scope(term: PodAffinityTerm, podNamespace: string): NamespaceScope {
    const names = new Set(term.namespaces ?? []);
    const selector = term.namespaceSelector;
    if (selector) {
      if (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0) return { all: true, names };
      const compiled = compileSelector(selector);
      for (const [name, labels] of this.labelsByName) if (compiled.matches(labels)) names.add(name);
    } else if (names.size === 0) {
      names.add(podNamespace);
    }
    return { all: false, names };
  }
}

function scopeKey(scope: NamespaceScope): string {
  return scope.all ? '*' : [...scope.names].sort().join(',');
}

/** Whether a pod in `namespace` with `labels` is one the term counts. */
export function termSelects(term: TopologyTerm, namespace: string, labels: Readonly<Record<string, string>> | undefined): boolean {
  return (term.namespaces.all || term.namespaces.names.has(namespace)) && term.selector.matches(labels);
}

/** The pod's topology spread constraints as terms (both DoNotSchedule and ScheduleAnyway). */
export function spreadTerms(pod: Pod): TopologyTerm[] {
  const namespace = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  return (pod.spec.topologySpreadConstraints ?? []).map((c: TopologySpreadConstraint) => {
    const extra = (c.matchLabelKeys ?? []).filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'In' as const, values: [labels[k] ?? ''] }));
    const selector = compileSelector(c.labelSelector, extra);
    const key = normalizeLabelKey(c.topologyKey);
    const namespaces: NamespaceScope = { all: false, names: new Set([namespace]) };
    const nodeAffinityPolicy = c.nodeAffinityPolicy ?? 'Honor';
    const nodeTaintsPolicy = c.nodeTaintsPolicy ?? 'Ignore';
    const preferred = c.whenUnsatisfiable === 'ScheduleAnyway';
    return {
      kind: 'spread' as const,
      key,
      selector,
      namespaces,
      maxSkew: c.maxSkew,
      minDomains: c.minDomains,
      nodeAffinityPolicy,
      nodeTaintsPolicy,
      preferred,
      weight: 0,
      groupKey: ['spread', key, selector.key, scopeKey(namespaces), c.maxSkew, c.minDomains ?? '', nodeAffinityPolicy, nodeTaintsPolicy].join('|'),
      description: `topology spread on ${key} (maxSkew ${c.maxSkew}${c.minDomains !== undefined ? `, minDomains ${c.minDomains}` : ''}${preferred ? ', ScheduleAnyway' : ''})`,
    };
  });
}

/** Required and preferred pod affinity or anti-affinity terms of the pod; preferred ones heaviest first. */
export function affinityTerms(pod: Pod, kind: 'affinity' | 'anti-affinity', resolver: NamespaceResolver): { required: TopologyTerm[]; preferred: TopologyTerm[] } {
  const affinity = kind === 'affinity' ? pod.spec.affinity?.podAffinity : pod.spec.affinity?.podAntiAffinity;
  const requiredTerms = affinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const preferredTerms = affinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  if (!affinity || (requiredTerms.length === 0 && preferredTerms.length === 0)) return { required: [], preferred: [] };
  // Terms without a namespace selector do not depend on the resolver: computed once per pod object.
  const independent = [...requiredTerms, ...preferredTerms.map((t) => t.podAffinityTerm)].every((t) => t.namespaceSelector === undefined);
  const memo = independent ? termsByPod.get(pod) : undefined;
  const known = memo?.[kind];
  if (known) return { required: [...known.required], preferred: [...known.preferred] };
  const computed = computeAffinityTerms(pod, kind, affinity, resolver);
  if (independent) termsByPod.set(pod, { ...memo, [kind]: computed });
  return { required: [...computed.required], preferred: [...computed.preferred] };
}

/**
 * The pod's required anti-affinity terms as `affinityTerms(pod, 'anti-affinity', resolver).required`, without
 * the defensive copy: the caller must not change the list (the scheduler reads existing pods' terms every round).
 */
export function requiredAntiAffinityTerms(pod: Pod, resolver: NamespaceResolver): readonly TopologyTerm[] {
  const affinity = pod.spec.affinity?.podAntiAffinity;
  const known = affinity ? termsByPod.get(pod)?.['anti-affinity'] : undefined;
  if (known) return known.required;
  return affinityTerms(pod, 'anti-affinity', resolver).required;
}

/** Pod (anti-)affinity terms per pod object, for pods whose terms name no namespace selector (see `affinityTerms`). */
const termsByPod = new WeakMap<Pod, Partial<Record<'affinity' | 'anti-affinity', { required: TopologyTerm[]; preferred: TopologyTerm[] }>>>();

function computeAffinityTerms(
  pod: Pod,
  kind: 'affinity' | 'anti-affinity',
  affinity: NonNullable<NonNullable<Pod['spec']['affinity']>['podAffinity']>,
  resolver: NamespaceResolver,
): { required: TopologyTerm[]; preferred: TopologyTerm[] } {
  const namespace = pod.metadata.namespace ?? 'default';
  const labels = pod.metadata.labels ?? {};
  const make = (term: PodAffinityTerm, preferred: boolean, weight: number): TopologyTerm => {
    const extra = [
      ...(term.matchLabelKeys ?? []).filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'In' as const, values: [labels[k] ?? ''] })),
      ...(term.mismatchLabelKeys ?? []).filter((k) => labels[k] !== undefined).map((k) => ({ key: k, operator: 'NotIn' as const, values: [labels[k] ?? ''] })),
    ];
    const selector = compileSelector(term.labelSelector, extra);
    const key = normalizeLabelKey(term.topologyKey);
    const namespaces = resolver.scope(term, namespace);
    return {
      kind,
      key,
      selector,
      namespaces,
      maxSkew: 0,
      minDomains: undefined,
      nodeAffinityPolicy: 'Honor',
      nodeTaintsPolicy: 'Ignore',
      preferred,
      weight,
      groupKey: [kind, key, selector.key, scopeKey(namespaces)].join('|'),
      description: `${preferred ? 'preferred ' : ''}pod ${kind} on ${key}`,
    };
  };
  const required = (affinity.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => make(t, false, 0));
  const preferred = (affinity.preferredDuringSchedulingIgnoredDuringExecution ?? [])
    .map((t, index) => ({ index, term: make(t.podAffinityTerm, true, t.weight) }))
    .sort((a, b) => b.term.weight - a.term.weight || a.index - b.index)
    .map((x) => x.term);
  return { required, preferred };
}
