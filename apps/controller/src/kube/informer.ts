import type { Logger } from 'pino';
import { Backoff, type BackoffOptions } from './backoff.js';
import { objectKey, type KubeClient, type KubeObject } from './client.js';
import { delay, systemClock, type Clock } from './clock.js';
import { isGone, isNotFound, retryAfterMsOf } from './errors.js';
import { WatchStalledError, superviseWatch } from './watch-supervisor.js';
import { apiErrorFields, type WarmupReporter } from './warmup.js';
import type { ResourceType } from './resources.js';
import { trimObject, type InformerTransform } from './transform.js';

/** Callbacks for cache changes. `onUpdate` only fires when the resourceVersion changed. */
export interface InformerHandler<T extends KubeObject> {
  onAdd?(object: T): void;
  onUpdate?(previous: T, object: T): void;
  onDelete?(object: T): void;
}

export interface InformerOptions<T extends KubeObject = KubeObject> {
  client: KubeClient;
  type: ResourceType;
  log: Logger;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  clock?: Clock;
  /** Pacing of retries after a failed list or watch. Defaults: 200 ms doubling to 30 s, 50% jitter. */
  backoff?: BackoffOptions;
  /** Server-side watch timeout in seconds; each watch uses a random value in [t, 2t) like client-go. Default 300. */
  watchTimeoutSeconds?: number;
  /**
   * How often the API server sends a BOOKMARK on an idle watch, ms (kube-apiserver's watch cache,
   * `defaultBookmarkFrequency`: measured on the local control plane, the first about 120 s into a watch, then
   * every 60 s). Once a server has sent a bookmark, a watch with no event and no bookmark for
   * MISSED_BOOKMARKS (3) intervals is taken for a dead connection. Default 60 000.
   */
  bookmarkIntervalMs?: number;
  /**
   * The resource may not be served (an optional CRD, e.g. v1alpha5 Provisioner): a 404 on list counts as an
   * empty, synced list, and listing is retried with backoff until the resource appears.
   */
  allowMissing?: boolean;
  /**
   * What the cache keeps of each listed, watched or assumed object (see ./transform.ts). Default
   * {@link trimObject}: drops `metadata.managedFields`, the last-applied-configuration annotation and
   * undeclared metadata.
   */
  transform?: InformerTransform<T>;
  /** Reports expected warm-up answers (403/429/503) before the first list quietly (see ./warmup.ts). */
  warmup?: WarmupReporter;
}

/**
 * A list-then-watch cache of one resource, as client-go's reflector + store: lists everything, then watches
 * from the list's resourceVersion; a watch that ends is resumed from the last seen resourceVersion (bookmarks
 * included); a 410 Gone relists and emits the difference as adds/updates/deletes; other failures retry
 * with jittered exponential backoff, never sooner than a throttling answer's Retry-After. Reads (`get`, `list`) are from memory.
 */
export class Informer<T extends KubeObject> {
  private readonly store = new Map<string, T>();
  private readonly handlers = new Set<InformerHandler<T>>();
  private resourceVersion = '';
  private syncedFlag = false;
  private readonly syncWaiters: (() => void)[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  /** Set once a watch delivered a BOOKMARK: from then on, their absence means a dead connection. */
  private serverSendsBookmarks = false;
  /** The current run of list/watch failures, if any (see failed/recovered). */
  private failing: { call: 'list' | 'watch'; count: number; sinceMs: number } | undefined;

  constructor(private readonly options: InformerOptions<T>) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log.child({ informer: options.type.plural });
  }

  get type(): ResourceType {
    return this.options.type;
  }

  /** True once the first list has been stored. */
  get synced(): boolean {
    return this.syncedFlag;
  }

  /** Registers a handler; it first receives `onAdd` for every cached object. Returns an unsubscribe function. */
  on(handler: InformerHandler<T>): () => void {
    this.handlers.add(handler);
    for (const object of this.store.values()) handler.onAdd?.(object);
    return () => this.handlers.delete(handler);
  }

  get(key: string): T | undefined {
    return this.store.get(key);
  }

  list(): T[] {
    return [...this.store.values()];
  }

  get size(): number {
    return this.store.size;
  }

  /** Resolves when the first list is stored, or rejects when `signal` aborts. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.syncedFlag) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /**
   * Puts an object this process just wrote into the cache (read-your-writes without sleeping). Ignored when
   * the cache already holds the same or a newer resourceVersion.
   */
  assume(object: T): void {
    // A write that removed the last finalizer of a deleting object returns it one last time: it is gone, and
    // the watch's DELETED event (possibly already applied) is the truth.
    if (object.metadata.deletionTimestamp && (object.metadata.finalizers ?? []).length === 0) return;
    const key = objectKey(object);
    const existing = this.store.get(key);
    if (existing && !isNewer(object.metadata.resourceVersion, existing.metadata.resourceVersion)) return;
    this.apply(existing ? 'MODIFIED' : 'ADDED', object);
  }

