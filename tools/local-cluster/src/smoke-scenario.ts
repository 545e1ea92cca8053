import { startCluster } from './cluster.js';
import type { Log } from './log.js';
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

/**
 * End-to-end smoke of a fresh cluster, logging each step and its duration in milliseconds:
 * fake Node -> Ready (not-ready taint removed) -> 3 pause pods Running -> PDB blocks eviction
 * (429) -> cleanup -> stop -> no processes left. Resolves true on success, false (after
 * logging the error) on failure; the cluster is always stopped.
 */
export async function runSmoke(log: Log): Promise<boolean> {
  const t0 = Date.now();
  const cluster = await startCluster({ log });
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const s = Date.now();
    const value = await fn();
    log(`smoke: ${name} (${Date.now() - s} ms)`);
    return value;
  };
  let ok = false;
  try {
    const kube = adminClient(cluster);
    const version = await step('GET /version', () => serverVersion(kube));
    log(`smoke: server ${version}; ${(await kubectl(cluster, 'version', '--client', '-o', 'yaml')).split('\n').find((l) => l.includes('gitVersion'))?.trim()}`);
    await step('create node', () => createFakeNode(kube, 'smoke-node'));
    await step('node Ready, not-ready taint removed', () => waitNodeReady(kube, 'smoke-node'));
    await step('create namespace + deployment', async () => {
      await createNamespace(kube, 'smoke');
      await createPauseDeployment(kube, 'smoke', 'pause', 3);
    });
    const pods = await step('3 pods scheduled and Running', () => waitPodsRunning(kube, 'smoke', 'app=pause', 3));
    const podName = pods[0]?.metadata?.name ?? '';
    await step('PDB maxUnavailable=0 observed', () => createPdb(kube, 'smoke', 'pause', 0, 3));
    const status = await step('eviction', () => evict(kube, 'smoke', podName));
    if (status !== 429) throw new Error(`eviction of ${podName} returned ${status}, want 429`);
    log(`smoke: ${await kubectl(cluster, 'get', 'nodes,pods', '-A', '-o', 'wide')}`);
    await step('delete deployment, pods gone', async () => {
      await deleteAndWait(kube, '/apis/apps/v1/namespaces/smoke/deployments/pause');
      await deleteAndWait(kube, '/apis/policy/v1/namespaces/smoke/poddisruptionbudgets/pause');
      for (const p of await listPods(kube, 'smoke', 'app=pause')) await deleteAndWait(kube, `/api/v1/namespaces/smoke/pods/${p.metadata?.name ?? ''}`);
    });
    await step('delete node', () => deleteAndWait(kube, '/api/v1/nodes/smoke-node'));
    ok = true;
  } catch (error) {
    log(`smoke FAILED: ${error instanceof Error ? error.message : String(error)}; logs in ${cluster.logDir}`);
  } finally {
    await step('stop', () => cluster.stop({ keepWorkDir: !ok }));
  }
  const left = processesMentioning(cluster.workDir);
  if (left.length > 0) {
    log(`smoke FAILED: processes left behind: ${left.join(', ')}`);
    ok = false;
  }
  log(`smoke ${ok ? 'passed' : 'failed'} in ${Date.now() - t0} ms (cluster ready in ${cluster.timingsMs.ready} ms, readyz ${cluster.timingsMs.readyz} ms)`);
  return ok;
}
