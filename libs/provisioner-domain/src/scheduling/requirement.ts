import type { NodeSelectorOperator, NodeSelectorRequirementWithMinValues } from '../core/types.js';

/**
 * The values one label key may take: a finite set (`In`), or everything but a finite set (`NotIn`, `Exists`,
 * `Gt`/`Lt`/`Gte`/`Lte` with integer bounds), and whether the label may be absent (`NotIn`, `DoesNotExist`).
 * Immutable. Mirrors Karpenter's `scheduling.Requirement`, with absence tracked explicitly so that
 * `Exists ∩ NotIn` stays "must exist".
 *
 * - `In [a b]`: values {a,b}; `NotIn [a]`: complement of {a}, absent allowed; `Exists`: complement of {};
 *   `DoesNotExist`: no value, absent allowed; `Gt 3`: integers > 3; `Gte 3` = `Gt 2`; `Lt 3`; `Lte 3` = `Lt 4`.
 * - `minValues` (Karpenter): the NodeClaim must keep at least this many distinct values among its instance types.
 */
export class LabelRequirement {
  readonly key: string;
  /** True: `values` are excluded and every other value allowed (within bounds). False: only `values`. */
  readonly complement: boolean;
  readonly values: ReadonlySet<string>;
  /** Exclusive integer lower bound; only on complement requirements. */
  readonly greaterThan: number | undefined;
  /** Exclusive integer upper bound; only on complement requirements. */
  readonly lessThan: number | undefined;
  /** True when a node without the label satisfies it (NotIn, DoesNotExist). */
  readonly allowsUndefined: boolean;
  readonly minValues: number | undefined;

  private constructor(
    key: string,
    complement: boolean,
    values: ReadonlySet<string>,
    allowsUndefined: boolean,
    greaterThan?: number,
    lessThan?: number,
    minValues?: number,
  ) {
    this.key = key;
    this.allowsUndefined = allowsUndefined;
    this.minValues = minValues;
    if (complement && greaterThan !== undefined && lessThan !== undefined && greaterThan + 1 >= lessThan) {
      // No integer between the bounds: nothing is allowed.
      this.complement = false;
      this.values = EMPTY;
      this.greaterThan = undefined;
      this.lessThan = undefined;
      return;
    }
    this.complement = complement;
    this.values = values;
    this.greaterThan = complement ? greaterThan : undefined;
    this.lessThan = complement ? lessThan : undefined;
  }

  /** `key In values`. */
  static in(key: string, values: Iterable<string>, minValues?: number): LabelRequirement {
    return new LabelRequirement(key, false, new Set(values), false, undefined, undefined, minValues);
  }

  /** `key NotIn values` (absent allowed). */
  static notIn(key: string, values: Iterable<string>, minValues?: number): LabelRequirement {
    return new LabelRequirement(key, true, new Set(values), true, undefined, undefined, minValues);
  }

  /** `key Exists`. */
  static exists(key: string, minValues?: number): LabelRequirement {
    return new LabelRequirement(key, true, EMPTY, false, undefined, undefined, minValues);
  }

  /** `key DoesNotExist`. */
  static doesNotExist(key: string): LabelRequirement {
    return new LabelRequirement(key, false, EMPTY, true);
  }

  /** Integer bounds, exclusive: `greaterThan < value < lessThan` (the label must exist). */
  static bounded(key: string, bounds: { greaterThan?: number; lessThan?: number }, minValues?: number): LabelRequirement {
    return new LabelRequirement(key, true, EMPTY, false, bounds.greaterThan, bounds.lessThan, minValues);
  }

