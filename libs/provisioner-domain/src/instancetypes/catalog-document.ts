import type { QuantityMap } from '../core/types.js';
import { toResourceList } from '../quantity/convert.js';
import { QuantityParseError } from '../quantity/errors.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { shownValue } from '../apis/validate/messages.js';
import { LABEL_INSTANCE_TYPE } from '../scheduling/well-known-labels.js';
import { karpenterDefaultOverhead } from './karpenter-overhead.js';
import type { CapacityType, InstanceType, Offering } from './types.js';

export const CATALOG_API_VERSION = 'karpenter-ts.io/v1alpha1';
export const CATALOG_KIND = 'InstanceTypeCatalog';
/** Pods per node when a catalog entry gives no `pods` capacity (the kubelet's default `maxPods`). */
export const DEFAULT_MAX_PODS = 110;

export type CatalogIssueCode =
  | 'InvalidApiVersion'
  | 'InvalidKind'
  | 'Required'
  | 'InvalidType'
  | 'InvalidQuantity'
  | 'InvalidCapacityType'
  | 'InvalidPrice'
  | 'DuplicateName'
  | 'UnknownField';

/** One problem in a catalog document: `path` is the field path from the document root, e.g. `["instanceTypes", 2, "capacity", "cpu"]`. */
export interface CatalogIssue {
  code: CatalogIssueCode;
  path: (string | number)[];
  message: string;
}

export type CatalogParseResult = { ok: true; instanceTypes: InstanceType[] } | { ok: false; issues: CatalogIssue[] };

/** Thrown by `parseInstanceTypeCatalog` with every issue found. */
export class CatalogDocumentError extends Error {
  readonly code = 'InvalidInstanceTypeCatalog' as const;
  readonly issues: readonly CatalogIssue[];
  constructor(issues: readonly CatalogIssue[]) {
    super(`invalid InstanceTypeCatalog: ${issues.map((i) => `${formatCatalogPath(i.path)}: ${i.message}`).join('; ')}`);
    this.name = 'CatalogDocumentError';
    this.issues = issues;
  }
}

/** Annotation of an InstanceTypeCatalog giving the date its prices were taken (`2026-12-01`); shown with the catalog. */
export const ANNOTATION_PRICES_AS_OF = 'karpenter-ts.io/prices-as-of';

