/**
 * Starts the karpenter-ts language server (bundled as dist/server.cjs) over Node IPC and connects VS Code to it:
 * diagnostics, completions, hovers, code lenses and quick fixes for Karpenter YAML all come from the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Disposable, Host } from './host.js';

/** `onRunning` is called once the server answered `initialize` (the client can send notifications then). */
export function startLanguageClient(context: vscode.ExtensionContext, host: Host, onRunning: (client: LanguageClient) => void = () => undefined): Disposable & { client: LanguageClient } {
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc },
  };
  const catalogFile = host.setting<string>('catalogFile', '');
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    // Code links point at the rule docs shipped in the extension (dist/rules.md), not at a repository checkout.
    initializationOptions: { rulesDocUrl: vscode.Uri.file(context.asAbsolutePath('dist/rules.md')).toString(), ...(catalogFile ? { catalogFile } : {}) },
    synchronize: { configurationSection: 'karpenterTs' },
  };
  const client = new LanguageClient('karpenterTs', 'Karpenter', serverOptions, clientOptions);
  client.start().then(() => onRunning(client), (err: unknown) => {
    host.notify('error', `The Karpenter language server did not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
  });
  return {
    client,
    dispose: () => {
      void client.stop().catch(() => undefined);
    },
  };
}
