/**
 * `karpenter-ts convert -f FILE [--cluster-name NAME]`: v1alpha5 Provisioners and v1alpha1 AWSNodeTemplates
 * as v1 NodePools and EC2NodeClasses on stdout; a warning per changed or dropped field on stderr as
 * `file: document N: warning code path: message`, N counting documents from 1 as people and editors do (like
 * `simulate`; only `validate --output json` is 0-based). Exit 1 when the input has errors (printed like `validate`).
 */
import type { Command } from 'commander';
import { convert } from '@karpenter-ts/provisioner-domain/apis';
import { readText } from '../inputs.js';
import type { CliIo, ExitCode } from '../io.js';

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
    for (const i of result.issues) io.stderr(`${options.file}:${i.line}:${i.column}: ${i.severity} ${i.code} ${i.message}\n`);
    return 1;
  }
  io.stdout(result.yaml);
  for (const w of result.warnings) io.stderr(`${options.file}: document ${w.document + 1}: warning ${w.code} ${w.path}: ${w.message}\n`);
  return 0;
}

/** Registers `convert` on the program. */
export function registerConvert(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('convert')
    .description('convert v1alpha5 Provisioners (and AWSNodeTemplates) to v1 NodePools and EC2NodeClasses')
    .requiredOption('-f, --filename <file>', 'manifest file; - reads stdin')
    .option('--cluster-name <name>', 'cluster name for karpenter.sh/discovery selector tags when the provider had none')
    .action(async (opts: { filename: string; clusterName?: string }) => {
      setExit(await runConvert(io, { file: opts.filename, ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}) }));
    });
}
