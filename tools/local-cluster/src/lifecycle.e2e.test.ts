import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBinaries } from './binaries.js';
import { startCluster } from './cluster.js';
import { defaultLog, silentLog } from './log.js';
import { packageRoot } from './paths.js';
import { waitFor } from './poll.js';
import { reapStaleClusters } from './reaper.js';
import { adminClient, processesMentioning, serverVersion } from './smoke.js';

const tsx = join(packageRoot, '..', '..', 'node_modules', '.bin', 'tsx');

/** Runs `tsx <script> ...args` and resolves with the child and the first stdout match of `pattern`. */
function spawnUntil(args: string[], pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match !== null) resolve({ child, match });
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing ${pattern}: ${out}`)));
  });
}

const ownerPid = (workDir: string): number => (JSON.parse(readFileSync(join(workDir, 'cluster-state.json'), 'utf8')) as { ownerPid: number }).ownerPid;
const gone = (workDir: string) => () => processesMentioning(workDir).length === 0;

describe('local cluster lifecycle safety nets', () => {
  beforeAll(() => ensureBinaries({ log: defaultLog }), 3_600_000);

  it('cli start stops everything and removes its work dir on SIGTERM', async () => {
    const { child, match } = await spawnUntil(['src/cli.ts', 'start'], /export KUBECONFIG=(\S+)/);
    const workDir = dirname(match[1] ?? '');
    expect(processesMentioning(workDir).length).toBeGreaterThanOrEqual(5);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    await waitFor(gone(workDir), { description: 'no processes', timeoutMs: 15_000 });
    expect(existsSync(workDir)).toBe(false);
  });

  it('kills the cluster when its owner process exits without calling stop()', async () => {
    const { child, match } = await spawnUntil(['src/fixtures/start-then-exit.ts'], /workDir=(\S+)\n/);
    const workDir = match[1] ?? '';
    await new Promise((resolve) => child.on('exit', resolve));
    await waitFor(gone(workDir), { description: 'no processes', timeoutMs: 15_000 });
    expect(existsSync(workDir)).toBe(false);
  });

  it('reaps a cluster whose owner was SIGKILLed', async () => {
    const { child, match } = await spawnUntil(['src/cli.ts', 'start'], /export KUBECONFIG=(\S+)/);
    const workDir = dirname(match[1] ?? '');
    process.kill(ownerPid(workDir), 'SIGKILL'); // the node process under tsx: no handler can run
    await new Promise((resolve) => child.on('exit', resolve));
    // The orphans keep running until some startCluster (here, or in a parallel test file) reaps them.
    reapStaleClusters();
    await waitFor(gone(workDir), { description: 'no processes', timeoutMs: 15_000 });
    expect(existsSync(workDir)).toBe(false);
  });

  it('restarts in the same caller-owned workDir, which stop() keeps', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'karpenter-ts-lifecycle-'));
    try {
      const first = await startCluster({ log: silentLog, workDir });
      await first.stop();
      expect(existsSync(join(workDir, 'logs', 'kube-apiserver.log'))).toBe(true);
      const second = await startCluster({ log: silentLog, workDir });
      expect(await serverVersion(adminClient(second))).toMatch(/^v1\./);
      await second.stop();
      expect(processesMentioning(workDir)).toEqual([]);
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  });

  it('starts with per-controller ServiceAccount credentials (kubeadm style)', async () => {
    const cluster = await startCluster({ log: silentLog, perControllerCredentials: true });
    try {
      const kube = adminClient(cluster);
      const sa = await kube.request({ path: '/api/v1/namespaces/kube-system/serviceaccounts/replicaset-controller' });
      expect(sa.status).toBe(200);
    } finally {
      await cluster.stop();
    }
    expect(processesMentioning(cluster.workDir)).toEqual([]);
  });
});
