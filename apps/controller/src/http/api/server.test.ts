import {
  CapacityResponseSchema,
  ErrorResponseSchema,
  InstanceTypesResponseSchema,
  PendingResponseSchema,
  SimulateResponseSchema,
  type CapacityResponse,
} from '@karpenter-ts/capacity-api';
import { defaultCatalog, type Namespace, type Node, type NodeClaim, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/client.js';
import { launchedClaim, launchedNode, nodePool } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { FakeKubeClient } from '../../testing/fake-kube.js';
import { ApiAuthenticator } from './auth.js';
import { ApiHandlers } from './handlers.js';
import { startApiServer, type ApiServer } from './server.js';
import { Simulator } from './simulate.js';

const TYPE = 'c-4x-amd64-linux';
const ZONE = 'test-zone-a';
const PRICE = defaultCatalog()
  .find((t) => t.name === TYPE)
  ?.offerings.find((o) => o.zone === ZONE && o.capacityType === 'on-demand')?.pricePerHour ?? NaN;
/** Equal to the cent: the amounts differ by less than half a cent (rounding each to whole cents could split a pair straddling a half cent). */
const expectToTheCent = (actual: number, expected: number): void => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(0.005);

const namespace = (name: string, team?: string): Namespace => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...(team ? { labels: { team } } : {}) } });

function node(name: string, pool: string): Node {
  const base = launchedNode(name, pool);
  return {
    ...base,
    metadata: { ...base.metadata, labels: { ...base.metadata.labels, 'node.kubernetes.io/instance-type': TYPE, 'topology.kubernetes.io/zone': ZONE, 'karpenter.sh/capacity-type': 'on-demand' } },
    status: { ...base.status, allocatable: { cpu: '4', memory: '8Gi', pods: '64' } },
  };
}

function claim(name: string, pool: string): NodeClaim {
  const base = launchedClaim(name, pool);
  return { ...base, metadata: { ...base.metadata, labels: { ...base.metadata.labels, 'topology.kubernetes.io/zone': ZONE } } };
}

function pod(ns: string, name: string, nodeName: string | undefined, cpu: string, memory: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${ns}-${name}`, creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', resources: { requests: { cpu, memory } } }] },
    status: nodeName
      ? { phase: 'Running', conditions: [{ type: 'PodScheduled', status: 'True' }] }
      : { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  };
}

function paymentsPool(): NodePool {
  const pool = nodePool('payments');
  pool.spec.template.metadata = { labels: { team: 'payments' } };
  pool.spec.limits = { cpu: '16' };
  return pool;
}

/** Two teams and an unlabelled namespace on a shared and a dedicated node; one pod too big for any type. */
const seed = {
  namespaces: [namespace('payments', 'payments'), namespace('search', 'search'), namespace('default')],
  nodePools: [nodePool('default'), paymentsPool()],
  nodes: [node('shared-1', 'default'), node('payments-1', 'payments')],
  nodeClaims: [claim('shared-1', 'default'), claim('payments-1', 'payments')],
  pods: [
    pod('search', 's-1', 'shared-1', '2', '2Gi'),
    pod('default', 'u-1', 'shared-1', '1', '1Gi'),
    pod('payments', 'p-1', 'payments-1', '1', '2Gi'),
    pod('payments', 'p-huge', undefined, '1000', '1Gi'),
  ],
};

/** A fake API that answers TokenReviews (tokens `good-*` authenticate as `system:serviceaccount:portal:<rest>`) and SubjectAccessReviews (only `reader` is allowed). */
class ReviewingFakeKube extends FakeKubeClient {
  tokenReviews = 0;
  override async create<T extends KubeObject>(type: Parameters<FakeKubeClient['create']>[0], object: T, options?: Parameters<FakeKubeClient['create']>[2]): Promise<T> {
    const body = object as unknown as { spec: Record<string, unknown> };
    if (type.plural === 'tokenreviews') {
      this.tokenReviews++;
      const token = String(body.spec['token']);
      const user = token.startsWith('good-') ? { username: `system:serviceaccount:portal:${token.slice(5)}`, groups: ['system:serviceaccounts'] } : undefined;
      return { ...object, status: user ? { authenticated: true, user } : { authenticated: false, error: 'token expired' } };
    }
    if (type.plural === 'subjectaccessreviews') {
      const spec = body.spec as { user: string; resourceAttributes: { group: string; resource: string; verb: string } };
      const allowed = spec.user === 'system:serviceaccount:portal:reader' && spec.resourceAttributes.group === 'karpenter-ts.io';
      return { ...object, status: { allowed, ...(allowed ? {} : { reason: 'no RBAC rule' }) } };
    }
    return super.create(type, object, options);
  }
}

interface Harness {
  t: TestContext;
  server: ApiServer;
  url: string;
  simulator: Simulator;
  reviews: ReviewingFakeKube;
  authenticator: ApiAuthenticator;
}

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.server.close();
    await h.simulator.close();
    await h.t.stop();
  }
});

async function start(
  options: { auth?: boolean; cors?: string[]; maxBodyBytes?: number; timeoutMs?: number; ready?: () => boolean; tokenCacheSize?: number } = {},
): Promise<Harness> {
  const t = await newTestContext(seed);
  const reviews = new ReviewingFakeKube();
  const simulator = new Simulator({ timeoutMs: options.timeoutMs ?? 30_000 });
  const authenticator = new ApiAuthenticator({ client: reviews, clock: t.clock, ttlMs: 10_000, maxEntries: options.tokenCacheSize ?? 100 });
  const server = await startApiServer({
    handlers: new ApiHandlers({ state: t.ctx.state, cloudProvider: t.ctx.cloudProvider, clock: t.clock, teamLabelKey: 'team', simulator }),
    authenticator: options.auth ? authenticator : undefined,
    log: t.ctx.log,
    bindAddress: '127.0.0.1',
    port: 0,
    corsAllowedOrigins: options.cors ?? [],
    maxBodyBytes: options.maxBodyBytes ?? 1_048_576,
    ready: options.ready ?? (() => t.ctx.state.synced),
  });
  const h = { t, server, url: `http://127.0.0.1:${server.port}`, simulator, reviews, authenticator };
  open.push(h);
  return h;
}

