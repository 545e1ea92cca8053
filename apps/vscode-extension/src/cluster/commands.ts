/** Cluster commands and the connection status-bar item: switch context, reconnect, plain state. */
import * as vscode from 'vscode';
import type { Disposable, Host } from '../host.js';
import type { ClusterSessionPort } from './session-port.js';

/** Shows the session state in the status bar (`$(cloud) kind-local` / `$(debug-disconnect) …`). */
export function connectionStatus(session: ClusterSessionPort, host: Host): Disposable & { update(): void } {
  const item = host.createStatusItem('karpenterTs.cluster', 10);
  let lastError: string | undefined;
  const update = (): void => {
    const s = session.state;
    if (s.kind === 'connected') item.show(`$(cloud) ${s.context}`, s.message, 'karpenterTs.switchContext');
    else if (s.kind === 'connecting') item.show(`$(sync~spin) ${s.context}`, s.message, 'karpenterTs.switchContext');
    else if (s.kind === 'idle') item.show('$(sync~spin) cluster', s.message, 'karpenterTs.switchContext');
    else item.show('$(debug-disconnect) no cluster', s.message, 'karpenterTs.switchContext');
    // Tell a person once per distinct error, not on every retry.
    if (s.kind === 'error' && s.message !== lastError) host.notify('warning', `Karpenter: ${s.message}`);
    lastError = s.kind === 'error' ? s.message : undefined;
  };
  update();
  return { update, dispose: () => item.dispose() };
}

export function registerClusterCommands(session: ClusterSessionPort, host: Host): Disposable {
  const subscriptions = [
    vscode.commands.registerCommand('karpenterTs.switchContext', async (name?: string) => {
      let context = typeof name === 'string' ? name : undefined;
      if (!context) {
        const contexts = session.contexts;
        if (contexts.length === 0) {
          host.notify('warning', session.state.message);
          return;
        }
        const current = session.state.kind === 'connected' || session.state.kind === 'connecting' ? session.state.context : undefined;
        const picked = await host.pick(contexts.map((c) => ({ label: c, ...(c === current ? { description: 'current' } : {}) })), 'Cluster context for the Karpenter views');
        context = picked?.label;
      }
      if (context) await session.connect(context);
    }),
    vscode.commands.registerCommand('karpenterTs.reconnect', async () => {
      const s = session.state;
      await session.connect(s.kind === 'idle' ? undefined : s.context);
    }),
  ];
  return { dispose: () => subscriptions.forEach((s) => s.dispose()) };
}
