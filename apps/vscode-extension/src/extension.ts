/**
 * The karpenter-ts VS Code extension: a thin client. `activate()` wires modules that each return a Disposable:
 * the language client (all authoring features come from the language server), the cluster session (kubeconfig
 * context, live pods and NodePools), the "Pending Pods" view and the "Preview Packing" webview.
 * Activation stays light: the language client, `@kubernetes/client-node` and the domain's simulation are loaded
 * with `import()` right after `activate()` returns (the views and commands are registered before).
 */
import * as vscode from 'vscode';
import { CLUSTER_NODE_CLASSES_NOTIFICATION, CONTROLLER_CATALOG_NOTIFICATION } from '@karpenter-ts/language-server/protocol';
import { DEFAULT_CONTROLLER_SERVICE } from './cluster/controller-api.js';
import { catalogStatusItem, ControllerCatalogSync, type CatalogStatus } from './cluster/controller-catalog-sync.js';
import { registerClusterCommands, connectionStatus } from './cluster/commands.js';
import { kubeconfigPath } from './cluster/kubeconfig-path.js';
import { LazyClusterSession } from './cluster/lazy-session.js';
import { NodeClassSync } from './cluster/node-class-sync.js';
import type { ConnectionState } from './cluster/session-port.js';
import type { Disposable } from './host.js';
import { registerPendingPodsView } from './pending/tree-provider.js';
import type { PendingTreeNode } from './pending/tree-model.js';
import { registerPreview, type PreviewApi } from './preview/panel.js';
import { vscodeHost } from './vscode-host.js';

/** What the extension exports (`vscode.extensions.getExtension(...).exports`), used by its integration tests. */
export interface KarpenterExtensionApi {
  preview: PreviewApi;
  cluster: { state(): ConnectionState; connect(context?: string): Promise<void> };
  /** The active instance-type catalog (file, controller or simulated default) and why. */
  catalog: { status(): CatalogStatus; settled(): Promise<void> };
  pendingPods(): PendingTreeNode[];
  /** Milliseconds `activate()` took (the language server starts in the background). */
  activationMs: number;
  /** Milliseconds the bundle's top-level evaluation took (module load, before VS Code calls `activate()`). */
  moduleLoadMs: number;
}

export function activate(context: vscode.ExtensionContext): KarpenterExtensionApi {
  const started = performance.now();
  const marks = globalThis as { __karpenterTsBundleStart?: number; __karpenterTsBundleEnd?: number };
  const host = vscodeHost();
  let language: Disposable | undefined;
  let deactivated = false;
  void import('./language-client.js').then((m) => {
    if (!deactivated) {
      language = m.startLanguageClient(context, host, (client) => {
        nodeClassSync.attach((params) => client.sendNotification(CLUSTER_NODE_CLASSES_NOTIFICATION, params));
        catalogSync.attach((params) => client.sendNotification(CONTROLLER_CATALOG_NOTIFICATION, params));
      });
    }
  });
  // The view and the status item are created before the session can notify them.
  const listeners: (() => void)[] = [];
  const session = new LazyClusterSession({
    kubeconfigPath: () => kubeconfigPath(host.setting<string>('kubeconfig', '')),
    onChange: () => listeners.forEach((l) => l()),
  });
  // The cluster's EC2NodeClass names go to the language server for its nodeClassRef check.
  const nodeClassSync = new NodeClassSync(session);
  listeners.push(() => nodeClassSync.update());
  // The controller's instance types (GET /api/v1/instancetypes) become the language server's catalog.
  const catalogItem = catalogStatusItem(host);
  const catalogSync = new ControllerCatalogSync({
    session,
    settings: () => ({ url: host.setting<string>('controller.url', ''), service: host.setting<string>('controller.service', DEFAULT_CONTROLLER_SERVICE), catalogFile: host.setting<string>('catalogFile', '') }),
    onStatus: (s) => catalogItem.show(s),
    onProblem: (message) => host.notify('warning', `Karpenter: ${message} Using the simulated default catalog.`),
  });
  catalogItem.show(catalogSync.status());
  listeners.push(() => catalogSync.update());
  const status = connectionStatus(session, host);
  const pending = registerPendingPodsView(session, host);
  const preview = registerPreview(context, session, host);
  listeners.push(status.update, pending.refresh, preview.clusterChanged);
  context.subscriptions.push({ dispose: () => ((deactivated = true), language?.dispose()) }, session, status, pending, preview, catalogSync, catalogItem, registerClusterCommands(session, host), vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('karpenterTs.kubeconfig')) void session.connect();
    if (e.affectsConfiguration('karpenterTs.controller') || e.affectsConfiguration('karpenterTs.catalogFile')) catalogSync.refresh();
  }), vscode.commands.registerCommand('karpenterTs.catalogSettings', () => vscode.commands.executeCommand('workbench.action.openSettings', 'karpenterTs.c')));
  void session.connect();
  return {
    preview,
    cluster: { state: () => session.state, connect: (ctx) => session.connect(ctx) },
    catalog: { status: () => catalogSync.status(), settled: () => catalogSync.settled() },
    pendingPods: () => pending.roots(),
    activationMs: performance.now() - started,
    moduleLoadMs: (marks.__karpenterTsBundleEnd ?? started) - (marks.__karpenterTsBundleStart ?? started),
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
