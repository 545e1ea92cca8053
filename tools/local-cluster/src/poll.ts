import { setTimeout as sleep } from 'node:timers/promises';

/** Options of {@link waitFor}. */
export interface WaitOptions {
  /** What is awaited, used in the timeout error ("apiserver /readyz"). */
  description: string;
  /** Give up after this many milliseconds. Default 60000. */
  timeoutMs?: number;
  /** Delay between attempts in milliseconds. Default 100. */
  intervalMs?: number;
  /** Checked before each attempt; when it returns an Error, waiting stops with that error. */
  abortIf?: () => Error | undefined;
}

/** Error thrown by {@link waitFor} when the condition did not hold in time. */
export class WaitTimeoutError extends Error {
  readonly code = 'WaitTimeout' as const;
  constructor(description: string, timeoutMs: number, cause?: unknown) {
    super(`timed out after ${timeoutMs} ms waiting for ${description}`, { cause });
  }
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, and returns that value.
 * A throwing check counts as "not yet" (its last error becomes the timeout's `cause`).
 * Throws {@link WaitTimeoutError} on timeout, or the error from `abortIf`.
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  options: WaitOptions,
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const intervalMs = options.intervalMs ?? 100;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const abort = options.abortIf?.();
    if (abort !== undefined) throw abort;
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(options.description, timeoutMs, lastError);
    await sleep(intervalMs);
  }
}