async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.json(), headers: res.headers };
}

function expectError(r: { status: number; body: unknown }, status: number, reason: string): string {
  expect(r.status).toBe(status);
  const parsed = ErrorResponseSchema.parse(r.body);
  expect(parsed.error).toMatchObject({ status, reason });
  return parsed.error.message;
}

describe('GET /api/v1/capacity', () => {
  it('reports each team, its dedicated NodePool, pending pods and limits headroom, valid against the shared schema', async () => {
    const h = await start();
    const r = await getJson(`${h.url}/api/v1/capacity?groupBy=team`);
    expect(r.status).toBe(200);
    const body: CapacityResponse = CapacityResponseSchema.parse(r.body);
    expect(body.teams.map((t) => t.team)).toEqual(['payments', 'search', 'unassigned']);
    const payments = body.teams[0];
    expect(payments).toMatchObject({
      nodePools: ['payments'],
      nodes: 1,
      nodeClaims: 1,
      pods: 1,
      allocatable: { cpu: '4', memory: '8Gi', pods: '64' },
      requested: { cpu: '1', memory: '2Gi', pods: '1' },
      utilisation: { cpu: 0.25, memory: 0.25 },
      pendingPods: 1,
      nodeGroups: [{ instanceType: TYPE, capacityType: 'on-demand', zone: ZONE, nodes: 1, nodeClaims: 1, costPerHour: PRICE }],
      nodePoolLimits: [{ nodePool: 'payments', limits: { cpu: '16' }, used: { cpu: '4' }, headroom: { cpu: '12' } }],
    });
    // Dedicated: allocated + idle of its pool = the whole node price.
    expectToTheCent(payments?.costPerHour ?? 0, PRICE);
    expect(payments?.idleCostPerHour).toBeGreaterThan(0);
    expect(payments?.pending[0]).toMatchObject({ namespace: 'payments', name: 'p-huge', team: 'payments' });
    expect(payments?.pending[0]?.nodePools['payments']).toMatch(/cpu/);
    const search = body.teams[1];
    expect(search).toMatchObject({ nodePools: [], nodes: 0, pods: 1, requested: { cpu: '2', memory: '2Gi', pods: '1' }, idleCostPerHour: 0 });
    expect(body.teams[2]).toMatchObject({ team: 'unassigned', pods: 1, requested: { cpu: '1', memory: '1Gi', pods: '1' } });
    // Shared node: search requests half of cpu and a quarter of memory, so it costs more than unassigned's pod.
    expect(search?.costPerHour).toBeGreaterThan(body.teams[2]?.costPerHour ?? Infinity);
    expect(body.totals).toMatchObject({ nodes: 2, nodeClaims: 2, pods: 3, pendingPods: 1 });
    expect(body.nodes.map((n) => [n.name, n.team ?? null, n.priced, n.pods])).toEqual([
      ['payments-1', 'payments', true, 1],
      ['shared-1', null, true, 2],
    ]);
    expect(body.nodePools.find((p) => p.name === 'payments')).toMatchObject({ team: 'payments', nodes: 1, costPerHour: PRICE });
  });

  it('reconciles to the cent: sum(teams) + idle = totals = sum of node prices', async () => {
    const h = await start();
    for (const shareIdle of [false, true]) {
      const body = CapacityResponseSchema.parse((await getJson(`${h.url}/api/v1/capacity?shareIdle=${shareIdle}`)).body);
      const teams = body.teams.reduce((s, t) => s + t.costPerHour, 0);
      expectToTheCent(teams + body.idle.costPerHour, body.totals.costPerHour);
      expectToTheCent(body.nodes.reduce((s, n) => s + n.pricePerHour, 0), body.totals.costPerHour);
      expectToTheCent(body.totals.costPerHour, 2 * PRICE);
      for (const n of body.nodes) expectToTheCent(Object.values(n.costByTeam).reduce((a, b) => a + b, 0) + n.idleCostPerHour, n.pricePerHour);
      if (shareIdle) {
        expect(body.idle.costPerHour).toBe(0);
        expect(body.teams.find((t) => t.team === 'search')?.sharedIdleCostPerHour).toBeGreaterThan(0);
        expect(body.teams.find((t) => t.team === 'payments')?.sharedIdleCostPerHour).toBe(0);
      } else {
        expect(body.idle.costPerHour).toBeGreaterThan(0);
      }
    }
  });

  it('answers 400 with the fix for an unknown groupBy or a bad shareIdle', async () => {
    const h = await start();
    expect(expectError(await getJson(`${h.url}/api/v1/capacity?groupBy=namespace`), 400, 'BadRequest')).toMatch(/groupBy=team/);
    expect(expectError(await getJson(`${h.url}/api/v1/capacity?shareIdle=yes`), 400, 'BadRequest')).toMatch(/shareIdle=true/);
  });

  it('answers 503 NotReady until the caches synced', async () => {
    const h = await start({ ready: () => false });
    expectError(await getJson(`${h.url}/api/v1/capacity`), 503, 'NotReady');
  });
});