  /**
   * From a NodeSelectorRequirement (`Gt`/`Lt`/`Gte`/`Lte` take one integer value). Returns an error text instead
   * of throwing when the requirement is malformed (e.g. `Gt` with a non-integer).
   */
  static fromNodeSelectorRequirement(key: string, operator: NodeSelectorOperator, values: readonly string[] = [], minValues?: number): LabelRequirement | string {
    switch (operator) {
      case 'In':
        return LabelRequirement.in(key, values, minValues);
      case 'NotIn':
        return LabelRequirement.notIn(key, values, minValues);
      case 'Exists':
        return LabelRequirement.exists(key, minValues);
      case 'DoesNotExist':
        return LabelRequirement.doesNotExist(key);
      case 'Gt':
      case 'Lt':
      case 'Gte':
      case 'Lte': {
        const bound = values.length === 1 ? parseInteger(values[0] ?? '') : undefined;
        if (bound === undefined) return `${key} ${operator} needs exactly one integer value, got ${JSON.stringify(values)}`;
        if (operator === 'Gt') return LabelRequirement.bounded(key, { greaterThan: bound }, minValues);
        if (operator === 'Gte') return LabelRequirement.bounded(key, { greaterThan: bound - 1 }, minValues);
        if (operator === 'Lt') return LabelRequirement.bounded(key, { lessThan: bound }, minValues);
        return LabelRequirement.bounded(key, { lessThan: bound + 1 }, minValues);
      }
      default:
        return `${key}: unknown operator ${JSON.stringify(operator)}`;
    }
  }

  /** True when `value` is allowed (bounds need an integer value). */
  has(value: string): boolean {
    if (!this.complement) return this.values.has(value);
    if (this.values.has(value)) return false;
    if (this.greaterThan === undefined && this.lessThan === undefined) return true;
    const n = parseInteger(value);
    if (n === undefined) return false;
    return (this.greaterThan === undefined || n > this.greaterThan) && (this.lessThan === undefined || n < this.lessThan);
  }

  /** True when a node with this label value (or without the label: `undefined`) satisfies the requirement. */
  allows(value: string | undefined): boolean {
    return value === undefined ? this.allowsUndefined : this.has(value);
  }

  /** True when some value is allowed (In with values, or any complement). */
  hasAnyValue(): boolean {
    return this.complement || this.values.size > 0;
  }

  /** True when nothing satisfies it: no value allowed and the label may not be absent. */
  isUnsatisfiable(): boolean {
    return !this.hasAnyValue() && !this.allowsUndefined;
  }

  /** Number of allowed values; `Infinity` for complements. */
  get size(): number {
    return this.complement ? Number.POSITIVE_INFINITY : this.values.size;
  }

  /** The single allowed value of an `In` with exactly one value, else `undefined`. */
  singleValue(): string | undefined {
    if (this.complement || this.values.size !== 1) return undefined;
    for (const v of this.values) return v;
    return undefined;
  }

  /** The operator that best describes this requirement (bounds report as `Gt`/`Lt`). */
  operator(): NodeSelectorOperator {
    if (!this.complement) return this.values.size > 0 ? 'In' : 'DoesNotExist';
    if (this.greaterThan !== undefined) return 'Gt';
    if (this.lessThan !== undefined) return 'Lt';
    if (this.values.size > 0 || this.allowsUndefined) return 'NotIn';
    return 'Exists';
  }

  /**
   * Values allowed by both. Returns `this` (same object) when `other` does not narrow it, so callers can detect
   * "unchanged" by identity. `minValues` is the larger of the two.
   */
  intersect(other: LabelRequirement): LabelRequirement {
    if (other === this) return this;
    const allowsUndefined = this.allowsUndefined && other.allowsUndefined;
    const minValues = maxDefined(this.minValues, other.minValues);
    let result: LabelRequirement;
    if (!this.complement && !other.complement) {
      const values = new Set<string>();
      for (const v of this.values) if (other.values.has(v)) values.add(v);
      result = new LabelRequirement(this.key, false, values, allowsUndefined, undefined, undefined, minValues);
    } else if (!this.complement) {
      const values = new Set<string>();
      for (const v of this.values) if (other.has(v)) values.add(v);
      result = new LabelRequirement(this.key, false, values, allowsUndefined, undefined, undefined, minValues);
    } else if (!other.complement) {
      const values = new Set<string>();
      for (const v of other.values) if (this.has(v)) values.add(v);
      result = new LabelRequirement(this.key, false, values, allowsUndefined, undefined, undefined, minValues);
    } else {
      const values = new Set<string>(this.values);
      for (const v of other.values) values.add(v);
      result = new LabelRequirement(
        this.key,
        true,
        values,
        allowsUndefined,
        maxDefined(this.greaterThan, other.greaterThan),
        minDefined(this.lessThan, other.lessThan),
        minValues,
      );
    }
    return result.equals(this) ? this : result;
  }

