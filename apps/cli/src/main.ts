/**
 * The `karpenter-ts` program: commander wiring of `commands/*`. `main(argv)` returns the exit code and never
 * throws: usage errors print one line, unexpected errors their stack.
 */
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import { CliUsageError, nodeIo, type CliIo, type ExitCode } from './io.js';

/** Builds the program; `setExit` receives each command's exit code. */
export function buildProgram(io: CliIo, setExit: (code: ExitCode) => void): Command {
  const program = new Command('karpenter-ts')
    .description('A TypeScript, Karpenter-compatible node autoscaler: tools for manifests and simulations')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const register of COMMANDS) register(program, io, setExit);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  return program;
}

/** Runs the CLI on `argv` (without node and script). */
export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<ExitCode> {
  let code: ExitCode = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliUsageError) {
      io.stderr(`karpenter-ts: ${err.message}\n`);
      return 2;
    }
    io.stderr(`karpenter-ts: unexpected error: ${(err as Error).stack ?? String(err)}\n`);
    return 3;
  }
}
