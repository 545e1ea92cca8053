/** Domain findings as LSP diagnostics: 0-based ranges, severity, rule code with a docs link, data for quick fixes. */
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver/node';
import type { ValidationIssue } from '@karpenter-ts/provisioner-domain';

/** The `source` of every diagnostic. */
export const DIAGNOSTIC_SOURCE = 'karpenter-ts';

/** What a diagnostic carries in `data` for code actions. */
export interface DiagnosticData {
  /** 0-based index of the YAML document in the file. */
  document: number;
  /** The finding's field path (`spec.template.spec.requirements[0].values[1]`). */
  path: string;
  /** The replacement the typo quick fix writes over the diagnostic's range (the domain finding's `suggestion`). */
  suggestion?: string;
}

const SEVERITY: Record<ValidationIssue['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** One finding as a diagnostic; `rulesDocUrl#code` is its docs link. */
export function toDiagnostic(issue: ValidationIssue, rulesDocUrl: string): Diagnostic {
  const data: DiagnosticData = { document: issue.document, path: issue.path, ...(issue.suggestion !== undefined ? { suggestion: issue.suggestion } : {}) };
  const diagnostic: Diagnostic = {
    range: { start: { line: issue.line - 1, character: issue.column - 1 }, end: { line: issue.endLine - 1, character: issue.endColumn - 1 } },
    severity: SEVERITY[issue.severity],
    code: issue.code,
    codeDescription: { href: `${rulesDocUrl}#${issue.code}` },
    source: DIAGNOSTIC_SOURCE,
    message: issue.message,
    data,
  };
  if (issue.code === 'deprecated-api' || issue.code === 'deprecated-label') diagnostic.tags = [DiagnosticTag.Deprecated];
  return diagnostic;
}
