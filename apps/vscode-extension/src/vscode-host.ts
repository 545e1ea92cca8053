/** The `Host` seam over the real `vscode` API. */
import * as vscode from 'vscode';
import type { Host, QuickPickItem, StatusItem } from './host.js';

export function vscodeHost(): Host {
  return {
    notify(kind, message) {
      if (kind === 'error') void vscode.window.showErrorMessage(message);
      else if (kind === 'warning') void vscode.window.showWarningMessage(message);
      else void vscode.window.showInformationMessage(message);
    },
    writeClipboard: async (text) => vscode.env.clipboard.writeText(text),
    pick: async (items, placeholder) => (await vscode.window.showQuickPick(items.map((i) => ({ ...i })), { placeHolder: placeholder })) as QuickPickItem | undefined,
    createStatusItem(id, priority): StatusItem {
      const item = vscode.window.createStatusBarItem(id, vscode.StatusBarAlignment.Left, priority);
      return {
        show(text, tooltip, command) {
          item.text = text;
          item.tooltip = tooltip;
          item.command = command;
          item.show();
        },
        hide: () => item.hide(),
        dispose: () => item.dispose(),
      };
    },
    setting: <T>(key: string, fallback: T): T => vscode.workspace.getConfiguration('karpenterTs').get<T>(key, fallback),
  };
}
