/**
 * `startServer(connection)`: the Karpenter language server on any `vscode-languageserver` connection (stdio, IPC, or
 * in-process streams). Wires documents, settings, the catalog, the workspace's EC2NodeClass names and the features
 * (diagnostics, completions, hovers, code lenses, code actions). Every handler catches its own failures: a bug in
 * one feature answers empty and is logged, never crashes the server.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocuments, TextDocumentSyncKind, CodeActionKind, MessageType, ShowMessageNotification, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { InstanceType } from '@karpenter-ts/provisioner-domain';
import { nodeClassNamesOf, type AnalysisContext } from './analysis.js';
import { controllerCatalogLoad, defaultCatalogLoad, loadCatalogFile, type CatalogLoad } from './catalog-source.js';
import { toDiagnostic } from './diagnostics.js';
import { DocumentAnalyses } from './document-analyses.js';
import { provideCodeActions } from './features/code-actions.js';
import { provideCodeLenses } from './features/code-lens.js';
import { provideCompletions } from './features/completion.js';
import { provideHover } from './features/hover.js';
import { CLUSTER_NODE_CLASSES_NOTIFICATION, CONTROLLER_CATALOG_NOTIFICATION, parseClusterNodeClassesParams, safeParseControllerCatalogParams } from './protocol.js';
import { readSettings, type ServerSettings } from './settings.js';
import { NodeClassIndex, nodeClassNamesIn } from './workspace-index.js';

/** Options of `startServer`. */
export interface StartServerOptions {
  /** Skip the disk scan of workspace folders (tests of in-memory documents). Default false. */
  scanWorkspace?: boolean;
}

/** The server's name and version, as reported in `initialize`. */
export const SERVER_INFO = { name: 'karpenter-ts language server', version: '0.1.0' } as const;

/**
 * A file URI next to `uri` that neither exists on disk nor is open: `pools.yaml` → `pools.v1.yaml`, then
 * `pools.v1-2.yaml`, … (up to 99). Undefined for non-file URIs (untitled documents have no folder).
 */
export function newFileUri(uri: string, isOpen: (uri: string) => boolean = () => false): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  let file: string;
  try {
    file = fileURLToPath(uri);
  } catch {
    return undefined;
  }
  const ext = /\.ya?ml$/i.exec(file)?.[0] ?? '.yaml';
  const stem = file.slice(0, file.length - (/\.ya?ml$/i.test(file) ? ext.length : 0));
  for (let n = 1; n < 100; n++) {
    const candidate = `${stem}.v1${n === 1 ? '' : `-${n}`}${ext}`;
    const candidateUri = pathToFileURL(candidate).href;
    if (!existsSync(candidate) && !isOpen(candidateUri)) return candidateUri;
  }
  return undefined;
}

