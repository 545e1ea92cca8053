import type { Logger } from 'pino';
import type { Clock } from '../kube/clock.js';
import { isConflict } from '../kube/errors.js';
import { WorkQueue } from '../kube/workqueue.js';
import type { Controller } from './types.js';

/** A controller with what feeds its queue. */
export interface Registration {
  controller: Controller;
  /** Subscribes to the events that make keys dirty; returns an unsubscribe function. */
  watch(enqueue: (key: string) => void): () => void;
  /** Workers for this controller's queue. Default the context's reconcileConcurrency. */
  concurrency?: number;
  /** Keys to enqueue every `periodMs` (a resync), e.g. every NodeClaim for the disruption check. */
  resync?: { periodMs: number; keys: () => string[] };
}

export interface ManagerOptions {
  log: Logger;
  clock: Clock;
  defaultConcurrency: number;
  /** Called after every reconcile with its outcome (for metrics). */
  onReconcile?: (controller: string, outcome: 'success' | 'error' | 'requeue', durationMs: number) => void;
}

/**
 * Runs registered controllers: one WorkQueue each, fed by its `watch`, drained by its workers until `signal`
 * aborts. A reconcile's `requeueAfterMs` re-adds the key after that delay; a thrown error re-adds it with
 * per-key exponential backoff and is logged with the controller's name.
 */
export async function runControllers(registrations: readonly Registration[], options: ManagerOptions, signal: AbortSignal): Promise<void> {
  const runs = registrations.map(async (registration) => {
    const { controller } = registration;
    const log = options.log.child({ controller: controller.name });
    const queue = new WorkQueue({ clock: options.clock });
    const unsubscribe = registration.watch((key) => queue.add(key));
    let cancelResync: (() => void) | undefined;
    if (registration.resync) {
      const { periodMs, keys } = registration.resync;
      const tick = (): void => {
        for (const key of keys()) queue.add(key);
        cancelResync = options.clock.setTimer(tick, periodMs);
      };
      cancelResync = options.clock.setTimer(tick, periodMs);
    }
    const onAbort = (): void => {
      unsubscribe();
      cancelResync?.();
      queue.shutdown();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    await queue.run(
      async (key) => {
        const started = options.clock.now();
        const result = await controller.reconcile(key);
        const durationMs = options.clock.now() - started;
        if (result?.requeueAfterMs !== undefined) {
          queue.addAfter(key, result.requeueAfterMs);
          options.onReconcile?.(controller.name, 'requeue', durationMs);
        } else {
          options.onReconcile?.(controller.name, 'success', durationMs);
        }
        queue.forget(key);
      },
      registration.concurrency ?? options.defaultConcurrency,
      (key, error) => {
        options.onReconcile?.(controller.name, 'error', 0);
        const retries = queue.retries(key);
        const line = { err: error, key, retries };
        // Optimistic-concurrency conflicts are expected (a cache one write behind); they retry quietly. So do
        // reconciles cut short by the end of the leadership term (their calls are refused on purpose).
        if (signal.aborted || (isConflict(error) && retries < 5)) log.debug(line, 'reconciler error');
        else log.error(line, 'reconciler error');
      },
    );
  });
  await Promise.all(runs);
}
