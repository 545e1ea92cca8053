/**
 * The `karpenter-ts` program: commander wiring of `commands/*`. `main(argv)` returns the exit code and never
 * throws: usage errors print one line and exit 2; an unexpected error prints one line naming it as a bug and
 * exits 2 too (never a stack trace, never another code), so scripts can rely on 0, 1 and 2 alone.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { CliUsageError, EXIT_BAD_INPUT, nodeIo, type CliIo, type ExitCode } from './io.js';

/** The CLI's version (its package.json). */
export const VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const EXAMPLES = `
Examples:
  karpenter-ts validate apps/controller/config/samples
  karpenter-ts convert old-provisioner.yaml > nodepool.yaml
  karpenter-ts simulate libs/provisioner-domain/src/scenario/testdata/seed-inflate.yaml -o table
  karpenter-ts simulate my-nodepool.yaml my-pods.yaml --catalog aws -o table

Every finding is printed as file:line:column: severity code message (documents, lines and columns from 1).
Exit codes: 0 ok; 1 findings (validate errors, --strict warnings, --fail-on-unschedulable); 2 bad input or usage.`;

/** Builds the program; `setExit` receives each command's exit code. */
export function buildProgram(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const program = new Command('karpenter-ts')
    .description('A TypeScript, Karpenter-compatible node autoscaler: tools for manifests and simulations')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .addHelpText('after', EXAMPLES);
  for (const register of COMMANDS) register(program, io, setExit);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/** Runs the CLI on `argv` (without node and script). Exit codes: 0, 1 or 2 only. */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<ExitCode> {
  let code: ExitCode = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    if (err instanceof CliUsageError) {
      io.stderr(`karpenter-ts: ${err.message}\n`);
      return EXIT_BAD_INPUT;
    }
    const e = err as Error;
    io.stderr(`karpenter-ts: internal error (a bug; please report it with the input): ${e.name ?? 'Error'}: ${e.message ?? String(err)}\n`);
    return EXIT_BAD_INPUT;
  }
}
