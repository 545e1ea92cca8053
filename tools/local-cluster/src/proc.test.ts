import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from './poll.js';
import { startProcess, type ManagedProcess } from './proc.js';

const dirs: string[] = [];
const started: ManagedProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop(0)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A node process running `script`, its output in a fresh log file; resolves once it printed "ready". */
async function startNode(script: string): Promise<ManagedProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'proc-test-'));
  dirs.push(dir);
  const logFile = join(dir, 'child.log');
  const p = startProcess({ name: 'child', command: process.execPath, args: ['-e', script], logFile });
  started.push(p);
  await waitFor(() => readFileSync(logFile, 'utf8').includes('ready'), { description: 'child ready', timeoutMs: 5000, intervalMs: 20 });
  return p;
}

describe('startProcess().stop', () => {
  it('SIGKILLs a process that ignores SIGTERM once the grace period is over', async () => {
    const p = await startNode("process.on('SIGTERM', () => console.log('ignored SIGTERM')); setInterval(() => {}, 1000); console.log('ready')");
    await p.stop(300);
    expect(p.exit).toEqual({ code: null, signal: 'SIGKILL' });
    expect(readFileSync(p.logFile, 'utf8')).toContain('ignored SIGTERM');
  });

  it('lets a process that honours SIGTERM exit on its own', async () => {
    const p = await startNode("process.on('SIGTERM', () => process.exit(0)); setInterval(() => {}, 1000); console.log('ready')");
    await p.stop(10_000);
    expect(p.exit).toEqual({ code: 0, signal: null });
  });
});
