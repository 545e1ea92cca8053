/**
 * What a command may touch, behind a small interface so commands are testable without a process: output
 * streams, file reading and directory listing. `nodeIo()` is the real one.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Input/output of a command. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file as UTF-8; `-` reads standard input. */
  readFile(path: string): Promise<string>;
  /**
   * The files a path names: `[path]` for a file (or `-`), the `.yaml`, `.yml` and `.json` files directly in it
   * (sorted) for a directory. Rejects when the path does not exist.
   */
  expandPath(path: string): Promise<string[]>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** File names a directory contributes: YAML and JSON manifests. */
export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];

/** The process's stdout/stderr and the file system. */
export function nodeIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => (p === '-' ? readStdin() : readFile(p, 'utf8')),
    expandPath: async (p) => {
      if (p === '-') return [p];
      const info = await stat(p);
      if (!info.isDirectory()) return [p];
      const names = (await readdir(p)).filter((n) => MANIFEST_EXTENSIONS.includes(path.extname(n).toLowerCase())).sort();
      return names.map((n) => path.join(p, n));
    },
  };
}

/** A command's outcome: the process exit code (0 ok, 1 findings, 2 bad input or usage). */
export type ExitCode = number;

/** Exit code: the command ran and found nothing that fails it. */
export const EXIT_OK = 0;
/** Exit code: findings (validate errors, `--strict` warnings, `--fail-on-unschedulable` pending pods). */
export const EXIT_FINDINGS = 1;
/** Exit code: bad input (unreadable, unparseable or invalid files) or bad usage. */
export const EXIT_BAD_INPUT = 2;

/** Thrown by a command for bad usage (missing file, bad option); printed without a stack. */
export class CliUsageError extends Error {
  readonly code = 'CliUsage' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliUsageError';
  }
}