  /**
   * Karpenter's `Intersects` for one key: some value is allowed by both, or both allow the label to be absent.
   */
  intersects(other: LabelRequirement): boolean {
    if (this.allowsUndefined && other.allowsUndefined) return true;
    if (!this.complement) {
      for (const v of this.values) if (other.has(v)) return true;
      return false;
    }
    if (!other.complement) {
      for (const v of other.values) if (this.has(v)) return true;
      return false;
    }
    return this.intersect(other).hasAnyValue();
  }

  equals(other: LabelRequirement): boolean {
    if (
      this.complement !== other.complement ||
      this.allowsUndefined !== other.allowsUndefined ||
      this.greaterThan !== other.greaterThan ||
      this.lessThan !== other.lessThan ||
      this.minValues !== other.minValues ||
      this.values.size !== other.values.size
    ) {
      return false;
    }
    for (const v of this.values) if (!other.values.has(v)) return false;
    return true;
  }

  /** Allowed values, sorted, for `In`; excluded values, sorted, for complements. */
  sortedValues(): string[] {
    return [...this.values].sort();
  }

  /** Karpenter/Kubernetes requirement entries meaning the same thing (bounds may add `Gt`/`Lt` entries). */
  toNodeSelectorRequirements(): NodeSelectorRequirementWithMinValues[] {
    const withMin = (r: NodeSelectorRequirementWithMinValues): NodeSelectorRequirementWithMinValues =>
      this.minValues !== undefined ? { ...r, minValues: this.minValues } : r;
    if (!this.complement) {
      return [withMin(this.values.size > 0 || !this.allowsUndefined ? { key: this.key, operator: 'In', values: this.sortedValues() } : { key: this.key, operator: 'DoesNotExist' })];
    }
    const out: NodeSelectorRequirementWithMinValues[] = [];
    if (this.values.size > 0) out.push({ key: this.key, operator: 'NotIn', values: this.sortedValues() });
    if (this.greaterThan !== undefined) out.push({ key: this.key, operator: 'Gt', values: [String(this.greaterThan)] });
    if (this.lessThan !== undefined) out.push({ key: this.key, operator: 'Lt', values: [String(this.lessThan)] });
    if ((out.length === 0 || this.values.size > 0) && !this.allowsUndefined && this.greaterThan === undefined && this.lessThan === undefined) {
      out.push({ key: this.key, operator: 'Exists' });
    }
    if (out.length === 0) out.push({ key: this.key, operator: 'NotIn', values: [] });
    return out.map(withMin);
  }

  /** For people: `zone In [a, b]`, `team NotIn [x]`, `gpu Exists`, `cpu Gt 3 Lt 9`. */
  describe(): string {
    if (!this.complement) return this.values.size > 0 || !this.allowsUndefined ? `${this.key} In [${this.sortedValues().join(', ')}]` : `${this.key} DoesNotExist`;
    const parts = [this.key];
    if (this.values.size > 0) parts.push(`NotIn [${this.sortedValues().join(', ')}]`);
    if (this.greaterThan !== undefined) parts.push(`Gt ${this.greaterThan}`);
    if (this.lessThan !== undefined) parts.push(`Lt ${this.lessThan}`);
    if (parts.length === 1) parts.push(this.allowsUndefined ? 'NotIn []' : 'Exists');
    else if (!this.allowsUndefined && this.values.size > 0 && this.greaterThan === undefined && this.lessThan === undefined) parts.push('(must exist)');
    return parts.join(' ');
  }
}

const EMPTY: ReadonlySet<string> = new Set();

const INTEGER = /^[+-]?\d+$/;

/** A decimal integer as Go's `strconv.Atoi` reads it, else `undefined`. */
export function parseInteger(text: string): number | undefined {
  if (!INTEGER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function maxDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.max(a, b);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