/** Starts serving on `connection` and calls `connection.listen()`. Returns once listening. */
export function startServer(connection: Connection, options: StartServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const nodeClasses = new NodeClassIndex();
  let settings: ServerSettings = readSettings(undefined);
  const defaultLoad = defaultCatalogLoad();
  let catalog: readonly InstanceType[] = defaultLoad.instanceTypes;
  let catalogSource = defaultLoad.source;
  // The sources, in precedence order: an explicit catalog file > the connected controller's > the simulated default.
  let fileCatalog: (CatalogLoad & { ok: true }) | undefined;
  let controllerCatalog: (CatalogLoad & { ok: true }) | undefined;
  let supportsConfiguration = false;
  let supportsCreateFile = false;
  let workspaceScanned = false;

  let clusterNodeClasses: { context: string; names: ReadonlySet<string> } | undefined;

  const log = (message: string) => connection.console.log(message);
  const nodeClassContext = (uri: string): Pick<AnalysisContext, 'nodeClassNames' | 'nodeClassScope'> => {
    if (!workspaceScanned && !clusterNodeClasses) return {};
    const names = nodeClasses.names(uri);
    if (!clusterNodeClasses) return { nodeClassNames: names };
    for (const n of clusterNodeClasses.names) names.add(n);
    const cluster = `the cluster of context "${clusterNodeClasses.context}"`;
    return { nodeClassNames: names, nodeClassScope: workspaceScanned ? `the workspace or ${cluster}` : `the open files or ${cluster}` };
  };
  const analyses = new DocumentAnalyses({
    // Only once the workspace was scanned do its names decide; before (or without a workspace folder), the domain's
    // file-only check applies, so a NodePool whose EC2NodeClass lives elsewhere is not flagged on a guess.
    // The cluster's names (sent by a client connected to one) count too, from the moment they arrive.
    context: (doc) => ({ catalog, catalogName: catalogSource, ...nodeClassContext(doc.uri) }),
    debounceMs: () => settings.debounceMs,
    publish: (r) => void connection.sendDiagnostics({ uri: r.uri, version: r.version, diagnostics: r.issues.map((i) => toDiagnostic(i, settings.rulesDocUrl)) }),
    onError: (uri, err) => log(`analysis of ${uri} failed: ${(err as Error).stack ?? String(err)}`),
    // A change of the workspace's EC2NodeClass names re-checks the other open documents' nodeClassRefs. Done after the
    // debounced run, from the documents it validated (no second parse), not on every keystroke.
    afterRun: (result) => {
      const doc = documents.get(result.uri);
      const names = result.kind === 'too-large' && doc ? nodeClassNamesIn(doc.getText()) : nodeClassNamesOf(result);
      if (!nodeClasses.set(result.uri, names)) return;
      for (const d of documents.all()) if (d.uri !== result.uri) analyses.schedule(d, () => documents.get(d.uri));
    },
  });
  const reanalyzeAll = () => {
    for (const d of documents.all()) analyses.schedule(d, () => documents.get(d.uri));
  };

  const warn = (message: string) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `karpenter-ts: ${message}` });
  /** Makes the highest-precedence loaded source active; re-checks the open documents when it changed. */
  const activateCatalog = () => {
    const active = fileCatalog ?? controllerCatalog ?? defaultLoad;
    if (active.instanceTypes === catalog && active.source === catalogSource) return;
    ({ instanceTypes: catalog, source: catalogSource } = active);
    log(`catalog: ${catalogSource} (${catalog.length} instance types)`);
    reanalyzeAll();
  };
  /** What the catalog falls back to when a source fails, for the warning. */
  const fallbackName = () => (controllerCatalog ?? defaultLoad).source;

  const applySettings = async (raw: unknown) => {
    const next = readSettings(raw, settings);
    const catalogChanged = next.catalogFile !== settings.catalogFile;
    settings = next;
    if (!catalogChanged) return;
    fileCatalog = undefined;
    if (settings.catalogFile !== undefined) {
      const loaded = await loadCatalogFile(settings.catalogFile);
      if (loaded.ok) fileCatalog = loaded;
      else warn(`${loaded.message}. Using ${fallbackName()}.`);
    }
    activateCatalog();
  };

  const pullConfiguration = async () => {
    if (!supportsConfiguration) return;
    try {
      await applySettings(await connection.workspace.getConfiguration('karpenterTs'));
    } catch (err) {
      log(`cannot read the karpenterTs settings: ${(err as Error).message}`);
    }
  };

  let workspaceRoots: string[] = [];
  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    supportsConfiguration = params.capabilities.workspace?.configuration === true;
    const workspaceEdit = params.capabilities.workspace?.workspaceEdit;
    supportsCreateFile = workspaceEdit?.documentChanges === true && (workspaceEdit.resourceOperations ?? []).includes('create');
    workspaceRoots = (params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []).filter((u) => u.startsWith('file:')).map((u) => fileURLToPath(u));
    await applySettings(params.initializationOptions);
    return {
      serverInfo: SERVER_INFO,
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [':', ' ', '-', '"', "'", '/'], resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
    };
  });

  connection.onInitialized(() => {
    void pullConfiguration();
    if (options.scanWorkspace === false) return;
    void (async () => {
      for (const root of workspaceRoots) await nodeClasses.scan(root, (file) => pathToFileURL(path.resolve(file)).href);
      // Open documents win over what the scan read from disk.
      for (const d of documents.all()) nodeClasses.set(d.uri, nodeClassNamesIn(d.getText()));
      workspaceScanned = workspaceRoots.length > 0;
      reanalyzeAll();
    })().catch((err: unknown) => log(`workspace scan failed: ${(err as Error).message}`));
  });

  connection.onNotification(CLUSTER_NODE_CLASSES_NOTIFICATION, (raw: unknown) => {
    const params = parseClusterNodeClassesParams(raw);
    if (!params) return log(`ignored a malformed ${CLUSTER_NODE_CLASSES_NOTIFICATION} notification`);
    clusterNodeClasses = params.names === null ? undefined : { context: params.context, names: new Set(params.names) };
    log(params.names === null ? 'cluster EC2NodeClasses: no cluster' : `cluster EC2NodeClasses of context "${params.context}": ${params.names.length}`);
    reanalyzeAll();
  });

  connection.onNotification(CONTROLLER_CATALOG_NOTIFICATION, (raw: unknown) => {
    const parsed = safeParseControllerCatalogParams(raw);
    if (!parsed.ok) return log(`ignored a malformed ${CONTROLLER_CATALOG_NOTIFICATION} notification: ${parsed.message}`);
    const { params } = parsed;
    if (params.response === null) controllerCatalog = undefined;
    else {
      const loaded = controllerCatalogLoad(params.response, params.source);
      controllerCatalog = loaded.ok ? loaded : undefined;
      // Only worth a message when it would have been the active catalog (no catalog file set).
      if (!loaded.ok && !fileCatalog) warn(`${loaded.message}. Using ${defaultLoad.source}.`);
    }
    activateCatalog();
  });

  connection.onDidChangeConfiguration((change) => {
    if (supportsConfiguration) void pullConfiguration();
    else void applySettings(change.settings);
  });

  documents.onDidChangeContent((change) => {
    const doc = change.document;
    analyses.schedule(doc, () => documents.get(doc.uri));
  });
  documents.onDidClose((e) => {
    analyses.forget(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const guarded = <P, R>(name: string, empty: R, handler: (params: P) => R) => (params: P): R => {
    try {
      return handler(params);
    } catch (err) {
      log(`${name} failed: ${(err as Error).stack ?? String(err)}`);
      return empty;
    }
  };

  connection.onCompletion(
    guarded('completion', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? provideCompletions(doc, p.position, { catalog }) : [];
    }),
  );
  connection.onHover(
    guarded('hover', null, (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? provideHover(doc, p.position, { catalog, catalogSource }) : null;
    }),
  );
  connection.onCodeLens(
    guarded('codeLens', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      const analysis = doc && analyses.current(doc);
      return doc && analysis ? provideCodeLenses(doc, analysis, { catalog }) : [];
    }),
  );
  connection.onCodeAction(
    guarded('codeAction', [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      const analysis = doc && analyses.current(doc);
      if (!doc || !analysis) return [];
      return provideCodeActions(doc, analysis, p.range, p.context.diagnostics, supportsCreateFile ? { newFileFor: (uri) => newFileUri(uri, (u) => documents.get(u) !== undefined) } : {});
    }),
  );
  connection.onShutdown(() => analyses.dispose());

  documents.listen(connection);
  connection.listen();
}
