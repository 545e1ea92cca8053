/**
 * What an instance-type catalog can offer, said plainly: a one-line description for people ("built-in simulated,
 * 144 types in test-zone-a..d; no AWS types") and findings for requirements whose keys or values no type of the
 * catalog has. A simulation only launches what the catalog offers, so a NodePool written for EKS
 * (`m5.large`, `us-west-2a`) against the built-in simulated catalog must say that the catalog, not the NodePool,
 * is why nothing fits; and a requirement on a label no type carries (`karpenter.k8s.aws/instance-family In [p5]`
 * against a catalog without AWS labels) does not narrow the choice at all, which deserves a warning too.
 */
import { nearMiss } from '../explain/near-miss.js';
import {
  AWS_GROUP,
  AWS_WELL_KNOWN_LABELS,
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_OS,
  LABEL_TOPOLOGY_ZONE,
  normalizeLabelKey,
} from '../apis/labels.js';
import type { InstanceType } from './types.js';

/** Labels of Karpenter's providers whose values only instance types define. */
const PROVIDER_LABEL_PREFIXES: readonly string[] = [`${AWS_GROUP}/`, 'karpenter.kwok.sh/', 'karpenter.azure.com/'];

/** Keys whose values come from the catalog: the type's own labels, its offerings' zones and capacity types. */
const CATALOG_KEYS: ReadonlySet<string> = new Set([LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE, LABEL_CAPACITY_TYPE, LABEL_ARCH, LABEL_OS, ...AWS_WELL_KNOWN_LABELS]);

/** Names people use for the common keys in messages. */
const KEY_NAMES: Readonly<Record<string, string>> = {
  [LABEL_INSTANCE_TYPE]: 'instance type',
  [LABEL_TOPOLOGY_ZONE]: 'zone',
  [LABEL_CAPACITY_TYPE]: 'capacity type',
  [LABEL_ARCH]: 'architecture',
  [LABEL_OS]: 'operating system',
  [`${AWS_GROUP}/instance-family`]: 'instance family',
  [`${AWS_GROUP}/instance-category`]: 'instance category',
  [`${AWS_GROUP}/instance-size`]: 'instance size',
  [`${AWS_GROUP}/instance-generation`]: 'instance generation',
};

/** True for a requirement key whose values only the catalog's instance types and offerings define. */
export function isCatalogDefinedKey(key: string): boolean {
  const k = normalizeLabelKey(key);
  return CATALOG_KEYS.has(k) || PROVIDER_LABEL_PREFIXES.some((p) => k.startsWith(p));
}

