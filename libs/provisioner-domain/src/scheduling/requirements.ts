import type { NodeSelectorRequirement, NodeSelectorRequirementWithMinValues } from '../core/types.js';
import { LabelRequirement } from './requirement.js';
import { normalizeLabelKey } from './well-known-labels.js';

/**
 * Why two requirement sets (or a requirement set and a node's labels) are incompatible, as data:
 * - `undefined-label`: the pod needs a label the node side neither defines nor may take from instance types;
 * - `no-intersection`: both sides constrain `key` and no value satisfies both.
 * `allowed` is what the node side allows for the key (absent for undefined labels or a concrete label value
 * in `actual`), `wanted` what the pod asked for.
 */
export interface RequirementConflict {
  kind: 'undefined-label' | 'no-intersection';
  key: string;
  wanted: LabelRequirement;
  allowed?: LabelRequirement;
  /** For label sets: the node's value (`undefined` when the label is absent). */
  actual?: string;
}

/**
 * A conjunction of per-key Requirements (label key → allowed values): what a NodePool, an instance type, a
 * NodeClaim or a pod's node selection allows. Immutable; operations that do not narrow anything return the
 * same object so callers can skip re-filtering by identity. Keys are normalised (beta aliases → stable keys).
 * Mirrors Karpenter's `scheduling.Requirements`.
 */
export class Requirements implements Iterable<LabelRequirement> {
  static readonly EMPTY = new Requirements(new Map());

  private readonly byKey: ReadonlyMap<string, LabelRequirement>;

  private constructor(byKey: ReadonlyMap<string, LabelRequirement>) {
    this.byKey = byKey;
  }

  /** The conjunction of the given requirements (same-key entries intersect). */
  static of(...requirements: LabelRequirement[]): Requirements {
    return Requirements.EMPTY.with(...requirements);
  }

  /**
   * From NodePool/NodeClaim/node-affinity entries; entries with the same key are ANDed. A malformed entry
   * (e.g. `Gt` without one integer) matches nothing, as kube-scheduler treats an invalid selector.
   */
  static fromNodeSelectorRequirements(list: readonly (NodeSelectorRequirement | NodeSelectorRequirementWithMinValues)[] | undefined): Requirements {
    if (!list || list.length === 0) return Requirements.EMPTY;
    const reqs: LabelRequirement[] = [];
    for (const entry of list) {
      const key = normalizeLabelKey(entry.key);
      const minValues = 'minValues' in entry ? entry.minValues : undefined;
      const req = LabelRequirement.fromNodeSelectorRequirement(key, entry.operator, entry.values ?? [], minValues);
      reqs.push(typeof req === 'string' ? LabelRequirement.in(key, []) : req);
    }
    return Requirements.of(...reqs);
  }

  /** `key In [value]` for every label (a nodeSelector, a NodePool template's labels, an instance type's labels). */
  static fromLabels(labels: Readonly<Record<string, string>> | undefined): Requirements {
    if (!labels) return Requirements.EMPTY;
    const reqs: LabelRequirement[] = [];
    for (const key of Object.keys(labels)) reqs.push(LabelRequirement.in(normalizeLabelKey(key), [labels[key] ?? '']));
    return Requirements.of(...reqs);
  }

  get size(): number {
    return this.byKey.size;
  }

  [Symbol.iterator](): Iterator<LabelRequirement> {
    return this.byKey.values();
  }

  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  get(key: string): LabelRequirement | undefined {
    return this.byKey.get(key);
  }

  /** These requirements with each given one intersected in; `this` when nothing narrows. */
  with(...requirements: LabelRequirement[]): Requirements {
    let next: Map<string, LabelRequirement> | undefined;
    for (const req of requirements) {
      const current = (next ?? this.byKey).get(req.key);
      const merged = current ? current.intersect(req) : req;
      if (merged === current) continue;
      next ??= new Map(this.byKey);
      next.set(req.key, merged);
    }
    return next ? new Requirements(next) : this;
  }

  /** The conjunction of both; `this` when `other` narrows nothing. */
  intersect(other: Requirements): Requirements {
    if (other === this || other.size === 0) return this;
    if (this.size === 0) return other;
    return this.with(...other.byKey.values());
  }

  /** True when some key allows no value and may not be absent: no node can satisfy these requirements. */
  isUnsatisfiable(): boolean {
    for (const req of this.byKey.values()) if (req.isUnsatisfiable()) return true;
    return false;
  }

