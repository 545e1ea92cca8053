/**
 * NodeClaim garbage collection on a real local control plane (tools/local-cluster: kube-apiserver, etcd,
 * kube-scheduler, kwok) with the controller as its own process and the simulated cloud provider, whose instances
 * are the KWOK Nodes it created (labelled `kwok.x-k8s.io/node=fake` and with a NodePool, providerID `kwok://<name>`):
 * - an instance the provider lists with no NodeClaim is terminated once it is older than 30 s, never before;
 * - a NodeClaim whose instance is gone (its Node removed behind the controller's back, finalizer stripped, as
 *   when an instance is terminated outside Karpenter and its Node object disappears) is deleted.
 * Both directions run concurrently against one control plane; the figures (collection delay after the 30 s grace,
 * instance gone -> NodeClaim deleted) are printed.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { isNotFound } from './kube/errors.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources, type ResourceType } from './kube/resources.js';
import { isConditionTrue } from './state/conditions.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type ControllerLogLine, type RunningController } from './testing/harness.js';

const POOL = 'gc';
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-gc-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;
let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const suiteStartMs = Date.now();

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const figure = (text: string): void => void process.stderr.write(`[garbage-collection e2e] ${text}\n`);
const logTimeMs = (line: ControllerLogLine): number => Date.parse(String(line.time));
const exists = async (type: ResourceType, name: string): Promise<boolean> =>
  admin.get(type, name).then(
    () => true,
    (error: unknown) => {
      if (isNotFound(error)) return false;
      throw error;
    },
  );

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
  const base = defaultNodePool('Never') as { spec: Record<string, unknown> };
  await apply(defaultEC2NodeClass(), { ...base, metadata: { name: POOL } });
  failed = false;
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  figure(`suite run time ${((Date.now() - suiteStartMs) / 1000).toFixed(1)} s`);
  if (failed) process.stderr.write(`garbage-collection e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('nodeclaim garbage collection on a local control plane', () => {
  it.concurrent('an instance with no NodeClaim is terminated once older than 30 s, not before', async () => {
    const name = 'orphan-instance';
    const created = await admin.create<Node>(resources.nodes, {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: { 'kwok.x-k8s.io/node': 'fake', 'karpenter.sh/nodepool': POOL, 'kubernetes.io/hostname': name, 'node.kubernetes.io/instance-type': 'c-2x-amd64-linux' },
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
      },
      // Tainted so the other test's pod does not land on it.
      spec: { providerID: `kwok://${name}`, taints: [{ key: 'e2e.karpenter-ts/orphan', effect: 'NoSchedule' }] },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '32' }, allocatable: { cpu: '1900m', memory: '4Gi', pods: '32' } },
    });
    const createdMs = Date.parse(String(created.metadata.creationTimestamp));
    const collected = await controller.waitForLog((l) => l.message === 'garbage collected cloudprovider instance' && l['provider-id'] === `kwok://${name}`, {
      timeoutMs: 90_000,
      description: 'the unclaimed instance garbage collected',
    });
    // creationTimestamp has 1 s resolution and is truncated: the node is at least as old as it says.
    expect(logTimeMs(collected)).toBeGreaterThan(createdMs + 30_000);
    await waitFor(async () => !(await exists(resources.nodes, name)), { description: `node ${name} gone`, timeoutMs: 30_000, intervalMs: 250 });
    figure(`unclaimed instance terminated ${((logTimeMs(collected) - createdMs) / 1000).toFixed(1)} s after its creationTimestamp (grace 30 s, pass period 10 s)`);
  });

  it.concurrent('a NodeClaim whose instance is gone is deleted', async () => {
    const app = 'gc-app';
    const startMs = Date.now();
    const base = pauseDeployment(app, 1, '1') as { spec: { template: { spec: Record<string, unknown> } & Record<string, unknown> } & Record<string, unknown> };
    await apply({ ...base, spec: { ...base.spec, template: { ...base.spec.template, spec: { ...base.spec.template.spec, nodeSelector: { 'karpenter.sh/nodepool': POOL } } } } });
    let claim: NodeClaim | undefined;
    await waitFor(
      async () => {
        claim = (await admin.list<NodeClaim>(resources.nodeClaims, { labelSelector: `karpenter.sh/nodepool=${POOL}` })).items.find((c) => isConditionTrue(c, 'Initialized'));
        return claim !== undefined;
      },
      { description: 'a NodeClaim of the gc pool Initialized', timeoutMs: 120_000, intervalMs: 250 },
    );
    const initializedMs = Date.now();
    const claimName = claim?.metadata.name ?? '';
    const nodeName = claim?.status?.nodeName ?? '';
    // The workload goes first, so only the NodeClaim is left to collect.
    await kubectl(['delete', 'deployment', app, '--wait=true']);
    await waitFor(async () => (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${app}` })).items.length === 0, { description: 'the app pod gone', timeoutMs: 60_000, intervalMs: 250 });

    // The instance disappears: its Node leaves without Karpenter's termination (finalizer stripped first).
    await waitFor(
      async () => {
        const node = await admin.get<Node>(resources.nodes, nodeName);
        // A conflict (KWOK's status heartbeat in between) is retried.
        return admin.patch(resources.nodes, nodeName, 'merge', { metadata: { resourceVersion: node.metadata.resourceVersion, finalizers: null } }).then(
          () => true,
          () => false,
        );
      },
      { description: `finalizers of node ${nodeName} removed`, timeoutMs: 10_000, intervalMs: 100 },
    );
    await admin.delete(resources.nodes, nodeName);
    const goneMs = Date.now();
    figure(`NodeClaim Initialized ${((initializedMs - startMs) / 1000).toFixed(1)} s after the deployment; workload gone and node removed ${((goneMs - initializedMs) / 1000).toFixed(1)} s later`);
    expect(await exists(resources.nodes, nodeName)).toBe(false);

    await waitFor(async () => !(await exists(resources.nodeClaims, claimName)), { description: `NodeClaim ${claimName} deleted`, timeoutMs: 90_000, intervalMs: 250 });
    const deletedMs = Date.now();
    const logged = controller.logs.find((l) => l.message === 'garbage collecting nodeclaim with no cloudprovider representation' && (l['NodeClaim'] as { name?: string } | undefined)?.name === claimName);
    expect(logged).toMatchObject({ 'provider-id': `kwok://${nodeName}`, registered: true });
    figure(`instance gone -> NodeClaim deleted ${((deletedMs - goneMs) / 1000).toFixed(1)} s (pass period 10 s)`);
  });
});
