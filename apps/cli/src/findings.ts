/**
 * The one finding format of every command: `file:line:column: severity code message`, lines, columns and
 * documents counted from 1. The same cause (code and message) is printed once, at its first place, with the
 * number of other places.
 */
import type { ScenarioIssue } from '@karpenter-ts/provisioner-domain';

/** A finding as every command prints it. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
  /** The field path, printed after the message in parentheses; not part of the cause. */
  path?: string;
}

/** `file:line:column: severity code message (path)`. */
export function formatFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}${f.path ? ` (${f.path})` : ''}`;
}

/** A scenario issue as a finding. */
export function scenarioFinding(issue: ScenarioIssue): Finding {
  return { file: issue.file, line: issue.line, column: issue.column, severity: issue.severity, code: issue.code, message: issue.message, ...(issue.path ? { path: issue.path } : {}) };
}

/**
 * The lines to print for `findings`: one per cause (same severity, code and message, whatever the path), at its first place,
 * with `(and N more places)` when it recurs. Order is kept.
 */
export function findingLines(findings: readonly Finding[]): string[] {
  const byCause = new Map<string, { first: Finding; more: number }>();
  for (const f of findings) {
    const key = `${f.severity}\0${f.code}\0${f.message}`;
    const seen = byCause.get(key);
    if (seen) seen.more += 1;
    else byCause.set(key, { first: f, more: 0 });
  }
  return [...byCause.values()].map(({ first, more }) => `${formatFinding(first)}${more > 0 ? ` (and ${more} more place${more === 1 ? '' : 's'})` : ''}`);
}
