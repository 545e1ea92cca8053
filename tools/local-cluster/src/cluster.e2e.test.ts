import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBinaries, pinnedVersions } from './binaries.js';
import { startCluster, type LocalCluster } from './cluster.js';
import { run } from './exec.js';
import type { KubeHttp } from './kube-http.js';
import { defaultLog } from './log.js';
import { waitFor } from './poll.js';
import {
  adminClient,
  createFakeNode,
  createNamespace,
  createPauseDeployment,
  createPdb,
  deleteAndWait,
  evict,
  kubectl,
  listPods,
  processesMentioning,
  serverVersion,
  waitNodeReady,
  waitPodsRunning,
} from './smoke.js';

const ns = 'smoke';
const nodeName = 'kwok-smoke-0';

describe('local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok)', () => {
  let cluster: LocalCluster;
  let kube: KubeHttp;
  let failed = false;

  beforeAll(async () => {
    await ensureBinaries({ log: defaultLog }); // cold: several minutes, with progress lines
    cluster = await startCluster({ log: defaultLog });
    kube = adminClient(cluster);
  }, 3_600_000);

  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail') failed = true;
  });

  afterAll(async () => {
    await cluster?.stop({ keepWorkDir: failed });
    if (failed) defaultLog(`kept ${cluster?.workDir} for its logs`);
  });

  it('serves the pinned Kubernetes version to kubectl', async () => {
    expect(await serverVersion(kube)).toBe(pinnedVersions().kubernetes);
    const version = JSON.parse(await kubectl(cluster, 'version', '-o', 'json')) as { serverVersion: { gitVersion: string }; clientVersion: { gitVersion: string } };
    expect(version.clientVersion.gitVersion).toBe(pinnedVersions().kubernetes);
    expect(version.serverVersion.gitVersion).toBe(pinnedVersions().kubernetes);
  });

  it('authenticates the controller kubeconfig as karpenter-ts-controller without granting it RBAC', async () => {
    const whoami = await run([cluster.kubectl, `--kubeconfig=${cluster.controllerKubeconfig}`, 'auth', 'whoami', '-o', 'json']);
    const status = (JSON.parse(whoami.stdout) as { status: { userInfo: { username: string; groups: string[] } } }).status.userInfo;
    expect(status.username).toBe('karpenter-ts-controller');
    expect(status.groups).toContain('karpenter-ts');
    expect(status.groups).not.toContain('system:masters');
    const denied = await run([cluster.kubectl, `--kubeconfig=${cluster.controllerKubeconfig}`, 'get', 'nodes'], { check: false });
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toMatch(/forbidden/i);
  });

  it('turns an annotated Node Ready through KWOK and removes the not-ready taint', async () => {
    const started = Date.now();
    await createFakeNode(kube, nodeName);
    const node = await waitNodeReady(kube, nodeName);
    defaultLog(`node Ready ${Date.now() - started} ms after creation`);
    expect(node.spec?.taints ?? []).toEqual([]);
  });

  it('schedules a Deployment of 3 pause pods with kube-scheduler and runs them', async () => {
    await createNamespace(kube, ns);
    await createPauseDeployment(kube, ns, 'pause', 3);
    const pods = await waitPodsRunning(kube, ns, 'app=pause', 3);
    for (const pod of pods) {
      expect(pod.spec?.nodeName).toBe(nodeName);
      expect(pod.status?.conditions).toContainEqual(expect.objectContaining({ type: 'PodScheduled', status: 'True' }));
      expect(pod.status?.conditions).toContainEqual(expect.objectContaining({ type: 'Ready', status: 'True' }));
    }
  });

  it('answers 429 to an Eviction blocked by a PodDisruptionBudget, 201 once the budget allows it', async () => {
    const [victim] = await listPods(kube, ns, 'app=pause');
    const name = victim?.metadata?.name ?? '';
    const pdb = await createPdb(kube, ns, 'pause', 0, 3);
    expect(pdb.status?.disruptionsAllowed).toBe(0);
    expect(await evict(kube, ns, name)).toBe(429);

    const patch = await kube.request({
      method: 'PATCH',
      path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/pause`,
      contentType: 'application/merge-patch+json',
      body: { spec: { maxUnavailable: 1 } },
    });
    expect(patch.status).toBe(200);
    await waitFor(
      async () => {
        const res = await kube.request({ path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/pause` });
        return (res.body as { status?: { disruptionsAllowed?: number } }).status?.disruptionsAllowed === 1;
      },
      { description: 'PDB allows one disruption', timeoutMs: 30_000 },
    );
    expect(await evict(kube, ns, name)).toBe(201);
    await waitFor(async () => (await kube.request({ path: `/api/v1/namespaces/${ns}/pods/${name}` })).status === 404, {
      description: `evicted pod ${name} deleted`,
      timeoutMs: 30_000,
    });
    await waitPodsRunning(kube, ns, 'app=pause', 3); // the ReplicaSet replaced it
  });

  it('deletes the pods and the node', async () => {
    await deleteAndWait(kube, `/apis/apps/v1/namespaces/${ns}/deployments/pause`);
    await waitFor(async () => (await listPods(kube, ns, 'app=pause')).length === 0, { description: 'pods gone', timeoutMs: 60_000 });
    await deleteAndWait(kube, `/api/v1/nodes/${nodeName}`);
  });

  it('stops every process and leaves none behind', async () => {
    const pids = cluster.processes.map((p) => p.pid);
    expect(pids).toHaveLength(5);
    expect(processesMentioning(cluster.workDir).length).toBeGreaterThanOrEqual(5);
    await cluster.stop({ keepWorkDir: failed });
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect(processesMentioning(cluster.workDir)).toEqual([]);
  });
});
