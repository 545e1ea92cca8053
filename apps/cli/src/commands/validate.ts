/**
 * `karpenter-ts validate [FILE|DIR...] [-f FILE|DIR...] [--catalog FILE|aws] [-o text|json] [--strict]`: every
 * issue of every file, as `file:line:column: severity code message` lines (then a summary line, on the same
 * stream) or the JSON array of docs/validate-json.md. Documents, lines and columns count from 1 in both.
 * With `--catalog`, requirement values and provider labels the catalog has not got are warnings naming it.
 * Exit codes: 0 no errors (and, with `--strict`, no warnings); 1 errors (or warnings with `--strict`); 2 bad
 * usage or an unreadable file.
 */
import type { Command } from 'commander';
import { loadScenario, type InstanceType } from '@karpenter-ts/provisioner-domain';
import { validate, type ValidationIssue } from '@karpenter-ts/provisioner-domain/apis';
import { CATALOG_OPTION_HELP, catalogStatement, readCatalogOption } from '../catalog-option.js';
import { findingLines, scenarioFinding } from '../findings.js';
import { readInputs } from '../inputs.js';
import { CliUsageError, EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, type CliIo, type ExitCode } from '../io.js';

/** One finding as `validate --output json` prints it; `document` counts from 1. */
export interface ValidateJsonIssue extends ValidationIssue {
  file: string;
}

/** Options of the validate command. */
export interface ValidateCommandOptions {
  files: string[];
  output: 'text' | 'json';
  /** `--catalog`: a catalog file or a shipped catalog name (`aws`). */
  catalog?: string;
  /** Warnings fail the run (exit 1). */
  strict?: boolean;
}

/** The catalog of `--catalog`, read like simulate reads it; `undefined` without the option. */
async function catalogOf(io: CliIo, value: string | undefined): Promise<{ instanceTypes: InstanceType[]; line: string; name: string } | ExitCode> {
  if (value === undefined) return { instanceTypes: [], name: '', line: 'catalog: none given (zones, instance types and provider labels are not checked against one; pass --catalog aws or --catalog FILE)' };
  const file = await readCatalogOption(io, value);
  const loaded = loadScenario([], { catalogFiles: [file] });
  if (!loaded.ok) {
    for (const line of findingLines(loaded.issues.map(scenarioFinding))) io.stderr(`${line}\n`);
    return EXIT_BAD_INPUT;
  }
  const { catalog, instanceTypes } = loaded.scenario;
  return { instanceTypes, name: catalog.name, line: catalogStatement(catalog, instanceTypes, false) };
}

/** Runs validate over files; returns the exit code. */
export async function runValidate(io: CliIo, options: ValidateCommandOptions): Promise<ExitCode> {
  const catalog = await catalogOf(io, options.catalog);
  if (typeof catalog === 'number') return catalog;
  const files = await readInputs(io, options.files, 'manifest files or directories');
  const all: ValidateJsonIssue[] = [];
  for (const file of files) {
    const report = validate(file.text, catalog.instanceTypes.length > 0 ? { catalog: catalog.instanceTypes, catalogName: catalog.name } : {});
    for (const issue of report.issues) all.push({ file: file.name, ...issue, document: issue.document + 1 });
  }
  io.stderr(`${catalog.line}\n`);
  if (options.output === 'json') {
    io.stdout(JSON.stringify(all.map(toJson), null, 2) + '\n');
  } else {
    const lines = findingLines(all);
    const errors = all.filter((i) => i.severity === 'error').length;
    const warnings = all.filter((i) => i.severity === 'warning').length;
    lines.push(`${files.length} file${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    io.stdout(`${lines.join('\n')}\n`);
  }
  const failing = all.some((i) => i.severity === 'error' || (options.strict === true && i.severity === 'warning'));
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

/** The stable JSON field order of docs/validate-json.md. */
function toJson(i: ValidateJsonIssue) {
  return { file: i.file, document: i.document, severity: i.severity, code: i.code, path: i.path, message: i.message, line: i.line, column: i.column, endLine: i.endLine, endColumn: i.endColumn };
}

const EXAMPLES = `
Examples:
  karpenter-ts validate nodepool.yaml
  karpenter-ts validate manifests/ --catalog aws --strict
  kubectl get nodepools -o yaml | karpenter-ts validate - -o json

Findings: file:line:column: severity code message (documents, lines and columns from 1, in text and JSON).
Exit codes: 0 no errors; 1 errors (or warnings with --strict); 2 bad input or usage.`;


/** Registers `validate` on the program. */
export function registerValidate(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description('check Karpenter manifests (NodePool, NodeClaim, EC2NodeClass, Provisioner, AWSNodeTemplate) and report every issue with its line and column')
    .argument('[files...]', 'manifest files or directories (YAML or JSON, multi-document); - reads stdin')
    .option('-f, --filename <file...>', 'manifest files or directories (same as positional arguments)')
    .option('--catalog <file>', CATALOG_OPTION_HELP, undefined)
    .option('-o, --output <format>', 'text or json', 'text')
    .option('--strict', 'fail (exit 1) on warnings too')
    .addHelpText('after', EXAMPLES)
    .action(async (positional: string[], opts: { filename?: string[]; output: string; catalog?: string; strict?: boolean }) => {
      if (opts.output !== 'text' && opts.output !== 'json') throw new CliUsageError(`--output must be text or json, not ${opts.output}`);
      const files = [...positional, ...(opts.filename ?? [])];
      setExit(await runValidate(io, { files, output: opts.output, strict: opts.strict === true, ...(opts.catalog !== undefined ? { catalog: opts.catalog } : {}) }));
    });
}
