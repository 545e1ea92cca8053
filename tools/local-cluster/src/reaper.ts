import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signalGroup } from './proc.js';

/** Prefix of cluster work directories created under the OS temp dir. */
export const workDirPrefix = 'karpenter-ts-cluster-';
const stateFile = 'cluster-state.json';

/** What a running cluster records in its work directory, so a later run can clean up after a crash. */
export interface ClusterState {
  ownerPid: number;
  /** Process-group ids (= leader pids) of the components. */
  pgids: number[];
  /** Set once stop() finished and the directory was kept (e.g. for its logs). */
  stopped?: boolean;
}

/** Writes `state` to `${workDir}/cluster-state.json` (synchronously, so it is current at any crash). */
export function writeState(workDir: string, state: ClusterState): void {
  writeFileSync(join(workDir, stateFile), JSON.stringify(state));
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // never probe groups (0, -1)
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function commandLineMentions(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return false;
  }
}

/** What {@link inspectCluster} found in a directory. */
export type ClusterDirStatus =
  | { status: 'none' } // no state file
  | { status: 'live'; ownerPid: number } // owner process runs and has not stopped it
  | { status: 'stopped'; ownerAlive: boolean } // stop() finished, directory kept
  | { status: 'stale' }; // owner died without stopping; its processes were just SIGKILLed

/**
 * Reads `dir`'s cluster state. If the owner process died without stopping the cluster, SIGKILLs
 * the recorded process groups whose command line still names `dir` (so a reused pid is never
 * hit) and reports 'stale'. Never throws.
 */
export function inspectCluster(dir: string): ClusterDirStatus {
  let state: ClusterState;
  try {
    state = JSON.parse(readFileSync(join(dir, stateFile), 'utf8')) as ClusterState;
  } catch {
    return { status: 'none' };
  }
  const ownerAlive = alive(state.ownerPid);
  if (state.stopped === true) return { status: 'stopped', ownerAlive };
  if (ownerAlive) return { status: 'live', ownerPid: state.ownerPid };
  for (const pgid of state.pgids) if (commandLineMentions(pgid, dir)) signalGroup(pgid, 'SIGKILL');
  return { status: 'stale' };
}

/**
 * Cleans up clusters left by processes that died without stopping them (e.g. SIGKILLed test
 * workers): every `${baseDir}/karpenter-ts-cluster-*` that is stale (see {@link inspectCluster}),
 * or was kept after stop() by a process that has since exited, has its processes killed and is
 * deleted. Returns the directories
 * removed. Never throws.
 */
export function reapStaleClusters(baseDir: string = tmpdir()): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(baseDir).filter((n) => n.startsWith(workDirPrefix));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(baseDir, name);
    const found = inspectCluster(dir);
    if (found.status !== 'stale' && !(found.status === 'stopped' && !found.ownerAlive)) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    } catch {
      // leave it; next run tries again
    }
  }
  return removed;
}
