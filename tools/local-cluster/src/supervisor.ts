/**
 * Restart-with-backoff supervision of one long-running process (a control-plane component or the
 * controller), like a kubelet's CrashLoopBackOff for a static pod: when the process exits while it is
 * supervised, report it at once (exit code or signal, last log lines), wait a backoff that doubles per
 * consecutive crash, start it again, and give up after too many crashes in a row. A run that stayed up for
 * `stableAfterMs` resets the count, so a process that crashes once a day is restarted forever.
 *
 * Everything with side effects is injected (how to start a run, the clock), so the policy is unit-tested
 * with fake processes and a fake clock; {@link processRun} adapts a {@link ManagedProcess}.
 */
import type { ExitInfo, ManagedProcess } from './proc.js';
import { logTail } from './proc.js';

/** One started instance of the supervised process. */
export interface SupervisedRun {
  /** Resolves when this run has exited (for any reason). */
  readonly exited: Promise<ExitInfo>;
  /** The last lines it logged, for the crash report ('' if none). */
  logTail(): string;
  /** Stops this run (SIGTERM, SIGKILL after a grace period); resolves once it has exited. Never throws. */
  stop(): Promise<void>;
}

/** When and how often to restart. All durations in milliseconds. */
export interface RestartPolicy {
  /** Wait before the first restart after a crash. Default 1000. */
  initialBackoffMs: number;
  /** Upper bound of the doubling backoff. Default 30000. */
  maxBackoffMs: number;
  /** A run that lived at least this long resets the consecutive-crash count. Default 60000. */
  stableAfterMs: number;
  /** Consecutive crashes (or failed starts) that are restarted; the next one gives up. Default 5. */
  maxRestarts: number;
}

/** Defaults of {@link RestartPolicy}: restarts after 1, 2, 4, 8, 16 s, gives up at the 6th crash in a row. */
export const defaultRestartPolicy: RestartPolicy = { initialBackoffMs: 1000, maxBackoffMs: 30_000, stableAfterMs: 60_000, maxRestarts: 5 };

/** What a {@link Supervisor} reports, in order, to its `onEvent`. */
export type SupervisorEvent =
  /**
   * The run exited on its own; `uptimeMs` counts from when it was up (supervision began, or its restart
   * resolved); `restartInMs` is the backoff before the next start, undefined when giving up.
   */
  | { type: 'exited'; name: string; exit: ExitInfo; uptimeMs: number; logTail: string; crashesInARow: number; restartInMs: number | undefined }
  /** A restart attempt failed before the process was up (e.g. not healthy in time). */
  | { type: 'start-failed'; name: string; error: string; crashesInARow: number; restartInMs: number | undefined }
  /** A new run is up; `downtimeMs` is from the crash to now. */
  | { type: 'restarted'; name: string; downtimeMs: number; restarts: number }
  /** `maxRestarts` crashes in a row: no more restarts. */
  | { type: 'gave-up'; name: string; crashesInARow: number };

/** Time source of a {@link Supervisor}; fake in tests. */
export interface SupervisorClock {
  /** Milliseconds since some fixed point. */
  now(): number;
  /** Resolves after `ms`, or early (without error) when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The wall clock and `setTimeout`. */
export const systemClock: SupervisorClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

/** Options of {@link Supervisor}. */
export interface SupervisorOptions<R extends SupervisedRun = SupervisedRun> {
  /** Name used in events ("controller", "kube-apiserver"). */
  name: string;
  /** The run that is already up (the first start is the caller's, so that it can fail loudly). */
  initial: R;
  /**
   * Starts a new run and resolves once it is up (e.g. healthy); rejects when it cannot come up. `signal`
   * aborts when the supervisor is stopped meanwhile (the attempt may then reject early).
   */
  restart: (signal: AbortSignal) => Promise<R>;
  onEvent: (event: SupervisorEvent) => void;
  policy?: Partial<RestartPolicy>;
  clock?: SupervisorClock;
}

/**
 * Watches one process and restarts it per its {@link RestartPolicy} until {@link Supervisor.stop} or until
 * it gives up. Exits caused by `stop()` are not crashes and are not reported.
 */
export class Supervisor<R extends SupervisedRun = SupervisedRun> {
  readonly name: string;
  private readonly policy: RestartPolicy;
  private readonly clock: SupervisorClock;
  private readonly halt = new AbortController();
  private run: R | undefined;
  private crashCount = 0;
  private restartCount = 0;
  private readonly loop: Promise<'stopped' | 'gave-up'>;

