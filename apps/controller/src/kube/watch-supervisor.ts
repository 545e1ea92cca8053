import type { Clock } from './clock.js';

/** Intervals without an event or bookmark after which a watch that used to get bookmarks is taken for dead. */
export const MISSED_BOOKMARKS = 3;
/** How long after its server-side timeout a watch may still run before the client abandons it, ms. */
export const WATCH_CLIENT_GRACE_MS = 30_000;

/** A watch abandoned by the client: its connection looked dead (see {@link superviseWatch}). Relist. */
export class WatchStalledError extends Error {
  readonly code = 'WatchStalled' as const;
  constructor(message: string) {
    super(message);
    this.name = 'WatchStalledError';
  }
}

export interface WatchSupervision {
  clock: Clock;
  /** The server-side timeout sent with the watch request, s. */
  timeoutSeconds: number;
  /** The server's bookmark period, ms. */
  bookmarkIntervalMs: number;
  /**
   * The server is known to send bookmarks (or this watch gets its first one): from then on their absence for
   * {@link MISSED_BOOKMARKS} intervals fails the watch.
   */
  bookmarksExpected: boolean;
  /** Ends the watch quietly (resolves) when aborted. */
  signal: AbortSignal;
}

/**
 * Runs one watch request under client-side timers, so that a connection that died without a FIN (a partitioned
 * API server, a dropped NAT entry) cannot stall a cache forever:
 * - the watch must end by itself within `timeoutSeconds` + {@link WATCH_CLIENT_GRACE_MS};
 * - when `bookmarksExpected`, some event or bookmark must arrive every `bookmarkIntervalMs` × {@link MISSED_BOOKMARKS}.
 * `start` gets the signal to pass to the request and an `onActivity(isBookmark)` callback to call on every
 * event (bookmarks included). Resolves with the number of events when the watch ends (or `signal` aborts); rejects
 * with the watch's error, or with a {@link WatchStalledError} when a timer abandoned it (its request aborted).
 */
export async function superviseWatch(
  options: WatchSupervision,
  start: (signal: AbortSignal, onActivity: (isBookmark: boolean) => void) => Promise<void>,
): Promise<{ events: number }> {
  const { clock, signal } = options;
  if (signal.aborted) return { events: 0 };
  const abort = new AbortController();
  const onOuterAbort = (): void => abort.abort();
  signal.addEventListener('abort', onOuterAbort, { once: true });
  let stalled: WatchStalledError | undefined;
  const stall = (reason: string): void => {
    if (stalled || abort.signal.aborted) return;
    stalled = new WatchStalledError(reason);
    abort.abort(stalled);
  };
  let events = 0;
  let lastActivityMs = clock.now();
  const deadlineMs = options.timeoutSeconds * 1000 + WATCH_CLIENT_GRACE_MS;
  const cancelDeadline = clock.setTimer(() => stall(`no end of the watch ${deadlineMs / 1000} s after it started (server-side timeout ${options.timeoutSeconds} s)`), deadlineMs);
  const idleLimitMs = options.bookmarkIntervalMs * MISSED_BOOKMARKS;
  let cancelIdle: (() => void) | undefined;
  const armIdle = (delayMs: number): void => {
    cancelIdle = clock.setTimer(() => {
      const idleMs = clock.now() - lastActivityMs;
      if (idleMs >= idleLimitMs) stall(`no event or bookmark for ${Math.round(idleMs / 1000)} s (bookmarks come every ${options.bookmarkIntervalMs / 1000} s)`);
      else armIdle(idleLimitMs - idleMs);
    }, delayMs);
  };
  if (options.bookmarksExpected) armIdle(idleLimitMs);
  try {
    await start(abort.signal, (isBookmark) => {
      events++;
      lastActivityMs = clock.now();
      if (isBookmark && cancelIdle === undefined) armIdle(idleLimitMs);
    });
  } finally {
    cancelDeadline();
    cancelIdle?.();
    signal.removeEventListener('abort', onOuterAbort);
  }
  if (stalled && !signal.aborted) throw stalled;
  return { events };
}
