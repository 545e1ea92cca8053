/**
 * The seed story on a real local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler
 * and KWOK from tools/local-cluster), with the controller running as its own process and identity
 * (user karpenter-ts-controller, RBAC from config/rbac.yaml):
 * 1. inflate: a `default` NodePool (WhenEmpty) is not Ready until its EC2NodeClass `default` exists (READY
 *    column False, NodeClassNotFound), then Ready; 10 pause pods of 1 CPU → all Running on nodes the
 *    controller launched; deleting the deployment → the empty nodes go away ("disrupting node(s)" before
 *    "tainted node", as Karpenter logs them).
 * 2. the same with the v1alpha5 Provisioner of the seed article.
 * 3. `kubectl delete node` on a launched node whose pod is protected by a PDB with maxUnavailable 0: node and
 *    pod stay while the PDB refuses evictions; once the PDB allows it, the node drains and goes ("draining
 *    node" logged once for that drain).
 * Every wait polls a condition; nothing sleeps a fixed time. The controller's log goes to a fresh temporary
 * directory per run; its path is printed when anything fails (the directory is removed after a clean run).
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Condition, Node, NodeClaim, NodePool, Pod, Provisioner } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HttpKubeClient } from './kube/http-client.js';
import { loadKubeConfig } from './kube/config.js';
import { isNotFound } from './kube/errors.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment, podDisruptionBudget, seedProvisioner } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const CONSOLIDATE_AFTER_S = 5;
/** This run's own directory (concurrent runs never share a file) for every controller log line. */
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-seed-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
/** Set when a hook or a test failed: the log is kept and its path printed. */
let failed = false;

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const timings: Record<string, number> = {};

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));

