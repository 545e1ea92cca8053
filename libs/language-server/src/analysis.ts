/**
 * One document's findings: the domain's `validate` (schema, CEL rules, semantic warnings against the catalog) plus
 * `workspaceFindings` (Gt/Lt bounds, nodeClassRef against the workspace). Files that hold no Karpenter document,
 * Helm templates and oversized files are not validated, so editing unrelated YAML stays quiet.
 */
import { validateInWorkspace, type InstanceType, type ValidationIssue, type ValidationReport } from '@karpenter-ts/provisioner-domain';

/**
 * Above this many characters, or this many YAML documents, a file is not checked: validation time grows with size
 * (and with the square of the number of pools, which are compared pairwise), and the editor must not wait.
 */
export const MAX_DOCUMENT_CHARS = 500_000;
export const MAX_YAML_DOCUMENTS = 150;

/** What a text is, for the server: only `karpenter` texts are analysed. */
export type TextKind = 'karpenter' | 'template' | 'other' | 'too-large';

const KARPENTER_API_VERSION = /^[ \t]*["']?apiVersion["']?[ \t]*:[ \t]*["']?karpenter\.(sh|k8s\.aws)\//m;
const TEMPLATE = /\{\{[\s\S]*?\}\}/;

/** Classifies a text: a Helm/Go template (`{{ ... }}`) or a file without a Karpenter apiVersion is not analysed. */
export function classifyText(text: string): TextKind {
  if (text.length > MAX_DOCUMENT_CHARS) return KARPENTER_API_VERSION.test(text.slice(0, MAX_DOCUMENT_CHARS)) ? 'too-large' : 'other';
  if (!KARPENTER_API_VERSION.test(text)) return 'other';
  if (countDocuments(text) > MAX_YAML_DOCUMENTS) return 'too-large';
  if (TEMPLATE.test(text)) return 'template';
  return 'karpenter';
}

/** The number of YAML documents (separators `---` at a line start, plus one). */
function countDocuments(text: string): number {
  let n = 1;
  for (const _ of text.matchAll(/^---/gm)) n++;
  return n;
}

/** Context of an analysis. */
export interface AnalysisContext {
  catalog: readonly InstanceType[];
  /** How findings name the catalog (`the controller of context "x"`); `the given catalog` when absent. */
  catalogName?: string;
  /** EC2NodeClass names known elsewhere (other open documents, files on disk, the cluster); this file's own count too. */
  nodeClassNames?: ReadonlySet<string>;
  /** Where `nodeClassNames` come from, for the finding's message (default `the workspace`). */
  nodeClassScope?: string;
}

/** The result of analysing one text. `report` is undefined when the text was not validated. */
export interface Analysis {
  kind: TextKind;
  issues: ValidationIssue[];
  report?: ValidationReport;
}

/** EC2NodeClass names an analysis found (read from the validated documents, no second parse). */
export function nodeClassNamesOf(analysis: Analysis): string[] {
  return (analysis.report?.documents ?? []).filter((d) => d.kind === 'EC2NodeClass' && d.apiVersion?.startsWith('karpenter.k8s.aws/') && d.name !== undefined).map((d) => d.name!);
}

/** Analyses `text`. Never throws. */
export function analyze(text: string, context: AnalysisContext): Analysis {
  const kind = classifyText(text);
  if (kind === 'too-large') {
    return {
      kind,
      issues: [{ document: 0, severity: 'info', code: 'file-too-large', path: '', message: `not checked: the file is larger than the language server checks (${MAX_DOCUMENT_CHARS} characters, ${MAX_YAML_DOCUMENTS} YAML documents); split it, or run "karpenter-ts validate -f FILE"`, line: 1, column: 1, endLine: 1, endColumn: 2 }],
    };
  }
  if (kind !== 'karpenter') return { kind, issues: [] };
  // One parse for validate and the workspace findings; with workspace names, the workspace check replaces
  // validate's file-only nodeClassRef check.
  const report = validateInWorkspace(text, { catalog: context.catalog, ...(context.catalogName ? { catalogName: context.catalogName } : {}), ...(context.nodeClassNames ? { nodeClassNames: context.nodeClassNames } : {}), ...(context.nodeClassScope ? { nodeClassScope: context.nodeClassScope } : {}) });
  return { kind, issues: report.issues, report };
}
