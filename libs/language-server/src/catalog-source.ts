/**
 * The active instance-type catalog: the simulated default catalog, or the InstanceTypeCatalog document of a file
 * (DESIGN §4.1 scenario format; the file may hold other scenario documents, which are ignored).
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { defaultCatalog, formatCatalogPath, isInstanceTypeCatalogDocument, safeParseInstanceTypeCatalog, type InstanceType } from '@karpenter-ts/provisioner-domain';

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