  /**
   * Runs list+watch until `signal` aborts. Each watch is supervised (./watch-supervisor.ts): abandoned by a
   * client-side timer shortly after its server-side timeout, or when bookmarks stop, and then relisted. A watch
   * that ends within a second without delivering anything (client-go's "very short watch") backs off like a
   * failure instead of reconnecting at once; one that delivered events resumes at once from its last
   * resourceVersion.
   */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff({ baseMs: 200, maxMs: 30_000, ...this.options.backoff });
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
          this.recovered();
        }
        const timeoutSeconds = Math.floor((this.options.watchTimeoutSeconds ?? 300) * (1 + Math.random()));
        const startedMs = this.clock.now();
        const { events } = await superviseWatch(
          {
            clock: this.clock,
            timeoutSeconds,
            bookmarkIntervalMs: this.options.bookmarkIntervalMs ?? 60_000,
            bookmarksExpected: this.serverSendsBookmarks,
            signal,
          },
          (watchSignal, onActivity) =>
            this.options.client.watch<T>(
              this.options.type,
              {
                namespace: this.options.namespace,
                labelSelector: this.options.labelSelector,
                fieldSelector: this.options.fieldSelector,
                resourceVersion: this.resourceVersion,
                timeoutSeconds,
                allowWatchBookmarks: true,
                signal: watchSignal,
              },
              (event) => {
                onActivity(event.type === 'BOOKMARK');
                if (this.failing) this.recovered();
                if (event.object.metadata.resourceVersion) this.resourceVersion = event.object.metadata.resourceVersion;
                if (event.type === 'BOOKMARK') this.serverSendsBookmarks = true;
                else this.apply(event.type, event.object);
              },
            ),
        );
        if (signal.aborted) break;
        if (events === 0 && this.clock.now() - startedMs < SHORT_WATCH_MS) {
          const waitMs = backoff.nextDelayMs();
          this.log.debug({ retryInMs: waitMs }, 'watch closed at once without events, backing off');
          await delay(this.clock, waitMs, signal);
          continue;
        }
        backoff.reset();
      } catch (error) {
        if (signal.aborted) break;
        if (isGone(error)) {
          this.log.debug({ err: error }, 'watch expired, relisting');
          needList = true;
          continue;
        }
        // A throttled list or watch (429/5xx with Retry-After) waits at least as long as the server asked.
        const waitMs = Math.max(backoff.nextDelayMs(), retryAfterMsOf(error) ?? 0);
        if (needList && this.options.allowMissing && isNotFound(error)) {
          this.markSynced();
          this.log.debug({ retryInMs: waitMs }, 'resource not served, treating as empty');
          try {
            await delay(this.clock, waitMs, signal);
          } catch {
            break;
          }
          continue;
        }
        if (error instanceof WatchStalledError) {
          this.log.warn({ reason: error.message, retryInMs: waitMs }, 'watch stalled, relisting');
          needList = true;
        } else if (!this.syncedFlag && this.options.warmup?.report(`${needList ? 'list' : 'watch'} ${this.options.type.plural}`, error)) {
          // an expected answer while the API server warms up: reported once for the process
        } else {
          this.failed(needList ? 'list' : 'watch', error, waitMs);
        }
        try {
          await delay(this.clock, waitMs, signal);
        } catch {
          break;
        }
      }
    }
  }

  /**
   * A failed list or watch: the first of a run is a WARN, the rest debug (an API server outage is one warning
   * per informer, not one per retry); {@link recovered} closes the run with one INFO line.
   */
  private failed(call: 'list' | 'watch', error: unknown, retryInMs: number): void {
    if (this.failing) {
      this.failing.count++;
      this.log.debug({ ...apiErrorFields(error), retryInMs, failures: this.failing.count }, `${call} failed`);
      return;
    }
    this.failing = { call, count: 1, sinceMs: this.clock.now() };
    this.log.warn({ ...apiErrorFields(error), retryInMs }, `${call} failed`);
  }

  private recovered(): void {
    if (!this.failing) return;
    const { call, count, sinceMs } = this.failing;
    this.failing = undefined;
    this.log.info({ failures: count, outageMs: this.clock.now() - sinceMs }, `${call} recovered`);
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.options.client.list<T>(this.options.type, {
      namespace: this.options.namespace,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
    });
    const seen = new Set<string>();
    for (const item of items) {
      const key = objectKey(item);
      seen.add(key);
      this.apply(this.store.has(key) ? 'MODIFIED' : 'ADDED', item);
    }
    for (const [key, object] of this.store) {
      if (!seen.has(key)) this.apply('DELETED', object);
    }
    this.resourceVersion = resourceVersion;
    this.markSynced();
  }

  private markSynced(): void {
    if (this.syncedFlag) return;
    this.syncedFlag = true;
    for (const waiter of this.syncWaiters.splice(0)) waiter();
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', incoming: T): void {
    const object = (this.options.transform ?? trimObject)(incoming);
    const key = objectKey(object);
    const previous = this.store.get(key);
    if (type === 'DELETED') {
      if (!previous) return;
      this.store.delete(key);
      this.emit((h) => h.onDelete?.(previous));
      return;
    }
    this.store.set(key, object);
    if (!previous) this.emit((h) => h.onAdd?.(object));
    else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion) this.emit((h) => h.onUpdate?.(previous, object));
  }

  private emit(call: (handler: InformerHandler<T>) => void): void {
    for (const handler of this.handlers) {
      try {
        call(handler);
      } catch (error) {
        this.log.error({ err: error }, 'informer handler failed');
      }
    }
  }
}

/** A watch that ends sooner than this with no event is "very short" (client-go's reflector): back off. */
const SHORT_WATCH_MS = 1_000;

/** True when resourceVersion `a` is known to be newer than `b` (both numeric, as etcd-backed ones are). */
function isNewer(a: string | undefined, b: string | undefined): boolean {
  if (!a) return false;
  if (!b) return true;
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return BigInt(a) > BigInt(b);
  return a !== b;
}
