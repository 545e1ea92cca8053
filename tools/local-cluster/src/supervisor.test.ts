import { describe, expect, it } from 'vitest';
import type { ExitInfo } from './proc.js';
import { Supervisor, type SupervisedRun, type SupervisorClock, type SupervisorEvent } from './supervisor.js';

/** A clock whose time moves only by `advance`; sleeps resolve when their deadline is passed. */
class FakeClock implements SupervisorClock {
  private nowMs = 0;
  private readonly sleepers: { untilMs: number; resolve: () => void }[] = [];
  now(): number {
    return this.nowMs;
  }
  sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      this.sleepers.push({ untilMs: this.nowMs + ms, resolve });
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }
  /** Pending sleep durations from now. */
  get pendingSleepsMs(): number[] {
    return this.sleepers.map((s) => s.untilMs - this.nowMs);
  }
  async advance(ms: number): Promise<void> {
    await settle();
    this.nowMs += ms;
    for (const sleeper of this.sleepers.filter((s) => s.untilMs <= this.nowMs)) {
      this.sleepers.splice(this.sleepers.indexOf(sleeper), 1);
      sleeper.resolve();
    }
    await settle();
  }
}

/** A process that exits when told to: `crash(code)` or via `stop()`. */
class FakeRun implements SupervisedRun {
  stopped = false;
  private resolveExit!: (exit: ExitInfo) => void;
  readonly exited = new Promise<ExitInfo>((resolve) => (this.resolveExit = resolve));
  constructor(private readonly tail = 'last line') {}
  logTail(): string {
    return this.tail;
  }
  crash(code: number | null, signal: NodeJS.Signals | null = null): void {
    this.resolveExit({ code, signal });
  }
  async stop(): Promise<void> {
    this.stopped = true;
    this.resolveExit({ code: null, signal: 'SIGTERM' });
    await this.exited;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

function harness(options: { policy?: ConstructorParameters<typeof Supervisor>[0]['policy']; failStarts?: number } = {}) {
  const clock = new FakeClock();
  const events: SupervisorEvent[] = [];
  const runs: FakeRun[] = [new FakeRun('boom: out of memory')];
  let failStarts = options.failStarts ?? 0;
  const supervisor = new Supervisor({
    name: 'controller',
    initial: runs[0]!,
    restart: () => {
      if (failStarts > 0) {
        failStarts -= 1;
        return Promise.reject(new Error('not healthy in time'));
      }
      const run = new FakeRun();
      runs.push(run);
      return Promise.resolve(run);
    },
    onEvent: (event) => events.push(event),
    clock,
    ...(options.policy ? { policy: options.policy } : {}),
  });
  const latest = (): FakeRun => runs[runs.length - 1]!;
  return { clock, events, runs, supervisor, latest };
}

describe('Supervisor', () => {
  it('reports a crash at once with the exit code and log tail, then restarts after the backoff', async () => {
    const { clock, events, runs, supervisor } = harness();
    await clock.advance(5_000);
    runs[0]!.crash(1);
    await settle();
    expect(events).toEqual([
      { type: 'exited', name: 'controller', exit: { code: 1, signal: null }, uptimeMs: 5_000, logTail: 'boom: out of memory', crashesInARow: 1, restartInMs: 1000 },
    ]);
    expect(supervisor.current).toBeUndefined();
    await clock.advance(999);
    expect(runs).toHaveLength(1);
    await clock.advance(1);
    expect(runs).toHaveLength(2);
    expect(events.at(-1)).toEqual({ type: 'restarted', name: 'controller', downtimeMs: 1000, restarts: 1 });
    expect(supervisor.current).toBe(runs[1]);
    expect(supervisor.crashes).toBe(1);
  });

  it('doubles the backoff per crash in a row, caps it, and gives up after maxRestarts', async () => {
    const { clock, events, supervisor, latest } = harness({ policy: { initialBackoffMs: 1000, maxBackoffMs: 5000, maxRestarts: 4 } });
    const backoffs: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      latest().crash(null, 'SIGKILL');
      await settle();
      const exited = events.filter((e) => e.type === 'exited').at(-1);
      backoffs.push(exited?.type === 'exited' ? exited.restartInMs : -1);
      await clock.advance(10_000);
    }
    expect(backoffs).toEqual([1000, 2000, 4000, 5000, undefined]);
    expect(events.at(-1)).toEqual({ type: 'gave-up', name: 'controller', crashesInARow: 5 });
    await expect(supervisor.done).resolves.toBe('gave-up');
    expect(supervisor.crashes).toBe(5);
    expect(supervisor.restarts).toBe(4);
  });

  it('resets the crash count after a run that stayed up stableAfterMs', async () => {
    const { clock, events, latest } = harness({ policy: { stableAfterMs: 60_000 } });
    latest().crash(1);
    await clock.advance(1000); // restarted
    latest().crash(1);
    await settle();
    expect(events.at(-1)).toMatchObject({ type: 'exited', crashesInARow: 2, restartInMs: 2000 });
    await clock.advance(2000);
    await clock.advance(60_000);
    latest().crash(1);
    await settle();
    expect(events.at(-1)).toMatchObject({ type: 'exited', uptimeMs: 60_000, crashesInARow: 1, restartInMs: 1000 });
  });

  it('counts failed starts as crashes and keeps backing off', async () => {
    const { clock, events, runs, latest } = harness({ failStarts: 2 });
    latest().crash(2);
    await clock.advance(1000);
    expect(events.at(-1)).toEqual({ type: 'start-failed', name: 'controller', error: 'not healthy in time', crashesInARow: 2, restartInMs: 2000 });
    await clock.advance(2000);
    expect(events.at(-1)).toMatchObject({ type: 'start-failed', crashesInARow: 3, restartInMs: 4000 });
    await clock.advance(4000);
    expect(events.at(-1)).toEqual({ type: 'restarted', name: 'controller', downtimeMs: 7000, restarts: 1 });
    expect(runs).toHaveLength(2);
  });

  it('stop() stops the current run without reporting it as a crash', async () => {
    const { events, runs, supervisor } = harness();
    await supervisor.stop();
    expect(runs[0]!.stopped).toBe(true);
    expect(events).toEqual([]);
    await expect(supervisor.done).resolves.toBe('stopped');
  });

  it('stop() during the backoff cancels the restart', async () => {
    const { clock, events, runs, supervisor } = harness();
    runs[0]!.crash(1);
    await settle();
    expect(clock.pendingSleepsMs).toEqual([1000]);
    await supervisor.stop();
    await clock.advance(10_000);
    expect(runs).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['exited']);
  });

  it('stop() while a restart is starting stops that run once it is up', async () => {
    const clock = new FakeClock();
    const initial = new FakeRun();
    const started = new FakeRun();
    let finishStart!: (run: FakeRun) => void;
    let startSignal: AbortSignal | undefined;
    const supervisor = new Supervisor({
      name: 'kwok',
      initial,
      restart: (signal) => {
        startSignal = signal;
        return new Promise((resolve) => (finishStart = resolve));
      },
      onEvent: () => undefined,
      clock,
    });
    initial.crash(1);
    await clock.advance(1000);
    const stopping = supervisor.stop();
    expect(startSignal?.aborted).toBe(true);
    finishStart(started);
    await stopping;
    expect(started.stopped).toBe(true);
    expect(supervisor.current).toBeUndefined();
  });
});
