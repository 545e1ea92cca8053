/**
 * What `npm start` tells a person when the controller or a control-plane component exits under it, and the
 * exit code it owes them afterwards. Pure: takes supervisor events, returns lines and numbers.
 */
import type { ExitInfo, SupervisorEvent } from '@karpenter-ts/local-cluster';

/** `exit code 1` or `killed by SIGKILL`. */
export function describeExit(exit: ExitInfo): string {
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

/** `850 ms`, `12.3 s`, `4 min 05 s`. */
export function describeDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

/**
 * The lines to print for one supervisor event (the first line without a prefix; the caller adds its own).
 * `exited` carries the component's last log lines, indented; the restart plan or the verdict follows.
 */
export function renderSupervisorEvent(event: SupervisorEvent): string[] {
  switch (event.type) {
    case 'exited': {
      const plan =
        event.restartInMs === undefined
          ? 'not restarting it'
          : `restarting it in ${describeDuration(event.restartInMs)}${event.crashesInARow > 1 ? ` (crash ${event.crashesInARow} in a row)` : ''}`;
      const lines = [`${event.name} exited (${describeExit(event.exit)}) after ${describeDuration(event.uptimeMs)} up; ${plan}`];
      const tail = event.logTail.trimEnd();
      if (tail !== '') lines.push(`  last lines of ${event.name}:`, ...tail.split('\n').map((line) => `  | ${line}`));
      return lines;
    }
    case 'start-failed': {
      const plan = event.restartInMs === undefined ? 'not retrying' : `retrying in ${describeDuration(event.restartInMs)}`;
      const [first = '', ...rest] = event.error.trimEnd().split('\n');
      return [`${event.name} did not come back: ${first}; ${plan}`, ...rest.map((line) => `  | ${line}`)];
    }
    case 'restarted':
      return [`${event.name} is back after ${describeDuration(event.downtimeMs)} down (restart ${event.restarts})`];
    case 'gave-up':
      return [`${event.name} crashed ${event.crashesInARow} times in a row; giving up on it`];
  }
}

/** Counts the crashes of every supervised process of one `npm start` run. */
export class CrashTally {
  private readonly byName = new Map<string, number>();
  private gaveUpOn: string | undefined;

  /** Records one event; returns true when it is a crash (an exit or a failed restart). */
  record(event: SupervisorEvent): boolean {
    if (event.type === 'gave-up') this.gaveUpOn ??= event.name;
    if (event.type !== 'exited' && event.type !== 'start-failed') return false;
    this.byName.set(event.name, (this.byName.get(event.name) ?? 0) + 1);
    return true;
  }

  /** Total crashes so far. */
  get crashes(): number {
    return [...this.byName.values()].reduce((sum, n) => sum + n, 0);
  }

  /** The first process whose restarts ran out, if any. */
  get gaveUp(): string | undefined {
    return this.gaveUpOn;
  }

  /** `controller 2, kube-scheduler 1`, or '' without crashes. */
  summary(): string {
    return [...this.byName].map(([name, n]) => `${name} ${n}`).join(', ');
  }

  /**
   * `npm start`'s exit code: 0 when nothing crashed (a Ctrl-C or a finished `--exit` story), 1 after any
   * crash, even one that was restarted, so that a run is never reported as clean after a crash.
   */
  exitCode(): 0 | 1 {
    return this.crashes === 0 && this.gaveUpOn === undefined ? 0 : 1;
  }
}
