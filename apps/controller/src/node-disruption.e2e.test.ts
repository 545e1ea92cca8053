/**
 * The node side of disruption on a real local control plane (tools/local-cluster: kube-apiserver, etcd,
 * kube-scheduler, kwok nodes) with the controller as its own process and the simulated cloud provider:
 * - drift: a NodePool template label change marks its NodeClaim `Drifted` (reason NodePoolDrifted); deleting
 *   the drifted NodeClaim brings a node with the new label for the pod;
 * - expiration: a NodeClaim with a short `expireAfter` is deleted when it elapses, whatever the budgets say
 *   (the pool's budget is `nodes: "0"`), and the provisioner replaces capacity for its pod;
 * - terminationGracePeriod: a pod a PodDisruptionBudget never lets go (minAvailable 1, 1 replica) is never
 *   evicted, and is deleted at the NodeClaim's deadline minus its own terminationGracePeriodSeconds.
 * Each scenario has its own NodePool and a Deployment pinned to it, `consolidateAfter: Never` so emptiness
 * stays out of the way. Figures (latencies, deadline accuracy) are printed.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-node-disruption-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;
let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const suiteStartMs = Date.now();

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const podsOf = async (app: string): Promise<Pod[]> => (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items;
const claimsOf = async (pool: string): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims, { labelSelector: `karpenter.sh/nodepool=${pool}` })).items;
const figure = (text: string): void => void process.stderr.write(`[node-disruption e2e] ${text}\n`);
const logTimeMs = (line: ControllerLogLine): number => Date.parse(String(line.time));

/** The seed's NodePool renamed `name`, consolidateAfter Never, with template labels and spec fields. */
function pool(name: string, o: { labels?: Record<string, string>; expireAfter?: string; terminationGracePeriod?: string; budgets?: { nodes: string }[] } = {}): Record<string, unknown> {
  const base = defaultNodePool('Never') as { metadata: Record<string, unknown>; spec: { template: { spec: Record<string, unknown> }; disruption: Record<string, unknown> } };
  return {
    ...base,
    metadata: { name },
    spec: {
      ...base.spec,
      disruption: { ...base.spec.disruption, ...(o.budgets ? { budgets: o.budgets } : {}) },
      template: {
        ...(o.labels ? { metadata: { labels: o.labels } } : {}),
        spec: {
          ...base.spec.template.spec,
          ...(o.expireAfter ? { expireAfter: o.expireAfter } : {}),
          ...(o.terminationGracePeriod ? { terminationGracePeriod: o.terminationGracePeriod } : {}),
        },
      },
    },
  };
}

