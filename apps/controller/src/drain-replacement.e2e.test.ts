/**
 * Replacement capacity for a drain is bought once, on a real local control plane (tools/local-cluster) with the
 * controller as its own process: 10 pods of 1.5 CPU run on two c-8x nodes under a PodDisruptionBudget that
 * lets one pod go at a time; the NodePool is then widened to every linux/amd64 on-demand type and both nodes
 * are deleted. Karpenter's provisioner packs the pods of nodes being deleted with the pending ones
 * (`Provisioner.Schedule`: pending pods + `nodes.Deleting().ReschedulablePods`), so the first round after the
 * deletion sizes new capacity for all ten; the evictions that the PDB releases one by one then land on it.
 * Before this behaviour each eviction wave bought its own small node.
 * Checked: one provisioning round creates NodeClaims after the deletion, their number and $/h equal the
 * domain's packing of the same ten pods at once, and every pod ends Running on the new nodes.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { defaultCatalog, schedule, type DaemonSet, type Node, type NodeClaim, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment, podDisruptionBudget } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type RunningController } from './testing/harness.js';

const APP = 'drained';
const REPLICAS = 10;
const POD_CPU = '1500m';
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-drain-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const running = (pods: Pod[]): Pod[] => pods.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
const listPods = async (): Promise<Pod[]> => (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: `app=${APP}` })).items;
const launchedNodes = async (): Promise<Node[]> => (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items;
const nodeClaims = async (): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims)).items;

/** The seed's `default` NodePool, optionally narrowed to one instance type. */
function nodePool(instanceType?: string): Record<string, unknown> {
  const base = defaultNodePool('30s') as { spec: { template: { spec: { requirements: unknown[] } } } };
  const requirements = [...base.spec.template.spec.requirements, ...(instanceType ? [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: [instanceType] }] : [])];
  return { ...base, spec: { ...base.spec, template: { ...base.spec.template, spec: { ...base.spec.template.spec, requirements } } } };
}

/** USD per hour of a launched NodeClaim: the catalog offering of its instance type, zone and capacity type. */
function priceOf(claim: NodeClaim): number {
  const labels = claim.metadata.labels ?? {};
  const type = defaultCatalog().find((t) => t.name === labels['node.kubernetes.io/instance-type']);
  const offering = type?.offerings.find((o) => o.zone === labels['topology.kubernetes.io/zone'] && o.capacityType === labels['karpenter.sh/capacity-type']);
  if (!offering) throw new Error(`no offering for NodeClaim ${claim.metadata.name ?? ''} (${JSON.stringify(labels)})`);
  return offering.pricePerHour;
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
  failed = false;
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
  if (failed) process.stderr.write(`drain-replacement e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

describe('pods on nodes that are going away count as needing capacity', () => {
  it('deleting both nodes of 10 PDB-guarded pods buys replacement capacity once, sized and priced as packing all 10 at once', async () => {
    await apply(defaultEC2NodeClass(), nodePool('c-8x-amd64-linux'), podDisruptionBudget(APP, APP, 1), pauseDeployment(APP, REPLICAS, POD_CPU));
    await waitFor(async () => running(await listPods()).length === REPLICAS, { description: `${REPLICAS} pods Running`, timeoutMs: 120_000, intervalMs: 250 });
    const oldNodes = await launchedNodes();
    expect(oldNodes.map((n) => n.metadata.labels?.['node.kubernetes.io/instance-type'])).toEqual(['c-8x-amd64-linux', 'c-8x-amd64-linux']);
    const oldNames = new Set(oldNodes.map((n) => n.metadata.name ?? ''));
    const before = new Set((await nodeClaims()).map((c) => c.metadata.name));

    // Widen the pool, and wait until the controller has seen the new generation (its readiness conditions say so).
    await apply(nodePool());
    await waitFor(
      async () => {
        const np = await admin.get<NodePool>(resources.nodePools, 'default');
        return (np.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True' && c.observedGeneration === np.metadata.generation);
      },
      { description: 'widened NodePool observed', timeoutMs: 30_000, intervalMs: 200 },
    );

    // The domain's packing of the same ten pods, all pending at once, on an empty cluster.
    const pool = await admin.get<NodePool>(resources.nodePools, 'default');
    const daemonSets = (await admin.list<DaemonSet>(resources.daemonSets)).items;
    const pods: Pod[] = Array.from({ length: REPLICAS }, (_, i) => ({ metadata: { name: `p-${i}`, namespace: 'default', uid: `p-${i}`, labels: { app: APP } }, spec: { containers: [{ name: 'c', resources: { requests: { cpu: POD_CPU } } }] } }));
    const expected = schedule({ pods, existingNodes: [], nodePools: [pool], instanceTypes: { default: defaultCatalog() }, daemonSets });
    expect(expected.unschedulable).toEqual([]);
    const expectedPrice = expected.nodeClaims.reduce((sum, c) => sum + c.launch.pricePerHour, 0);

    const mark = controller.logs.length;
    await kubectl(['delete', 'node', ...oldNames, '--wait=false']);
    await waitFor(
      async () => {
        const pods = running(await listPods());
        const nodes = await launchedNodes();
        return pods.length === REPLICAS && pods.every((p) => !oldNames.has(p.spec.nodeName ?? '')) && nodes.every((n) => !oldNames.has(n.metadata.name ?? ''));
      },
      { description: `${REPLICAS} pods Running on replacement nodes, old nodes gone`, timeoutMs: 240_000, intervalMs: 250 },
    );

    const replacements = (await nodeClaims()).filter((c) => !before.has(c.metadata.name));
    const rounds = controller.logs.slice(mark).filter((l) => l.message === 'computed new nodeclaim(s) to fit pod(s)');
    expect(rounds, 'provisioning rounds that created NodeClaims after the deletion').toEqual([expect.objectContaining({ pods: REPLICAS, nodeclaims: expected.nodeClaims.length })]);
    expect(replacements).toHaveLength(expected.nodeClaims.length);
    expect(replacements.reduce((sum, c) => sum + priceOf(c), 0)).toBeCloseTo(expectedPrice, 9);
    const newNodes = new Set((await launchedNodes()).map((n) => n.metadata.name));
    for (const pod of running(await listPods())) expect(newNodes.has(pod.spec.nodeName), `${pod.metadata.name} on ${pod.spec.nodeName}`).toBe(true);

    await kubectl(['delete', 'deployment', APP, '--wait=false']);
    await kubectl(['delete', 'pdb', APP]);
  });
});
