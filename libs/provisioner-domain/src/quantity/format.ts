import { CPU, type ResourceList } from './resourcelist.js';

const BINARY_SUFFIXES: readonly [string, number][] = [
  ['Ei', 2 ** 60],
  ['Pi', 2 ** 50],
  ['Ti', 2 ** 40],
  ['Gi', 2 ** 30],
  ['Mi', 2 ** 20],
  ['Ki', 2 ** 10],
];

/** Resources measured in bytes, formatted with binary suffixes. */
export function isByteResource(resourceName: string): boolean {
  return resourceName === 'memory' || resourceName === 'ephemeral-storage' || resourceName === 'storage' || resourceName.startsWith('hugepages-');
}

/**
 * Formats a canonical amount (see ResourceList) as a Kubernetes quantity a person reads back:
 * cpu millicores as `"4"` or `"4200m"`; byte resources with the largest binary suffix that is exact
 * (`"9816Mi"`, `"2Gi"`, else plain bytes); every other resource as a plain integer (`"4"`).
 * The result parses back to the same canonical amount.
 */
export function formatQuantity(resourceName: string, amount: number): string {
  if (resourceName === CPU) {
    return amount % 1000 === 0 ? String(amount / 1000) : `${amount}m`;
  }
  if (isByteResource(resourceName) && amount !== 0) {
    for (const [suffix, size] of BINARY_SUFFIXES) {
      if (amount % size === 0) return `${amount / size}${suffix}`;
    }
  }
  return String(amount);
}

/** `formatQuantity` over a list, keys sorted, zero amounts kept. */
export function formatResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(list).sort()) out[key] = formatQuantity(key, list[key] ?? 0);
  return out;
}

/** One line for people: `cpu=4200m, memory=9816Mi, pods=4` (keys sorted, zero amounts dropped). */
export function describeResources(list: ResourceList): string {
  const parts: string[] = [];
  for (const key of Object.keys(list).sort()) {
    const amount = list[key] ?? 0;
    if (amount !== 0) parts.push(`${key}=${formatQuantity(key, amount)}`);
  }
  return parts.length === 0 ? 'nothing' : parts.join(', ');
}
