/**
 * `karpenter-ts convert [FILE|DIR|-]... [-f FILE...] [--cluster-name NAME]`: every file's v1alpha5 Provisioners,
 * v1alpha1 AWSNodeTemplates and v1beta1 NodePools, NodeClaims and EC2NodeClasses as v1 objects on stdout, one
 * YAML stream in file order (references resolve across files; field mapping in docs/convert.md). On stderr a
 * warning per changed or dropped field, once per cause, as every command prints findings:
 * `file:line:column: warning code message (path)`. Exit 2 when any input has errors (printed the same way;
 * nothing is converted then), as for any bad input.
 */
import type { Command } from 'commander';
import { convertFiles } from '@karpenter-ts/provisioner-domain/apis';
import { findingLines, type Finding } from '../findings.js';
import { readInputs } from '../inputs.js';
import { EXIT_BAD_INPUT, type CliIo, type ExitCode } from '../io.js';

/** Options of the convert command. */
export interface ConvertCommandOptions {
  /** Files, directories or `-` (stdin), converted together. */
  files: string[];
  clusterName?: string;
}

/** Runs convert on the files (all of them, as one input); returns the exit code. */
export async function runConvert(io: CliIo, options: ConvertCommandOptions): Promise<ExitCode> {
  // Size, binary and nesting limits of every command.
  const inputs = await readInputs(io, options.files, 'a manifest file or directory');
  const result = convertFiles(
    inputs.map((f) => ({ file: f.name, text: f.text })),
    options.clusterName !== undefined ? { clusterName: options.clusterName } : {},
  );
  if (!result.ok) {
    const errors: Finding[] = result.issues.map((i) => ({ file: i.file, line: i.line, column: i.column, severity: i.severity, code: i.code, message: i.message }));
    for (const line of findingLines(errors)) io.stderr(`${line}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stdout(result.yaml);
  const warnings: Finding[] = result.warnings.map((w) => ({
    file: w.file,
    line: w.line,
    column: w.column,
    severity: 'warning',
    code: w.code,
    message: w.message,
    ...(w.path ? { path: w.path } : {}),
  }));
  for (const line of findingLines(warnings)) io.stderr(`${line}\n`);
  return 0;
}

/** Registers `convert` on the program. */
export function registerConvert(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('convert')
    .description('convert v1alpha5 Provisioners and AWSNodeTemplates, and v1beta1 NodePools, NodeClaims and EC2NodeClasses, to v1')
    .argument('[files...]', 'manifest files or directories, all converted together (references resolved across them); - reads stdin')
    .option('-f, --filename <file...>', 'manifest files or directories (same as positional arguments)')
    .option('--cluster-name <name>', 'cluster name for karpenter.sh/discovery selector tags when the provider had none')
    .addHelpText(
      'after',
      `
Examples:
  karpenter-ts convert -f provisioner.yaml > nodepool.yaml
  karpenter-ts convert provisioners.yaml awsnodetemplates.yaml > v1.yaml
  kubectl get provisioners,awsnodetemplates -o yaml | karpenter-ts convert -f - --cluster-name my-cluster

Warnings: file:line:column: warning code message, once per cause. Exit codes: 0 converted; 2 bad input or usage.`,
    )
    .action(async (positional: string[], opts: { filename?: string[]; clusterName?: string }) => {
      const files = [...positional, ...(opts.filename ?? [])];
      setExit(await runConvert(io, { files, ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}) }));
    });
}
