/**
 * Completions: field names with their docs (from the schema and `fieldDoc`), enum values (operators, taint effects,
 * consolidation policies, AMI families, ...), requirement keys (well-known and catalog labels), requirement values
 * from the active catalog (instance types, families, sizes, zones, capacity types, architectures), duration snippets,
 * and apiVersion/kind of a new document.
 */
import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ARCHITECTURES,
  CAPACITY_TYPES,
  KNOWN_KINDS,
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_OS,
  OPERATING_SYSTEMS,
  WELL_KNOWN_LABELS,
  sortedCatalogLabelValues,
  fieldDoc,
  normalizeLabelKey,
  type InstanceType,
} from '@karpenter-ts/provisioner-domain';
import { cursorContext } from '../yaml-context.js';
import { fieldDocMarkdown } from './markdown.js';
import { enumAt, fieldsAt, rootSchema } from './schema-info.js';

/** What completion needs besides the document. */
export interface CompletionContext {
  catalog: readonly InstanceType[];
}

/** Duration snippets per field: the common choices, the first being Karpenter's default where it has one. */
const DURATIONS: Record<string, readonly string[]> = {
  expireAfter: ['720h', '168h', '24h', 'Never'],
  consolidateAfter: ['0s', '30s', '5m', '1h', 'Never'],
  terminationGracePeriod: ['30m', '1h', '24h', '48h'],
  duration: ['8h', '1h30m', '30m'],
};

const STATIC_VALUES: Record<string, readonly string[]> = { [LABEL_CAPACITY_TYPE]: CAPACITY_TYPES, [LABEL_ARCH]: ARCHITECTURES, [LABEL_OS]: OPERATING_SYSTEMS };

/** Completion items at `position`. Never throws on half-typed text. */
export function provideCompletions(document: TextDocument, position: Position, context: CompletionContext): CompletionItem[] {
  const c = cursorContext(document.getText(), position.line, position.character);
  if (c.mode === 'value' && c.path.length === 1 && c.key === 'apiVersion') {
    return [...new Set(KNOWN_KINDS.map((k) => k.apiVersion))].map((v) => ({ label: v, kind: CompletionItemKind.Module, detail: KNOWN_KINDS.filter((k) => k.apiVersion === v).map((k) => k.kind).join(', ') }));
  }
  if (c.mode === 'value' && c.path.length === 1 && c.key === 'kind') {
    return KNOWN_KINDS.filter((k) => !c.apiVersion || k.apiVersion === c.apiVersion).map((k) => ({ label: k.kind, kind: CompletionItemKind.Class, detail: k.apiVersion }));
  }
  const root = rootSchema(c.apiVersion, c.kind);
  if (!root || !c.apiVersion || !c.kind) return [];
  const apiVersion = c.apiVersion;
  const kind = c.kind;

  if (c.mode === 'key') {
    return fieldsAt(root, c.path)
      .filter((f) => !(f in c.siblings))
      .map((f, i) => {
        const doc = fieldDoc(apiVersion, kind, [...c.path, f]);
        const item: CompletionItem = { label: f, kind: CompletionItemKind.Field, insertText: `${f}: `, sortText: String(i).padStart(3, '0') };
        if (doc) {
          item.detail = doc.default !== undefined ? `default ${doc.default}` : (doc.unit ?? '');
          item.documentation = { kind: MarkupKind.Markdown, value: fieldDocMarkdown([...c.path, f], doc) };
        }
        return item;
      });
  }

  const key = c.key ?? '';
  const inRequirement = c.path.includes('requirements');
  if (inRequirement && c.mode === 'value' && key === 'key') {
    const keys = new Set<string>(WELL_KNOWN_LABELS);
    for (const k of sortedCatalogLabelValues(context.catalog).keys()) keys.add(k);
    return [...keys].sort().map((k) => ({ label: k, kind: CompletionItemKind.Property, detail: 'label key' }));
  }
  if (inRequirement && c.mode === 'list-item' && key === 'values') {
    const label = normalizeLabelKey(c.siblings['key'] ?? '');
    const values = sortedCatalogLabelValues(context.catalog);
    const known = values.get(label) ?? STATIC_VALUES[label] ?? [];
    const counts = countTypesByValue(context.catalog, label);
    return known.map((v, i) => ({ label: v, kind: CompletionItemKind.Value, detail: counts.has(v) ? `${counts.get(v)} instance types` : label, sortText: String(i).padStart(4, '0') }));
  }
  const enumValues = enumAt(root, c.path);
  if (enumValues.length) return enumValues.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember }));
  const durations = DURATIONS[key];
  if (durations && c.mode === 'value') {
    return durations.map((d, i) => {
      const m = /^(\d+)(.*)$/.exec(d);
      return {
        label: d,
        kind: CompletionItemKind.Snippet,
        insertTextFormat: InsertTextFormat.Snippet,
        insertText: m ? `"\${1:${m[1]}}${m[2]}"` : `"${d}"`,
        detail: i === 0 ? `${key} duration (common choice)` : `${key} duration`,
        sortText: String(i).padStart(2, '0'),
      };
    });
  }
  return [];
}

/** How many catalog types carry each value of `label` (type labels, or offerings' zones and capacity types). */
function countTypesByValue(catalog: readonly InstanceType[], label: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const it of catalog) {
    const values = new Set<string>();
    if (label === 'node.kubernetes.io/instance-type') values.add(it.name);
    const own = Object.entries(it.labels).find(([k]) => normalizeLabelKey(k) === label);
    if (own) values.add(own[1]);
    if (label === 'topology.kubernetes.io/zone') for (const o of it.offerings) values.add(o.zone);
    if (label === LABEL_CAPACITY_TYPE) for (const o of it.offerings) values.add(o.capacityType);
    for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}
