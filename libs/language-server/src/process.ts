/**
 * The server as a process: `--stdio` (default) or `--node-ipc` transport, chosen from argv. Uncaught errors are
 * logged to stderr (stdout carries the protocol on stdio) and the server keeps serving.
 */
import { createConnection, IPCMessageReader, IPCMessageWriter, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Usage line for a bad transport argument. */
export const LSP_USAGE = 'usage: karpenter-ts lsp [--stdio | --node-ipc]';

/**
 * Runs the language server in this process with the transport named in `argv` (`--stdio` or `--node-ipc`; stdio when
 * neither). Returns once listening; the process lives until the client sends `exit` or closes the stream.
 */
export function runLanguageServerProcess(argv: readonly string[]): void {
  const ipc = argv.includes('--node-ipc');
  process.on('uncaughtException', (err) => process.stderr.write(`karpenter-ts lsp: unexpected error: ${err.stack ?? String(err)}\n`));
  process.on('unhandledRejection', (err) => process.stderr.write(`karpenter-ts lsp: unexpected error: ${(err as Error).stack ?? String(err)}\n`));
  const connection = ipc
    ? createConnection(ProposedFeatures.all, new IPCMessageReader(process), new IPCMessageWriter(process))
    : createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  startServer(connection);
}
