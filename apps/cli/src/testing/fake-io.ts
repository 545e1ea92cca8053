import type { CliIo } from '../io.js';

/**
 * An in-memory `CliIo` for command tests: `files` maps a path to its text (a missing path rejects with an
 * ENOENT error, as the real reader does); a path that prefixes other paths followed by `/` is a directory;
 * `out()` and `err()` return everything written so far.
 */
export function fakeIo(files: Record<string, string>): { io: CliIo; out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    readFile: async (p) => {
      const f = files[p];
      if (f === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${p}'`), { code: 'ENOENT' });
      return f;
    },
    expandPath: async (p) => {
      if (files[p] !== undefined || p === '-') return [p];
      const inside = Object.keys(files)
        .filter((k) => k.startsWith(`${p.replace(/\/$/, '')}/`) && /\.(ya?ml|json)$/i.test(k))
        .sort();
      if (inside.length === 0) throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${p}'`), { code: 'ENOENT' });
      return inside;
    },
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}