describe('GET /api/v1/pending and /api/v1/instancetypes', () => {
  it('lists pending pods with per-NodePool reasons', async () => {
    const h = await start();
    const body = PendingResponseSchema.parse((await getJson(`${h.url}/api/v1/pending`)).body);
    expect(body.pods).toHaveLength(1);
    expect(body.pods[0]).toMatchObject({ namespace: 'payments', name: 'p-huge', team: 'payments', requests: { cpu: '1000', memory: '1Gi', pods: '1' } });
    expect(Object.keys(body.pods[0]?.nodePools ?? {}).sort()).toEqual(['default', 'payments']);
  });

  it('serves a NodePool catalog with offerings cheapest first, and 404 for an unknown NodePool', async () => {
    const h = await start();
    const body = InstanceTypesResponseSchema.parse((await getJson(`${h.url}/api/v1/instancetypes?nodePool=payments`)).body);
    expect(body.nodePools.map((p) => p.nodePool)).toEqual(['payments']);
    const type = body.nodePools[0]?.instanceTypes.find((t) => t.name === TYPE);
    expect(type?.capacity).toMatchObject({ cpu: '4', memory: '8Gi' });
    const prices = type?.offerings.map((o) => o.pricePerHour) ?? [];
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    const all = InstanceTypesResponseSchema.parse((await getJson(`${h.url}/api/v1/instancetypes`)).body);
    expect(all.nodePools.map((p) => p.nodePool)).toEqual(['default', 'payments']);
    expect(expectError(await getJson(`${h.url}/api/v1/instancetypes?nodePool=nope`), 404, 'NotFound')).toMatch(/default, payments/);
  });

  it('answers 404 for an unknown path and 405 for a wrong method', async () => {
    const h = await start();
    expectError(await getJson(`${h.url}/api/v1/nodes`), 404, 'NotFound');
    const r = await getJson(`${h.url}/api/v1/capacity`, { method: 'POST', body: '{}' });
    expectError(r, 405, 'MethodNotAllowed');
    expect(r.headers.get('allow')).toBe('GET');
  });
});

describe('authentication and authorization', () => {
  it('401 without a token or with a bad one, 403 for a user without the RBAC rule, 200 for a reader', async () => {
    const h = await start({ auth: true });
    const none = await getJson(`${h.url}/api/v1/capacity`);
    expect(expectError(none, 401, 'Unauthorized')).toMatch(/Authorization: Bearer/);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(expectError(await getJson(`${h.url}/api/v1/capacity`, { headers: { Authorization: 'Bearer bad' } }), 401, 'Unauthorized')).toMatch(/token expired/);
    const denied = expectError(await getJson(`${h.url}/api/v1/pending`, { headers: { Authorization: 'Bearer good-intruder' } }), 403, 'Forbidden');
    expect(denied).toContain('system:serviceaccount:portal:intruder');
    expect(denied).toContain('get capacity.karpenter-ts.io');
    expect(denied).toContain('karpenter-ts-capacity-reader');
    const ok = await getJson(`${h.url}/api/v1/capacity`, { headers: { Authorization: 'Bearer good-reader' } });
    expect(ok.status).toBe(200);
    CapacityResponseSchema.parse(ok.body);
  });

  it('caches TokenReview answers for the TTL, in a bounded LRU', async () => {
    const h = await start({ auth: true, tokenCacheSize: 2 });
    const get = (token: string): Promise<Response> => fetch(`${h.url}/api/v1/pending`, { headers: { Authorization: `Bearer ${token}` } });
    await get('good-reader');
    await get('good-reader');
    expect(h.reviews.tokenReviews).toBe(1);
    await h.t.clock.advance(10_001);
    await get('good-reader');
    expect(h.reviews.tokenReviews).toBe(2);
    await get('good-a');
    await get('good-b');
    expect(h.authenticator.cachedTokens).toBe(2);
    await get('good-reader'); // evicted (least recently used): reviewed again
    expect(h.reviews.tokenReviews).toBe(5);
  });
});

