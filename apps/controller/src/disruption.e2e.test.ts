/**
 * The disruption loop on a real local control plane (tools/local-cluster, KWOK nodes, the simulated provider),
 * the controller as its own process with DISRUPTION_POLL_PERIOD=2s and DISRUPTION_VALIDATION_PERIOD=2s:
 *
 * 1. A NodePool (WhenEmptyOrUnderutilized, consolidateAfter 0s, c-2x/c-4x/c-8x) with a budget `nodes: "0"`, one
 *    pod annotated `karpenter.sh/do-not-disrupt`, then 40 pods of 1 CPU under a PodDisruptionBudget
 *    (minAvailable 8). Scaled to 10: nothing is disrupted while the budget says 0 (the loop says why); once the
 *    budget is removed the cluster consolidates to fewer, cheaper nodes. Checked continuously by a watcher: the
 *    PDB's minAvailable always holds, and no node disappears while a pod that was neither evicted nor deleted is
 *    still bound to it. At the end every pod is Running and the do-not-disrupt pod is on its first node.
 *
 * Drift replaced by the loop within a budget is in node-disruption.e2e.test.ts.
 * Printed: the 40 -> 10 consolidation time, $/h and node counts before and after.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { defaultCatalog, type Node, type NodeClaim, type Pod } from '@karpenter-ts/provisioner-domain';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type RunningController } from './testing/harness.js';

const APP = 'web';
const KEEPER = 'keeper';
const MIN_AVAILABLE = 8;
const LOG_DIR = mkdtempSync(join(tmpdir(), 'karpenter-ts-disruption-e2e-'));
const CONTROLLER_LOG = join(LOG_DIR, 'controller.log');
let failed = false;

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const isRunning = (p: Pod): boolean => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp;
const listPods = async (): Promise<Pod[]> => (await admin.list<Pod>(resources.pods, { namespace: 'default' })).items;
const launchedNodes = async (): Promise<Node[]> => (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items;
const liveClaims = async (): Promise<NodeClaim[]> => (await admin.list<NodeClaim>(resources.nodeClaims)).items.filter((c) => !c.metadata.deletionTimestamp);
const isDisrupting = (n: Node): boolean => Boolean(n.metadata.deletionTimestamp) || (n.spec?.taints ?? []).some((t) => t.key === 'karpenter.sh/disrupted');

/** The seed's `default` NodePool narrowed to c-2x/c-4x/c-8x, consolidating underutilized nodes at once. */
function nodePool(options: { budgets?: { nodes: string }[]; templateLabels?: Record<string, string> } = {}): Record<string, unknown> {
  const base = defaultNodePool('0s') as { spec: { template: { metadata?: object; spec: { requirements: unknown[] } }; disruption: object } };
  const requirements = [...base.spec.template.spec.requirements, { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-2x-amd64-linux', 'c-4x-amd64-linux', 'c-8x-amd64-linux'] }];
  return {
    ...base,
    spec: {
      ...base.spec,
      template: { ...(options.templateLabels ? { metadata: { labels: options.templateLabels } } : {}), spec: { ...base.spec.template.spec, requirements } },
      disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', ...(options.budgets ? { budgets: options.budgets } : {}) },
    },
  };
}

/** USD per hour of a launched NodeClaim: the catalog offering of its instance type, zone and capacity type. */
function priceOf(claim: NodeClaim): number {
  const labels = claim.metadata.labels ?? {};
  const type = defaultCatalog().find((t) => t.name === labels['node.kubernetes.io/instance-type']);
  const offering = type?.offerings.find((o) => o.zone === labels['topology.kubernetes.io/zone'] && o.capacityType === labels['karpenter.sh/capacity-type']);
  return offering?.pricePerHour ?? Number.NaN;
}
const pricePerHour = (claims: readonly NodeClaim[]): number => claims.reduce((sum, c) => sum + priceOf(c), 0);

/**
 * Samples nodes, then pods, every 200 ms and records what must never happen: fewer than MIN_AVAILABLE `web` pods
 * Running (once armed), a node gone while a pod neither evicted nor deleted is still bound to it, and more
 * NodePool nodes disrupting at once than `maxDisrupting` (when set).
 */
class Watcher {
  readonly violations: string[] = [];
  armed = false;
  maxDisrupting: number | undefined;
  peakDisrupting = 0;
  /** When the set of NodePool nodes last changed, ms since the epoch. */
  lastNodeChangeMs = Date.now();
  private stopped = false;
  private readonly done: Promise<void>;
  private previousNodes = new Set<string>();

  constructor() {
    this.done = this.loop();
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      try {
        // Nodes first: a pod still bound, undeleted, to a node already gone was never evicted.
        const nodes = await launchedNodes();
        const pods = await listPods();
        const names = new Set(nodes.map((n) => n.metadata.name ?? ''));
        for (const gone of [...this.previousNodes].filter((n) => !names.has(n))) {
          const stranded = pods.filter((p) => p.spec.nodeName === gone && !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
          if (stranded.length > 0) this.violations.push(`node ${gone} deleted while holding ${stranded.map((p) => p.metadata.name).join(', ')}`);
        }
        if (names.size !== this.previousNodes.size || [...names].some((n) => !this.previousNodes.has(n))) this.lastNodeChangeMs = Date.now();
        this.previousNodes = names;
        const healthy = pods.filter((p) => p.metadata.labels?.['app'] === APP && isRunning(p)).length;
        if (this.armed && healthy < MIN_AVAILABLE) this.violations.push(`${healthy} ${APP} pods Running, PDB minAvailable is ${MIN_AVAILABLE}`);
        const disrupting = nodes.filter(isDisrupting).length;
        this.peakDisrupting = Math.max(this.peakDisrupting, disrupting);
        if (this.maxDisrupting !== undefined && disrupting > this.maxDisrupting) this.violations.push(`${disrupting} nodes disrupting at once, budget ${this.maxDisrupting}`);
      } catch {
        // A failed sample is skipped; the next one looks again.
      }
      await sleep(200);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.done;
  }
}

let watcher: Watcher;

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
    env: { LOG_LEVEL: 'debug', DISRUPTION_POLL_PERIOD: '2s', DISRUPTION_VALIDATION_PERIOD: '2s' },
    onLog: (line) => appendFileSync(CONTROLLER_LOG, `${JSON.stringify(line)}\n`),
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  watcher = new Watcher();
  failed = false;
}, 180_000);

afterAll(async () => {
  await watcher?.stop();
  await controller?.stop();
  await cluster?.stop();
  if (failed) process.stderr.write(`disruption e2e failed; every controller log line of this run is in ${CONTROLLER_LOG}\n`);
  else rmSync(LOG_DIR, { recursive: true, force: true });
});

/**
 * Waits until nothing is disrupting or pending and, for `quietMs` (at least since `sinceMs`), no command was
 * validated or started.
 */
async function settled(description: string, expectedPods: number, sinceMs: number, quietMs = 10_000): Promise<void> {
  await waitFor(
    async () => {
      const lastCommand = [...controller.logs].reverse().find((l) => l.message === 'disrupting node(s)' || l.message === 'validating disruption command');
      const lastMs = Math.max(sinceMs, lastCommand?.time ? Date.parse(lastCommand.time) : 0);
      if (Date.now() - lastMs < quietMs) return false;
      const nodes = await launchedNodes();
      const claims = (await admin.list<NodeClaim>(resources.nodeClaims)).items;
      const pods = await listPods();
      return (
        nodes.every((n) => !isDisrupting(n)) &&
        claims.every((c) => !c.metadata.deletionTimestamp) &&
        claims.length === nodes.length &&
        pods.length === expectedPods &&
        pods.every(isRunning)
      );
    },
    { description, timeoutMs: 180_000, intervalMs: 500 },
  );
}

describe('disruption loop on a local control plane', () => {
  it('budget nodes "0" blocks; once removed, 40 -> 10 pods consolidate to fewer, cheaper nodes under a PDB; a do-not-disrupt pod keeps its node', async () => {
    await apply(defaultEC2NodeClass(), nodePool({ budgets: [{ nodes: '0' }] }));
    const keeper = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: KEEPER, namespace: 'default', annotations: { 'karpenter.sh/do-not-disrupt': 'true' } },
      spec: { terminationGracePeriodSeconds: 0, containers: [{ name: KEEPER, image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu: '1' } } }] },
    };
    await apply(keeper);
    const keeperNode = await waitFor(async () => {
      const pod = await admin.get<Pod>(resources.pods, KEEPER, 'default');
      return isRunning(pod) ? pod.spec.nodeName : undefined;
    }, { description: 'the do-not-disrupt pod Running', timeoutMs: 90_000, intervalMs: 250 });

    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: APP, namespace: 'default' }, spec: { minAvailable: MIN_AVAILABLE, selector: { matchLabels: { app: APP } } } };
    await apply(pdb, pauseDeployment(APP, 40, '1'));
    await waitFor(async () => (await listPods()).filter((p) => p.metadata.labels?.['app'] === APP && isRunning(p)).length === 40, { description: '40 pods Running', timeoutMs: 120_000, intervalMs: 250 });
    watcher.armed = true;
    const claimsBefore = await liveClaims();
    const priceBefore = pricePerHour(claimsBefore);

    const scaledAt = Date.now();
    await kubectl(['scale', 'deployment', APP, '--replicas=10']);
    await waitFor(async () => (await listPods()).filter((p) => p.metadata.labels?.['app'] === APP).length === 10, { description: 'scaled to 10', timeoutMs: 60_000, intervalMs: 250 });

    // Budget 0: the loop says so (and Events say so), and deletes nothing for several passes.
    const mark = controller.logs.length;
    await controller.waitForLog((l) => l.message === 'disruption blocked' && l['code'] === 'BudgetExhausted', { timeoutMs: 60_000, description: 'disruption blocked by the budget' });
    await sleep(8_000);
    expect(controller.logs.slice(mark).filter((l) => l.message === 'disrupting node(s)')).toEqual([]);
    expect((await liveClaims()).length).toBe(claimsBefore.length);
    const blockedEvents = await kubectl(['get', 'events', '-A', '--field-selector', 'reason=DisruptionBlocked', '-o', 'name']);
    expect(blockedEvents.trim().split('\n').filter((l) => l !== '').length).toBeGreaterThan(0);

    const releasedAt = Date.now();
    await apply(nodePool());
    await settled('consolidation finished', 11, releasedAt);
    const doneAt = watcher.lastNodeChangeMs;
    const claimsAfter = await liveClaims();
    const priceAfter = pricePerHour(claimsAfter);

    const keeperNow = await admin.get<Pod>(resources.pods, KEEPER, 'default');
    expect(isRunning(keeperNow) && keeperNow.spec.nodeName).toBe(keeperNode);
    expect((await launchedNodes()).map((n) => n.metadata.name)).toContain(keeperNode);
    expect(watcher.violations).toEqual([]);
    expect(claimsAfter.length).toBeLessThan(claimsBefore.length);
    expect(priceAfter).toBeLessThan(priceBefore);
    // Events through the API server, each on the NodeClaim and on the Node: Disrupting for what went, DisruptionBlocked
    // (the budget, the do-not-disrupt pod) and Unconsolidatable (no cheaper placement) for what stayed.
    const events = JSON.parse(await kubectl(['get', 'events', '-A', '-o', 'json'])) as { items: { reason: string; message: string; involvedObject: { kind: string } }[] };
    const kindsOf = (reason: string): string[] => [...new Set(events.items.filter((e) => e.reason === reason).map((e) => e.involvedObject.kind))].sort();
    expect({ Disrupting: kindsOf('Disrupting'), DisruptionBlocked: kindsOf('DisruptionBlocked'), Unconsolidatable: kindsOf('Unconsolidatable') }).toEqual({
      Disrupting: ['Node', 'NodeClaim'],
      DisruptionBlocked: ['Node', 'NodeClaim'],
      Unconsolidatable: ['Node', 'NodeClaim'],
    });
    const commands = controller.logs.filter((l) => l.message === 'disrupting node(s)');
    process.stdout.write(
      `disruption e2e: 40 -> 10 pods: ${((doneAt - scaledAt) / 1000).toFixed(1)} s from scale-down (${((doneAt - releasedAt) / 1000).toFixed(1)} s after the budget was removed); ` +
        `nodes ${claimsBefore.length} -> ${claimsAfter.length}; $${priceBefore.toFixed(3)}/h -> $${priceAfter.toFixed(3)}/h; commands: ${commands.map((c) => `${String(c['reason'])}/${String(c['decision'])}x${String(c['disrupted-node-count'])}`).join(', ')}\n`,
    );
  }, 420_000);
});
