/**
 * The "Preview Packing" webview: the packing + cost preview of the NodePool(s) in the active editor, re-run
 * (debounced) on every edit and when the cluster changes, with a status-bar item showing the previewed $/h.
 */
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ClusterSessionPort } from '../cluster/session-port.js';
import { debounce, type Disposable, type Host } from '../host.js';
import { newNonce, previewHtml } from './html.js';
import type { FromWebview, ToWebview } from './protocol.js';

/** The simulation and the zod protocol, loaded on the first open (see engine.ts). */
type Engine = typeof import('./engine.js');

export const PREVIEW_VIEW_TYPE = 'karpenterTs.preview';

type Rendered = Extract<FromWebview, { type: 'rendered' }>;

/** What tests and other extensions can ask of the preview (exposed through the extension's exports). */
export interface PreviewApi {
  /** Sends `ping` to the page and resolves with the id the page echoed. */
  ping(): Promise<number>;
  /** Resolves with the next `rendered` report of the page (or the last one when `fresh` is false and one exists). */
  rendered(fresh?: boolean): Promise<Rendered>;
  isOpen(): boolean;
}

export function registerPreview(context: vscode.ExtensionContext, session: ClusterSessionPort, host: Host): Disposable & PreviewApi & { clusterChanged(): void } {
  const mediaRoot = vscode.Uri.joinPath(context.extensionUri, 'media');
  let panel: vscode.WebviewPanel | undefined;
  let target: vscode.TextDocument | undefined;
  let scenarioPath: string | undefined;
  let ready = false;
  let queued: ToWebview | undefined;
  let lastRendered: Rendered | undefined;
  const renderWaiters: ((r: Rendered) => void)[] = [];
  const pongWaiters = new Map<number, (id: number) => void>();
  let nextPing = 1;
  const status = host.createStatusItem('karpenterTs.preview', 9);
  let engine: Engine | undefined;

  const post = (message: ToWebview): void => {
    if (!engine) return;
    const checked = engine.toWebviewSchema.parse(message);
    if (panel && ready) void panel.webview.postMessage(checked);
    else queued = checked;
  };

  const refresh = (): void => {
    if (!panel || !target || !engine) return;
    const { computePreview, catalogFromFile, formatPriceDifference, formatPricePerHour } = engine;
    let scenario: { name: string; text: string } | undefined;
    if (scenarioPath) {
      try {
        scenario = { name: scenarioPath, text: readFileSync(scenarioPath, 'utf8') };
      } catch {
        post({ type: 'notice', text: `The scenario file ${scenarioPath} cannot be read any more; choose another one.` });
        return;
      }
    }
    const state = session.state;
    const cluster = state.kind === 'connected' ? { context: state.context, ...session.objects() } : undefined;
    const catalogFile = host.setting<string>('catalogFile', '');
    const instanceTypes = catalogFile ? catalogFromFile(catalogFile) : undefined;
    const outcome = computePreview({
      document: { name: target.uri.path, text: target.getText() },
      ...(scenario ? { scenario } : {}),
      ...(cluster ? { cluster } : {}),
      ...(instanceTypes ? { instanceTypes } : {}),
    });
    if (!outcome.ok) {
      post({ type: 'notice', text: outcome.message });
      status.show('$(server-process) preview: —', outcome.message, 'karpenterTs.previewPacking');
      return;
    }
    post({ type: 'render', model: outcome.model });
    const m = outcome.model;
    const diff = m.pricePerHourDifference !== undefined ? ` (${formatPriceDifference(m.pricePerHourDifference)})` : '';
    status.show(`$(server-process) ${formatPricePerHour(m.asEdited.totalPricePerHour)}${diff}`, `Packing preview of ${m.editedNames.join(', ')}: ${m.asEdited.nodeClaims.length} NodeClaims for ${m.podSource}`, 'karpenterTs.previewPacking');
  };
  const debounced = debounce(refresh, host.setting<number>('previewDebounceMs', 300));

  const onMessage = (raw: unknown): void => {
    if (!engine) return;
    const parsed = engine.fromWebviewSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'ready') {
      ready = true;
      if (queued) {
        void panel?.webview.postMessage(queued);
        queued = undefined;
      }
    } else if (message.type === 'rendered') {
      lastRendered = message;
      for (const w of renderWaiters.splice(0)) w(message);
    } else {
      pongWaiters.get(message.id)?.(message.id);
      pongWaiters.delete(message.id);
    }
  };

  const open = async (document: vscode.TextDocument): Promise<void> => {
    engine ??= await import('./engine.js');
    target = document;
    if (!panel) {
      panel = vscode.window.createWebviewPanel(PREVIEW_VIEW_TYPE, 'Preview Packing', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [mediaRoot], retainContextWhenHidden: true });
      ready = false;
      const webview = panel.webview;
      webview.html = previewHtml({
        cspSource: webview.cspSource,
        nonce: newNonce(),
        scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'dist', 'preview.js')).toString(),
        styleUri: webview.asWebviewUri(vscode.Uri.joinPath(mediaRoot, 'preview.css')).toString(),
      });
      webview.onDidReceiveMessage(onMessage);
      panel.onDidDispose(() => {
        panel = undefined;
        ready = false;
        status.hide();
      });
    }
    panel.title = `Preview Packing: ${document.uri.path.split('/').pop() ?? ''}`;
    refresh();
  };

  const subscriptions: vscode.Disposable[] = [
    vscode.commands.registerCommand('karpenterTs.previewPacking', async (uri?: vscode.Uri) => {
      const document = uri instanceof vscode.Uri ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : vscode.window.activeTextEditor?.document;
      if (!document || document.languageId !== 'yaml') {
        host.notify('info', 'Open a YAML file with a NodePool (or Provisioner) to preview its packing.');
        return;
      }
      await open(document);
    }),
    vscode.commands.registerCommand('karpenterTs.choosePreviewScenario', async (path?: string) => {
      let chosen = typeof path === 'string' ? path : undefined;
      if (!chosen) {
        const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Scenario YAML': ['yaml', 'yml'] }, openLabel: 'Use these pods' });
        chosen = picked?.[0]?.fsPath;
      }
      if (!chosen) return;
      scenarioPath = chosen;
      refresh();
    }),
    vscode.commands.registerCommand('karpenterTs.previewFromCluster', () => {
      scenarioPath = undefined;
      refresh();
    }),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (panel && e.document === target) debounced.trigger();
    }),
    vscode.window.onDidChangeActiveTextEditor((editor) => {
      if (panel && editor && editor.document.languageId === 'yaml' && editor.document !== target) void open(editor.document);
    }),
  ];

  return {
    clusterChanged: () => {
      if (panel && !scenarioPath) debounced.trigger();
    },
    isOpen: () => panel !== undefined,
    ping: () =>
      new Promise<number>((resolve) => {
        const id = nextPing++;
        pongWaiters.set(id, resolve);
        post({ type: 'ping', id });
      }),
    rendered: (fresh = true) => (!fresh && lastRendered ? Promise.resolve(lastRendered) : new Promise<Rendered>((resolve) => renderWaiters.push(resolve))),
    dispose: () => {
      debounced.dispose();
      subscriptions.forEach((s) => s.dispose());
      panel?.dispose();
      status.dispose();
    },
  };
}