/** The catalog document's `metadata.annotations["karpenter-ts.io/prices-as-of"]`, when it is a string. */
export function catalogPricesAsOf(doc: unknown): string | undefined {
  const metadata = isRecord(doc) ? doc['metadata'] : undefined;
  const annotations = isRecord(metadata) ? metadata['annotations'] : undefined;
  const value = isRecord(annotations) ? annotations[ANNOTATION_PRICES_AS_OF] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** True for a document that declares itself an InstanceTypeCatalog (by apiVersion/kind), valid or not. */
export function isInstanceTypeCatalogDocument(doc: unknown): boolean {
  return isRecord(doc) && doc['kind'] === CATALOG_KIND;
}

/**
 * Reads the `InstanceTypeCatalog` document of docs/catalog.md (already decoded from YAML/JSON) into InstanceTypes,
 * collecting every problem instead of stopping at the first:
 * ```yaml
 * apiVersion: karpenter-ts.io/v1alpha1
 * kind: InstanceTypeCatalog
 * instanceTypes:
 *   - name: c-2x
 *     labels: {kubernetes.io/arch: amd64}
 *     capacity: {cpu: "2", memory: 4Gi, pods: "20"}          # any resource
 *     overhead: {kubeReserved: {cpu: 100m}, systemReserved: {}, evictionThreshold: {memory: 100Mi}}  # optional
 *     offerings: [{zone: zone-a, capacityType: on-demand, price: 0.08, available: true}]  # USD/h; available defaults true
 * ```
 * `node.kubernetes.io/instance-type` is set to the name unless given; `pods` capacity defaults to 110. An entry
 * without `overhead` gets Karpenter's default kube-reserved and eviction threshold for its size
 * (`karpenterDefaultOverhead`); write `overhead: {kubeReserved: {}, systemReserved: {}, evictionThreshold: {}}`
 * for a node that reserves nothing.
 */
export function safeParseInstanceTypeCatalog(doc: unknown): CatalogParseResult {
  const issues: CatalogIssue[] = [];
  const add = (code: CatalogIssueCode, path: (string | number)[], message: string): void => {
    issues.push({ code, path, message });
  };
  if (!isRecord(doc)) {
    add('InvalidType', [], 'expected a mapping');
    return { ok: false, issues };
  }
  if (doc['apiVersion'] !== CATALOG_API_VERSION) add('InvalidApiVersion', ['apiVersion'], `expected ${CATALOG_API_VERSION}, got ${shownValue(doc['apiVersion'])}`);
  if (doc['kind'] !== CATALOG_KIND) add('InvalidKind', ['kind'], `expected ${CATALOG_KIND}, got ${shownValue(doc['kind'])}`);
  checkKnownFields(doc, ['apiVersion', 'kind', 'metadata', 'instanceTypes'], [], add);
  const list = doc['instanceTypes'];
  const instanceTypes: InstanceType[] = [];
  if (list === undefined) {
    add('Required', ['instanceTypes'], 'instanceTypes is required');
  } else if (!Array.isArray(list)) {
    add('InvalidType', ['instanceTypes'], 'expected a list');
  } else {
    const seen = new Map<string, number>();
    list.forEach((entry: unknown, index: number) => {
      const parsed = parseEntry(entry, ['instanceTypes', index], add);
      if (!parsed) return;
      const previous = seen.get(parsed.name);
      if (previous !== undefined) {
        add('DuplicateName', ['instanceTypes', index, 'name'], `instance type ${JSON.stringify(parsed.name)} is also defined at instanceTypes[${previous}]`);
        return;
      }
      seen.set(parsed.name, index);
      instanceTypes.push(parsed);
    });
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, instanceTypes };
}

/**
 * `safeParseInstanceTypeCatalog` that throws.
 * @throws CatalogDocumentError listing every issue.
 */
export function parseInstanceTypeCatalog(doc: unknown): InstanceType[] {
  const result = safeParseInstanceTypeCatalog(doc);
  if (!result.ok) throw new CatalogDocumentError(result.issues);
  return result.instanceTypes;
}

type AddIssue = (code: CatalogIssueCode, path: (string | number)[], message: string) => void;

function parseEntry(entry: unknown, path: (string | number)[], add: AddIssue): InstanceType | undefined {
  if (!isRecord(entry)) {
    add('InvalidType', path, 'expected a mapping');
    return undefined;
  }
  let entryIssues = 0;
  const counting: AddIssue = (code, p, message) => {
    entryIssues += 1;
    add(code, p, message);
  };
  checkKnownFields(entry, ['name', 'labels', 'capacity', 'overhead', 'offerings'], path, counting);
  const name = entry['name'];
  if (name === undefined) counting('Required', [...path, 'name'], 'name is required');
  else if (typeof name !== 'string' || name === '') counting('InvalidType', [...path, 'name'], 'expected a non-empty string');
  const labels = parseLabels(entry['labels'], [...path, 'labels'], counting);
  const capacity = entry['capacity'] === undefined ? (counting('Required', [...path, 'capacity'], 'capacity is required'), {}) : parseQuantities(entry['capacity'], [...path, 'capacity'], counting);
  const overheadDoc = entry['overhead'];
  let overhead: InstanceType['overhead'] | undefined;
  if (overheadDoc !== undefined) {
    if (!isRecord(overheadDoc)) {
      counting('InvalidType', [...path, 'overhead'], 'expected a mapping');
    } else {
      checkKnownFields(overheadDoc, ['kubeReserved', 'systemReserved', 'evictionThreshold'], [...path, 'overhead'], counting);
      overhead = {
        kubeReserved: parseQuantities(overheadDoc['kubeReserved'] ?? {}, [...path, 'overhead', 'kubeReserved'], counting),
        systemReserved: parseQuantities(overheadDoc['systemReserved'] ?? {}, [...path, 'overhead', 'systemReserved'], counting),
        evictionThreshold: parseQuantities(overheadDoc['evictionThreshold'] ?? {}, [...path, 'overhead', 'evictionThreshold'], counting),
      };
    }
  }
  const offerings = parseOfferings(entry['offerings'], [...path, 'offerings'], counting);
  if (entryIssues > 0 || typeof name !== 'string' || name === '') return undefined;
  const fullCapacity = { pods: DEFAULT_MAX_PODS, ...capacity };
  return {
    name,
    labels: { [LABEL_INSTANCE_TYPE]: name, ...labels },
    capacity: fullCapacity,
    overhead: overhead ?? karpenterDefaultOverhead(fullCapacity),
    offerings,
  };
}

function parseLabels(value: unknown, path: (string | number)[], add: AddIssue): Record<string, string> {
  if (value === undefined) return {};
  if (!isRecord(value)) {
    add('InvalidType', path, 'expected a mapping of label keys to string values');
    return {};
  }
  const out: Record<string, string> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v !== 'string') add('InvalidType', [...path, key], `label values are strings; quote ${shownValue(v)}`);
    else out[key] = v;
  }
  return out;
}