/** Every value each label key takes in the catalog: type labels, `node.kubernetes.io/instance-type`, offering zones and capacity types. */
export function catalogLabelValues(catalog: readonly InstanceType[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (key: string, value: string): void => {
    let values = out.get(key);
    if (!values) out.set(key, (values = new Set()));
    values.add(value);
  };
  for (const it of catalog) {
    add(LABEL_INSTANCE_TYPE, it.name);
    for (const [k, v] of Object.entries(it.labels)) add(normalizeLabelKey(k), v);
    for (const o of it.offerings) {
      add(LABEL_TOPOLOGY_ZONE, o.zone);
      add(LABEL_CAPACITY_TYPE, o.capacityType);
    }
  }
  return out;
}

const labelValuesByCatalog = new WeakMap<readonly InstanceType[], ReadonlyMap<string, ReadonlySet<string>>>();

/**
 * `catalogLabelValues`, computed once per catalog array and then reused (an editor validates on every edit against
 * the same catalog). Catalog arrays are never changed in place; the result must not be changed either.
 */
export function indexedCatalogLabelValues(catalog: readonly InstanceType[]): ReadonlyMap<string, ReadonlySet<string>> {
  let values = labelValuesByCatalog.get(catalog);
  if (!values) labelValuesByCatalog.set(catalog, (values = catalogLabelValues(catalog)));
  return values;
}

/** A catalog as people should read it: where it comes from, and when its prices were taken. */
export interface CatalogSource {
  /** `built-in simulated` or the file the InstanceTypeCatalog came from. */
  name: string;
  /** `metadata.annotations["karpenter-ts.io/prices-as-of"]` of a catalog document, when given. */
  pricesAsOf?: string;
}

/**
 * Zones as a short list: runs of zones that differ only in a last letter that counts up are folded
 * (`us-east-1a, us-east-1b, us-east-1c` → `us-east-1a..c`). Sorted; pure.
 */
export function foldZones(zones: Iterable<string>): string {
  const sorted = [...new Set(zones)].sort();
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    const first = sorted[i] as string;
    let j = i;
    while (j + 1 < sorted.length && foldsWith(sorted[j] as string, sorted[j + 1] as string)) j++;
    parts.push(j - i >= 2 ? `${first}..${(sorted[j] as string).slice(-1)}` : sorted.slice(i, j + 1).join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

function foldsWith(a: string, b: string): boolean {
  return a.length === b.length && a.length > 1 && a.slice(0, -1) === b.slice(0, -1) && /[a-z]$/.test(a) && b.charCodeAt(b.length - 1) === a.charCodeAt(a.length - 1) + 1;
}

/**
 * One line describing the catalog, e.g. `built-in simulated, 144 types in test-zone-a..d; no AWS types` or
 * `catalogs/aws.yaml (prices as of 2026-12-01, indicative), 40 types in us-east-1a..f, us-west-2a..d`.
 */
export function describeCatalog(source: CatalogSource, catalog: readonly InstanceType[]): string {
  const zones = new Set<string>();
  for (const it of catalog) for (const o of it.offerings) zones.add(o.zone);
  const aws = catalog.some((it) => Object.keys(it.labels).some((k) => k.startsWith(`${AWS_GROUP}/`)));
  const dated = source.pricesAsOf ? ` (prices as of ${source.pricesAsOf}, indicative)` : '';
  const types = `${catalog.length} type${catalog.length === 1 ? '' : 's'}`;
  return `${source.name}${dated}, ${types}${zones.size > 0 ? ` in ${foldZones(zones)}` : ''}${aws ? '' : '; no AWS types'}`;
}

/** A NodeSelectorRequirement as the coverage check reads it. */
export interface CoverageRequirement {
  key: string;
  operator: string;
  values?: readonly string[] | undefined;
}

/**
 * A requirement the catalog cannot honour as written. `valueIndex` is set for a value (`unknown-label-value`),
 * absent for a key no type has (`label-not-in-catalog`).
 */
export interface CatalogCoverageFinding {
  code: 'unknown-label-value' | 'label-not-in-catalog';
  requirementIndex: number;
  valueIndex?: number;
  message: string;
  /** For `unknown-label-value`: the nearest value the catalog has, when there is one. */
  suggestion?: string;
}

/** The key's name in messages: `capacity type`, `zone`, or the key itself. */
export function catalogKeyName(key: string): string {
  return KEY_NAMES[normalizeLabelKey(key)] ?? key;
}

/**
 * Findings for `requirements` against `catalog`, named after `catalogName`:
 * - `label-not-in-catalog`: a key only instance types define (zone, instance type, capacity type, arch, os,
 *   `karpenter.k8s.aws/*`, `karpenter.kwok.sh/*`) that no type of the catalog carries: the requirement does not
 *   narrow the choice (Karpenter checks only the keys both sides define).
 * - `unknown-label-value`: an `In`/`NotIn` value of such a key that no type or offering has, with the nearest
 *   known value ("capacity type 'spto' is not offered by the catalog ...; did you mean 'spot'?").
 * Other keys (custom labels, `Exists`, `Gt`, `Lt`) are not checked. Pure; order follows the requirements.
 */
export function catalogCoverageFindings(requirements: readonly CoverageRequirement[], catalog: readonly InstanceType[], catalogName: string, values: ReadonlyMap<string, ReadonlySet<string>> = indexedCatalogLabelValues(catalog)): CatalogCoverageFinding[] {
  const out: CatalogCoverageFinding[] = [];
  requirements.forEach((r, requirementIndex) => {
    if (!isCatalogDefinedKey(r.key)) return;
    const key = normalizeLabelKey(r.key);
    const known = values.get(key);
    if (!known) {
      // Another provider's label of the same name (karpenter.kwok.sh/instance-family for karpenter.k8s.aws/...).
      const suffix = key.slice(key.indexOf('/') + 1);
      const nearKey = [...values.keys()].find((k) => k !== key && k.slice(k.indexOf('/') + 1) === suffix);
      out.push({
        code: 'label-not-in-catalog',
        requirementIndex,
        message: `no instance type of the catalog (${catalogName}) has the label ${key}, so "${key} ${r.operator}${r.values?.length ? ` [${r.values.join(', ')}]` : ''}" does not narrow the instance types${nearKey ? ` (the catalog has ${nearKey})` : ''}; pass --catalog with a catalog that has it`,
      });
      return;
    }
    if (r.operator !== 'In' && r.operator !== 'NotIn') return;
    const sorted = [...known].sort();
    (r.values ?? []).forEach((value, valueIndex) => {
      if (known.has(value)) return;
      const near = nearMiss(value, sorted);
      const listed = sorted.length > 8 ? `${sorted.slice(0, 8).join(', ')}, ... (${sorted.length})` : sorted.join(', ');
      out.push({
        code: 'unknown-label-value',
        requirementIndex,
        valueIndex,
        message: `${catalogKeyName(key)} '${value}' is not offered by the catalog (${catalogName})${near ? `; did you mean '${near}'?` : ''} (offered: ${listed})`,
        ...(near !== undefined ? { suggestion: near } : {}),
      });
    });
  });
  return out;
}
