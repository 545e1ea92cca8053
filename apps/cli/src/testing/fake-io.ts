import type { CliIo } from '../io.js';

/**
 * An in-memory `CliIo` for command tests: `files` maps a path to its text (a missing path rejects with an
 * ENOENT error, as the real reader does); `out()` and `err()` return everything written so far.
 */
export function fakeIo(files: Record<string, string>): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw new Error('ENOENT: no such file');
      return f;
    },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
