/**
 * Leader election through an API server outage, on a real local control plane (tools/local-cluster) with the
 * controller as its own process: kube-apiserver is stopped for longer than the lease; the controller loses
 * leadership (its renewals fail within the renew deadline), keeps running, campaigns again once the API server
 * is back, leads again (`leader_election_master_status 1`) and still provisions pods. Every wait polls a
 * condition; nothing sleeps a fixed time.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const LEASE_MS = 8_000;
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-leader-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const timings: Record<string, number> = {};

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const logsWith = (message: string): ControllerLogLine[] => controller.logs.filter((l) => l.message === message);
const leaderGauge = async (): Promise<string | undefined> =>
  (await controller.scrapeMetrics()).split('\n').find((l) => l.startsWith('leader_election_master_status{name="karpenter-leader-election"}'))?.split(' ')[1];

beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    failed = true;
  }),
);

beforeAll(async () => {
  failed = true;
  cluster = await startCluster();
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  writeFileSync(CONTROLLER_LOG, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: {
      LOG_LEVEL: 'debug',
      LEADER_ELECTION_LEASE_DURATION: `${LEASE_MS / 1000}s`,
      LEADER_ELECTION_RENEW_DEADLINE: '5s',
      LEADER_ELECTION_RETRY_PERIOD: '1s',
    },
    onLog: (line) => appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await controller.waitForLog((l) => l.message === 'successfully acquired lease', { timeoutMs: 30_000, description: 'first lease' });
  failed = false;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  process.stderr.write(`leader-election e2e timings: ${JSON.stringify(timings)}\n`);
  if (failed) process.stderr.write(`leader-election e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('leader election on a real control plane', () => {
  it('survives a kube-apiserver outage longer than the lease: loses leadership, keeps running, leads and provisions again', async () => {
    expect(await leaderGauge()).toBe('1');
    let exitCode: number | null | undefined;
    void controller.exited.then((code) => (exitCode = code));

    const stoppedAt = Date.now();
    await cluster.stopComponent('kube-apiserver');
    await controller.waitForLog((l) => l.message === 'leader election lost', { timeoutMs: 30_000, description: 'leadership lost during the outage' });
    timings['outage→leadership lost ms'] = Date.now() - stoppedAt;
    await waitFor(async () => (await leaderGauge()) === '0', { description: 'leader gauge 0', timeoutMs: 10_000, intervalMs: 200 });
    // Keep the API server down for longer than the lease.
    await waitFor(async () => Date.now() - stoppedAt > 2 * LEASE_MS, { description: 'outage longer than the lease', timeoutMs: 4 * LEASE_MS, intervalMs: 250 });
    expect(exitCode).toBeUndefined();

    const restartedAt = Date.now();
    await cluster.startComponent('kube-apiserver');
    await waitFor(async () => logsWith('successfully acquired lease').length >= 2, { description: 'lease acquired again', timeoutMs: 90_000, intervalMs: 250 });
    timings['apiserver back→leading ms'] = Date.now() - restartedAt;
    await waitFor(async () => (await leaderGauge()) === '1', { description: 'leader gauge 1', timeoutMs: 10_000, intervalMs: 200 });
    expect(logsWith('controllers stopped after losing leadership; campaigning again').length).toBe(1);
    expect(exitCode).toBeUndefined();

    // It still provisions.
    await apply(defaultNodePool('30s'), defaultEC2NodeClass());
    const created = Date.now();
    await apply(pauseDeployment('after-outage', 2));
    await waitFor(
      async () => {
        const pods = (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: 'app=after-outage' })).items;
        return pods.filter((p) => p.status?.phase === 'Running').length === 2;
      },
      { description: '2 after-outage pods Running', timeoutMs: 120_000, intervalMs: 250 },
    );
    timings['pods created→Running after the outage ms'] = Date.now() - created;
    expect(exitCode).toBeUndefined();
  });
});