  constructor(private readonly options: SupervisorOptions<R>) {
    this.name = options.name;
    this.policy = { ...defaultRestartPolicy, ...options.policy };
    this.clock = options.clock ?? systemClock;
    this.run = options.initial;
    this.loop = this.supervise();
  }

  /** The current run, undefined while it is down (between a crash and the next successful start). */
  get current(): R | undefined {
    return this.run;
  }

  /** Every exit or failed start not caused by `stop()`, since the supervisor was created. */
  get crashes(): number {
    return this.crashCount;
  }

  /** Successful restarts so far. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Resolves 'gave-up' once restarts are exhausted (the process stays down), 'stopped' after `stop()`. */
  get done(): Promise<'stopped' | 'gave-up'> {
    return this.loop;
  }

  /**
   * Ends supervision: no further restarts; stops the current run (and one being started right now, once it
   * is up). Resolves when the process is down. Idempotent; never throws.
   */
  async stop(): Promise<void> {
    this.halt.abort();
    await this.run?.stop();
    await this.loop;
  }

  private async supervise(): Promise<'stopped' | 'gave-up'> {
    const { halt } = this;
    let upSinceMs = this.clock.now();
    let crashesInARow = 0;
    let run = this.run;
    for (;;) {
      let crashedAtMs: number;
      if (run !== undefined) {
        const exit = await Promise.race([run.exited, aborted(halt.signal)]);
        if (halt.signal.aborted || exit === undefined) return 'stopped';
        crashedAtMs = this.clock.now();
        this.run = undefined;
        this.crashCount += 1;
        const uptimeMs = crashedAtMs - upSinceMs;
        crashesInARow = uptimeMs >= this.policy.stableAfterMs ? 1 : crashesInARow + 1;
        const restartInMs = this.backoffMs(crashesInARow);
        this.options.onEvent({ type: 'exited', name: this.name, exit, uptimeMs, logTail: run.logTail(), crashesInARow, restartInMs });
      } else {
        crashedAtMs = this.clock.now();
      }
      // Down: back off, then try until a start succeeds or we give up.
      for (;;) {
        const backoffMs = this.backoffMs(crashesInARow);
        if (backoffMs === undefined) {
          this.options.onEvent({ type: 'gave-up', name: this.name, crashesInARow });
          return 'gave-up';
        }
        await this.clock.sleep(backoffMs, halt.signal);
        if (halt.signal.aborted) return 'stopped';
        try {
          run = await this.options.restart(halt.signal);
        } catch (error) {
          if (halt.signal.aborted) return 'stopped';
          this.crashCount += 1;
          crashesInARow += 1;
          const message = error instanceof Error ? error.message : String(error);
          this.options.onEvent({ type: 'start-failed', name: this.name, error: message, crashesInARow, restartInMs: this.backoffMs(crashesInARow) });
          continue;
        }
        if (halt.signal.aborted) {
          await run.stop();
          return 'stopped';
        }
        this.run = run;
        this.restartCount += 1;
        upSinceMs = this.clock.now();
        this.options.onEvent({ type: 'restarted', name: this.name, downtimeMs: upSinceMs - crashedAtMs, restarts: this.restartCount });
        break;
      }
    }
  }

  /** Backoff before restart number `crashesInARow`, or undefined when that is one crash too many. */
  private backoffMs(crashesInARow: number): number | undefined {
    if (crashesInARow > this.policy.maxRestarts) return undefined;
    return Math.min(this.policy.maxBackoffMs, this.policy.initialBackoffMs * 2 ** Math.max(0, crashesInARow - 1));
  }
}

function aborted(signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', () => resolve(undefined), { once: true });
  });
}

/** Adapts a {@link ManagedProcess} (log file, group stop with `graceMs`) to a {@link SupervisedRun}. */
export function processRun(process: ManagedProcess, options: { graceMs?: number; tailLines?: number } = {}): SupervisedRun {
  return {
    exited: process.exited,
    logTail: () => logTail(process.logFile, options.tailLines ?? 10),
    stop: () => process.stop(options.graceMs),
  };
}
