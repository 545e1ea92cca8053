import { CPU, GPU_RESOURCES, isByteResource, toCanonicalAmount } from '@karpenter-ts/provisioner-domain';
import type { ResourceList, Utilisation } from '@karpenter-ts/capacity-api';

/**
 * One resource of a team, NodePool or node as the UI shows it: `requested` and `allocatable` in canonical
 * units (millicores for `cpu`, bytes for memory, units otherwise) and the API's `utilisation` fraction
 * (absent when nothing is allocatable).
 */
export interface ResourceUsage {
  resource: string;
  requested: number;
  allocatable: number;
  utilisation: number | undefined;
}

/**
 * The canonical amount of `resource` in a quantity list (the domain's rule: millicores for cpu, base units
 * rounded up otherwise); 0 when absent or not a quantity (the response schema only promises strings).
 */
export function amountOf(list: ResourceList, resource: string): number {
  const text = list[resource];
  if (text === undefined) return 0;
  try {
    return toCanonicalAmount(resource, text);
  } catch {
    return 0;
  }
}

/** {@link ResourceUsage} of one resource from a requested list, an allocatable list and a utilisation map. */
export function usageOf(resource: string, requested: ResourceList, allocatable: ResourceList, utilisation: Utilisation): ResourceUsage {
  return { resource, requested: amountOf(requested, resource), allocatable: amountOf(allocatable, resource), utilisation: utilisation[resource] };
}

/** Usage of every GPU resource (the domain's {@link GPU_RESOURCES}) present in either list, by name. */
export function gpuUsages(requested: ResourceList, allocatable: ResourceList, utilisation: Utilisation): ResourceUsage[] {
  return GPU_RESOURCES.filter((r) => r in requested || r in allocatable).map((r) => usageOf(r, requested, allocatable, utilisation));
}

function trimmed(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

/** Millicores as cores for people: `3920` → `"3.92"`, `500` → `"0.5"`, `24000` → `"24"`. */
export function formatCores(millis: number): string {
  const cores = millis / 1000;
  return trimmed(cores, cores >= 100 ? 0 : 2);
}

const BYTE_UNITS: readonly [string, number][] = [
  ['TiB', 2 ** 40],
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
];

/** Bytes with the largest binary unit of at least 1: `7304380416` → `"6.8 GiB"`, `512 Mi` → `"512 MiB"`. */
export function formatBytes(bytes: number): string {
  for (const [unit, size] of BYTE_UNITS) {
    if (bytes >= size) return `${trimmed(bytes / size, bytes / size >= 100 ? 0 : 1)} ${unit}`;
  }
  return `${bytes} B`;
}

/** A canonical amount of `resource`: cores for cpu, binary units for byte resources, a plain number otherwise. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === CPU) return formatCores(amount);
  if (isByteResource(resource)) return formatBytes(amount);
  return String(amount);
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 3 });

/** USD per hour as money: `0.16` → `"$0.16"`, `0.078367` → `"$0.078"`, `12.5` → `"$12.50"`. */
export function formatCostPerHour(usdPerHour: number): string {
  return usd.format(usdPerHour);
}

/** A fraction as a whole percentage: `0.5102` → `"51%"`. */
export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

/** Short resource names for column heads: `nvidia.com/gpu` → `gpu (nvidia.com)`. */
export function resourceLabel(resource: string): string {
  const slash = resource.indexOf('/');
  return slash < 0 ? resource : `${resource.slice(slash + 1)} (${resource.slice(0, slash)})`;
}
