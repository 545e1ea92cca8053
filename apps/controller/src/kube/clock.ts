/**
 * Time as the controller reads it: wall-clock milliseconds and cancellable timers. Production code takes a
 * `Clock` (default {@link systemClock}) so that tests drive batching windows, backoff and emptiness timing
 * with a fake clock instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` once after `delayMs` milliseconds; returns a function that cancels it. */
  setTimer(fn: () => void, delayMs: number): () => void;
}

/** The real clock: `Date.now()` and `setTimeout` (timers are unref'd so they never keep the process alive alone). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, delayMs) {
    const handle = setTimeout(fn, Math.max(0, delayMs));
    handle.unref();
    return () => clearTimeout(handle);
  },
};

/**
 * Resolves after `delayMs` on `clock`, or rejects with the signal's reason when `signal` aborts first.
 * For retry pacing only; never used to wait for our own writes to show up.
 */
export function delay(clock: Clock, delayMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(abortReason(signal));
    };
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, delayMs);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new AbortError();
}

/** Thrown (rejected) by waits that were cancelled through an AbortSignal. */
export class AbortError extends Error {
  readonly code = 'Aborted' as const;
  constructor(message = 'aborted') {
    super(message);
    this.name = 'AbortError';
  }
}
