/**
 * Findings that need more context than one file (`validate` checks a file on its own): a Gt/Lt bound outside the
 * range of the catalog's values for that label, and a NodePool `nodeClassRef` naming no EC2NodeClass known in the
 * workspace (every file an editor sees, or the cluster). Returned as `ValidationIssue`s located in the file's text,
 * like `validate`'s; codes:
 * - `requirement-bound-outside-catalog` (warning): `Gt`/`Lt` that no catalog value satisfies (e.g. cpu Gt 512 when the
 *   largest type has 256), or that every value satisfies (a bound that filters nothing, info).
 * - `nodeclass-missing` (warning): the referenced EC2NodeClass exists nowhere in the given names.
 */
import { parseAllDocuments, type Document } from 'yaml';
import type { Requirement } from '../apis/common.js';
import type { NodePool } from '../apis/nodepool.js';
import type { Provisioner } from '../apis/provisioner.js';
import { normalizeLabelKey } from '../apis/labels.js';
import { formatPath, validateParsed } from '../apis/validate/validate.js';
import { LineIndex, locateOffsets, toRange } from '../apis/validate/positions.js';
import type { ValidateOptions, ValidationIssue, ValidationReport } from '../apis/validate/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import { sortedCatalogLabelValues } from './catalog-summary.js';

/** Context of `workspaceFindings`. */
export interface WorkspaceContext {
  /** The active catalog; without it, no bound findings. */
  catalog?: readonly InstanceType[];
  /** EC2NodeClass names known outside and inside this file; without it, no nodeClassRef findings. */
  nodeClassNames?: ReadonlySet<string>;
  /**
   * Where `nodeClassNames` come from, as the finding's message names it after "in", e.g. `the workspace or the
   * cluster of context "kind"`. Default `the workspace`.
   */
  nodeClassScope?: string;
}

interface Finding {
  document: number;
  severity: ValidationIssue['severity'];
  code: string;
  path: (string | number)[];
  message: string;
}

function boundFindings(document: number, requirements: readonly Requirement[], base: (string | number)[], values: ReadonlyMap<string, readonly string[]>): Finding[] {
  const out: Finding[] = [];
  requirements.forEach((r, i) => {
    if (r.operator !== 'Gt' && r.operator !== 'Lt') return;
    const key = normalizeLabelKey(r.key);
    const known = (values.get(key) ?? []).filter((v) => /^-?\d+$/.test(v)).map(Number);
    const bound = Number(r.values?.[0]);
    if (!known.length || !Number.isInteger(bound)) return;
    const lo = Math.min(...known);
    const hi = Math.max(...known);
    const satisfied = known.filter((v) => (r.operator === 'Gt' ? v > bound : v < bound)).length;
    const path = [...base, i, 'values', 0];
    if (satisfied === 0) {
      out.push({ document, severity: 'warning', code: 'requirement-bound-outside-catalog', path, message: `${key} ${r.operator} ${bound} leaves no instance type: the catalog's values range from ${lo} to ${hi}; use a bound ${r.operator === 'Gt' ? `below ${hi}` : `above ${lo}`}` });
    } else if (satisfied === known.length) {
      out.push({ document, severity: 'info', code: 'requirement-bound-outside-catalog', path, message: `${key} ${r.operator} ${bound} filters nothing: every catalog value (${lo} to ${hi}) satisfies it` });
    }
  });
  return out;
}

/** The findings described in the module doc, for `text` already validated into `report`. Never throws. */
export function workspaceFindings(text: string, report: ValidationReport, context: WorkspaceContext): ValidationIssue[] {
  return locatedWorkspaceFindings(text, report, context);
}

/**
 * `validate` and `workspaceFindings` of one file with a single parse, as editors need them on every edit: the
 * report's issues are validate's plus the workspace findings, ordered by position. With `nodeClassNames`, the
 * file's own EC2NodeClasses count as known too, and the workspace check replaces validate's file-only one
 * (`nodeclass-missing` against the same file). Never throws on any text.
 */
export function validateInWorkspace(text: string, options: ValidateOptions & WorkspaceContext = {}): ValidationReport {
  const { report, docs, lines } = validateParsed(text, options);
  let context: WorkspaceContext = options;
  if (options.nodeClassNames) {
    const names = new Set(options.nodeClassNames);
    for (const d of report.documents) if (d.kind === 'EC2NodeClass' && d.name !== undefined && d.apiVersion?.startsWith('karpenter.k8s.aws/')) names.add(d.name);
    context = { ...options, nodeClassNames: names };
  }
  const extra = locatedWorkspaceFindings(text, report, context, { docs, lines });
  const own = options.nodeClassNames ? report.issues.filter((i) => i.code !== 'nodeclass-missing') : report.issues;
  if (!extra.length && own.length === report.issues.length) return report;
  const issues = [...own, ...extra].sort((a, b) => a.document - b.document || a.line - b.line || a.column - b.column);
  return { ok: !issues.some((i) => i.severity === 'error'), issues, documents: report.documents };
}

function locatedWorkspaceFindings(text: string, report: ValidationReport, context: WorkspaceContext, parsed?: { docs: Document[]; lines: LineIndex }): ValidationIssue[] {
  const findings: Finding[] = [];
  const values = context.catalog?.length ? sortedCatalogLabelValues(context.catalog) : undefined;
  for (const d of report.documents) {
    if (d.value === undefined) continue;
    if (d.kind === 'NodePool' && d.apiVersion === 'karpenter.sh/v1') {
      const np = d.value as NodePool;
      if (values) findings.push(...boundFindings(d.document, np.spec.template.spec.requirements, ['spec', 'template', 'spec', 'requirements'], values));
      const ref = np.spec.template.spec.nodeClassRef;
      if (context.nodeClassNames && ref.kind === 'EC2NodeClass' && !context.nodeClassNames.has(ref.name)) {
        findings.push({ document: d.document, severity: 'warning', code: 'nodeclass-missing', path: ['spec', 'template', 'spec', 'nodeClassRef', 'name'], message: `no EC2NodeClass "${ref.name}" in ${context.nodeClassScope ?? 'the workspace'}${context.nodeClassNames.size ? ` (known: ${[...context.nodeClassNames].slice(0, 8).map((n) => `"${n}"`).join(', ')})` : ''}: the NodePool stays not ready until it exists; fix the name or add the EC2NodeClass` });
      }
    } else if (d.kind === 'Provisioner' && values) {
      findings.push(...boundFindings(d.document, (d.value as Provisioner).spec.requirements ?? [], ['spec', 'requirements'], values));
    }
  }
  if (!findings.length) return [];
  let docs: Document[];
  try {
    docs = parsed?.docs ?? (parseAllDocuments(text) as Document[]);
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const lines = parsed?.lines ?? new LineIndex(text);
  const out: ValidationIssue[] = [];
  for (const f of findings) {
    const doc = docs[f.document];
    if (!doc) continue;
    out.push({ document: f.document, severity: f.severity, code: f.code, path: formatPath(f.path), message: f.message, ...toRange(lines, locateOffsets(doc, f.path)) });
  }
  return out;
}
