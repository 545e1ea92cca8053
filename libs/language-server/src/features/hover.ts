/**
 * Hovers: a field's docs with unit and default; on a requirement (any of its fields), how many instance types of the
 * active catalog it leaves and their price range; on a NodePool's (or Provisioner's) name, the same for its whole
 * template with what its limits allow.
 */
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { fieldDoc, summarizeCatalog, type InstanceType, type Requirement } from '@karpenter-ts/provisioner-domain';
import { fieldAt, parseDocuments, valueAt } from '../yaml-ast.js';
import { fieldDocMarkdown, summaryLine } from './markdown.js';

/** What hover needs besides the document. */
export interface HoverContext {
  catalog: readonly InstanceType[];
  /** Where the catalog comes from (`the simulated default catalog`, a file path, `the controller of context "x"`). */
  catalogSource?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A requirement as written, when it has the shape of one. */
export function asRequirement(v: unknown): Requirement | undefined {
  if (!isRecord(v) || typeof v['key'] !== 'string' || typeof v['operator'] !== 'string') return undefined;
  const values = v['values'];
  if (values !== undefined && !(Array.isArray(values) && values.every((x) => typeof x === 'string' || typeof x === 'number'))) return undefined;
  return { key: v['key'], operator: v['operator'] as Requirement['operator'], ...(Array.isArray(values) ? { values: values.map(String) } : {}) };
}

/** Requirements and limits of a pool-like document value (NodePool or Provisioner). */
export function poolTemplate(kind: string, value: unknown): { requirements: Requirement[]; limits: Record<string, string | number> } | undefined {
  if (!isRecord(value) || !isRecord(value['spec'])) return undefined;
  const spec = value['spec'];
  let reqs: unknown;
  let limits: unknown;
  if (kind === 'NodePool') {
    const t = isRecord(spec['template']) && isRecord(spec['template']['spec']) ? spec['template']['spec'] : {};
    reqs = t['requirements'];
    limits = spec['limits'];
  } else if (kind === 'Provisioner') {
    reqs = spec['requirements'];
    limits = isRecord(spec['limits']) ? spec['limits']['resources'] : undefined;
  } else return undefined;
  const requirements = (Array.isArray(reqs) ? reqs : []).map(asRequirement).filter((r): r is Requirement => r !== undefined);
  const lim = isRecord(limits) ? Object.fromEntries(Object.entries(limits).filter((e): e is [string, string | number] => typeof e[1] === 'string' || typeof e[1] === 'number')) : {};
  return { requirements, limits: lim };
}

/** The hover at `position`, or null. Never throws on half-typed text. */
export function provideHover(document: TextDocument, position: Position, context: HoverContext): Hover | null {
  const docs = parseDocuments(document.getText());
  const at = fieldAt(docs, document.offsetAt(position));
  if (!at) return null;
  const apiVersion = valueAt(at.doc, ['apiVersion']);
  const kind = valueAt(at.doc, ['kind']);
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !/^karpenter\.(sh|k8s\.aws)\//.test(apiVersion)) return null;
  const parts: string[] = [];
  const doc = fieldDoc(apiVersion, kind, at.path);
  if (doc) parts.push(fieldDocMarkdown(at.path, doc));

  const reqIndex = at.path.indexOf('requirements');
  if ((kind === 'NodePool' || kind === 'Provisioner') && reqIndex >= 0 && typeof at.path[reqIndex + 1] === 'number') {
    const requirement = asRequirement(valueAt(at.doc, at.path.slice(0, reqIndex + 2)));
    if (requirement) {
      const s = summarizeCatalog([requirement], context.catalog);
      parts.push(`**This requirement** leaves ${summaryLine(s)} of the ${context.catalog.length} in the catalog${context.catalogSource ? ` (${context.catalogSource})` : ''}.`);
    }
  }
  if ((kind === 'NodePool' || kind === 'Provisioner') && at.path.length === 2 && at.path[0] === 'metadata' && at.path[1] === 'name') {
    const template = poolTemplate(kind, valueAt(at.doc, []));
    if (template) parts.push(`**${kind} ${String(valueAt(at.doc, at.path))}**: ${summaryLine(summarizeCatalog(template.requirements, context.catalog, template.limits), { limits: true })}${context.catalogSource ? ` (catalog: ${context.catalogSource})` : ''}`);
  }
  if (!parts.length) return null;
  return { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n---\n\n') } };
}
