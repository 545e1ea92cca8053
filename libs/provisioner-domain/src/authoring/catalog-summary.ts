/**
 * What a requirement set leaves of an instance-type catalog, for editors (hover, code lens, completions): the
 * instance types a NodePool (or one of its requirements) allows, their price range, and how many nodes of the
 * largest allowed type its limits let Karpenter launch. Mirrors how Karpenter filters instance types by a
 * NodePool's requirements: a type is allowed when its labels and at least one offering's zone and capacity type
 * satisfy every requirement on a label the catalog defines (other keys only label the node).
 */
import type { Requirement } from '../apis/common.js';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE, WELL_KNOWN_LABELS, normalizeLabelKey } from '../apis/labels.js';
import type { InstanceType, Offering } from '../instancetypes/types.js';
import { indexedCatalogLabelValues } from '../instancetypes/catalog-coverage.js';
import { toCanonicalAmount } from '../quantity/convert.js';
import { Requirements } from '../scheduling/requirements.js';

/** An allowed instance type with the offerings (zone × capacity type) the requirements leave. */
export interface AllowedInstanceType {
  instanceType: InstanceType;
  offerings: Offering[];
}

/** What requirements (and limits) leave of a catalog. Prices are USD per hour over the allowed available offerings. */
export interface CatalogSummary {
  /** Number of allowed instance types. */
  instanceTypeCount: number;
  /** Cheapest and dearest allowed offering, USD/h; undefined when nothing is allowed. */
  minPricePerHour?: number;
  maxPricePerHour?: number;
  /** The allowed type with the most CPU (then memory). */
  largest?: InstanceType;
  /**
   * How many nodes of `largest` the limits allow (the tightest of cpu, memory, nodes and any other limited
   * resource); undefined when no limit applies.
   */
  maxNodesOfLargest?: number;
}

/**
 * label key → the values the catalog offers for it (`catalogLabelValues`: type labels, plus each offering's zone
 * and capacity type), sorted for people: numbers numerically, the rest alphabetically.
 */
export function sortedCatalogLabelValues(catalog: readonly InstanceType[]): ReadonlyMap<string, readonly string[]> {
  let sorted = sortedByCatalog.get(catalog);
  if (!sorted) {
    const numeric = (a: string, b: string) => (/^\d+$/.test(a) && /^\d+$/.test(b) ? Number(a) - Number(b) : a.localeCompare(b));
    sorted = new Map([...indexedCatalogLabelValues(catalog)].map(([k, s]) => [k, [...s].sort(numeric)]));
    sortedByCatalog.set(catalog, sorted);
  }
  return sorted;
}

/** Computed once per catalog array (catalogs are not changed in place). */
const sortedByCatalog = new WeakMap<readonly InstanceType[], ReadonlyMap<string, readonly string[]>>();

/** The instance types (and offerings) `requirements` allow, in catalog order. Unavailable offerings do not count. */
export function allowedInstanceTypes(requirements: readonly Requirement[], catalog: readonly InstanceType[]): AllowedInstanceType[] {
  const defined = new Set<string>([LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE, LABEL_CAPACITY_TYPE, ...WELL_KNOWN_LABELS]);
  for (const it of catalog) for (const k of Object.keys(it.labels)) defined.add(normalizeLabelKey(k));
  const reqs = Requirements.fromNodeSelectorRequirements(requirements.filter((r) => defined.has(normalizeLabelKey(r.key))));
  const out: AllowedInstanceType[] = [];
  for (const it of catalog) {
    const offerings = it.offerings.filter(
      (o) => o.available && reqs.matchLabels({ ...it.labels, [LABEL_INSTANCE_TYPE]: it.name, [LABEL_TOPOLOGY_ZONE]: o.zone, [LABEL_CAPACITY_TYPE]: o.capacityType }) === undefined,
    );
    if (offerings.length) out.push({ instanceType: it, offerings });
  }
  return out;
}

/**
 * Summarises `allowedInstanceTypes(requirements, catalog)`; with `limits` (a NodePool's `spec.limits`, quantities as
 * written), also how many nodes of the largest allowed type fit under them. Unparseable limits are ignored (validate
 * reports them).
 */
export function summarizeCatalog(requirements: readonly Requirement[], catalog: readonly InstanceType[], limits?: Readonly<Record<string, string | number>>): CatalogSummary {
  const allowed = allowedInstanceTypes(requirements, catalog);
  if (!allowed.length) return { instanceTypeCount: 0 };
  let min = Infinity;
  let max = -Infinity;
  let largest = allowed[0]!.instanceType;
  for (const a of allowed) {
    for (const o of a.offerings) {
      min = Math.min(min, o.pricePerHour);
      max = Math.max(max, o.pricePerHour);
    }
    const c = a.instanceType.capacity;
    const l = largest.capacity;
    if ((c['cpu'] ?? 0) > (l['cpu'] ?? 0) || ((c['cpu'] ?? 0) === (l['cpu'] ?? 0) && (c['memory'] ?? 0) > (l['memory'] ?? 0))) largest = a.instanceType;
  }
  const summary: CatalogSummary = { instanceTypeCount: allowed.length, minPricePerHour: min, maxPricePerHour: max, largest };
  let nodes: number | undefined;
  for (const [resource, raw] of Object.entries(limits ?? {})) {
    let limit: number;
    try {
      limit = toCanonicalAmount(resource, raw);
    } catch {
      continue;
    }
    const per = resource === 'nodes' ? 1 : largest.capacity[resource];
    if (per === undefined || per <= 0) continue;
    const n = Math.floor(limit / per);
    nodes = nodes === undefined ? n : Math.min(nodes, n);
  }
  if (nodes !== undefined) summary.maxNodesOfLargest = nodes;
  return summary;
}
