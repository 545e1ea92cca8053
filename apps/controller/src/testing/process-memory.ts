/**
 * Memory of another process as the kernel reports it (Linux `/proc/<pid>/status`): for tests that watch the
 * controller process from outside, e.g. its RSS idle and during a scale-up.
 */
import { readFileSync } from 'node:fs';

export interface ProcessMemory {
  /** Resident set size now (VmRSS), bytes. */
  rssBytes: number;
  /** Highest resident set size so far (VmHWM), bytes. */
  peakRssBytes: number;
}

/**
 * Reads VmRSS and VmHWM of process `pid`, in bytes. Throws when the process does not exist (or this is not
 * Linux): `reading memory of process <pid>: ...`.
 */
export function readProcessMemory(pid: number): ProcessMemory {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (error) {
    throw new Error(`reading memory of process ${pid}: ${(error as Error).message}`, { cause: error });
  }
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`reading memory of process ${pid}: /proc/${pid}/status has no ${field} line`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM') };
}
