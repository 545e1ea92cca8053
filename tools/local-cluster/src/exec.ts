import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Result of {@link run}. Output is decoded as UTF-8. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Error thrown by {@link run} with `check: true` when a command exits non-zero or cannot start. */
export class CommandFailedError extends Error {
  readonly code = 'CommandFailed' as const;
  constructor(
    readonly command: readonly string[],
    readonly result: RunResult | undefined,
    cause?: unknown,
  ) {
    const tail = result === undefined ? '' : `\n${(result.stderr || result.stdout).trim().split('\n').slice(-30).join('\n')}`;
    super(`command failed (${result === undefined ? 'did not start' : `exit ${result.code}`}): ${command.join(' ')}${tail}`, { cause });
  }
}

/** Options of {@link run}. */
export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Throw {@link CommandFailedError} on non-zero exit. Default true. */
  check?: boolean;
  /** Called with each complete line of stderr as it arrives. */
  onStderrLine?: (line: string) => void;
}

/**
 * Runs `argv[0]` with arguments `argv[1..]` (no shell), buffering stdout/stderr.
 * Resolves with the exit code and output; throws {@link CommandFailedError} per `check`.
 */
export function run(argv: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('run: empty argv');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.onStderrLine === undefined) return;
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) options.onStderrLine(line);
    });
    child.on('error', (error) => reject(new CommandFailedError(argv, undefined, error)));
    child.on('close', (code, signal) => {
      const result = { code: code ?? (signal === null ? 1 : 128), stdout, stderr };
      if (result.code !== 0 && options.check !== false) reject(new CommandFailedError(argv, result));
      else resolve(result);
    });
  });
}

/** Absolute path of `command` found on `env.PATH` (executable regular file), or undefined. */
export function findOnPath(command: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when `command` is on PATH (see {@link findOnPath}). */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return findOnPath(command, env) !== undefined;
}
