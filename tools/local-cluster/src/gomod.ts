import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns the version that `moduleDir/go.mod` requires for module `path` (e.g. `v1.35.4`).
 * Throws an Error if go.mod is unreadable or does not require `path`.
 */
export function requiredVersion(moduleDir: string, path: string): string {
  const text = readFileSync(join(moduleDir, 'go.mod'), 'utf8');
  const escaped = path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(v\\S+)`, 'm').exec(text);
  if (match?.[1] === undefined) throw new Error(`${moduleDir}/go.mod does not require ${path}`);
  return match[1];
}

/**
 * Short content key of a module: first 12 hex chars of sha256(go.mod without comment lines,
 * go.sum, extra...). Any change to the pins or to `extra` (e.g. build flags) yields a new key,
 * hence a rebuild; editing a go.mod comment does not.
 */
export function moduleKey(moduleDir: string, extra: readonly string[] = []): string {
  const hash = createHash('sha256');
  const goMod = readFileSync(join(moduleDir, 'go.mod'), 'utf8')
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n');
  hash.update('go.mod\0').update(goMod).update('\0');
  hash.update('go.sum\0').update(readFileSync(join(moduleDir, 'go.sum'))).update('\0');
  for (const part of extra) hash.update(part).update('\0');
  return hash.digest('hex').slice(0, 12);
}
