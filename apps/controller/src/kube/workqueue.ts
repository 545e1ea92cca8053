import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import { systemClock, type Clock } from './clock.js';

export interface WorkQueueOptions {
  clock?: Clock;
  /** Per-key retry pacing for `addRateLimited`. Defaults: 100 ms doubling to 60 s, 50% jitter. */
  backoff?: BackoffOptions;
}

/**
 * A work queue keyed by object, as client-go's: a key waiting in the queue is stored once however often it
 * is added; a key added while a worker processes it is queued again after that worker finishes (so the
 * handler always reads the latest state and never runs concurrently for one key). `addAfter` keeps only the
 * earliest pending timer per key; `addRateLimited` backs off per key until `forget`.
 */
export class WorkQueue<K extends string = string> {
  private readonly queue: K[] = [];
  private readonly queued = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly dirty = new Set<K>();
  private readonly timers = new Map<K, { dueMs: number; cancel: () => void }>();
  private readonly failures = new Map<K, number>();
  private waiters: (() => void)[] = [];
  private shuttingDown = false;
  private readonly clock: Clock;

  constructor(private readonly options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Queues `key` now (merged with an identical waiting key). */
  add(key: K): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.dirty.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    this.queued.add(key);
    this.queue.push(key);
    this.wake();
  }

  /** Queues `key` after `delayMs`; an earlier pending timer for the same key wins. */
  addAfter(key: K, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const dueMs = this.clock.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.dueMs <= dueMs) return;
    existing?.cancel();
    const cancel = this.clock.setTimer(() => {
      this.timers.delete(key);
      this.add(key);
    }, delayMs);
    this.timers.set(key, { dueMs, cancel });
  }

  /** Queues `key` after its next backoff delay (per-key exponential with jitter). */
  addRateLimited(key: K): number {
    const attempt = this.failures.get(key) ?? 0;
    this.failures.set(key, attempt + 1);
    const delayMs = backoffDelayMs(attempt, { baseMs: 100, maxMs: 60_000, ...this.options.backoff });
    this.addAfter(key, delayMs);
    return delayMs;
  }

  /** Clears the failure count of `key`. */
  forget(key: K): void {
    this.failures.delete(key);
  }

  /** Consecutive failures recorded for `key`. */
  retries(key: K): number {
    return this.failures.get(key) ?? 0;
  }

  /** Keys waiting (not counting delayed ones or those in progress). */
  get length(): number {
    return this.queue.length;
  }

  /**
   * Waits for the next key; resolves `undefined` once the queue is shut down and drained. The caller must
   * call `done(key)` when it finishes.
   */
  async get(): Promise<K | undefined> {
    while (this.queue.length === 0) {
      if (this.shuttingDown) return undefined;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    const key = this.queue.shift() as K;
    this.queued.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Marks `key` finished; re-queues it if it was added while in progress. */
  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.delete(key)) this.add(key);
  }

  /** Stops accepting keys, cancels timers and releases idle workers. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
    this.queue.length = 0;
    this.queued.clear();
    this.wake();
  }

  /**
   * Runs `concurrency` workers that call `handler(key)` until shutdown. The handler decides requeues (it
   * gets the queue); an exception requeues the key rate-limited.
   */
  async run(handler: (key: K) => Promise<void>, concurrency = 1, onError?: (key: K, error: unknown) => void): Promise<void> {
    const worker = async (): Promise<void> => {
      for (;;) {
        const key = await this.get();
        if (key === undefined) return;
        try {
          await handler(key);
        } catch (error) {
          onError?.(key, error);
          if (!this.shuttingDown) this.addRateLimited(key);
        } finally {
          this.done(key);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
