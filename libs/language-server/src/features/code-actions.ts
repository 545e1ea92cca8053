/**
 * Quick fixes:
 * - typo replacements: a finding that carries a replacement (the domain's `suggestion`, in the diagnostic's
 *   `data.suggestion`: the nearest known key, value or kind, or a renamed value's new name) gets an edit that writes
 *   it in place (quotes kept);
 * - a missing required field: added with the default the finding suggests (`e.g. consolidateAfter: "0s"`) or the
 *   field's schema default;
 * - v1alpha5 Provisioner (+ AWSNodeTemplate) → NodePool + EC2NodeClass through the domain's `convert`, in place or into
 *   a new file next to it (a `CreateFile` + insert, when the client supports resource operations); every change of
 *   meaning it reports is written as a YAML comment at the top of the converted text.
 */
import { CodeActionKind, type CodeAction, type CreateFile, type Diagnostic, type Range, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { convert, fieldDoc } from '@karpenter-ts/provisioner-domain';
import { isMap, isPair, isScalar } from 'yaml';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from '../diagnostics.js';
import type { DocumentAnalysis } from '../document-analyses.js';
import { parseDocuments, valueAt } from '../yaml-ast.js';

const overlaps = (a: Range, b: Range) =>
  !(a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character < b.start.character) || b.end.line < a.start.line || (b.end.line === a.start.line && b.end.character < a.start.character));

/** The title of the convert action (in place); the new-file variant appends ` into a new file <name>`. */
export const CONVERT_ACTION_TITLE = 'Convert to karpenter.sh/v1 NodePool + karpenter.k8s.aws/v1 EC2NodeClass (karpenter-ts convert)';

/** What code actions need besides the document. */
export interface CodeActionContext {
  /**
   * The URI of a file that does not exist yet, for the converted YAML of `uri` (e.g. `pools.v1.yaml` next to
   * `pools.yaml`); undefined when the client cannot create files or `uri` has no folder (an untitled document).
   */
  newFileFor?(uri: string): string | undefined;
}

/** Code actions for `range`, given the diagnostics the client sent for it. */
export function provideCodeActions(document: TextDocument, analysis: DocumentAnalysis, range: Range, diagnostics: readonly Diagnostic[], context: CodeActionContext = {}): CodeAction[] {
  const actions: CodeAction[] = [];
  const ours = diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE);
  for (const d of ours) {
    const typo = typoFix(document, d);
    if (typo) actions.push(typo);
    if (d.code === 'required') {
      const add = requiredFieldFix(document, d);
      if (add) actions.push(add);
    }
  }
  const deprecated = analysis.report?.documents.some((d) => d.kind === 'Provisioner' || d.kind === 'AWSNodeTemplate');
  if (deprecated && (ours.some((d) => d.code === 'deprecated-api') || analysis.issues.some((i) => i.code === 'deprecated-api' && overlaps(range, { start: { line: i.line - 1, character: 0 }, end: { line: i.endLine - 1, character: i.endColumn } })))) {
    actions.push(...convertActions(document, ours.filter((d) => d.code === 'deprecated-api'), context));
  }
  return actions;
}

function typoFix(document: TextDocument, d: Diagnostic): CodeAction | undefined {
  const suggestion = (d.data as Partial<DiagnosticData> | undefined)?.suggestion;
  if (typeof suggestion !== 'string' || suggestion === '') return undefined;
  const current = document.getText(d.range);
  const quote = /^["']/.test(current) ? current[0] : '';
  return {
    title: `Change to "${suggestion}"`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [d],
    isPreferred: true,
    edit: { changes: { [document.uri]: [{ range: d.range, newText: `${quote}${suggestion}${quote}` }] } },
  };
}

function requiredFieldFix(document: TextDocument, d: Diagnostic): CodeAction | undefined {
  const data = d.data as DiagnosticData | undefined;
  if (!data || !data.path) return undefined;
  const path = data.path.split('.').flatMap((seg) => seg.split(/\[(\d+)\]/).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s)));
  const field = path[path.length - 1];
  if (typeof field !== 'string') return undefined;
  const docs = parseDocuments(document.getText());
  const doc = docs[data.document];
  if (!doc) return undefined;
  const suggested = /e\.g\. [^:]+: (.+)$/.exec(typeof d.message === 'string' ? d.message : d.message.value)?.[1];
  const apiVersion = valueAt(doc, ['apiVersion']);
  const kind = valueAt(doc, ['kind']);
  const dflt = suggested ?? (typeof apiVersion === 'string' && typeof kind === 'string' ? fieldDoc(apiVersion, kind, path)?.default : undefined);
  if (dflt === undefined) return undefined;
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const first = parent.items.find((p) => isPair(p) && isScalar(p.key));
  const keyStart = (first?.key as { range?: [number, number, number] } | undefined)?.range?.[0];
  if (keyStart === undefined) return undefined;
  const at = document.positionAt(keyStart);
  const indent = ' '.repeat(at.character);
  const edit: TextEdit = { range: { start: at, end: at }, newText: `${field}: ${dflt}\n${indent}` };
  return { title: `Add "${field}: ${dflt}"`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [document.uri]: [edit] } } };
}

/**
 * The whole file converted by the domain, with a comment block naming every change of meaning. Undefined when the
 * file has errors (convert converts only valid input; the errors are shown as diagnostics).
 */
export function convertedText(text: string): string | undefined {
  const result = convert(text);
  if (!result.ok) return undefined;
  const header = result.warnings.length
    ? [
        '# Converted by karpenter-ts convert (v1alpha5/v1beta1 -> v1). Changes of meaning:',
        ...result.warnings.map((w) => `# - ${w.path} (was document ${w.document + 1}, line ${w.line}): ${w.message.replace(/\s*\n\s*/g, ' ')}`),
      ].join('\n') + '\n'
    : '# Converted by karpenter-ts convert (v1alpha5/v1beta1 -> v1); no field changed meaning.\n';
  return header + result.yaml;
}

/** The last path segment of a URI, decoded. */
const baseName = (uri: string) => decodeURIComponent(uri.slice(uri.lastIndexOf('/') + 1));

function convertActions(document: TextDocument, diagnostics: Diagnostic[], context: CodeActionContext): CodeAction[] {
  const text = document.getText();
  const converted = convertedText(text);
  if (converted === undefined) return [];
  const end = document.positionAt(text.length);
  const actions: CodeAction[] = [
    {
      title: CONVERT_ACTION_TITLE,
      kind: CodeActionKind.QuickFix,
      ...(diagnostics.length ? { diagnostics } : {}),
      isPreferred: true,
      edit: { changes: { [document.uri]: [{ range: { start: { line: 0, character: 0 }, end }, newText: converted }] } },
    },
  ];
  const target = context.newFileFor?.(document.uri);
  if (target) {
    // The original stays as it is (e.g. still applied in a cluster being migrated); the new file holds the v1 objects.
    const create: CreateFile = { kind: 'create', uri: target, options: { overwrite: false, ignoreIfExists: false } };
    const insert: TextDocumentEdit = { textDocument: { uri: target, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: converted }] };
    actions.push({
      title: `${CONVERT_ACTION_TITLE} into a new file ${baseName(target)}`,
      kind: CodeActionKind.QuickFix,
      ...(diagnostics.length ? { diagnostics } : {}),
      edit: { documentChanges: [create, insert] },
    });
  }
  return actions;
}
