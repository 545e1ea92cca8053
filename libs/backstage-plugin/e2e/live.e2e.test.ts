/**
 * The dev app in live mode, opened in Debian Chromium: a real controller (apps/controller's harness) on the
 * local control plane (@karpenter-ts/local-cluster) with pods of two teams (payments on its dedicated
 * NodePool, search on the shared default one) and of an unlabelled namespace. Vite forwards the page's
 * proxy calls to the controller's API with a real ServiceAccount token bound to karpenter-ts-capacity-reader,
 * as the Backstage proxy does. The team rows (nodes, requested CPU, $/h) must equal what the cluster holds.
 * Screenshot: tmp/e2e-artifacts/capacity-page-live.png (and docs/screenshot.png with KTS_UPDATE_DOCS_SCREENSHOT=1).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installControllerPrereqs, runKubectl, samplesDir, startController, type RunningController } from '@karpenter-ts/controller/testing';
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { defaultCatalog, podRequests, type Pod } from '@karpenter-ts/provisioner-domain';
import { CapacityResponseSchema } from '@karpenter-ts/capacity-api';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCores, formatCostPerHour } from '../src/format';
import { CHROMIUM_ARGS, ensureChromium } from './chromium';
import { startDevServer, type DevServer } from './devServer';
import { openSignedIn, shownTeamRows } from './browserPage';

const pluginRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = path.join(pluginRoot, 'tmp', 'e2e-artifacts');

let cluster: LocalCluster;
let controller: RunningController;
let server: DevServer;
let browser: Browser;
let token = '';

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
const namespace = (name: string, team?: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(team ? { labels: { team } } : {}) } });

interface KubeList<T> {
  items: T[];
}
interface NodeObject {
  metadata: { name: string; labels?: Record<string, string> };
}

function deployment(name: string, ns: string, replicas: number, cpu: string, dedicatedTo?: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          ...(dedicatedTo ? { nodeSelector: { team: dedicatedTo }, tolerations: [{ key: 'team', operator: 'Equal', value: dedicatedTo, effect: 'NoSchedule' }] } : {}),
          containers: [{ name, image: 'public.ecr.aws/eks-distro/kubernetes/pause:3.2', resources: { requests: { cpu, memory: '256Mi' } } }],
        },
      },
    },
  };
}

beforeAll(async () => {
  const executablePath = ensureChromium();
  mkdirSync(artifacts, { recursive: true });
  cluster = await startCluster();
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  controller = await startController({ kubeconfig: cluster.controllerKubeconfig, env: { BATCH_IDLE_DURATION: '500ms' } });
  await kubectl(['apply', '-f', path.join(samplesDir, 'default-nodepool.yaml')]);
  // payments' dedicated NodePool: the default sample's NodePool, renamed, with the team label and a taint.
  const sample = JSON.parse(await kubectl(['get', 'nodepool', 'default', '-o', 'json'])) as { spec: { template: { spec: Record<string, unknown> } } & Record<string, unknown> };
  await apply(
    namespace('payments', 'payments'),
    namespace('search', 'search'),
    namespace('plain'),
    namespace('portal'),
    {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'payments' },
      spec: {
        ...sample.spec,
        limits: { cpu: '64' },
        template: { metadata: { labels: { team: 'payments' } }, spec: { ...sample.spec.template.spec, taints: [{ key: 'team', value: 'payments', effect: 'NoSchedule' }] } },
      },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'backstage', namespace: 'portal' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'portal-backstage-capacity-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'karpenter-ts-capacity-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'backstage', namespace: 'portal' }],
    },
  );
  token = (await kubectl(['create', 'token', 'backstage', '-n', 'portal', '--duration=1h'])).trim();
  await apply(deployment('ledger', 'payments', 3, '1', 'payments'), deployment('index', 'search', 4, '500m'), deployment('misc', 'plain', 2, '250m'));
  await waitFor(
    async () => {
      const pods = (JSON.parse(await kubectl(['get', 'pods', '-A', '-o', 'json'])) as KubeList<Pod>).items.filter((p) =>
        ['payments', 'search', 'plain'].includes(p.metadata.namespace ?? ''),
      );
      return pods.length === 9 && pods.every((p) => p.status?.phase === 'Running');
    },
    { description: '9 pods of payments, search and plain Running', timeoutMs: 300_000, intervalMs: 500 },
  );
  server = await startDevServer({ KARPENTER_TS_API: controller.apiUrl, KARPENTER_TS_TOKEN: token });
  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}, 1_500_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await controller?.stop();
  await cluster?.stop();
});

describe('dev app in Chromium against a live controller', () => {
  it('shows per team the nodes, requested CPU and $/h the cluster holds', async () => {
    const nodes = (JSON.parse(await kubectl(['get', 'nodes', '-o', 'json'])) as KubeList<NodeObject>).items;
    const pods = (JSON.parse(await kubectl(['get', 'pods', '-A', '-o', 'json'])) as KubeList<Pod>).items.filter(
      (p) => p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
    );
    const teamOfNamespace: Record<string, string> = { payments: 'payments', search: 'search' };
    const cpuMillis = new Map<string, number>();
    for (const pod of pods) {
      const team = teamOfNamespace[pod.metadata.namespace ?? ''] ?? 'unassigned';
      cpuMillis.set(team, (cpuMillis.get(team) ?? 0) + (podRequests(pod)['cpu'] ?? 0));
    }
    const catalog = defaultCatalog();
    const price = (n: NodeObject): number => {
      const l = n.metadata.labels ?? {};
      const type = catalog.find((t) => t.name === l['node.kubernetes.io/instance-type']);
      return type?.offerings.find((o) => o.zone === l['topology.kubernetes.io/zone'] && o.capacityType === l['karpenter.sh/capacity-type'])?.pricePerHour ?? 0;
    };
    const paymentsNodes = nodes.filter((n) => n.metadata.labels?.['karpenter.sh/nodepool'] === 'payments');
    expect(paymentsNodes.length).toBeGreaterThan(0);

    // The controller reads informer caches: wait until its answer holds every node and pod, then open the page.
    await waitFor(
      async () => {
        const response = await fetch(`${controller.apiUrl}/api/v1/capacity?groupBy=team`, { headers: { Authorization: `Bearer ${token}` } });
        if (!response.ok) return false;
        const body = CapacityResponseSchema.parse(await response.json());
        return body.totals.nodes === nodes.length && body.totals.pods === pods.length;
      },
      { description: `the controller reports ${nodes.length} nodes and ${pods.length} pods`, timeoutMs: 120_000, intervalMs: 500 },
    );
    const page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    await openSignedIn(page, `${server.url}/karpenter-ts`);
    await page.locator('[data-field="team"], [data-testid="capacity-error"]').first().waitFor({ timeout: 300_000 });
    expect(await page.locator('[data-testid="capacity-error"]').count()).toBe(0);
    expect(await page.locator('[data-field="totalNodes"]').textContent()).toBe(String(nodes.length));
    const rows = await shownTeamRows(page);
    expect(rows.map((r) => r.team)).toEqual(['payments', 'search', 'unassigned']);
    const byTeam = new Map(rows.map((r) => [r.team, r]));
    expect(byTeam.get('payments')?.nodes).toBe(String(paymentsNodes.length));
    expect(byTeam.get('search')?.nodes).toBe('0');
    expect(byTeam.get('unassigned')?.nodes).toBe('0');
    for (const team of ['payments', 'search', 'unassigned']) {
      expect(byTeam.get(team)?.cpu, team).toContain(formatCores(cpuMillis.get(team) ?? 0));
    }
    expect(byTeam.get('search')?.cpu).toBe(`${formatCores(cpuMillis.get('search') ?? 0)} requested`);
    // The dedicated pool's whole price is the payments team's; the page's total is the sum of node prices.
    expect(byTeam.get('payments')?.costPerHour).toBe(formatCostPerHour(paymentsNodes.reduce((s, n) => s + price(n), 0)));
    expect(await page.locator('[data-field="totalCostPerHour"]').textContent()).toBe(formatCostPerHour(nodes.reduce((s, n) => s + price(n), 0)));

    await page.screenshot({ path: path.join(artifacts, 'capacity-page-live.png'), fullPage: true });
    if (process.env['KTS_UPDATE_DOCS_SCREENSHOT'] === '1') copyFileSync(path.join(artifacts, 'capacity-page-live.png'), path.join(pluginRoot, 'docs', 'screenshot.png'));
    await page.close();
  });
});
