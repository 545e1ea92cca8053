/**
 * `karpenter-ts lsp [--stdio | --node-ipc]`: the Karpenter language server (diagnostics, completions, hovers, code
 * lenses, quick fixes; see libs/language-server) for any LSP editor: Neovim, Helix, Zed, JetBrains, VS Code.
 * The protocol runs on stdin/stdout (default) or Node IPC; the command prints nothing else on stdout and runs until
 * the client sends `exit`.
 */
import type { Command } from 'commander';
import { runLanguageServerProcess } from '@karpenter-ts/language-server';
import { CliUsageError, type CliIo, type ExitCode } from '../io.js';

/** Registers `lsp` on the program. */
export function registerLsp(program: Command, _io: CliIo, setExit: (code: ExitCode) => void): void {
  program
    .command('lsp')
    .description('run the Karpenter language server (LSP) on stdio (default) or Node IPC, for editors')
    .option('--stdio', 'talk LSP on stdin/stdout (the default)')
    .option('--node-ipc', 'talk LSP over the Node IPC channel (VS Code TransportKind.ipc)')
    // Clients add their own flags (e.g. --clientProcessId=123); they are not ours to reject.
    .allowUnknownOption()
    .action((opts: { stdio?: boolean; nodeIpc?: boolean }) => {
      if (opts.stdio && opts.nodeIpc) throw new CliUsageError('choose one transport: --stdio or --node-ipc');
      runLanguageServerProcess(opts.nodeIpc ? ['--node-ipc'] : ['--stdio']);
      setExit(0);
    });
}
