import { isByteResource } from './format.js';
import { CPU } from './resourcelist.js';

const UNITS: readonly [string, number][] = [
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

/**
 * A canonical amount for people, not for parsing back: cpu in vCPU (`872 vCPU`, `1.5 vCPU`, `250m`), bytes in the
 * largest binary unit with at most one decimal (`2Gi`, `1.9Gi`, `512Mi`), other resources as plain numbers.
 */
export function humanQuantity(resourceName: string, amount: number): string {
  if (resourceName === CPU) return amount !== 0 && Math.abs(amount) < 1000 ? `${amount}m` : `${trim(amount / 1000)} vCPU`;
  if (isByteResource(resourceName)) {
    for (const [suffix, size] of UNITS) if (Math.abs(amount) >= size) return `${trim(amount / size)}${suffix}`;
    return amount === 0 ? '0' : `${amount}B`;
  }
  return trim(amount);
}
