import type { Clock } from '../kube/clock.js';

/**
 * A manual clock for unit tests: time moves only through `advance(ms)`, which fires due timers in order
 * (and timers they schedule, when those fall within the advanced span). `flush()` lets pending promise
 * callbacks run between timers.
 */
export class FakeClock implements Clock {
  private nowMs: number;
  private nextId = 0;
  private readonly timers = new Map<number, { dueMs: number; fn: () => void }>();

  constructor(startMs = Date.parse('2026-01-01T00:00:00Z')) {
    this.nowMs = startMs;
  }

  now(): number {
    return this.nowMs;
  }

  setTimer(fn: () => void, delayMs: number): () => void {
    const id = this.nextId++;
    this.timers.set(id, { dueMs: this.nowMs + Math.max(0, delayMs), fn });
    return () => this.timers.delete(id);
  }

  /** Number of timers waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing due timers in due order and settling promises after each. */
  async advance(ms: number): Promise<void> {
    const target = this.nowMs + ms;
    for (;;) {
      await flush();
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.dueMs <= target && timer.dueMs < nextDue) {
          nextDue = timer.dueMs;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId);
      this.timers.delete(nextId);
      this.nowMs = Math.max(this.nowMs, nextDue);
      timer?.fn();
    }
    this.nowMs = target;
    await flush();
  }
}

/** Lets queued promise callbacks (and their follow-ups) run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
