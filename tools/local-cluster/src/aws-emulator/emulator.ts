import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { defaultLog } from '../log.js';
import { waitFor, WaitTimeoutError } from '../poll.js';
import { freePorts } from '../ports.js';
import { logTail, signalGroup, type ExitInfo } from '../proc.js';
import { ensureMoto, motoVersion, type EnsureMotoOptions } from './install.js';

/** The Python launcher that ties moto_server's life to its parent (PR_SET_PDEATHSIG + a parent-pid watch). */
const launcherPath = join(dirname(fileURLToPath(import.meta.url)), 'launcher.py');

/** A running moto server. */
export interface AwsEmulator {
  /** `http://127.0.0.1:<port>`: pass as the SDK client's `endpoint` (every service answers on it). */
  readonly endpoint: string;
  /** moto's version, for reports ("5.2.5"). */
  readonly version: string;
  /** File with moto_server's stdout and stderr. */
  readonly logFile: string;
  /** Drops every resource created so far (moto's POST /moto-api/reset); the emulator keeps running. */
  reset(): Promise<void>;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s); resolves when it has exited; never throws. */
  stop(): Promise<void>;
}

/** Options of {@link startAwsEmulator}. */
export interface StartAwsEmulatorOptions extends EnsureMotoOptions {
  /** Give up waiting for the server to answer after this many milliseconds. Default 120000. */
  readyTimeoutMs?: number;
}

/** Error thrown by {@link startAwsEmulator} when moto does not come up; the message holds its log tail. */
export class AwsEmulatorStartError extends Error {
  readonly code = 'AwsEmulatorStart' as const;
}

/** Credentials and region the SDK clients use against the emulator (moto accepts any). */
export const emulatorClientConfig = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
} as const;

/** Drops every resource in the emulator at `endpoint` (moto's POST /moto-api/reset); throws on a non-2xx answer. */
export async function resetAwsEmulator(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  if (!response.ok) throw new Error(`moto reset answered HTTP ${response.status}`);
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(5000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** moto_server lost a race for its port: {@link startOnce} answers 'port-taken' and the caller picks another. */
class PortTakenError extends Error {}

async function startOnce(python: string, logFile: string, readyTimeoutMs: number): Promise<AwsEmulator | 'port-taken'> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new AwsEmulatorStartError('no free port on 127.0.0.1');
  const endpoint = `http://127.0.0.1:${port}`;
  const fd = openSync(logFile, 'a');
  const child = (() => {
    try {
      return spawn(python, [launcherPath, String(process.pid), '-H', '127.0.0.1', '-p', String(port)], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...process.env, PYTHONUNBUFFERED: '1' },
      });
    } finally {
      closeSync(fd);
    }
  })();
  const pid = child.pid;
  if (pid === undefined) throw new AwsEmulatorStartError(`could not start ${python}`);
  child.unref();
  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.on('exit', (code, signal) => resolve((exit = { code, signal })));
    child.on('error', () => resolve((exit ??= { code: null, signal: null })));
  });
  const stop = async (): Promise<void> => {
    if (exit === undefined) {
      signalGroup(pid, 'SIGTERM');
      await Promise.race([exited, sleep(5000)]);
    }
    signalGroup(pid, 'SIGKILL');
    await exited;
  };
  // The process exiting first ends the wait: on a port another process took meanwhile, or with its log's tail.
  const exitedEarly = (): Error | undefined => {
    if (exit === undefined) return undefined;
    const tail = logTail(logFile);
    return /address already in use/i.test(tail) ? new PortTakenError() : new AwsEmulatorStartError(`moto_server exited (code ${exit.code}, signal ${exit.signal}) before answering; log ${logFile}:\n${tail}`);
  };
  try {
    await waitFor(() => answers(endpoint), { description: `moto_server on ${endpoint}`, timeoutMs: readyTimeoutMs, intervalMs: 100, abortIf: exitedEarly });
  } catch (error) {
    if (error instanceof PortTakenError) return 'port-taken';
    if (!(error instanceof WaitTimeoutError)) throw error;
    await stop();
    throw new AwsEmulatorStartError(`moto_server did not answer on ${endpoint} within ${readyTimeoutMs} ms; log ${logFile}:\n${logTail(logFile)}`);
  }
  return {
    endpoint,
    version: motoVersion,
    logFile,
    reset: () => resetAwsEmulator(endpoint),
    stop,
  };
}

/**
 * Starts moto's AWS server (EC2, SQS, SSM, Pricing and the rest of moto's services on one port) on a
 * free 127.0.0.1 port and resolves once it answers HTTP. Installs the pinned moto into the cache
 * venv first when missing (see ensureMoto). The server dies with this process even when it is
 * killed (launcher.py), so a crashed test run leaks nothing; call `stop()` to end it earlier.
 * Throws {@link AwsEmulatorStartError} with the server's log tail when it does not come up.
 */
export async function startAwsEmulator(options: StartAwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const log = options.log ?? defaultLog;
  const { python } = await ensureMoto({ ...options, log });
  const logFile = join(await mkdtemp(join(tmpdir(), 'kts-aws-emulator-')), 'moto_server.log');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const started = await startOnce(python, logFile, options.readyTimeoutMs ?? 120_000);
    if (started !== 'port-taken') return started;
  }
  throw new AwsEmulatorStartError(`moto_server found every chosen port taken; log ${logFile}`);
}
