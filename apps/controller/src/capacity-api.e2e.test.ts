/**
 * The controller's read-only API on a real local control plane, with real ServiceAccount tokens (TokenRequest
 * API, `kubectl create token`) checked by the API server's TokenReview and RBAC's SubjectAccessReview:
 * - 401 without a token and with a bad one, 403 for a ServiceAccount without the ClusterRole
 *   karpenter-ts-capacity-reader (config/rbac.yaml), 200 for one bound to it;
 * - pods of two teams (namespaces labelled team=payments and team=search; payments has its dedicated NodePool)
 *   plus an unlabelled namespace: the per-team pods, requested CPU and nodes equal what the cluster holds;
 * - the cost reconciles to the cent: sum(teams) + idle = totals = sum of the catalog prices of the nodes.
 * Every wait polls a condition; nothing sleeps a fixed time.
 */
import { CapacityResponseSchema, ErrorResponseSchema, InstanceTypesResponseSchema, PendingResponseSchema, type CapacityResponse } from '@karpenter-ts/capacity-api';
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { defaultCatalog, podRequests, type Node, type Pod } from '@karpenter-ts/provisioner-domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kube/config.js';
import { HttpKubeClient } from './kube/http-client.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool } from './testing/fixtures.js';
import { installControllerPrereqs, runKubectl, startController, type RunningController } from './testing/harness.js';

let cluster: LocalCluster;
let controller: RunningController;
let admin: HttpKubeClient;
const tokens: Record<'reader' | 'intruder', string> = { reader: '', intruder: '' };

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const apply = (...objects: Record<string, unknown>[]): Promise<string> => kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));

const namespace = (name: string, team?: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(team ? { labels: { team } } : {}) } });

function deployment(name: string, namespaceName: string, replicas: number, cpu: string, dedicatedTo?: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: namespaceName },
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

/** A NodePool dedicated to `team`: its template carries the team label, its nodes a taint only the team tolerates. */
function teamNodePool(team: string): Record<string, unknown> {
  const base = defaultNodePool('30s') as { spec: { template: { spec: Record<string, unknown> } } };
  return {
    ...base,
    metadata: { name: team },
    spec: {
      ...base.spec,
      limits: { cpu: '64' },
      template: { metadata: { labels: { team } }, spec: { ...base.spec.template.spec, taints: [{ key: 'team', value: team, effect: 'NoSchedule' }] } },
    },
  };
}

async function api(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${controller.apiUrl}${path}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });
  return { status: res.status, body: await res.json() };
}

beforeAll(async () => {
  cluster = await startCluster();
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  controller = await startController({
    kubeconfig: cluster.controllerKubeconfig,
    env: { BATCH_IDLE_DURATION: '500ms' },
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  await apply(
    namespace('payments', 'payments'),
    namespace('search', 'search'),
    namespace('plain'),
    namespace('portal'),
    defaultEC2NodeClass(),
    defaultNodePool('30s'),
    teamNodePool('payments'),
  );
  await apply(
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reader', namespace: 'portal' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'intruder', namespace: 'portal' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'portal-capacity-reader' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'karpenter-ts-capacity-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace: 'portal' }],
    },
  );
  tokens.reader = (await kubectl(['create', 'token', 'reader', '-n', 'portal', '--duration=1h'])).trim();
  tokens.intruder = (await kubectl(['create', 'token', 'intruder', '-n', 'portal', '--duration=1h'])).trim();
  await apply(deployment('ledger', 'payments', 3, '1', 'payments'), deployment('index', 'search', 4, '500m'), deployment('misc', 'plain', 2, '250m'));
  await waitFor(
    async () => {
      const pods = (await admin.list<Pod>(resources.pods)).items.filter((p) => ['payments', 'search', 'plain'].includes(p.metadata.namespace ?? ''));
      return pods.length === 9 && pods.every((p) => p.status?.phase === 'Running');
    },
    { description: '9 pods of payments, search and plain Running', timeoutMs: 180_000, intervalMs: 250 },
  );
});

afterAll(async () => {
  await controller?.stop();
  await cluster?.stop();
});

