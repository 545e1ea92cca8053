import type { ResourceList } from '../quantity/resourcelist.js';

/**
 * Dense resource vectors for the scheduler's hot path: every resource name seen in one round gets an index,
 * and amounts are `Float64Array`s (canonical integer units, exact below 2^53). Built once per round.
 */
export class ResourceIndex {
  readonly names: string[] = [];
  private readonly positions = new Map<string, number>();

  /** Registers every key of the lists (idempotent). */
  register(...lists: readonly ResourceList[]): void {
    for (const list of lists) {
      for (const key in list) {
        if (!this.positions.has(key)) {
          this.positions.set(key, this.names.length);
          this.names.push(key);
        }
      }
    }
  }

  get size(): number {
    return this.names.length;
  }

  position(name: string): number | undefined {
    return this.positions.get(name);
  }

  /** The list as a vector; keys not registered are ignored (register first). */
  vector(list: ResourceList): Float64Array {
    const out = new Float64Array(this.names.length);
    for (const key in list) {
      const i = this.positions.get(key);
      if (i !== undefined) out[i] = list[key] ?? 0;
    }
    return out;
  }

  /** `target -= list` in place, key by key (what `subtractInto(target, vector(list))` gives, without the vector). */
  subtractList(target: Float64Array, list: ResourceList): void {
    for (const key in list) {
      const i = this.positions.get(key);
      if (i !== undefined) target[i] = (target[i] as number) - (list[key] ?? 0);
    }
  }

  zero(): Float64Array {
    return new Float64Array(this.names.length);
  }

  /** Back to a ResourceList with the non-zero entries. */
  toList(vector: Float64Array): ResourceList {
    const out: Record<string, number> = {};
    for (let i = 0; i < vector.length; i++) {
      const v = vector[i] ?? 0;
      if (v !== 0) out[this.names[i] ?? ''] = v;
    }
    return out;
  }
}

/** True when `used + add <= capacity` for every resource where `add` is positive. */
export function fitsVector(used: Float64Array, add: Float64Array, capacity: Float64Array): boolean {
  for (let i = 0; i < add.length; i++) {
    const a = add[i] as number;
    if (a > 0 && (used[i] as number) + a > (capacity[i] as number)) return false;
  }
  return true;
}

/** True when `add <= free` for every resource where `add` is positive. */
export function fitsWithin(add: Float64Array, free: Float64Array): boolean {
  for (let i = 0; i < add.length; i++) {
    const a = add[i] as number;
    if (a > 0 && a > (free[i] as number)) return false;
  }
  return true;
}

/** Index of the first resource where `used + add > capacity`, or -1. */
export function firstExceededIndex(used: Float64Array, add: Float64Array, capacity: Float64Array): number {
  for (let i = 0; i < add.length; i++) {
    const a = add[i] as number;
    if (a > 0 && (used[i] as number) + a > (capacity[i] as number)) return i;
  }
  return -1;
}

/** `target += add` in place. */
export function addInto(target: Float64Array, add: Float64Array): void {
  for (let i = 0; i < add.length; i++) target[i] = (target[i] as number) + (add[i] as number);
}

/** `target -= sub` in place. */
export function subtractInto(target: Float64Array, sub: Float64Array): void {
  for (let i = 0; i < sub.length; i++) target[i] = (target[i] as number) - (sub[i] as number);
}

/** Element-wise `a + b`. */
export function sumVectors(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) + (b[i] as number);
  return out;
}

/** `target = max(target, v)` element-wise, in place. */
export function maxInto(target: Float64Array, v: Float64Array): void {
  for (let i = 0; i < v.length; i++) if ((v[i] as number) > (target[i] as number)) target[i] = v[i] as number;
}
