import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** How a managed process ended. */
export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Inputs of {@link startProcess}. */
export interface ProcessSpec {
  /** Short component name used in errors ("kube-apiserver"). */
  name: string;
  command: string;
  args: readonly string[];
  /** stdout and stderr are appended to this file. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A child started in its own process group (its pid is the group id). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Set once the process has exited. */
  readonly exit: ExitInfo | undefined;
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitInfo>;
  /**
   * Sends SIGTERM to the whole group, waits up to `graceMs` (default 5000 ms) for the leader to
   * exit, then SIGKILLs the group. Resolves once the leader has exited; never throws.
   */
  stop(graceMs?: number): Promise<void>;
}

/** Sends `signal` to process group `pgid`; true if it was delivered (the group still existed). */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Last `lines` lines of a log file ('' if unreadable), for error messages. */
export function logTail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * Spawns `spec.command` detached into a new process group with stdin closed and output appended
 * to `spec.logFile`. Throws if the binary cannot be spawned (e.g. ENOENT) — synchronously for a
 * missing pid. The caller owns the returned handle and must call `stop()`.
 */
export function startProcess(spec: ProcessSpec): ManagedProcess {
  const fd = openSync(spec.logFile, 'a');
  const child = (() => {
    try {
      return spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env ?? process.env, detached: true, stdio: ['ignore', fd, fd] });
    } finally {
      closeSync(fd); // the child holds its own copy
    }
  })();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name}: failed to spawn ${spec.command}`);
  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
    child.on('error', () => {
      exit ??= { code: null, signal: null };
      resolve(exit);
    });
  });
  child.unref();
  return {
    name: spec.name,
    pid,
    logFile: spec.logFile,
    get exit() {
      return exit;
    },
    exited,
    async stop(graceMs = 5000) {
      if (exit === undefined) {
        signalGroup(pid, 'SIGTERM');
        await Promise.race([exited, sleep(graceMs)]);
      }
      signalGroup(pid, 'SIGKILL'); // also reaps any stray group members
      await exited;
    },
  };
}
