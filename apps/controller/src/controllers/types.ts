import type { CloudProvider } from '@karpenter-ts/provisioner-domain';
import type { Logger } from 'pino';
import type { NodeClassSupport } from '../cloudprovider/nodeclass.js';
import type { Metrics } from '../http/metrics.js';
import type { KubeClient } from '../kube/client.js';
import type { Clock } from '../kube/clock.js';
import type { Options } from '../options.js';
import type { ClusterState } from '../state/cluster.js';
import type { EventRecorder } from '../kube/events.js';

/** What a reconcile asks of its queue: nothing (done until the next event) or another look after a delay. */
export interface ReconcileResult {
  /** Reconcile this key again after this many milliseconds. */
  requeueAfterMs?: number;
}

/**
 * One controller concern, as Karpenter's `controllers/<resource>/<concern>`: a `name` used in logs and
 * metrics (`nodeclaim.lifecycle`) and a `reconcile` that reads the latest state for `key` from the cluster
 * state and converges it. Thrown errors are retried with per-key backoff.
 */
export interface Controller {
  readonly name: string;
  reconcile(key: string): Promise<ReconcileResult | void>;
}

/** Everything a controller may use. Built once in main.ts (or by a test with fakes). */
export interface ControllerContext {
  client: KubeClient;
  state: ClusterState;
  cloudProvider: CloudProvider;
  /** The node class kinds the cloud provider manages and how it judges one ready (nodepool.readiness). */
  nodeClasses: NodeClassSupport;
  log: Logger;
  clock: Clock;
  metrics: Metrics;
  options: Options;
  events: EventRecorder;
  /**
   * Aborts when this process's leadership term ends (lost lease or shutdown). Long waits should listen to it;
   * the client and cloud provider in this context already refuse calls made after it aborts.
   */
  signal?: AbortSignal;
}