/** One pause pod of 1 CPU pinned to NodePool `nodePool`, with its own terminationGracePeriodSeconds. */
function deployment(app: string, nodePool: string, terminationGracePeriodSeconds = 0): Record<string, unknown> {
  const base = pauseDeployment(app, 1, '1') as { spec: { template: { spec: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown> };
  return {
    ...base,
    spec: { ...base.spec, template: { ...base.spec.template, spec: { ...base.spec.template.spec, terminationGracePeriodSeconds, nodeSelector: { 'karpenter.sh/nodepool': nodePool } } } },
  };
}

/** Waits for the app's single pod Running and returns it with its NodeClaim. */
async function runningPod(app: string, nodePool: string, not?: string): Promise<{ pod: Pod; claim: NodeClaim }> {
  let found: { pod: Pod; claim: NodeClaim } | undefined;
  await waitFor(
    async () => {
      const pod = running(await podsOf(app)).find((p) => p.spec.nodeName && p.spec.nodeName !== not);
      const claim = pod ? (await claimsOf(nodePool)).find((c) => c.status?.nodeName === pod.spec.nodeName) : undefined;
      found = pod && claim ? { pod, claim } : undefined;
      return found !== undefined;
    },
    { description: `pod of ${app} Running on a node of ${nodePool}${not ? ` other than ${not}` : ''}`, timeoutMs: 120_000, intervalMs: 250 },
  );
  return found as { pod: Pod; claim: NodeClaim };
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
  writeFileSync(CONTROLLER_LOG, '');
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { LOG_LEVEL: 'debug' },
    onLog: (line) => appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await apply(defaultEC2NodeClass());
  failed = false;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  figure(`suite run time ${((Date.now() - suiteStartMs) / 1000).toFixed(1)} s`);
  if (failed) process.stderr.write(`node-disruption e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('node disruption on a local control plane', () => {
  it('a NodePool template label change marks the NodeClaim Drifted; deleting it brings a node with the new label', async () => {
    await apply(pool('drift', { labels: { team: 'a' } }), deployment('drifty', 'drift'));
    const { pod, claim } = await runningPod('drifty', 'drift');
    expect(claim.metadata.annotations?.['karpenter.sh/nodepool-hash-version']).toBe('kts-v1');
    expect(claim.status?.conditions?.find((c) => c.type === 'Drifted')).toBeUndefined();

    const changedAtMs = Date.now();
    await apply(pool('drift', { labels: { team: 'b' } }));
    let drifted: NodeClaim | undefined;
    await waitFor(
      async () => {
        drifted = await admin.get<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '');
        return drifted.status?.conditions?.some((c) => c.type === 'Drifted' && c.status === 'True') ?? false;
      },
      { description: 'NodeClaim Drifted', timeoutMs: 60_000, intervalMs: 100 },
    );
    const detectedMs = Date.now();
    expect(drifted?.status?.conditions?.find((c) => c.type === 'Drifted')).toMatchObject({ reason: 'NodePoolDrifted' });
    const logged = await controller.waitForLog((l) => l.message === 'marked nodeclaim as drifted' && (l['NodeClaim'] as { name?: string } | undefined)?.name === claim.metadata.name);
    figure(`drift condition latency: ${logTimeMs(logged) - changedAtMs} ms from the NodePool apply to the controller's write (${detectedMs - changedAtMs} ms until the test's poll saw it)`);

    // The replacement itself is the disruption loop's; deleting the drifted NodeClaim by hand takes the same path.
    await kubectl(['delete', 'nodeclaim', claim.metadata.name ?? '', '--wait=false']);
    const replaced = await runningPod('drifty', 'drift', pod.spec.nodeName);
    expect(replaced.claim.metadata.labels?.['team']).toBe('b');
    expect(replaced.claim.status?.conditions?.find((c) => c.type === 'Drifted')).toBeUndefined();
    await kubectl(['delete', 'deployment', 'drifty', '--wait=false']);
  });

  it('a NodeClaim with a short expireAfter is deleted when it elapses (budget nodes "0" notwithstanding) and its pod gets a new node', async () => {
    const expireAfterS = 30;
    await apply(pool('expiring', { expireAfter: `${expireAfterS}s`, budgets: [{ nodes: '0' }] }), deployment('expiring', 'expiring'));
    const { pod, claim } = await runningPod('expiring', 'expiring');
    expect(claim.spec.expireAfter).toBe(`${expireAfterS}s`);
    const logged = await controller.waitForLog(
      (l) => l.message === 'disrupting nodeclaim(s) via delete' && l['reason'] === 'expired' && (l['NodeClaim'] as { name?: string } | undefined)?.name === claim.metadata.name,
      { timeoutMs: 120_000, description: 'expiration of the first NodeClaim' },
    );
    const expiresAtMs = Date.parse(claim.metadata.creationTimestamp ?? '') + expireAfterS * 1000;
    figure(`expiration latency: ${logTimeMs(logged) - expiresAtMs} ms after creationTimestamp + expireAfter (creationTimestamp has 1 s resolution)`);
    expect(logTimeMs(logged)).toBeGreaterThanOrEqual(expiresAtMs);
    const replaced = await runningPod('expiring', 'expiring', pod.spec.nodeName);
    expect(replaced.claim.metadata.name).not.toBe(claim.metadata.name);
    await waitFor(async () => !(await claimsOf('expiring')).some((c) => c.metadata.name === claim.metadata.name), { description: 'expired NodeClaim gone', timeoutMs: 60_000, intervalMs: 250 });
    await kubectl(['delete', 'deployment', 'expiring', '--wait=false']);
    await kubectl(['delete', 'nodepool', 'expiring', '--wait=false']);
  });

  it('a pod a PDB never lets go is not evicted, and is deleted at the terminationGracePeriod deadline minus its own grace period', async () => {
    const tgpS = 20;
    const podGraceS = 5;
    await apply(
      pool('guarded', { terminationGracePeriod: `${tgpS}s` }),
      deployment('guarded', 'guarded', podGraceS),
      { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } },
    );
    const { pod, claim } = await runningPod('guarded', 'guarded');
    expect(claim.spec.terminationGracePeriod).toBe(`${tgpS}s`);
    await kubectl(['delete', 'nodeclaim', claim.metadata.name ?? '', '--wait=false']);
    const deleting = await admin.get<NodeClaim>(resources.nodeClaims, claim.metadata.name ?? '');
    const deadlineMs = Date.parse(String(deleting.metadata.deletionTimestamp)) + tgpS * 1000;

    const deleted = await controller.waitForLog((l) => l.message === 'deleting pod' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name, {
      timeoutMs: 120_000,
      description: 'the guarded pod deleted at the deadline',
    });
    const dueMs = deadlineMs - podGraceS * 1000;
    figure(`terminationGracePeriod deadline accuracy: pod deleted ${logTimeMs(deleted) - dueMs} ms after deadline - pod grace (deletionTimestamp has 1 s resolution)`);
    expect(logTimeMs(deleted)).toBeGreaterThanOrEqual(dueMs - 1_000);
    expect(deleted['delete.gracePeriodSeconds']).toBe(podGraceS);
    // The PDB was asked (429s), never bypassed by an eviction.
    expect(controller.logs.some((l) => l.message === 'evicted pod' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name)).toBe(false);
    expect(controller.logs.some((l) => l.message === 'eviction refused by a PodDisruptionBudget, retrying' && (l['Pod'] as { name?: string } | undefined)?.name === pod.metadata.name)).toBe(true);

    await waitFor(async () => !(await claimsOf('guarded')).some((c) => c.metadata.name === claim.metadata.name), { description: 'NodeClaim gone after the deadline', timeoutMs: 60_000, intervalMs: 250 });
    await runningPod('guarded', 'guarded', pod.spec.nodeName);
    await kubectl(['delete', 'pdb', 'guarded']);
    await kubectl(['delete', 'deployment', 'guarded', '--wait=false']);
  });
});
