import type { Clock } from '../../kube/clock.js';

export interface BatcherOptions {
  /** The window closes this long after the last trigger, ms (Karpenter's BATCH_IDLE_DURATION, 1 s). */
  idleMs: number;
  /** ...or this long after the first trigger, whichever comes first, ms (BATCH_MAX_DURATION, 10 s). */
  maxMs: number;
  clock: Clock;
  /** Called once when a window closes. */
  onFlush: () => void;
}

/**
 * Karpenter's provisioning batcher: the first trigger opens a window; every further trigger pushes its end to
 * `idleMs` later, but never past `maxMs` after the first one. When the window closes, `onFlush` runs once and
 * the next trigger opens a new window. So a burst of pending pods becomes one scheduling round, and a steady
 * stream still gets one round at least every `maxMs`.
 */
export class Batcher {
  private windowStartMs: number | undefined;
  private cancelTimer: (() => void) | undefined;

  constructor(private readonly options: BatcherOptions) {}

  /** True while a window is open. */
  get open(): boolean {
    return this.windowStartMs !== undefined;
  }

  trigger(): void {
    const { clock, idleMs, maxMs } = this.options;
    const now = clock.now();
    this.windowStartMs ??= now;
    const closeAt = Math.min(now + idleMs, this.windowStartMs + maxMs);
    this.cancelTimer?.();
    this.cancelTimer = clock.setTimer(() => this.flush(), closeAt - now);
  }

  /** Closes the window now (shutdown). Does not call onFlush. */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    this.windowStartMs = undefined;
  }

  private flush(): void {
    this.cancelTimer = undefined;
    this.windowStartMs = undefined;
    this.options.onFlush();
  }
}
