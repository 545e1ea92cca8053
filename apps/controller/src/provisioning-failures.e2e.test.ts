/**
 * Provisioning against a slow and a failing cloud, on a real local control plane (etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler and KWOK from tools/local-cluster), one cluster for both tests, the
 * controller running as its own process with the simulated provider's knobs (SIMULATED_* options):
 * 1. slow launch: every instance boots for 30 s before its node registers and turns Ready
 *    (SIMULATED_READY_DELAY=30s, after a 3 s launch call, SIMULATED_LAUNCH_DELAY=3s): every pod ends Running, with exactly one NodeClaim per needed node, none removed as empty meanwhile.
 * 2. injected launch failures: the first 5 launches fail (SIMULATED_LAUNCH_FAILURES=5): the launches are retried
 *    with backoff, every pod ends Running, and exactly the NodeClaims needed were created.
 * Pods request 3 CPU and the NodePool allows only c-4x-amd64-linux (3.9 CPU allocatable): one pod per node, so
 * "the NodeClaims needed" is the number of pods. Every wait polls a condition; nothing sleeps a fixed time.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const INSTANCE_TYPE = 'c-4x-amd64-linux';
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-provisioning-failures-e2e-'));
let failed = false;

let cluster: LocalCluster;
let admin: HttpKubeClient;
let controller: RunningController | undefined;

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const listPods = async (app: string): Promise<Pod[]> => (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
const launchedNodes = async (): Promise<Node[]> => (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items;
const nodeClaims = async (): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims)).items;
const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const logsWith = (message: string): ControllerLogLine[] => controller?.logs.filter((l) => l.message === message) ?? [];

/** The story's NodePool narrowed to one instance type, so that each 3-CPU pod needs a node of its own. */
function onePodPerNodePool(): Record<string, unknown> {
  const pool = defaultNodePool('5s') as { spec: { template: { spec: { requirements: unknown[] } } } };
  const template = pool.spec.template;
  return {
    ...pool,
    spec: { ...pool.spec, template: { ...template, spec: { ...template.spec, requirements: [...template.spec.requirements, { key: 'node.kubernetes.io/instance-type', operator: 'In', values: [INSTANCE_TYPE] }] } } },
  };
}

/** Starts the controller with `env` (SIMULATED_* knobs), its log in this run's directory. */
async function startWith(name: string, env: Record<string, string>): Promise<RunningController> {
  const logFile = join(LOG_DIR, `${name}.log`);
  writeFileSync(logFile, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { LOG_LEVEL: 'debug', ...env },
    onLog: (line) => appendFileSync(logFile, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await waitFor(async () => ((await admin.get<{ status?: { conditions?: { type: string; status: string }[] } } & Node>(resources.nodePools, 'default')).status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'), {
    description: 'NodePool default Ready',
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  return controller;
}

async function waitAllRunning(app: string, replicas: number, timeoutMs: number): Promise<void> {
  await waitFor(async () => running(await listPods(app)).length === replicas, { description: `${replicas} ${app} pods Running`, timeoutMs, intervalMs: 250 });
}

/** Deletes the deployment and waits until the emptied nodes and their NodeClaims are gone. */
async function cleanUp(app: string): Promise<void> {
  await kubectl(['delete', 'deployment', app, '--wait=false']);
  await waitFor(async () => (await launchedNodes()).length === 0 && (await nodeClaims()).length === 0, { description: 'launched nodes and NodeClaims gone', timeoutMs: 120_000, intervalMs: 250 });
}

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
  await apply(defaultEC2NodeClass(), onePodPerNodePool());
  failed = false;
});

afterEach(async () => {
  // Whatever a test left (it failed before cleaning up) goes before the next test starts its own controller.
  if (controller && ((await launchedNodes()).length > 0 || (await nodeClaims()).length > 0)) {
    await kubectl(['delete', 'deployment', '--all', '--wait=false']);
    await waitFor(async () => (await launchedNodes()).length === 0 && (await nodeClaims()).length === 0, { description: 'leftovers gone', timeoutMs: 120_000, intervalMs: 250 }).catch(() => undefined);
  }
  await controller?.stop();
  controller = undefined;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  if (failed) process.stderr.write(`provisioning-failures e2e failed; controller logs are in ${LOG_DIR}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('provisioning against a slow or failing cloud', () => {
  it('slow launch (30 s to Ready): every pod Running on exactly one NodeClaim per needed node, none removed meanwhile', async () => {
    await startWith('slow-launch', { SIMULATED_LAUNCH_DELAY: '3s', SIMULATED_READY_DELAY: '30s' });
    const created = Date.now();
    await apply(pauseDeployment('slow', 4, '3'));
    await waitAllRunning('slow', 4, 240_000);
    // Nodes really were slow: nothing could run before the 3 s launch and the 30 s boot.
    expect(Date.now() - created).toBeGreaterThanOrEqual(33_000);
    const pods = running(await listPods('slow'));
    const claims = await nodeClaims();
    expect(claims).toHaveLength(4);
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(4);
    expect(logsWith('created nodeclaim')).toHaveLength(4);
    for (const claim of claims) expect(claim.metadata.labels?.['node.kubernetes.io/instance-type']).toBe(INSTANCE_TYPE);
    // No node was removed as empty before kube-scheduler bound its pod, and no launch was given up.
    expect(logsWith('disrupting node(s)')).toEqual([]);
    expect(logsWith('terminating due to timeout')).toEqual([]);
    await cleanUp('slow');
  });

  it('injected launch failures: retried with backoff, every pod Running on exactly the NodeClaims needed', async () => {
    await startWith('launch-failures', { SIMULATED_LAUNCH_FAILURES: '5' });
    await apply(pauseDeployment('flaky', 3, '3'));
    await waitAllRunning('flaky', 3, 180_000);
    const claims = await nodeClaims();
    expect(claims).toHaveLength(3);
    expect(logsWith('created nodeclaim')).toHaveLength(3);
    expect(logsWith('launched nodeclaim')).toHaveLength(3);
    // The failures happened and were retried (the work queue logs each failed reconcile).
    const failures = controller?.logs.filter((l) => l.message === 'reconciler error' && l['controller'] === 'nodeclaim.lifecycle') ?? [];
    expect(failures.length).toBeGreaterThanOrEqual(5);
    expect(JSON.stringify(failures[0])).toContain('simulated launch failure');
    for (const claim of claims) expect(claim.status?.conditions?.find((c) => c.type === 'Launched')?.status).toBe('True');
    await cleanUp('flaky');
  });
});