async function listPods(app: string): Promise<Pod[]> {
  return (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
}
async function launchedNodes(): Promise<Node[]> {
  return (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items;
}
async function nodeClaims(): Promise<NodeClaim[]> {
  return (await admin.list<NodeClaim>(resources.nodeClaims)).items;
}
const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const logsWith = (message: string): ControllerLogLine[] => controller.logs.filter((l) => l.message === message);
const nodeOf = (line: ControllerLogLine): string | undefined => (line['Node'] as { name?: string } | undefined)?.name;

async function conditionsOf(resource: 'nodepools' | 'provisioners', name: string): Promise<Record<string, Condition>> {
  const object = await admin.get<NodePool | Provisioner>(resource === 'nodepools' ? resources.nodePools : resources.provisioners, name);
  return Object.fromEntries((object.status?.conditions ?? []).map((c) => [c.type, c]));
}

/** Waits until the object's `Ready` condition has `status`; returns all its conditions by type. */
async function waitForReady(resource: 'nodepools' | 'provisioners', name: string, status: 'True' | 'False'): Promise<Record<string, Condition>> {
  let conditions: Record<string, Condition> = {};
  await waitFor(
    async () => {
      conditions = await conditionsOf(resource, name);
      return conditions['Ready']?.status === status;
    },
    { description: `${resource}/${name} Ready=${status}`, timeoutMs: 30_000, intervalMs: 200 },
  );
  return conditions;
}

/** The READY column of `kubectl get nodepools NAME` (the printer column from the CRD). */
async function readyColumn(name: string): Promise<string | undefined> {
  const [header = '', row = ''] = (await kubectl(['get', 'nodepools', name])).trim().split('\n');
  return row.trim().split(/\s+/)[header.trim().split(/\s+/).indexOf('READY')];
}

/** Waits for `replicas` Running pods of `app`, all on controller-launched nodes; returns ms waited. */
async function waitAllRunning(app: string, replicas: number, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  await waitFor(
    async () => {
      const pods = running(await listPods(app));
      return pods.length === replicas;
    },
    { description: `${replicas} ${app} pods Running`, timeoutMs, intervalMs: 200 },
  );
  return Date.now() - started;
}

async function waitNoLaunchedNodes(timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  await waitFor(async () => (await launchedNodes()).length === 0 && (await nodeClaims()).length === 0, {
    description: 'every launched node and NodeClaim gone',
    timeoutMs,
    intervalMs: 250,
  });
  return Date.now() - started;
}

beforeEach(({ onTestFailed }) =>
  onTestFailed(() => {
    failed = true;
  }),
);

beforeAll(async () => {
  const t0 = Date.now();
  failed = true; // until the setup below completes
  cluster = await startCluster();
  timings['cluster start ms'] = Date.now() - t0;
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  const t1 = Date.now();
  writeFileSync(CONTROLLER_LOG, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { LOG_LEVEL: 'debug' },
    onLog: (line) => {
      appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`);
      if (process.env['KTS_E2E_VERBOSE']) process.stderr.write(`${JSON.stringify(line)}\n`);
    },
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  timings['controller ready ms'] = Date.now() - t1;
  failed = false;
});

afterAll(async () => {
  const code = await controller?.stop();
  timings['controller exit code'] = code ?? -1;
  await cluster?.stop();
  process.stderr.write(`seed e2e timings: ${JSON.stringify(timings)}\n`);
  if (failed) process.stderr.write(`seed e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('seed story on a real control plane', () => {
  it('inflate: 10 pods of 1 CPU run on launched nodes, and the nodes go once the deployment is deleted', async () => {
    await apply(defaultNodePool(`${CONSOLIDATE_AFTER_S}s`));
    // Its EC2NodeClass does not exist yet: the pool is not Ready, and says why.
    const notReady = await waitForReady('nodepools', 'default', 'False');
    expect(notReady['ValidationSucceeded']).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(notReady['NodeClassReady']).toMatchObject({ status: 'False', reason: 'NodeClassNotFound', observedGeneration: 1 });
    expect(notReady['Ready']).toMatchObject({ reason: 'UnhealthyDependents', message: 'NodeClassReady=False' });
    expect(await readyColumn('default')).toBe('False');
    await apply(defaultEC2NodeClass());
    const ready = await waitForReady('nodepools', 'default', 'True');
    expect(ready['NodeClassReady']).toMatchObject({ status: 'True', reason: 'NodeClassReady' });
    expect(ready['ValidationSucceeded']?.lastTransitionTime).toBe(notReady['ValidationSucceeded']?.lastTransitionTime);
    expect(await readyColumn('default')).toBe('True');

    const created = Date.now();
    await apply(pauseDeployment('inflate', 10));
    timings['inflate pods created→Running ms'] = await waitAllRunning('inflate', 10);
    timings['inflate created→Running ms'] = Date.now() - created;
    // Each pod was nominated to the NodeClaim launched for it (Karpenter's Nominated event, issue 14).
    await waitFor(async () => (await kubectl(['get', 'events', '-n', 'default', '--field-selector', 'reason=Nominated', '-o', 'name'])).trim().split('\n').length >= 10, { description: '10 Nominated events', timeoutMs: 30_000, intervalMs: 500 });

    const pods = running(await listPods('inflate'));
    const nodes = await launchedNodes();
    const nodeNames = new Set(nodes.map((n) => n.metadata.name));
    for (const pod of pods) expect(nodeNames.has(pod.spec.nodeName), `${pod.metadata.name} on ${pod.spec.nodeName}`).toBe(true);
    for (const node of nodes) {
      expect(node.metadata.labels).toMatchObject({ 'karpenter.sh/nodepool': 'default', 'karpenter.sh/registered': 'true', 'karpenter.sh/initialized': 'true', 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'karpenter.sh/capacity-type': 'on-demand' });
      expect(node.metadata.finalizers).toContain('karpenter.sh/termination');
      expect((node.spec?.taints ?? []).map((t) => t.key)).not.toContain('karpenter.sh/unregistered');
    }
    const claims = await nodeClaims();
    expect(claims.length).toBe(nodes.length);
    for (const claim of claims) {
      const conditions = Object.fromEntries((claim.status?.conditions ?? []).map((c) => [c.type, c.status]));
      expect(conditions).toMatchObject({ Launched: 'True', Registered: 'True', Initialized: 'True', Ready: 'True' });
      expect(claim.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'NodePool', name: 'default' });
      // The NodeClaim CRD accepts the NodePool name as a requirement, as Karpenter's does.
      expect(claim.spec.requirements).toContainEqual(expect.objectContaining({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['default'] }));
    }
    // The pods' binding is persisted as status.lastPodEventTime (emptiness counts consolidateAfter from it).
    await waitFor(async () => (await nodeClaims()).every((c) => typeof c.status?.lastPodEventTime === 'string'), {
      description: 'status.lastPodEventTime on every NodeClaim',
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    for (const message of ['found provisionable pod(s)', 'computed new nodeclaim(s) to fit pod(s)', 'created nodeclaim', 'launched nodeclaim', 'registered nodeclaim', 'initialized nodeclaim']) {
      expect(logsWith(message).length, message).toBeGreaterThan(0);
    }
    expect(logsWith('launched nodeclaim')[0]).toMatchObject({ 'instance-type': expect.any(String), zone: expect.any(String), 'capacity-type': 'on-demand' });
    timings['inflate nodes'] = nodes.length;

    const deleted = Date.now();
    await kubectl(['delete', 'deployment', 'inflate', '--wait=false']);
    timings['inflate deleted→nodes gone ms'] = await waitNoLaunchedNodes();
    expect(Date.now() - deleted).toBeGreaterThanOrEqual(CONSOLIDATE_AFTER_S * 1000);
    for (const message of ['disrupting node(s)', 'tainted node', 'deleted node', 'deleted nodeclaim']) expect(logsWith(message).length, message).toBeGreaterThan(0);
    expect(logsWith('disrupting node(s)')[0]).toMatchObject({ reason: 'empty', decision: 'delete' });
    // Karpenter's order: the command is announced, then the node is tainted.
    for (const node of nodes) {
      const name = node.metadata.name;
      const disrupting = controller.logs.findIndex((l) => l.message === 'disrupting node(s)' && JSON.stringify(l['disrupted-nodes'] ?? []).includes(`"${name ?? ''}"`));
      const tainted = controller.logs.findIndex((l) => l.message === 'tainted node' && nodeOf(l) === name);
      expect(disrupting, `disrupting node(s) for ${name}`).toBeGreaterThanOrEqual(0);
      expect(tainted, `tainted node for ${name}`).toBeGreaterThan(disrupting);
    }
    await kubectl(['delete', 'nodepool', 'default']);
  });

  it('the v1alpha5 Provisioner of the seed article drives the same story', async () => {
    await apply(seedProvisioner(CONSOLIDATE_AFTER_S));
    // Its node class is inline (spec.provider): Ready without any node class object.
    expect((await waitForReady('provisioners', 'default', 'True'))['NodeClassReady']).toMatchObject({ status: 'True' });
    const created = Date.now();
    await apply(pauseDeployment('inflate', 10));
    await waitAllRunning('inflate', 10);
    timings['provisioner created→Running ms'] = Date.now() - created;
    const allowedTypes = ['s-2x-amd64-linux', 's-8x-amd64-linux', 's-2x-arm64-linux', 's-8x-arm64-linux'];
    const nodes = await launchedNodes();
    expect(nodes.length).toBeGreaterThan(0);
    for (const node of nodes) {
      expect(allowedTypes).toContain(node.metadata.labels?.['node.kubernetes.io/instance-type']);
      expect(['test-zone-a', 'test-zone-b']).toContain(node.metadata.labels?.['topology.kubernetes.io/zone']);
      expect(node.metadata.labels?.['karpenter.sh/nodepool']).toBe('default');
    }
    const claims = await nodeClaims();
    for (const claim of claims) expect(claim.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Provisioner', name: 'default' });
    await kubectl(['delete', 'deployment', 'inflate', '--wait=false']);
    timings['provisioner deleted→nodes gone ms'] = await waitNoLaunchedNodes();
    await kubectl(['delete', 'provisioner', 'default']);
  });

  it('kubectl delete node drains through the Eviction API and a PDB with maxUnavailable 0 holds the node until relaxed', async () => {
    await apply(defaultEC2NodeClass(), defaultNodePool(`${CONSOLIDATE_AFTER_S}s`));
    await apply(podDisruptionBudget('guarded', 'guarded', 0), pauseDeployment('guarded', 1));
    await waitAllRunning('guarded', 1);
    const [pod] = running(await listPods('guarded'));
    const nodeName = pod?.spec.nodeName ?? '';
    expect(nodeName).not.toBe('');
    const evictionsRefused = async (): Promise<number> => {
      const text = await controller.scrapeMetrics();
      const match = /karpenter_pods_eviction_requests_total\{code="429"\} (\d+)/.exec(text);
      return Number(match?.[1] ?? 0);
    };

    await kubectl(['delete', 'node', nodeName, '--wait=false']);
    // The PDB refuses evictions: wait until at least two were refused, then the node and the pod must still be there.
    await waitFor(async () => (await evictionsRefused()) >= 2, { description: 'evictions refused by the PDB', timeoutMs: 60_000, intervalMs: 200 });
    const node = await admin.get<Node>(resources.nodes, nodeName);
    expect(node.metadata.deletionTimestamp).toBeDefined();
    expect((node.spec?.taints ?? []).some((t) => t.key === 'karpenter.sh/disrupted' && t.effect === 'NoSchedule')).toBe(true);
    const stillThere = await admin.get<Pod>(resources.pods, pod?.metadata.name ?? '', 'default');
    expect(stillThere.metadata.deletionTimestamp).toBeUndefined();
    expect(stillThere.status?.phase).toBe('Running');
    const claim = (await nodeClaims()).find((c) => c.status?.nodeName === nodeName);
    expect(claim?.metadata.deletionTimestamp).toBeDefined();

    await kubectl(['patch', 'pdb', 'guarded', '--type', 'merge', '-p', '{"spec":{"maxUnavailable":1}}']);
    await waitFor(
      async () => {
        try {
          await admin.get<Node>(resources.nodes, nodeName);
          return false;
        } catch (error) {
          return isNotFound(error);
        }
      },
      { description: `node ${nodeName} gone`, timeoutMs: 60_000, intervalMs: 200 },
    );
    await waitFor(
      async () => {
        try {
          await admin.get<Pod>(resources.pods, pod?.metadata.name ?? '', 'default');
          return false;
        } catch (error) {
          return isNotFound(error);
        }
      },
      { description: 'the guarded pod evicted', timeoutMs: 60_000 },
    );
    expect(controller.logs.some((l) => l.message === 'deleted node' && nodeOf(l) === nodeName)).toBe(true);
    // One drain, one "draining node", however long the PDB held it and the pod took to terminate.
    expect(logsWith('draining node').filter((l) => nodeOf(l) === nodeName)).toEqual([expect.objectContaining({ pods: 1, Pods: `default/${pod?.metadata.name ?? ''}` })]);
    // The replacement pod gets a new node.
    await waitAllRunning('guarded', 1);

    await kubectl(['delete', 'deployment', 'guarded', '--wait=false']);
    await kubectl(['delete', 'pdb', 'guarded']);
    await waitNoLaunchedNodes();
  });

  it('a second replica stays standby behind the leader Lease; metrics use Karpenter names', async () => {
    const standby = await startController({ kubeconfig: cluster.controllerKubeconfig, env: { LOG_LEVEL: 'info' } });
    try {
      await standby.waitForLog((l) => l.message === 'attempting to acquire leader lease', { timeoutMs: 30_000, description: 'standby campaign' });
      expect(standby.logs.some((l) => l.message === 'starting controllers')).toBe(false);
      const text = await controller.scrapeMetrics();
      for (const name of ['karpenter_nodeclaims_created_total', 'karpenter_pods_state', 'karpenter_scheduler_scheduling_duration_seconds', 'karpenter_nodes_terminated_total', 'leader_election_master_status{name="karpenter-leader-election"} 1']) {
        expect(text, name).toContain(name);
      }
      expect(text).toMatch(/^karpenter_pods_provisioning_bound_duration_seconds_count\{dynamic_resources="false"\} ([1-9]\d*)$/m);
      expect(text).toMatch(/^karpenter_cluster_state_synced 1$/m);
    } finally {
      expect(await standby.stop()).toBe(0);
    }
  });
});
