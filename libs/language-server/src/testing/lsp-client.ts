/**
 * A real LSP client for tests: spawns the server process (`node bin/karpenter-ts-lsp.mjs --stdio` by default, or any
 * command) and talks JSON-RPC to it over the child's stdin/stdout with `vscode-languageserver-protocol`. Collects
 * published diagnostics; `waitForDiagnostics` waits on a condition, never a fixed sleep.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  createProtocolConnection,
  CodeActionRequest,
  CodeLensRequest,
  CompletionRequest,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  ConfigurationRequest,
  ShowMessageNotification,
  DidChangeConfigurationNotification,
  type CodeAction,
  type CodeLens,
  type Command,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type ProtocolConnection,
  type Range,
} from 'vscode-languageserver/node';

/** The package root (for the bin entry and fixtures). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The language server's stdio entry. */
export const SERVER_BIN = path.join(PACKAGE_ROOT, 'bin/karpenter-ts-lsp.mjs');

/** Options of `startClient`. */
export interface StartClientOptions {
  /** Command and arguments; default `node bin/karpenter-ts-lsp.mjs --stdio`. */
  command?: string[];
  initializationOptions?: unknown;
  /** What `workspace/configuration` answers for `karpenterTs` (the client then declares configuration support). */
  configuration?: unknown;
  workspaceFolder?: string;
  /** Declare `workspace.workspaceEdit` with document changes and the `create` resource operation (as VS Code does). Default true. */
  createFiles?: boolean;
}

/** A started client. */
export interface LspClient {
  initializeResult: InitializeResult;
  stderr(): string;
  open(uri: string, text: string, version?: number): Promise<void>;
  change(uri: string, text: string, version: number): Promise<void>;
  /** Resolves with the diagnostics of `uri` once `predicate` holds for the latest published set (rejects after `timeoutMs`). */
  waitForDiagnostics(uri: string, predicate: (d: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** Every diagnostics set published for `uri`, in order. */
  published(uri: string): { version?: number; diagnostics: Diagnostic[] }[];
  completion(uri: string, line: number, character: number): Promise<CompletionItem[]>;
  hover(uri: string, line: number, character: number): Promise<Hover | null>;
  codeLens(uri: string): Promise<CodeLens[]>;
  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[]>;
  /** Sends shutdown + exit and waits for the process to end; returns its exit code. */
  stop(): Promise<number | null>;
  /** Messages the server showed (`window/showMessage`). */
  shownMessages(): string[];
  /** Sends `workspace/didChangeConfiguration` with these settings. */
  configure(settings: unknown): Promise<void>;
  /** Sends a notification (e.g. the server's own `karpenterTs/clusterNodeClasses`). */
  notify(method: string, params: unknown): Promise<void>;
  /** True while the server process runs. */
  alive(): boolean;
}

/** Spawns the server and completes the initialize handshake. */
export async function startClient(options: StartClientOptions = {}): Promise<LspClient> {
  const [cmd, ...args] = options.command ?? [process.execPath, SERVER_BIN, '--stdio'];
  const child: ChildProcessWithoutNullStreams = spawn(cmd!, args, { cwd: PACKAGE_ROOT, stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => ((exited = true), resolve(code))));
  const connection: ProtocolConnection = createProtocolConnection(child.stdout, child.stdin);
  const diagnostics = new Map<string, { version?: number; diagnostics: Diagnostic[] }[]>();
  const waiters = new Set<() => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
    const list = diagnostics.get(p.uri) ?? [];
    list.push({ ...(p.version !== undefined ? { version: p.version } : {}), diagnostics: p.diagnostics });
    diagnostics.set(p.uri, list);
    for (const w of [...waiters]) w();
  });
  connection.onRequest(ConfigurationRequest.type, (p) => p.items.map(() => options.configuration ?? null));
  const shown: string[] = [];
  connection.onNotification(ShowMessageNotification.type, (p) => void shown.push(p.message));
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();

  const initializeResult = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: options.configuration !== undefined, ...(options.createFiles !== false ? { workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } : {}) },
      textDocument: { publishDiagnostics: { versionSupport: true } },
    },
    initializationOptions: options.initializationOptions,
    workspaceFolders: options.workspaceFolder ? [{ uri: `file://${options.workspaceFolder}`, name: 'ws' }] : null,
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const items = (r: CompletionItem[] | CompletionList | null) => (r === null ? [] : Array.isArray(r) ? r : r.items);
  return {
    initializeResult,
    stderr: () => stderr,
    alive: () => !exited,
    notify: (method, params) => connection.sendNotification(method, params),
    shownMessages: () => [...shown],
    configure: (settings) => connection.sendNotification(DidChangeConfigurationNotification.type, { settings }),
    open: (uri, text, version = 1) => connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version, text } }),
    change: (uri, text, version) => connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] }),
    published: (uri) => diagnostics.get(uri) ?? [],
    waitForDiagnostics: (uri, predicate, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const latest = diagnostics.get(uri)?.at(-1);
          if (latest && predicate(latest.diagnostics)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(latest.diagnostics);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(diagnostics.get(uri)?.at(-1) ?? null)}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    completion: async (uri, line, character) => items(await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } })),
    hover: (uri, line, character) => connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }),
    codeLens: async (uri) => (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [],
    codeActions: async (uri, range, diags) => (await connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics: diags } })) ?? [],
    stop: async () => {
      if (!exited) {
        try {
          await connection.sendRequest(ShutdownRequest.type);
          await connection.sendNotification(ExitNotification.type);
        } catch {
          child.kill();
        }
      }
      const code = await exit;
      connection.dispose();
      return code;
    },
  };
}