describe('CORS', () => {
  it('sends no CORS headers by default', async () => {
    const h = await start();
    const r = await fetch(`${h.url}/api/v1/pending`, { headers: { Origin: 'https://backstage.example.com' } });
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${h.url}/api/v1/pending`, { method: 'OPTIONS', headers: { Origin: 'https://backstage.example.com' } })).status).toBe(403);
  });

  it('allows listed origins only, preflight included', async () => {
    const h = await start({ cors: ['https://backstage.example.com'] });
    const allowed = await fetch(`${h.url}/api/v1/pending`, { headers: { Origin: 'https://backstage.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://backstage.example.com');
    const other = await fetch(`${h.url}/api/v1/pending`, { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${h.url}/api/v1/capacity`, { method: 'OPTIONS', headers: { Origin: 'https://backstage.example.com' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});

const scenario = (pods: number): string =>
  [
    `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/os, operator: In, values: [linux]}]`,
    ...Array.from(
      { length: pods },
      (_, i) => `apiVersion: v1
kind: Pod
metadata: {name: p-${i}, namespace: default}
spec:
  topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: x}}}]
  containers: [{name: c, image: pause, resources: {requests: {cpu: 500m, memory: 512Mi}}}]`,
    ),
  ].join('\n---\n');

describe('POST /api/v1/simulate', () => {
  it('answers the DESIGN 4.2 JSON for a scenario', { timeout: 60_000 }, async () => {
    const h = await start();
    const r = await getJson(`${h.url}/api/v1/simulate`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: scenario(3) });
    expect(r.status).toBe(200);
    const body = SimulateResponseSchema.parse(r.body);
    expect(body.nodeClaims.flatMap((c) => c.pods).sort()).toEqual(['default/p-0', 'default/p-1', 'default/p-2']);
    expect(body.totalPricePerHour).toBeGreaterThan(0);
  });

  it('answers 422 with every issue for a bad scenario, 413 past the body limit, 415 for another content type', { timeout: 60_000 }, async () => {
    const h = await start({ maxBodyBytes: 2_000 });
    const bad = await getJson(`${h.url}/api/v1/simulate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: c, resources: {requests: {cpu: lots}}}]\n',
    });
    expect(expectError(bad, 422, 'InvalidScenario')).toMatch(/line/);
    const issues = ErrorResponseSchema.parse(bad.body).error.issues ?? [];
    expect(issues.length).toBeGreaterThan(0);
    expect(issues[0]?.path).toContain('cpu');
    expect(expectError(await getJson(`${h.url}/api/v1/simulate`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: scenario(40) }), 413, 'PayloadTooLarge')).toMatch(
      /API_MAX_BODY_BYTES/,
    );
    expectError(await getJson(`${h.url}/api/v1/simulate`, { method: 'POST', headers: { 'Content-Type': 'image/png' }, body: 'x' }), 415, 'UnsupportedMediaType');
  });

  it('stops a simulation past its time limit with 503 Timeout', { timeout: 120_000 }, async () => {
    const h = await start({ timeoutMs: 1 });
    const slow = await getJson(`${h.url}/api/v1/simulate`, { method: 'POST', headers: { 'Content-Type': 'application/yaml' }, body: scenario(300) });
    expect(expectError(slow, 503, 'Timeout')).toMatch(/API_SIMULATE_TIMEOUT/);
  });

  it('refuses a second simulation while one runs (503 Busy)', { timeout: 60_000 }, async () => {
    const simulator = new Simulator({ timeoutMs: 30_000 });
    try {
      const first = simulator.simulate('a', scenario(2));
      await expect(simulator.simulate('b', scenario(2))).rejects.toMatchObject({ status: 503, reason: 'Busy' });
      expect((await first).output.nodeClaims.length).toBeGreaterThan(0);
      // The worker is reused for the next run.
      expect((await simulator.simulate('c', scenario(1))).output.nodeClaims.length).toBe(1);
    } finally {
      await simulator.close();
    }
  });
});
