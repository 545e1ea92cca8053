/**
 * Exponential backoff with full jitter, as client-go's and kubernetes-fluent-client's retries pace themselves.
 *
 * Attempt n (0-based) waits a uniformly random time in [base * 2^n * (1 - jitter), base * 2^n], capped at
 * `maxMs`. `random` is injectable so tests are deterministic.
 */
export interface BackoffOptions {
  /** First delay in milliseconds. Default 100. */
  baseMs?: number;
  /** Largest delay in milliseconds. Default 30 000. */
  maxMs?: number;
  /** Fraction of the delay that is randomised, 0..1. Default 0.5. */
  jitter?: number;
  /** Uniform [0, 1) source. Default Math.random. */
  random?: () => number;
}

/** Delay in milliseconds before retry number `attempt` (0 = first retry). */
export function backoffDelayMs(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 100;
  const max = options.maxMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const random = options.random ?? Math.random;
  const raw = Math.min(max, base * 2 ** Math.min(attempt, 40));
  return Math.round(raw * (1 - jitter * random()));
}

/** Counts consecutive failures and hands out the next delay; `reset()` after a success. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly options: BackoffOptions = {}) {}

  /** The delay before the next retry, in milliseconds; each call advances the attempt counter. */
  nextDelayMs(): number {
    return backoffDelayMs(this.attempt++, this.options);
  }

  /** Forget past failures. */
  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}
