/**
 * Tells the language server which EC2NodeClasses the connected cluster has (`karpenterTs/clusterNodeClasses`), so a
 * NodePool's `nodeClassRef` that names one only the cluster holds is not flagged, and one that exists nowhere is.
 * Sends on connect, on every change of the names, and `names: null` when the connection is lost; never the same
 * twice in a row.
 */
import type { ClusterNodeClassesParams } from '@karpenter-ts/language-server/protocol';
import type { ClusterSessionPort } from './session-port.js';

/** What to send for the session's current state. */
export function clusterNodeClassesParams(session: Pick<ClusterSessionPort, 'state' | 'ec2NodeClassNames'>): ClusterNodeClassesParams {
  const state = session.state;
  const names = session.ec2NodeClassNames();
  if (state.kind !== 'connected' || names === undefined) return { names: null };
  return { context: state.context, names: [...names].sort() };
}

/** Sends the params when they change; until `attach`, only remembers them (the language client starts after activation). */
export class NodeClassSync {
  private send: ((params: ClusterNodeClassesParams) => Promise<void>) | undefined;
  private lastSent: string | undefined;

  constructor(private readonly session: Pick<ClusterSessionPort, 'state' | 'ec2NodeClassNames'>, private readonly onError: (err: unknown) => void = () => undefined) {}

  /** Starts sending through `send` (the language client's `sendNotification`), beginning with the current params. */
  attach(send: (params: ClusterNodeClassesParams) => Promise<void>): void {
    this.send = send;
    this.lastSent = undefined;
    this.update();
  }

  /** Call on every change of the session. */
  update(): void {
    if (!this.send) return;
    const params = clusterNodeClassesParams(this.session);
    const key = JSON.stringify(params);
    // Nothing known yet and nothing to retract: no message.
    if (key === this.lastSent || (this.lastSent === undefined && params.names === null)) return;
    this.lastSent = key;
    this.send(params).catch((err: unknown) => {
      this.lastSent = undefined;
      this.onError(err);
    });
  }
}
