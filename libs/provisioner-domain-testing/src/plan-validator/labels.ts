/**
 * Label, selector, taint and toleration matching for the plan validator, written from the Kubernetes API
 * reference and NOT from the scheduler's modules, so that a bug in the scheduler's algebra cannot hide itself.
 *
 * A node's labels are seen through a `LabelView`: a planned NodeClaim knows some labels for certain (the chosen
 * instance type's, zone, capacity type, template labels) and only knows of others that they will satisfy the
 * NodeClaim's requirements (Karpenter labels the node with some value allowed by each requirement).
 */
import type {
  LabelSelector,
  Namespace,
  NodeSelectorRequirement,
  Pod,
  PodAffinityTerm,
  Taint,
  Toleration,
} from './domain.js';

/** What a node's label for one key will be: a fixed value, absent, one of some values, or any value but some. */
export type LabelValue =
  | { kind: 'fixed'; value: string }
  | { kind: 'absent' }
  | { kind: 'oneOf'; values: readonly string[] }
  | { kind: 'anyBut'; excluded: readonly string[] };

/** How a validator reads a node's labels. */
export interface LabelView {
  valueOf(key: string): LabelValue;
}

/** A view of a node whose labels are all known (an existing node). */
export function fixedLabelView(labels: Readonly<Record<string, string>>): LabelView {
  return {
    valueOf: (key) => (Object.hasOwn(labels, key) ? { kind: 'fixed', value: labels[key] ?? '' } : { kind: 'absent' }),
  };
}

/**
 * A view of a planned NodeClaim: `fixed` labels are certain; any other key constrained by `requirements` gets some
 * value those requirements allow (one of the `In` values when there is an `In`; none for `DoesNotExist`; an
 * unknown value otherwise); any other key is absent.
 */
export function plannedLabelView(fixed: Readonly<Record<string, string>>, requirements: readonly NodeSelectorRequirement[]): LabelView {
  const byKey = new Map<string, NodeSelectorRequirement[]>();
  for (const r of requirements) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
  return {
    valueOf(key) {
      if (Object.hasOwn(fixed, key)) return { kind: 'fixed', value: fixed[key] ?? '' };
      const reqs = byKey.get(key);
      if (!reqs) return { kind: 'absent' };
      if (reqs.some((r) => r.operator === 'DoesNotExist')) return { kind: 'absent' };
      const ins = reqs.filter((r) => r.operator === 'In');
      if (ins.length > 0) {
        let values = [...(ins[0]?.values ?? [])];
        for (const r of reqs) values = values.filter((v) => requirementHolds(r, v));
        if (values.length === 1) return { kind: 'fixed', value: values[0] ?? '' };
        return { kind: 'oneOf', values };
      }
      return { kind: 'anyBut', excluded: reqs.flatMap((r) => (r.operator === 'NotIn' ? (r.values ?? []) : [])) };
    },
  };
}

function integerOf(text: string | undefined): number | undefined {
  if (text === undefined || !/^[+-]?\d+$/.test(text.trim())) return undefined;
  return Number(text);
}

/** Whether one label value (`undefined` = label absent) satisfies a node selector requirement (incl. Gte/Lte). */
export function requirementHolds(req: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default: {
      const have = integerOf(value);
      const bound = integerOf(values[0]);
      if (have === undefined || bound === undefined) return false;
      if (req.operator === 'Gt') return have > bound;
      if (req.operator === 'Lt') return have < bound;
      if (req.operator === 'Gte') return have >= bound;
      return have <= bound;
    }
  }
}

/**
 * Whether a requirement is certain to hold on a node seen through `view`. For `oneOf`, every candidate must
 * hold; for `anyBut` (a value Karpenter picks), only operators any such value satisfies (`Exists`, `NotIn`,
 * comparisons, which the validator does not second-guess) count as holding.
 */
export function requirementCertain(req: NodeSelectorRequirement, view: LabelView): boolean {
  const v = view.valueOf(req.key);
  switch (v.kind) {
    case 'fixed':
      return requirementHolds(req, v.value);
    case 'absent':
      return requirementHolds(req, undefined);
    case 'oneOf':
      return v.values.every((value) => requirementHolds(req, value));
    case 'anyBut':
      return req.operator !== 'In' && req.operator !== 'DoesNotExist';
  }
}

/**
 * The first reason a pod's `nodeSelector` or required node affinity does not certainly hold on the node, or
 * `undefined`. Terms of required node affinity are ORed, expressions in a term ANDed; an empty term list or a
 * term without expressions and fields matches nothing (as the API reference says). `matchFields` (only
 * `metadata.name` is legal) are evaluated against `nodeName` for an existing node; a planned node's name is not
 * known yet, so only `NotIn` holds on it (its generated name is none of the listed ones), `In` never does.
 */
