/**
 * `validate(text)`: every problem of a multi-document YAML (or JSON) file at once, each with a severity, a
 * stable code, a field path, a message that says how to fix it, and a 1-based line/column range taken from the
 * `yaml` parser's positions. Karpenter documents are checked against their zod schema (the same rules the CRDs
 * carry); then semantic warnings follow (see `semantic.ts`). Other Kubernetes kinds (Pods, Deployments, the
 * InstanceTypeCatalog) are read for context and otherwise skipped.
 *
 * Never throws on any input text: YAML syntax errors, non-object documents, alias bombs and unknown kinds
 * become issues.
 */
import { parseAllDocuments, type Document } from 'yaml';
import type { Pod } from '../../core/types.js';
import { isInstanceTypeCatalogDocument, safeParseInstanceTypeCatalog } from '../../instancetypes/catalog-document.js';
import type { InstanceType } from '../../instancetypes/types.js';
import { findKind, isConvertibleKind, KARPENTER_GROUPS, KNOWN_KINDS, RETIRED_VERSIONS } from './kinds.js';
import { describeIssue } from './messages.js';
import { misspeltKind, misspeltKindMessage } from './kind-typos.js';
import { LineIndex, locateOffsets, toRange } from './positions.js';
import { semanticFindings, type CheckedDocument } from './semantic.js';
import type { Severity, ValidateOptions, ValidatedDocument, ValidationIssue, ValidationReport } from './types.js';

/** Formats a field path: `spec.template.spec.requirements[2].values`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'Job', 'ReplicationController'];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Pods a document contributes as pending pods: a `Pod`, or one pod per workload template. */
function podsOf(value: Record<string, unknown>): Pod[] {
  const kind = value['kind'];
  if (kind === 'Pod' && isRecord(value['spec'])) return [value as unknown as Pod];
  if (typeof kind === 'string' && WORKLOAD_KINDS.includes(kind)) {
    const spec = value['spec'];
    const template = isRecord(spec) ? spec['template'] : undefined;
    if (isRecord(template) && isRecord(template['spec'])) {
      const meta = isRecord(value['metadata']) ? value['metadata'] : {};
      return [{ metadata: { name: String(meta['name'] ?? kind), namespace: String(meta['namespace'] ?? 'default') }, spec: template['spec'] } as unknown as Pod];
    }
  }
  return [];
}

/** Validates a file's text. See the module doc. */
export function validate(text: string, options: ValidateOptions = {}): ValidationReport {
  return validateParsed(text, options).report;
}

/**
 * `validate`, also returning the parsed documents and the line index, so checks that add findings to the same text
 * (`validateInWorkspace`) locate them without parsing it again. Internal to the domain.
 */
