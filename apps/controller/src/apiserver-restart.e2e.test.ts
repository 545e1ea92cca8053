/**
 * The 10-pod story through a kube-apiserver restart, on a real local control plane (tools/local-cluster) with the
 * controller as its own process: once the controller has created its NodeClaims (each simulated launch takes
 * SIMULATED_LAUNCH_DELAY), kube-apiserver is stopped and started again on the same port with the same etcd. The
 * launches that fall into the outage fail and are retried, the watches end and resume (or relist), and the story
 * still completes (informers whose watch ends with 410 Gone relist): 10 pods Running, as many NodeClaims as the domain scheduler plans for them, one instance per
 * NodeClaim, none empty. The controller's RSS idle and during the story (sampled from /proc/<pid>/status) is
 * printed. Every wait polls a condition; nothing sleeps a fixed time.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { NodeClaim } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';
import { readProcessMemory } from './testing/process-memory.js';
import { auditLaunches, plannedNodeClaimCount } from './testing/scale-up.js';

const LAUNCH_DELAY_MS = 8_000;
const PODS = 10;
const APP = 'inflate';
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-apiserver-restart-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const figures: Record<string, number> = {};

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));

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
  // Never consolidated during the test: an empty duplicate node must still be there to be counted.
  await apply(defaultNodePool('10m'), defaultEC2NodeClass());
  writeFileSync(CONTROLLER_LOG, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    // BATCH_IDLE_DURATION 3s: one provisioning round for all the pods even on a loaded machine (the plan
    // compared against is one round's).
    env: { LOG_LEVEL: 'debug', SIMULATED_LAUNCH_DELAY: `${LAUNCH_DELAY_MS / 1000}s`, BATCH_IDLE_DURATION: '3s' },
    onLog: (line) => appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await controller.waitForLog((l) => l.message === 'starting controllers', { timeoutMs: 60_000, description: 'controllers started' });
  failed = false;
}, 170_000);

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  process.stderr.write(`apiserver-restart e2e figures: ${JSON.stringify(figures)}\n`);
  process.stderr.write(`apiserver-restart e2e: controller warnings and errors by message: ${JSON.stringify(countWarnings(controller?.logs ?? []))}\n`);
  if (failed) process.stderr.write(`apiserver-restart e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('kube-apiserver restart during a scale-up', () => {
  it('completes the 10-pod story with no duplicate launch; prints the controller RSS idle and during the story', async () => {
    let exitCode: number | null | undefined;
    void controller.exited.then((code) => (exitCode = code));
    const idle = readProcessMemory(controller.pid);
    figures['RSS idle MiB'] = mib(idle.rssBytes);
    let storyRssBytes = 0;
    const sampler = setInterval(() => {
      try {
        storyRssBytes = Math.max(storyRssBytes, readProcessMemory(controller.pid).rssBytes);
      } catch {
        // exited: the assertions below say so
      }
    }, 250);

    try {
      const expectedNodeClaims = await plannedNodeClaimCount(admin, { app: APP, replicas: PODS, cpu: '1' });
      figures['planned NodeClaims'] = expectedNodeClaims;
      const created = Date.now();
      await apply(pauseDeployment(APP, PODS));
      await waitFor(async () => (await admin.list<NodeClaim>(resources.nodeClaims)).items.length >= expectedNodeClaims, {
        description: `${expectedNodeClaims} NodeClaims created`,
        timeoutMs: 60_000,
        intervalMs: 100,
      });
      // Mid-scale-up: no launch has finished yet (each takes LAUNCH_DELAY_MS); the API server goes away.
      expect(controller.logs.some((l) => l.message === 'launched nodeclaim')).toBe(false);
      const stoppedAt = Date.now();
      await cluster.stopComponent('kube-apiserver');
      await cluster.startComponent('kube-apiserver');
      figures['apiserver outage s'] = seconds(Date.now() - stoppedAt);

      await waitFor(async () => (await auditLaunches(admin, APP)).runningPods === PODS, { description: `${PODS} pods Running`, timeoutMs: 120_000, intervalMs: 250 });
      figures['pods created -> all Running s'] = seconds(Date.now() - created);
      expect(exitCode).toBeUndefined();

      const audit = await auditLaunches(admin, APP);
      expect(audit.nodeClaims).toHaveLength(expectedNodeClaims);
      expect(controller.logs.filter((l) => l.message === 'created nodeclaim')).toHaveLength(expectedNodeClaims);
      expect(audit.orphanInstances).toEqual([]);
      expect(audit.emptyInstances).toEqual([]);
      expect(audit.instances).toHaveLength(expectedNodeClaims);
    } finally {
      clearInterval(sampler);
    }
    const after = readProcessMemory(controller.pid);
    figures['RSS during the story (max of 250 ms samples) MiB'] = mib(storyRssBytes);
    figures['RSS after the story MiB'] = mib(after.rssBytes);
    figures['peak RSS (VmHWM) MiB'] = mib(after.peakRssBytes);
    figures['watches relisted after 410 Gone'] = controller.logs.filter((l) => l.message === 'watch expired, relisting').length;
    figures['watch resumptions after the outage'] = controller.logs.filter((l) => l.message === 'watch recovered' || l.message === 'list recovered').length;
    // The restarted API server's watch cache starts at etcd's current revision: watches resumed from older
    // resourceVersions end with 410 Gone, and those informers relist.
    expect(figures['watches relisted after 410 Gone']).toBeGreaterThan(0);
  }, 170_000);
});

/** How often each WARN/ERROR message was logged (what the outage looked like from the controller). */
function countWarnings(logs: readonly ControllerLogLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of logs) {
    if (!/^(WARN|ERROR)$/i.test(line.level)) continue;
    const controller = typeof line['controller'] === 'string' ? ` (${line['controller']})` : '';
    const key = `${line.level} ${line.message}${controller}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const seconds = (ms: number): number => Math.round(ms / 100) / 10;
const mib = (bytes: number): number => Math.round(bytes / 1024 / 1024);
