/**
 * Resource amounts in canonical integer units, as kube-scheduler's NodeInfo keeps them:
 * `cpu` in millicores; every other resource (`memory` and `ephemeral-storage` in bytes, `pods`,
 * `nvidia.com/gpu`, hugepages-*, any extended resource) in whole base units, rounded up from the quantity.
 * Missing keys mean zero. Values are JS numbers (exact up to 2^53: 8 PiB of memory).
 */
export type ResourceList = Readonly<Record<string, number>>;

/** The resource whose canonical unit is the millicore; every other resource is counted in base units. */
export const CPU = 'cpu';
export const MEMORY = 'memory';
export const PODS = 'pods';
export const EPHEMERAL_STORAGE = 'ephemeral-storage';

/** An empty ResourceList (all zero). */
export const EMPTY_RESOURCES: ResourceList = Object.freeze({});

/** Sum per resource of any number of lists; keys of every list appear in the result. */
export function addResources(...lists: readonly ResourceList[]): ResourceList {
  const out: Record<string, number> = {};
  for (const list of lists) {
    for (const key in list) out[key] = (out[key] ?? 0) + (list[key] ?? 0);
  }
  return out;
}

/** `a - b` per resource over the keys of both; results may be negative (callers check with `fits`). */
export function subtractResources(a: ResourceList, b: ResourceList): ResourceList {
  const out: Record<string, number> = { ...a };
  for (const key in b) out[key] = (out[key] ?? 0) - (b[key] ?? 0);
  return out;
}

/** `a - b` per resource, never below zero (allocatable from capacity minus reservations). */
export function subtractResourcesClamped(a: ResourceList, b: ResourceList): ResourceList {
  const out: Record<string, number> = {};
  for (const key in a) out[key] = Math.max(0, (a[key] ?? 0) - (b[key] ?? 0));
  return out;
}

/** Per-resource maximum over the keys of both (kube-scheduler's init-container rule). */
export function maxResources(a: ResourceList, b: ResourceList): ResourceList {
  const out: Record<string, number> = { ...a };
  for (const key in b) out[key] = Math.max(out[key] ?? 0, b[key] ?? 0);
  return out;
}

/**
 * True when every positive request is at most what is available; a resource missing from `available` is zero,
 * so `nvidia.com/gpu: 1` does not fit a list without it. Mirrors kube-scheduler's NodeResourcesFit.
 */
export function fits(requests: ResourceList, available: ResourceList): boolean {
  return firstExceeded(requests, available) === undefined;
}

/** The first resource (in key order of `requests`) whose request exceeds `available`, else `undefined`. */
export function firstExceeded(requests: ResourceList, available: ResourceList): string | undefined {
  for (const key in requests) {
    const wanted = requests[key] ?? 0;
    if (wanted > 0 && wanted > (available[key] ?? 0)) return key;
  }
  return undefined;
}

/** Every resource whose request exceeds `available`, in key order of `requests`. */
export function exceededResources(requests: ResourceList, available: ResourceList): string[] {
  const out: string[] = [];
  for (const key in requests) {
    const wanted = requests[key] ?? 0;
    if (wanted > 0 && wanted > (available[key] ?? 0)) out.push(key);
  }
  return out;
}

/** True when every value is zero (or the list is empty). */
export function isZeroResources(list: ResourceList): boolean {
  for (const key in list) if ((list[key] ?? 0) !== 0) return false;
  return true;
}

/** Same keys with non-zero values, in sorted key order (for stable output and comparisons). */
export function normalizeResources(list: ResourceList): ResourceList {
  const out: Record<string, number> = {};
  for (const key of Object.keys(list).sort()) if ((list[key] ?? 0) !== 0) out[key] = list[key] ?? 0;
  return out;
}