export function validateParsed(text: string, options: ValidateOptions = {}): { report: ValidationReport; docs: Document.Parsed[]; lines: LineIndex } {
  const lineCounter = new LineIndex(text);
  const issues: ValidationIssue[] = [];
  const documents: ValidatedDocument[] = [];
  const checked: CheckedDocument[] = [];
  const pods: Pod[] = [...(options.pods ?? [])];
  let catalog: readonly InstanceType[] | undefined = options.catalog;
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true }) as Document.Parsed[];
  } catch (err) {
    const r = toRange(lineCounter, [0, 0]);
    return { report: { ok: false, issues: [{ document: 0, severity: 'error', code: 'yaml-syntax', path: '', message: `cannot parse the file: ${(err as Error).message}`, ...r }], documents }, docs: [], lines: lineCounter };
  }
  if (!Array.isArray(docs)) docs = [];

  const add = (document: number, doc: Document, severity: Severity, code: string, path: (string | number)[], message: string, onKey = false, suggestion?: string) => {
    issues.push({ document, severity, code, path: formatPath(path), message, ...(suggestion !== undefined ? { suggestion } : {}), ...toRange(lineCounter, locateOffsets(doc, path, { key: onKey })) });
  };

  docs.forEach((doc, index) => {
    for (const e of doc.errors) {
      const [start, end] = e.pos;
      issues.push({ document: index, severity: 'error', code: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax', path: '', message: `${e.message.split('\n')[0]}${e.code === 'DUPLICATE_KEY' ? ': keep one of them' : ''}`, ...toRange(lineCounter, [start, end]) });
    }
    if (doc.errors.length) return;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      add(index, doc, 'error', 'yaml-syntax', [], `cannot read the document: ${(err as Error).message}`);
      return;
    }
    if (value === null || value === undefined) return; // empty document (e.g. a trailing ---)
    if (!isRecord(value)) {
      add(index, doc, 'error', 'not-an-object', [], 'a Kubernetes manifest must be a mapping with apiVersion, kind, metadata and spec');
      return;
    }
    const apiVersion = value['apiVersion'];
    const kind = value['kind'];
    if (isInstanceTypeCatalogDocument(value)) {
      const parsed = safeParseInstanceTypeCatalog(value);
      if (parsed.ok) catalog = parsed.instanceTypes;
      else for (const i of parsed.issues) add(index, doc, 'error', `catalog-${i.code.replace(/[A-Z]/g, (c, o: number) => (o ? '-' : '') + c.toLowerCase())}`, i.path, i.message);
      return;
    }
    pods.push(...podsOf(value));
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
      if (typeof apiVersion !== 'string') add(index, doc, 'error', 'required', ['apiVersion'], '"apiVersion" is required: add e.g. "apiVersion: karpenter.sh/v1"');
      if (typeof kind !== 'string') add(index, doc, 'error', 'required', ['kind'], '"kind" is required: add e.g. "kind: NodePool"');
      return;
    }
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const known = findKind(apiVersion, kind, { convertible: options.acceptConvertible === true });
    const meta = isRecord(value['metadata']) ? value['metadata'] : undefined;
    const name = typeof meta?.['name'] === 'string' ? meta['name'] : undefined;
    if (!known) {
      // A misspelt kind is the same error here as in simulate (kind-typos.ts).
      const typo = RETIRED_VERSIONS[apiVersion] || KNOWN_KINDS.some((k) => k.kind === kind) ? undefined : misspeltKindMessage(kind);
      if (typo) {
        add(index, doc, 'error', 'unknown-kind', ['kind'], typo, false, misspeltKind(kind));
        return;
      }
      if (!KARPENTER_GROUPS.includes(group)) return;
      const retired = RETIRED_VERSIONS[apiVersion];
      const sameKind = KNOWN_KINDS.filter((k) => k.kind === kind);
      const message = retired
        ? `${apiVersion} is not served: use apiVersion ${sameKind[0]?.apiVersion ?? retired}${kind === 'NodePool' || kind === 'NodeClaim' || kind === 'EC2NodeClass' ? ' (`karpenter-ts convert` rewrites it, noting every changed field)' : ''}`
        : sameKind.length
          ? `${kind} is served as ${sameKind.map((k) => k.apiVersion).join(' or ')}, not ${apiVersion}: change apiVersion`
          : `unknown kind "${kind}" in ${group}: expected one of ${[...new Set(KNOWN_KINDS.filter((k) => k.apiVersion.startsWith(group + '/')).map((k) => k.kind))].join(', ')}`;
      add(index, doc, 'error', retired ? 'unsupported-api-version' : sameKind.length ? 'unsupported-api-version' : 'unknown-kind', [sameKind.length || retired ? 'apiVersion' : 'kind'], message);
      return;
    }
    const entry: ValidatedDocument = { document: index, apiVersion, kind, ...(name !== undefined ? { name } : {}) };
    documents.push(entry);
    if (!meta || !name) {
      add(index, doc, 'error', 'required', ['metadata', 'name'], '"metadata.name" is required: give the object a name');
    }
    const result = known.schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const d = describeIssue(issue, known.schema, value);
        // A missing metadata is the missing name, reported once above.
        if (d.code === 'required' && d.path.length === 1 && d.path[0] === 'metadata') continue;
        add(index, doc, 'error', d.code, d.path, d.message, d.onKey, d.suggestion);
      }
      return;
    }
    if (!meta || !name) return;
    entry.value = result.data;
    // Semantic checks read v1 (and v1alpha5) shapes; a v1beta1 document is only the input of a conversion.
    if (!isConvertibleKind(known)) checked.push({ document: index, kind, value: result.data });
  });

  for (const f of semanticFindings({ documents: checked, catalog, catalogName: catalog === options.catalog ? options.catalogName : 'InstanceTypeCatalog in this file', pods })) {
    const doc = docs[f.document];
    if (doc) add(f.document, doc, f.severity, f.code, f.path, f.message, f.onKey ?? false, f.suggestion);
  }

  issues.sort((a, b) => a.document - b.document || a.line - b.line || a.column - b.column);
  return { report: { ok: !issues.some((i) => i.severity === 'error'), issues, documents }, docs, lines: lineCounter };
}
