/**
 * What a command may touch, behind a small interface so commands are testable without a process: output
 * streams and file reading. `nodeIo()` is the real one.
 */
import { readFile } from 'node:fs/promises';

/** Input/output of a command. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file as UTF-8; `-` reads standard input. */
  readFile(path: string): Promise<string>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The process's stdout/stderr and the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => (p === '-' ? readStdin() : readFile(p, 'utf8')),
  };
}

/** A command's outcome: the process exit code. */
export type ExitCode = number;

/** Thrown by a command for bad usage (missing file, bad option); printed without a stack. */
export class CliUsageError extends Error {
  readonly code = 'CliUsage' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}
