/**
 * `karpenter-ts convert -f FILE... [--cluster-name NAME]`: every file's v1alpha5 Provisioners, v1alpha1
 * AWSNodeTemplates and v1beta1 NodePools, NodeClaims and EC2NodeClasses as v1 objects on stdout, one YAML stream in
 * file order (references resolve across files). A warning per changed or dropped field, once per cause, on stderr
 * as `file:line:column: document N: warning code path: message` (lines, columns and N counting from 1, as people
 * and editors do, like `simulate`; only `validate --output json` is 0-based). Exit 1 when any input has errors
 * (printed like `validate`; nothing is converted then).
 */
import type { Command } from 'commander';
import { convertFiles, type ConvertInput } from '@karpenter-ts/provisioner-domain/apis';
import { CliUsageError, type CliIo, type ExitCode } from '../io.js';

/** Options of the convert command. */
export interface ConvertCommandOptions {
  files: string[];
  clusterName?: string;
}

/** Runs convert on the files (all of them, as one input); returns the exit code. */
export async function runConvert(io: CliIo, options: ConvertCommandOptions): Promise<ExitCode> {
  const inputs: ConvertInput[] = [];
  for (const file of options.files) {
    try {
      inputs.push({ file, text: await io.readFile(file) });
    } catch (err) {
      throw new CliUsageError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  const result = convertFiles(inputs, options.clusterName !== undefined ? { clusterName: options.clusterName } : {});
  if (!result.ok) {
    for (const i of result.issues) io.stderr(`${i.file}:${i.line}:${i.column}: ${i.severity} ${i.code} ${i.message}\n`);
    return 1;
  }
  io.stdout(result.yaml);
  for (const w of result.warnings) io.stderr(`${w.file}:${w.line}:${w.column}: document ${w.document + 1}: warning ${w.code} ${w.path}: ${w.message}\n`);
  return 0;
}

/** Registers `convert` on the program. */
export function registerConvert(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('convert')
    .description('convert v1alpha5 Provisioners and AWSNodeTemplates, and v1beta1 NodePools, NodeClaims and EC2NodeClasses, to v1')
    .requiredOption('-f, --filename <file...>', 'manifest files (all converted together, references resolved across them); - reads stdin')
    .option('--cluster-name <name>', 'cluster name for karpenter.sh/discovery selector tags when the provider had none')
    .action(async (opts: { filename: string[]; clusterName?: string }) => {
      setExit(await runConvert(io, { files: opts.filename, ...(opts.clusterName !== undefined ? { clusterName: opts.clusterName } : {}) }));
    });
}
