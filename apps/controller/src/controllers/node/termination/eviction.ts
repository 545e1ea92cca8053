import type { Pod } from '@karpenter-ts/provisioner-domain';
import type { Logger } from 'pino';
import type { Metrics } from '../../../http/metrics.js';
import type { KubeClient } from '../../../kube/client.js';
import type { Clock } from '../../../kube/clock.js';
import { KubeApiError, isNotFound, isTooManyRequests } from '../../../kube/errors.js';
import type { EventRecorder } from '../../../kube/events.js';
import { resources } from '../../../kube/resources.js';
import { WorkQueue } from '../../../kube/workqueue.js';
import { ref } from '../../../log.js';
import type { BackoffOptions } from '../../../kube/backoff.js';

export interface EvictionQueueOptions {
  client: KubeClient;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
  events?: EventRecorder;
  /** Retry pacing per pod. Default 100 ms doubling to 10 s (Karpenter's eviction queue). */
  backoff?: BackoffOptions;
  /** Called after a pod was evicted or found gone (so the node's drain can be re-checked at once). */
  onSettled?: (pod: Pod) => void;
}

/** A pod waiting for eviction: its identity, so that a replacement with the same name is never evicted. */
interface Pending {
  pod: Pod;
}

/**
 * Karpenter's eviction queue: one policy/v1 Eviction per pod, retried with per-pod exponential backoff until
 * the API server accepts it. A 429 (a PodDisruptionBudget does not allow the disruption now) is retried,
 * never bypassed by a plain delete; a 404 means the pod is already gone. The Eviction carries a uid
 * precondition so a new pod that reuses the name is left alone.
 */
export class EvictionQueue {
  private readonly queue: WorkQueue<string>;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: EvictionQueueOptions) {
    this.queue = new WorkQueue<string>({ clock: options.clock, backoff: { baseMs: 100, maxMs: 10_000, ...options.backoff } });
  }

  /** Queues `pods` for eviction (a pod already queued is not queued twice). */
  add(...pods: Pod[]): void {
    for (const pod of pods) {
      const key = `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
      this.pending.set(key, { pod });
      this.queue.add(key);
    }
  }

  /** True while `pod` waits for eviction. */
  has(pod: Pod): boolean {
    return this.pending.has(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Processes evictions until `signal` aborts. */
  async run(signal: AbortSignal, concurrency = 10): Promise<void> {
    signal.addEventListener('abort', () => this.queue.shutdown(), { once: true });
    await this.queue.run(
      async (key) => {
        const entry = this.pending.get(key);
        if (!entry) return;
        if (await this.evict(entry.pod)) {
          this.pending.delete(key);
          this.queue.forget(key);
          this.options.onSettled?.(entry.pod);
        } else {
          this.queue.addRateLimited(key);
        }
      },
      concurrency,
      (key, error) => this.options.log.error({ err: error, Pod: key }, 'eviction failed'),
    );
  }

  /** One eviction attempt: true when done (evicted or gone), false to retry later. */
  private async evict(pod: Pod): Promise<boolean> {
    const { client, log, metrics, events } = this.options;
    const { name = '', namespace = '' } = pod.metadata;
    try {
      await client.create(
        resources.pods,
        {
          apiVersion: 'policy/v1',
          kind: 'Eviction',
          metadata: { name, namespace },
          ...(pod.metadata.uid ? { deleteOptions: { preconditions: { uid: pod.metadata.uid } } } : {}),
        } as { metadata: { name: string; namespace: string } },
        { namespace, name, subresource: 'eviction' },
      );
      metrics?.evictionRequests.inc({ code: '200' });
      log.info({ Pod: { name, namespace } }, 'evicted pod');
      events?.publish({ regarding: { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata }, type: 'Normal', reason: 'Evicted', message: 'Evicted pod: the node is being terminated' });
      return true;
    } catch (error) {
      const code = error instanceof KubeApiError ? String(error.statusCode) : 'error';
      metrics?.evictionRequests.inc({ code });
      if (isNotFound(error)) return true;
      if (error instanceof KubeApiError && error.statusCode === 409) return true; // uid precondition: a different pod now
      if (isTooManyRequests(error)) {
        log.debug({ Pod: { name, namespace }, error: (error as Error).message }, 'eviction refused by a PodDisruptionBudget, retrying');
        events?.publish({
          regarding: { apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata },
          type: 'Warning',
          reason: 'FailedDraining',
          message: `Evicting pod violates a PDB: ${(error as Error).message}`,
        });
        return false;
      }
      log.error({ err: error, Pod: ref(`${namespace}/${name}`) }, 'failed to evict pod');
      return false;
    }
  }
}
