import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log } from './log.js';
import { waitFor } from './poll.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function tryAcquire(lockDir: string): Promise<number | undefined> {
  try {
    await mkdir(lockDir);
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const owner = Number(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'));
  if (Number.isInteger(owner) && alive(owner)) return owner;
  await rm(lockDir, { recursive: true, force: true }); // stale (owner died, or pid not yet written)
  return -1;
}

/**
 * Runs `fn` while holding an inter-process lock (a directory `lockDir` holding the owner's pid).
 * A lock whose owner process is gone is taken over. Waits up to `timeoutMs` (default 1 hour) for a
 * live owner, logging once; throws WaitTimeoutError when it never frees. Returns `fn`'s result.
 */
export async function withLock<T>(lockDir: string, log: Log, fn: () => Promise<T>, timeoutMs = 3_600_000): Promise<T> {
  let logged = false;
  await waitFor(
    async () => {
      const owner = await tryAcquire(lockDir);
      if (owner === undefined) return true;
      if (owner > 0 && !logged) {
        log(`waiting for another build (pid ${owner}) holding ${lockDir}`);
        logged = true;
      }
      return false;
    },
    { description: `lock ${lockDir}`, timeoutMs, intervalMs: 1000 },
  );
  try {
    return await fn();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
