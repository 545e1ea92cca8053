/** The "Pending Pods" view: VS Code's tree over `pendingTreeOf`, refreshed when the cluster session changes. */
import * as vscode from 'vscode';
import type { ClusterSessionPort } from '../cluster/session-port.js';
import type { Disposable, Host } from '../host.js';
import type { PendingTreeNode } from './tree-model.js';

/** The domain-backed model, loaded after activation (it pulls the scheduling simulation). */
type TreeModel = typeof import('./tree-model.js');

export const PENDING_VIEW_ID = 'karpenterTs.pendingPods';

class PendingPodsProvider implements vscode.TreeDataProvider<PendingTreeNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  roots: PendingTreeNode[] = [];
  private model: TreeModel | undefined;
  private loading = false;

  constructor(private readonly session: ClusterSessionPort) {}

  refresh(): void {
    const state = this.session.state;
    if (state.kind === 'connected' && !this.model) {
      if (!this.loading) {
        this.loading = true;
        void import('./tree-model.js').then((model) => {
          this.model = model;
          this.refresh();
        });
      }
      return;
    }
    if (state.kind !== 'connected' || !this.model) {
      this.roots = [{ kind: 'nodePool', id: 'state', label: state.message, description: '', tooltip: state.message, children: [] }];
    } else {
      const { pods, nodePools } = this.session.objects();
      const tree = this.model.pendingTreeOf(pods, nodePools);
      this.roots = tree.length > 0 ? tree : [{ kind: 'nodePool', id: 'none', label: `No pending pods in context "${state.context}".`, description: '', tooltip: state.message, children: [] }];
    }
    this.changed.fire();
  }

  getChildren(node?: PendingTreeNode): PendingTreeNode[] {
    return node ? node.children : this.roots;
  }

  getTreeItem(node: PendingTreeNode): vscode.TreeItem {
    const state = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.kind === 'owner' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.kind === 'pod' ? 'pendingPod' : node.kind;
    if (node.kind === 'pod') item.iconPath = new vscode.ThemeIcon('clock');
    else if (node.kind === 'nodePool') item.iconPath = new vscode.ThemeIcon(node.id === 'group/none' ? 'warning' : 'server');
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the view and the "Copy Reason" command; `refresh()` re-reads the session. */
export function registerPendingPodsView(session: ClusterSessionPort, host: Host): Disposable & { refresh(): void; roots(): PendingTreeNode[] } {
  const provider = new PendingPodsProvider(session);
  const view = vscode.window.createTreeView(PENDING_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const copy = vscode.commands.registerCommand('karpenterTs.copyPendingReason', async (node?: PendingTreeNode) => {
    const target = node ?? (view.selection[0] as PendingTreeNode | undefined);
    if (!target?.reason) {
      host.notify('info', 'Select a pending pod in the Pending Pods view to copy why it waits.');
      return undefined;
    }
    await host.writeClipboard(target.reason);
    return target.reason;
  });
  provider.refresh();
  return {
    refresh: () => provider.refresh(),
    roots: () => provider.roots,
    dispose: () => {
      copy.dispose();
      view.dispose();
      provider.dispose();
    },
  };
}
