import type { QuantityMap } from '../core/types.js';
import { parseQuantity, toBaseUnits, toMilliUnits } from './quantity.js';
import { CPU, type ResourceList } from './resourcelist.js';

/**
 * The canonical integer amount of one resource: millicores for `cpu`, base units rounded up for every other
 * resource (so `memory: 1.5Ki` is 1536 bytes and `nvidia.com/gpu: 1` is 1).
 * @throws QuantityParseError when the quantity is malformed.
 */
export function toCanonicalAmount(resourceName: string, value: QuantityMap[string]): number {
  const q = parseQuantity(value);
  return resourceName === CPU ? toMilliUnits(q) : toBaseUnits(q);
}

/**
 * Converts a manifest's quantity map (`{cpu: "500m", memory: "1Gi"}`) to a ResourceList in canonical units.
 * `undefined` gives an empty list.
 * @throws QuantityParseError naming the bad text when any quantity is malformed.
 */
export function toResourceList(map: QuantityMap | undefined): ResourceList {
  const out: Record<string, number> = {};
  if (!map) return out;
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    out[key] = toCanonicalAmount(key, value);
  }
  return out;
}
