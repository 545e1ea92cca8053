/** A code lens above each NodePool (and Provisioner): "N instance types · $a-$b/h · limits allow M nodes of the largest". */
import type { CodeLens } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { summarizeCatalog, type InstanceType } from '@karpenter-ts/provisioner-domain';
import type { DocumentAnalysis } from '../document-analyses.js';
import { parseDocuments, valueAt } from '../yaml-ast.js';
import { poolTemplate } from './hover.js';
import { summaryLine } from './markdown.js';

/** What code lenses need besides the document. */
export interface CodeLensContext {
  catalog: readonly InstanceType[];
}

/** One lens per NodePool or Provisioner document that passed its schema, on its first line. */
export function provideCodeLenses(document: TextDocument, analysis: DocumentAnalysis, context: CodeLensContext): CodeLens[] {
  if (!analysis.report) return [];
  const pools = analysis.report.documents.filter((d) => (d.kind === 'NodePool' || d.kind === 'Provisioner') && d.value !== undefined);
  if (!pools.length) return [];
  const docs = parseDocuments(document.getText());
  const lenses: CodeLens[] = [];
  for (const p of pools) {
    const doc = docs[p.document];
    const template = doc && poolTemplate(p.kind ?? '', valueAt(doc, []));
    if (!doc || !template) continue;
    const contents = doc.contents as { range?: [number, number, number] } | null;
    const line = document.positionAt(contents?.range?.[0] ?? doc.range?.[0] ?? 0).line;
    const title = summaryLine(summarizeCatalog(template.requirements, context.catalog, template.limits), { limits: true });
    lenses.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: '' } });
  }
  return lenses;
}