  /**
   * The disjunctive normal form of a conjunction of disjunctions: each of `choices` is a list of alternatives
   * (ORed; e.g. a PersistentVolume's node-selector terms), the lists are ANDed. Returns the satisfiable
   * intersections, one per combination, in order (first choice varies slowest), deduplicated, at most `limit`
   * (a guard against a product blow-up; later combinations are dropped). An empty `choices` gives `[this]`.
   * When no combination is satisfiable, returns the first (unsatisfiable) one, so callers can still explain it.
   */
  intersectEach(choices: readonly (readonly Requirements[])[], limit = 64): Requirements[] {
    let current: Requirements[] = [this];
    for (const alternatives of choices) {
      if (alternatives.length === 0) continue;
      const next: Requirements[] = [];
      const seen = new Set<string>();
      let firstUnsatisfiable: Requirements | undefined;
      for (const a of current) {
        for (const b of alternatives) {
          const merged = a.intersect(b);
          if (merged.isUnsatisfiable()) {
            firstUnsatisfiable ??= merged;
            continue;
          }
          const key = merged.describe();
          if (seen.has(key) || next.length >= limit) continue;
          seen.add(key);
          next.push(merged);
        }
      }
      current = next.length > 0 ? next : [firstUnsatisfiable ?? this];
    }
    return current;
  }

  /** These requirements without `key`. */
  without(key: string): Requirements {
    if (!this.byKey.has(key)) return this;
    const next = new Map(this.byKey);
    next.delete(key);
    return new Requirements(next);
  }

  /**
   * Karpenter's `Intersects`: for every key both constrain, some value satisfies both (or both allow the label
   * to be absent). Keys only one side mentions are ignored. Returns the first conflict, else `undefined`.
   */
  intersects(other: Requirements): RequirementConflict | undefined {
    const [small, large] = this.size <= other.size ? [this, other] : [other, this];
    for (const [key, a] of small.byKey) {
      const b = large.byKey.get(key);
      if (b && !a.intersects(b)) {
        const wanted = small === this ? b : a;
        const allowed = small === this ? a : b;
        return { kind: 'no-intersection', key, wanted, allowed };
      }
    }
    return undefined;
  }

  /**
   * Karpenter's `Compatible` with this as the node side and `incoming` as the pod side: every key the pod
   * requires must be defined here, unless the pod allows the label to be absent (NotIn, DoesNotExist) or
   * `allowUndefined(key)` (well-known labels whose values come from instance types); then `intersects`.
   */
  compatible(incoming: Requirements, allowUndefined: (key: string) => boolean): RequirementConflict | undefined {
    for (const [key, wanted] of incoming.byKey) {
      const allowed = this.byKey.get(key);
      if (allowed) {
        if (!allowed.intersects(wanted)) return { kind: 'no-intersection', key, wanted, allowed };
      } else if (!wanted.allowsUndefined && !allowUndefined(key)) {
        return { kind: 'undefined-label', key, wanted };
      }
    }
    return undefined;
  }

  /**
   * Whether a concrete label set (an existing node's) satisfies every requirement, with kube-scheduler
   * semantics (`NotIn`/`DoesNotExist` match an absent label; `In`, `Exists`, `Gt`, `Lt` need it). Label keys
   * must already be normalised (see `normalizeNodeLabels`). Returns the first conflict, else `undefined`.
   */
  matchLabels(labels: Readonly<Record<string, string>>): RequirementConflict | undefined {
    for (const [key, wanted] of this.byKey) {
      const actual = labels[key];
      if (!wanted.allows(actual)) return { kind: 'no-intersection', key, wanted, actual };
    }
    return undefined;
  }

  /** Labels implied by single-valued `In` requirements (what a launched node will be labelled with). */
  singleValueLabels(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, req] of this.byKey) {
      const v = req.singleValue();
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** The requirements as NodeSelectorRequirement entries, keys sorted (stable for output and hashing). */
  toNodeSelectorRequirements(): NodeSelectorRequirementWithMinValues[] {
    const out: NodeSelectorRequirementWithMinValues[] = [];
    for (const key of [...this.byKey.keys()].sort()) out.push(...(this.byKey.get(key)?.toNodeSelectorRequirements() ?? []));
    return out;
  }

  /** For people: `kubernetes.io/arch In [amd64], team NotIn [a]`. */
  describe(): string {
    return [...this.byKey.keys()]
      .sort()
      .map((key) => this.byKey.get(key)?.describe() ?? key)
      .join(', ');
  }
}