function parseQuantities(value: unknown, path: (string | number)[], add: AddIssue): ResourceList {
  if (!isRecord(value)) {
    add('InvalidType', path, 'expected a mapping of resource names to quantities');
    return {};
  }
  const out: Record<string, number> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (typeof v !== 'string' && typeof v !== 'number') {
      add('InvalidQuantity', [...path, key], `expected a quantity such as "2", "4Gi" or 500m, got ${shownValue(v)}`);
      continue;
    }
    try {
      Object.assign(out, toResourceList({ [key]: v } as QuantityMap));
    } catch (error) {
      if (!(error instanceof QuantityParseError)) throw error;
      add('InvalidQuantity', [...path, key], error.message);
    }
  }
  return out;
}

const CAPACITY_TYPES: readonly CapacityType[] = ['reserved', 'spot', 'on-demand'];

function parseOfferings(value: unknown, path: (string | number)[], add: AddIssue): Offering[] {
  if (value === undefined) {
    add('Required', path, 'offerings is required (a list of {zone, capacityType, price})');
    return [];
  }
  if (!Array.isArray(value)) {
    add('InvalidType', path, 'expected a list');
    return [];
  }
  const out: Offering[] = [];
  value.forEach((entry: unknown, index: number) => {
    const p = [...path, index];
    if (!isRecord(entry)) {
      add('InvalidType', p, 'expected a mapping');
      return;
    }
    checkKnownFields(entry, ['zone', 'capacityType', 'price', 'available'], p, add);
    const zone = entry['zone'];
    const capacityType = entry['capacityType'];
    const price = entry['price'];
    const available = entry['available'] ?? true;
    let ok = true;
    if (typeof zone !== 'string' || zone === '') {
      add(zone === undefined ? 'Required' : 'InvalidType', [...p, 'zone'], 'zone is a non-empty string');
      ok = false;
    }
    if (!CAPACITY_TYPES.includes(capacityType as CapacityType)) {
      add(capacityType === undefined ? 'Required' : 'InvalidCapacityType', [...p, 'capacityType'], `capacityType is one of ${CAPACITY_TYPES.join(', ')}, got ${shownValue(capacityType)}`);
      ok = false;
    }
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
      add(price === undefined ? 'Required' : 'InvalidPrice', [...p, 'price'], `price is a non-negative number of USD per hour, got ${shownValue(price)}`);
      ok = false;
    }
    if (typeof available !== 'boolean') {
      add('InvalidType', [...p, 'available'], 'available is true or false');
      ok = false;
    }
    if (ok) out.push({ zone: zone as string, capacityType: capacityType as CapacityType, pricePerHour: price as number, available: available as boolean });
  });
  return out;
}

function checkKnownFields(value: Record<string, unknown>, known: readonly string[], path: (string | number)[], add: AddIssue): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) add('UnknownField', [...path, key], `unknown field ${JSON.stringify(key)} (expected ${known.join(', ')})`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A catalog issue code as the findings of every command spell codes: `InvalidQuantity` → `catalog-invalid-quantity`. */
export function catalogFindingCode(code: CatalogIssueCode): string {
  return `catalog-${code.replace(/[A-Z]/g, (c, offset: number) => (offset ? '-' : '') + c.toLowerCase())}`;
}

/** `instanceTypes[2].capacity.cpu` */
export function formatCatalogPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  return out === '' ? '(document)' : out;
}
