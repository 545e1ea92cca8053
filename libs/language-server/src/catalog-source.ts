/**
 * The active instance-type catalog: the simulated default catalog, the InstanceTypeCatalog document of a file
 * (DESIGN §4.1 scenario format; the file may hold other scenario documents, which are ignored), or the catalog a
 * connected karpenter-ts controller serves (`GET /api/v1/instancetypes`, sent by the client).
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { InstanceTypesResponse } from '@karpenter-ts/capacity-api';
import {
  CATALOG_API_VERSION,
  CATALOG_KIND,
  QuantityParseError,
  defaultCatalog,
  formatCatalogPath,
  isInstanceTypeCatalogDocument,
  safeParseInstanceTypeCatalog,
  subtractResourcesClamped,
  toResourceList,
  type InstanceType,
} from '@karpenter-ts/provisioner-domain';

/** A loaded catalog and where it came from, or why the file could not be used. */
export type CatalogLoad = { ok: true; instanceTypes: InstanceType[]; source: string } | { ok: false; message: string };

/** The simulated default catalog (144 types, DESIGN §4.1 defaults). */
export function defaultCatalogLoad(): CatalogLoad & { ok: true } {
  return { ok: true, instanceTypes: defaultCatalog(), source: 'the simulated default catalog' };
}

/** Reads the catalog of `file`. Never throws: an unreadable file or a bad document gives a message naming the fix. */
export async function loadCatalogFile(file: string): Promise<CatalogLoad> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return { ok: false, message: `cannot read the catalog file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}; fix karpenterTs.catalogFile` };
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { ok: false, message: `${file} holds no YAML documents; it needs an InstanceTypeCatalog document (DESIGN §4.1)` };
  for (const doc of docs) {
    if (doc.errors.length) return { ok: false, message: `${file}: ${doc.errors[0]?.message.split('\n')[0] ?? 'YAML syntax error'}` };
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      return { ok: false, message: `${file}: ${(err as Error).message}` };
    }
    if (!isInstanceTypeCatalogDocument(value)) continue;
    const parsed = safeParseInstanceTypeCatalog(value);
    if (!parsed.ok) {
      const first = parsed.issues[0];
      return { ok: false, message: `${file}: InstanceTypeCatalog ${first ? `${formatCatalogPath(first.path)}: ${first.message}` : 'is invalid'}${parsed.issues.length > 1 ? ` (and ${parsed.issues.length - 1} more)` : ''}` };
    }
    if (!parsed.instanceTypes.length) return { ok: false, message: `${file}: the InstanceTypeCatalog lists no instance types` };
    return { ok: true, instanceTypes: parsed.instanceTypes, source: file };
  }
  return { ok: false, message: `${file} has no InstanceTypeCatalog document (apiVersion karpenter-ts.io/v1alpha1, kind InstanceTypeCatalog)` };
}

/**
 * The catalog of a controller's `GET /api/v1/instancetypes` answer, named `source` (e.g. `the controller of context
 * "kind-local"`): the union of every NodePool's instance types, by name (the first NodePool listing a name wins; a
 * controller reports one provider catalog shaped per NodePool, so the same name carries the same offerings).
 * Quantities and capacity types are read by the domain's catalog parser; the node's overhead is capacity minus the
 * `allocatable` the controller reports (kept as kube-reserved). Never throws: a controller with no NodePool (hence
 * no instance types) or an entry the parser rejects gives `{ ok: false, message }`.
 */
export function controllerCatalogLoad(response: InstanceTypesResponse, source: string): CatalogLoad {
  const byName = new Map<string, InstanceTypesResponse['nodePools'][number]['instanceTypes'][number]>();
  for (const pool of response.nodePools) for (const t of pool.instanceTypes) if (!byName.has(t.name)) byName.set(t.name, t);
  if (byName.size === 0) {
    return { ok: false, message: `${source} reports no instance types (it has no NodePool${response.nodePools.length ? ' with any' : ''}); apply a NodePool to the cluster or set karpenterTs.catalogFile` };
  }
  const entries = [...byName.values()];
  const parsed = safeParseInstanceTypeCatalog({
    apiVersion: CATALOG_API_VERSION,
    kind: CATALOG_KIND,
    instanceTypes: entries.map((t) => ({
      name: t.name,
      labels: t.labels,
      capacity: t.capacity,
      overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
      offerings: t.offerings.map((o) => ({ zone: o.zone, capacityType: o.capacityType, price: o.pricePerHour, available: o.available })),
    })),
  });
  if (!parsed.ok) {
    const first = parsed.issues[0];
    const where = first && typeof first.path[1] === 'number' ? `instance type ${JSON.stringify(entries[first.path[1]]?.name)} ${formatCatalogPath(first.path.slice(2))}` : '';
    return { ok: false, message: `${source} answered an instance type this editor cannot read: ${where}: ${first?.message ?? 'invalid'}` };
  }
  const instanceTypes: InstanceType[] = [];
  for (const [index, type] of parsed.instanceTypes.entries()) {
    let allocatable;
    try {
      allocatable = toResourceList(entries[index]?.allocatable ?? {});
    } catch (err) {
      if (!(err instanceof QuantityParseError)) throw err;
      return { ok: false, message: `${source} answered instance type ${JSON.stringify(type.name)} with an allocatable this editor cannot read: ${err.message}` };
    }
    instanceTypes.push({ ...type, overhead: { kubeReserved: subtractResourcesClamped(type.capacity, allocatable), systemReserved: {}, evictionThreshold: {} } });
  }
  return { ok: true, instanceTypes, source };
}
