import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectCluster, workDirPrefix } from './reaper.js';

/** Error thrown when a requested work directory cannot be used. */
export class WorkDirError extends Error {
  readonly code = 'WorkDir' as const;
}

/**
 * Returns the directory a new cluster writes into. Without `requested`: a fresh
 * `${os.tmpdir()}/karpenter-ts-cluster-XXXXXX` (`owned: true`, deleted on stop). With it: the
 * directory, created if missing; when it holds a stopped cluster, or one whose owner is gone
 * (whose processes are then killed), its files are deleted. Throws {@link WorkDirError} when it is
 * non-empty without a previous cluster, or a live process still owns it.
 */
export async function prepareWorkDir(requested: string | undefined): Promise<{ dir: string; owned: boolean }> {
  if (requested === undefined) return { dir: await mkdtemp(join(tmpdir(), workDirPrefix)), owned: true };
  await mkdir(requested, { recursive: true });
  const entries = await readdir(requested);
  if (entries.length > 0) {
    const previous = inspectCluster(requested);
    if (previous.status === 'none') throw new WorkDirError(`workDir ${requested} is not empty and holds no previous cluster`);
    if (previous.status === 'live') throw new WorkDirError(`workDir ${requested} is in use by a cluster of pid ${previous.ownerPid}`);
    for (const entry of entries) await rm(join(requested, entry), { recursive: true, force: true });
  }
  return { dir: requested, owned: false };
}

