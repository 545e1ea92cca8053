/**
 * `karpenter-ts convert -f FILE [--cluster-name NAME]`: v1alpha5 Provisioners and v1alpha1 AWSNodeTemplates
 * as v1 NodePools and EC2NodeClasses on stdout; on stderr a warning per changed or dropped field, once per cause,
 * as every command prints findings: `file:line:column: warning code message (path)`. Exit 2 when the input has
 * errors (printed the same way), as for any bad input.
 */
import type { Command } from 'commander';
import { fieldLocator, parseFieldPath } from '@karpenter-ts/provisioner-domain';
import { convert } from '@karpenter-ts/provisioner-domain/apis';
import { findingLines, type Finding } from '../findings.js';
import { readText } from '../inputs.js';
import { EXIT_BAD_INPUT, type CliIo, type ExitCode } from '../io.js';

/** Options of the convert command. */
export interface ConvertCommandOptions {
  file: string;
  clusterName?: string;
}

/** Runs convert on one file; returns the exit code. */
export async function runConvert(io: CliIo, options: ConvertCommandOptions): Promise<ExitCode> {
  // Size, binary and nesting limits of every command.
  const text = await readText(io, options.file);
  const result = convert(text, options.clusterName !== undefined ? { clusterName: options.clusterName } : {});
  if (!result.ok) {
    const errors: Finding[] = result.issues.map((i) => ({ file: options.file, line: i.line, column: i.column, severity: i.severity, code: i.code, message: i.message }));
    for (const line of findingLines(errors)) io.stderr(`${line}\n`);
    return EXIT_BAD_INPUT;
  }
  io.stdout(result.yaml);
  const locate = fieldLocator({ name: options.file, text });
  const warnings: Finding[] = result.warnings.map((w) => ({
    file: options.file,
    ...locate(w.document, parseFieldPath(w.path)),
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
    .description('convert v1alpha5 Provisioners (and AWSNodeTemplates) to v1 NodePools and EC2NodeClasses')
    .requiredOption('-f, --filename <file>', 'manifest file; - reads stdin')
    .option('--cluster-name <name>', 'cluster name for karpenter.sh/discovery selector tags when the provider had none')
    .addHelpText(
      'after',
      `
Examples:
  karpenter-ts convert -f provisioner.yaml > nodepool.yaml
  kubectl get provisioners,awsnodetemplates -o yaml | karpenter-ts convert -f - --cluster-name my-cluster

Warnings: file:line:column: warning code message, once per cause. Exit codes: 0 converted; 2 bad input or usage.`,
    )
    .action(async (opts: { filename: string; clusterName?: string }) => {
      setExit(await runConvert(io, { file: opts.filename, ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}) }));
    });
}
