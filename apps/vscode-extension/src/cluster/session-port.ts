/**
 * The cluster session as the views see it (types only, no client code), so the extension can load
 * `@kubernetes/client-node` after activation (see lazy-session.ts).
 */
import type { NodePool, Pod } from '@karpenter-ts/provisioner-domain';
import type { Disposable } from '../host.js';
import type { HttpGetOptions } from './controller-api.js';

/** How to call the connected cluster's API server as the kubeconfig user: its URL and the request's TLS + auth options. */
export interface ApiAccess {
  context: string;
  server: string;
  /** CA, client certificate and `Authorization` header (token, exec plugin or basic auth) of the context's user. */
  options: HttpGetOptions;
}

export type ConnectionState =
  | { kind: 'idle'; message: string }
  | { kind: 'connecting'; context: string; server: string; message: string }
  | { kind: 'connected'; context: string; server: string; message: string }
  | { kind: 'error'; context?: string; server?: string; message: string };

/** What the views read: every pod of the cluster and its NodePools (defaults applied), as plain JSON objects. */
export interface ClusterObjects {
  pods: Pod[];
  nodePools: NodePool[];
}

export interface ClusterSessionOptions {
  kubeconfigPath: () => string;
  /** Called (coalesced, at most every `notifyDelayMs`) when the state or the objects change. */
  onChange: () => void;
  notifyDelayMs?: number;
  /** Backoff before restarting a failed watch, doubled per failure up to 30 s, jittered ±20 %. Default 1000. */
  retryBaseMs?: number;
}

export interface ClusterSessionPort extends Disposable {
  readonly state: ConnectionState;
  /** Context names of the kubeconfig last read (for the switch-context picker). */
  readonly contexts: string[];
  /** (Re)connects to `context`, or to the kubeconfig's current context. Never rejects. */
  connect(context?: string): Promise<void>;
  /** The cluster's objects as last listed/watched; empty when not connected. */
  objects(): ClusterObjects;
  /**
   * Names of the cluster's karpenter.k8s.aws/v1 EC2NodeClasses as last listed/watched; undefined when not connected,
   * or when the cluster has no such API or the kubeconfig's user may not list it (then nobody knows them).
   */
  ec2NodeClassNames(): string[] | undefined;
  /** The API server and the kubeconfig user's credentials while connected; undefined otherwise. Never rejects. */
  apiAccess(): Promise<ApiAccess | undefined>;
}