export function nodeSelectionProblem(pod: Pod, view: LabelView, nodeName?: string): string | undefined {
  for (const [key, value] of Object.entries(pod.spec.nodeSelector ?? {})) {
    if (!requirementCertain({ key, operator: 'In', values: [value] }, view)) return `nodeSelector ${key}=${value} does not hold (${describe(view.valueOf(key))})`;
  }
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return undefined;
  const ok = required.nodeSelectorTerms.some((term) => {
    const exprs = term.matchExpressions ?? [];
    const fields = term.matchFields ?? [];
    if (exprs.length === 0 && fields.length === 0) return false;
    return exprs.every((e) => requirementCertain(e, view)) && fields.every((f) => fieldHolds(f, nodeName));
  });
  return ok ? undefined : 'no term of required node affinity holds';
}

/** One `matchFields` entry on a node named `nodeName` (`undefined`: a planned node, name not known yet). */
function fieldHolds(req: NodeSelectorRequirement, nodeName: string | undefined): boolean {
  if (req.key !== 'metadata.name') return false;
  if (nodeName === undefined) return req.operator === 'NotIn';
  return (req.operator === 'In' || req.operator === 'NotIn') && requirementHolds(req, nodeName);
}

/** For messages: what a label will be. */
export function describe(v: LabelValue): string {
  switch (v.kind) {
    case 'fixed':
      return `label is ${JSON.stringify(v.value)}`;
    case 'absent':
      return 'label absent';
    case 'oneOf':
      return `label one of [${v.values.join(', ')}]`;
    case 'anyBut':
      return 'label value not decided';
  }
}

/** Whether a toleration tolerates a taint (core/v1 `Toleration.ToleratesTaint`). */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator ?? 'Equal';
  if (!toleration.key) return operator === 'Exists';
  if (toleration.key !== taint.key) return false;
  if (operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint the pod does not tolerate, or `undefined`. */
export function untoleratedTaint(pod: Pod, taints: readonly Taint[]): Taint | undefined {
  return taints.find((t) => t.effect !== 'PreferNoSchedule' && !(pod.spec.tolerations ?? []).some((tol) => tolerates(tol, t)));
}

/** metav1.LabelSelector matching; `undefined` matches nothing, `{}` matches everything. */
export function selectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>> | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (have[k] !== v) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const value = Object.hasOwn(have, e.key) ? have[e.key] : undefined;
    return requirementHolds({ key: e.key, operator: e.operator, values: e.values ?? [] }, value);
  });
}

/** `namespace/name` of a pod, `default` when the namespace is unset. */
export function podKey(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

/** The namespace of a pod, `default` when unset. */
export function podNamespace(pod: Pod): string {
  return pod.metadata.namespace ?? 'default';
}

/**
 * Whether `other` is selected by a pod (anti-)affinity term of `owner`: the label selector matches and
 * `other` is in the term's namespaces (`namespaces` plus those matched by `namespaceSelector`; the owner's
 * namespace when both are unset). Namespace labels include `kubernetes.io/metadata.name`. `matchLabelKeys`
 * adds `key in (owner's value)` to the selector, `mismatchLabelKeys` `key notin (owner's value)`.
 */
export function affinityTermSelects(term: PodAffinityTerm, owner: Pod, other: Pod, namespaces: readonly Namespace[]): boolean {
  const ns = podNamespace(other);
  const listed = term.namespaces ?? [];
  if (listed.length === 0 && !term.namespaceSelector) {
    if (ns !== podNamespace(owner)) return false;
  } else if (!listed.includes(ns)) {
    const labels = { ...(namespaces.find((n) => n.metadata.name === ns)?.metadata.labels ?? {}), 'kubernetes.io/metadata.name': ns };
    if (!selectorMatches(term.namespaceSelector, labels)) return false;
  }
  const ownerLabels = owner.metadata.labels ?? {};
  const otherLabels = other.metadata.labels ?? {};
  for (const key of term.matchLabelKeys ?? []) if (Object.hasOwn(ownerLabels, key) && otherLabels[key] !== ownerLabels[key]) return false;
  for (const key of term.mismatchLabelKeys ?? []) if (Object.hasOwn(ownerLabels, key) && otherLabels[key] === ownerLabels[key]) return false;
  return selectorMatches(term.labelSelector, otherLabels);
}
