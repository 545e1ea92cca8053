/**
 * `karpenter-ts validate -f FILE... [--output text|json]`: every issue of every file, as
 * `file:line:column: severity code message` lines then a summary line (all on stdout, in order), or the JSON
 * array of DESIGN §4.2b. Exit 1 when any error.
 * Numbering: lines and columns from 1 in both; the JSON `document` is 0-based (stable, §4.2b), while every
 * human text of the CLI that names a document (`convert`, `simulate`) counts from 1.
 */
import type { Command } from 'commander';
import { validate, type ValidationIssue } from '@karpenter-ts/provisioner-domain/apis';
import { CliUsageError, type CliIo, type ExitCode } from '../io.js';

/** One finding as `validate --output json` prints it. */
export interface ValidateJsonIssue extends ValidationIssue {
  file: string;
}

/** Options of the validate command. */
export interface ValidateCommandOptions {
  files: string[];
  output: 'text' | 'json';
}

/** Runs validate over files; returns the exit code. */
export async function runValidate(io: CliIo, options: ValidateCommandOptions): Promise<ExitCode> {
  const all: ValidateJsonIssue[] = [];
  for (const file of options.files) {
    let text: string;
    try {
      text = await io.readFile(file);
    } catch (err) {
      throw new CliUsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
    for (const issue of validate(text).issues) all.push({ file, ...issue });
  }
  if (options.output === 'json') {
    io.stdout(JSON.stringify(all.map(toJson), null, 2) + '\n');
  } else {
    for (const i of all) io.stdout(`${i.file}:${i.line}:${i.column}: ${i.severity} ${i.code} ${i.message}${i.path ? ` (${i.path})` : ''}\n`);
    const errors = all.filter((i) => i.severity === 'error').length;
    const warnings = all.filter((i) => i.severity === 'warning').length;
    // The summary goes to the stream the findings went to, after them, so a terminal or a pipe shows it last.
    io.stdout(`${options.files.length} file${options.files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`);
  }
  return all.some((i) => i.severity === 'error') ? 1 : 0;
}

/** The stable JSON field order of DESIGN §4.2b. */
function toJson(i: ValidateJsonIssue) {
  return { file: i.file, document: i.document, severity: i.severity, code: i.code, path: i.path, message: i.message, line: i.line, column: i.column, endLine: i.endLine, endColumn: i.endColumn };
}

/** Registers `validate` on the program. */
export function registerValidate(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('validate')
    .description('check Karpenter manifests (NodePool, NodeClaim, EC2NodeClass, Provisioner, AWSNodeTemplate) and report every issue with its line and column')
    .requiredOption('-f, --filename <file...>', 'manifest files (YAML or JSON, multi-document); - reads stdin')
    .option('-o, --output <format>', 'text or json (JSON "document" counts from 0; lines and columns from 1)', 'text')
    .action(async (opts: { filename: string[]; output: string }) => {
      if (opts.output !== 'text' && opts.output !== 'json') throw new CliUsageError(`--output must be text or json, not ${opts.output}`);
      setExit(await runValidate(io, { files: opts.filename, output: opts.output }));
    });
}