describe('controller API on a real control plane', () => {
  it('401 without or with a bad token, 403 for a ServiceAccount without the reader ClusterRole, 200 for the reader', async () => {
    const none = await api('/api/v1/capacity');
    expect(none.status).toBe(401);
    expect(ErrorResponseSchema.parse(none.body).error.message).toMatch(/Bearer/);
    const bad = await api('/api/v1/capacity', 'not-a-token');
    expect(bad.status).toBe(401);
    expect(ErrorResponseSchema.parse(bad.body).error.reason).toBe('Unauthorized');
    const denied = await api('/api/v1/capacity', tokens.intruder);
    expect(denied.status).toBe(403);
    expect(ErrorResponseSchema.parse(denied.body).error.message).toContain('system:serviceaccount:portal:intruder');
    // RBAC's cache picks the binding up within moments of its creation.
    let ok = { status: 0, body: undefined as unknown };
    await waitFor(
      async () => {
        ok = await api('/api/v1/capacity', tokens.reader);
        return ok.status === 200;
      },
      { description: 'reader answered 200', timeoutMs: 30_000, intervalMs: 250 },
    );
    CapacityResponseSchema.parse(ok.body);
    expect((await api('/api/v1/pending', tokens.reader)).status).toBe(200);
    PendingResponseSchema.parse((await api('/api/v1/pending', tokens.reader)).body);
    const types = await api('/api/v1/instancetypes?nodePool=payments', tokens.reader);
    expect(InstanceTypesResponseSchema.parse(types.body).nodePools[0]?.instanceTypes.length).toBeGreaterThan(0);
  });

  it('reports per team the pods, requested CPU and nodes the cluster holds, and reconciles cost to the cent', async () => {
    const nodes = (await admin.list<Node>(resources.nodes)).items;
    const pods = (await admin.list<Pod>(resources.pods)).items.filter((p) => p.spec.nodeName && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const teamOfNamespace: Record<string, string> = { payments: 'payments', search: 'search' };
    const expected = new Map<string, { pods: number; cpuMillis: number }>();
    for (const pod of pods) {
      const team = teamOfNamespace[pod.metadata.namespace ?? ''] ?? 'unassigned';
      const e = expected.get(team) ?? { pods: 0, cpuMillis: 0 };
      e.pods++;
      e.cpuMillis += podRequests(pod)['cpu'] ?? 0;
      expected.set(team, e);
    }
    // The API reads informer caches: wait until they hold what the cluster holds.
    let body: CapacityResponse | undefined;
    await waitFor(
      async () => {
        const r = await api('/api/v1/capacity?groupBy=team', tokens.reader);
        body = CapacityResponseSchema.parse(r.body);
        return body.totals.nodes === nodes.length && body.totals.pods === pods.length;
      },
      { description: 'capacity answer matches the cluster', timeoutMs: 30_000, intervalMs: 250 },
    );
    const capacity = body as CapacityResponse;
    expect(capacity.teams.map((t) => t.team)).toEqual(['payments', 'search', 'unassigned']);
    for (const team of capacity.teams) {
      const e = expected.get(team.team);
      expect(team.pods, team.team).toBe(e?.pods);
      const cpu = team.requested['cpu'] ?? '0';
      expect(cpu.endsWith('m') ? Number(cpu.slice(0, -1)) : Number(cpu) * 1000, team.team).toBe(e?.cpuMillis);
    }
    const paymentsNodes = nodes.filter((n) => n.metadata.labels?.['karpenter.sh/nodepool'] === 'payments');
    expect(paymentsNodes.length).toBeGreaterThan(0);
    const payments = capacity.teams[0];
    expect(payments).toMatchObject({ nodePools: ['payments'], nodes: paymentsNodes.length });
    expect(payments?.nodePoolLimits[0]).toMatchObject({ nodePool: 'payments', limits: { cpu: '64' } });
    expect(capacity.teams[1]?.nodes).toBe(0);

    // Cost: every node priced from the catalog offering of its labels; teams + idle = totals = sum of prices.
    const catalog = defaultCatalog();
    const price = (n: Node): number => {
      const l = n.metadata.labels ?? {};
      const type = catalog.find((t) => t.name === l['node.kubernetes.io/instance-type']);
      return type?.offerings.find((o) => o.zone === l['topology.kubernetes.io/zone'] && o.capacityType === l['karpenter.sh/capacity-type'])?.pricePerHour ?? 0;
    };
    // Equal to the cent: less than half a cent apart (rounding each to whole cents could split a pair straddling a half cent).
    const expectToTheCent = (actual: number, expected: number): void => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(0.005);
    const sumPrices = nodes.reduce((s, n) => s + price(n), 0);
    expect(sumPrices).toBeGreaterThan(0);
    expectToTheCent(capacity.totals.costPerHour, sumPrices);
    expectToTheCent(capacity.teams.reduce((s, t) => s + t.costPerHour, 0) + capacity.idle.costPerHour, capacity.totals.costPerHour);
    expectToTheCent(capacity.nodes.reduce((s, n) => s + n.pricePerHour, 0), sumPrices);
    // The dedicated pool's whole price is the payments team's (allocated + its idle).
    expectToTheCent(payments?.costPerHour ?? 0, paymentsNodes.reduce((s, n) => s + price(n), 0));

    const shared = CapacityResponseSchema.parse((await api('/api/v1/capacity?shareIdle=true', tokens.reader)).body);
    expectToTheCent(shared.teams.reduce((s, t) => s + t.costPerHour, 0) + shared.idle.costPerHour, sumPrices);
  });
});
