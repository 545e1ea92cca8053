/**
 * The controller catalog fetch and its fallback, against a real local HTTP server standing in for the controller's
 * API (its answers are the shapes of docs/http-api.md) and for the API server's service proxy.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleInstanceTypesResponse } from '@karpenter-ts/capacity-api';
import type { ControllerCatalogParams } from '@karpenter-ts/language-server/protocol';
import { controllerTarget, fetchControllerCatalog, nodeHttpGet } from './controller-api.js';
import { ControllerCatalogSync, type CatalogSettings } from './controller-catalog-sync.js';
import type { ApiAccess, ConnectionState } from './session-port.js';

type Route = { status: number; body: string };
const routes = new Map<string, Route>();
const seen: { url: string; authorization?: string }[] = [];
let server: http.Server;
let base = '';
const controllerError = (status: number, reason: string, message: string): Route => ({ status, body: JSON.stringify({ error: { status, reason, message } }) });

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    const route = routes.get(req.url ?? '') ?? { status: 404, body: JSON.stringify({ kind: 'Status', message: 'services "karpenter-karpenter-ts" not found', code: 404 }) };
    res.writeHead(route.status, { 'content-type': 'application/json' }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PROXY_PATH = '/api/v1/namespaces/karpenter/services/karpenter-karpenter-ts:http-api/proxy/api/v1/instancetypes';
const proxyTarget = () => controllerTarget({ url: '', service: 'karpenter/karpenter-karpenter-ts:http-api' }, base) as { kind: 'proxy'; url: string; display: string };

describe('controllerTarget', () => {
  it('prefers the URL setting, else the service proxy of the API server; rejects malformed settings with the fix', () => {
    expect(controllerTarget({ url: 'http://127.0.0.1:8090/', service: 'x/y' }, 'https://k8s:6443')).toEqual({ kind: 'url', url: 'http://127.0.0.1:8090/api/v1/instancetypes', display: 'http://127.0.0.1:8090/' });
    expect(controllerTarget({ url: '', service: 'kube-system/kts:8090' }, 'https://k8s:6443/')).toEqual({ kind: 'proxy', url: 'https://k8s:6443/api/v1/namespaces/kube-system/services/kts:8090/proxy/api/v1/instancetypes', display: 'service kube-system/kts:8090' });
    expect(controllerTarget({ url: '', service: '' }, 'https://k8s:6443')).toEqual({ kind: 'off' });
    expect(controllerTarget({ url: 'localhost:8090', service: '' }, 'https://k8s')).toMatchObject({ kind: 'error', message: expect.stringContaining('must be an http or https URL') });
    expect(controllerTarget({ url: 'not a url', service: '' }, 'https://k8s')).toMatchObject({ kind: 'error', message: expect.stringContaining('Write e.g. http://127.0.0.1:8090') });
    expect(controllerTarget({ url: '', service: 'karpenter-ts' }, 'https://k8s')).toMatchObject({ kind: 'error', message: expect.stringContaining('must be NAMESPACE/NAME:PORT') });
  });
});

describe('fetchControllerCatalog over HTTP', () => {
  it('reads a valid answer with the shared schema, sending the headers it is given', async () => {
    routes.set(PROXY_PATH, { status: 200, body: JSON.stringify(exampleInstanceTypesResponse) });
    const got = await fetchControllerCatalog(nodeHttpGet, proxyTarget(), { headers: { Authorization: 'Bearer t0ken' } }, 'kind-dev');
    expect(got).toEqual({ ok: true, response: exampleInstanceTypesResponse, typeCount: 1 });
    expect(seen.at(-1)).toEqual({ url: PROXY_PATH, authorization: 'Bearer t0ken' });
  });

  it.each([
    ['403 from the controller: its sentence', controllerError(403, 'Forbidden', 'user "u" may not get instancetypes.karpenter-ts.io: grant it'), /^The controller's service karpenter\/karpenter-karpenter-ts:http-api \(through the API server of context "kind-dev"\) refused the instance types \(403 Forbidden\)\. It says: user "u" may not get instancetypes/],
    ['403 from the API server: services/proxy', { status: 403, body: '{"kind":"Status","code":403}' }, /may not reach .* \(403 Forbidden: it needs get on services\/proxy\)/],
    ['401 from the controller behind the proxy: use a port-forward', controllerError(401, 'Unauthorized', 'no bearer token'), /wants a token \(401\), and the API server's service proxy does not pass yours on\. Set "karpenterTs.controller.url"/],
    ['503 from the proxy: no endpoint', { status: 503, body: '{"kind":"Status","message":"no endpoints available for service \\"karpenter-karpenter-ts\\""}' }, /has no ready endpoint \(503: no endpoints available .*\)\. Is the controller running\?$/],
    ['not JSON', { status: 200, body: '<html>' }, /answered something that is not JSON/],
    ['another shape', { status: 200, body: '{"nodePools":[{"nodePool":"a","instanceTypes":[{"name":"x"}]}]}' }, /cannot read \(nodePools\.0\.instanceTypes\.0\.labels: /],
  ])('%s', async (_name, route, expected) => {
    routes.set(PROXY_PATH, route);
    const got = await fetchControllerCatalog(nodeHttpGet, proxyTarget(), { headers: {} }, 'kind-dev');
    expect(got.ok).toBe(false);
    expect(!got.ok && got.message).toMatch(expected);
    expect(!got.ok && got.message).not.toMatch(/\n\s+at /);
  });

  it('a missing Service (404 Status) and a refused connection are sentences', async () => {
    routes.delete(PROXY_PATH);
    const missing = await fetchControllerCatalog(nodeHttpGet, proxyTarget(), { headers: {} }, 'kind-dev');
    expect(missing).toEqual({ ok: false, message: expect.stringMatching(/^No karpenter-ts controller at the controller's service .* \(404 Not Found: services "karpenter-karpenter-ts" not found\)\. Install the chart/) });
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const target = controllerTarget({ url: `http://127.0.0.1:${port}`, service: '' }, base) as { kind: 'url'; url: string; display: string };
    const refused = await fetchControllerCatalog(nodeHttpGet, target, { headers: {} }, 'kind-dev');
    expect(refused).toEqual({ ok: false, message: `Nothing answers at the controller API at http://127.0.0.1:${port} (connection refused). Start the port-forward (or the controller), or clear "karpenterTs.controller.url" to go through the API server.` });
  });
});

describe('ControllerCatalogSync', () => {
  const connected = (context = 'kind-dev'): ConnectionState => ({ kind: 'connected', context, server: base, message: 'Connected.' });
  function setup(settings: Partial<CatalogSettings> = {}) {
    const session = {
      state: { kind: 'idle', message: 'Reading…' } as ConnectionState,
      apiAccess: async (): Promise<ApiAccess | undefined> => (session.state.kind === 'connected' ? { context: session.state.context, server: base, options: { headers: { Authorization: 'Bearer kube-token', 'X-Other': 'kept for the proxy' } } } : undefined),
    };
    const sent: ControllerCatalogParams[] = [];
    const problems: string[] = [];
    const current: CatalogSettings = { url: '', service: 'karpenter/karpenter-karpenter-ts:http-api', catalogFile: '', ...settings };
    const sync = new ControllerCatalogSync({ session, settings: () => current, onProblem: (m) => problems.push(m) });
    sync.attach(async (p) => void sent.push(p));
    return { session, sync, sent, problems, current };
  }

  it('sends the controller catalog on connect, once, and retracts it when the connection is lost', async () => {
    routes.set(PROXY_PATH, { status: 200, body: JSON.stringify(exampleInstanceTypesResponse) });
    const { session, sync, sent } = setup();
    sync.update();
    expect(sent).toEqual([]);
    session.state = connected();
    sync.update();
    sync.update();
    await sync.settled();
    expect(sent).toEqual([{ source: 'the controller of context "kind-dev"', response: exampleInstanceTypesResponse }]);
    expect(sync.status()).toEqual({ source: 'controller', text: '$(database) catalog: controller', tooltip: '1 instance types from the controller of context "kind-dev".' });
    // A reconnect keeps the catalog until the new answer, and fetches again.
    const asked = seen.length;
    session.state = { kind: 'connecting', context: 'kind-dev', server: base, message: 'Connecting…' };
    sync.update();
    session.state = connected();
    sync.update();
    await sync.settled();
    expect(seen.length).toBe(asked + 1);
    expect(sent).toHaveLength(1);
    session.state = { kind: 'error', context: 'kind-dev', message: 'Cannot reach the cluster.' };
    sync.update();
    expect(sent.at(-1)).toEqual({ response: null });
    expect(sync.status().source).toBe('default');
  });

  it('falls back to the simulated default with the reason in the status, and retracts a catalog it sent before', async () => {
    routes.set(PROXY_PATH, { status: 200, body: JSON.stringify(exampleInstanceTypesResponse) });
    const { session, sync, sent, problems } = setup();
    session.state = connected();
    sync.update();
    await sync.settled();
    routes.set(PROXY_PATH, controllerError(403, 'Forbidden', 'user "dev" may not get instancetypes.karpenter-ts.io'));
    sync.refresh();
    await sync.settled();
    expect(sent.map((p) => p.response === null)).toEqual([false, true]);
    expect(sync.status()).toEqual({ source: 'default', text: '$(database) catalog: simulated', tooltip: expect.stringMatching(/^Instance types from the simulated default catalog\. The controller's service .* refused the instance types \(403 Forbidden\)\. It says: user "dev" may not get/) });
    // Through the proxy a failure is only in the status (a cluster without karpenter-ts is normal), no pop-up.
    expect(problems).toEqual([]);
  });

  it('sends only the bearer token to an explicit URL, and says once when it does not answer', async () => {
    routes.set('/api/v1/instancetypes', { status: 200, body: JSON.stringify(exampleInstanceTypesResponse) });
    const { session, sync, sent, problems, current } = setup({ url: base });
    session.state = connected();
    sync.update();
    await sync.settled();
    expect(seen.at(-1)).toEqual({ url: '/api/v1/instancetypes', authorization: 'Bearer kube-token' });
    expect(sent).toEqual([{ source: `the controller at ${base}`, response: exampleInstanceTypesResponse }]);
    current.url = 'http://127.0.0.1:1';
    sync.refresh();
    await sync.settled();
    sync.refresh();
    await sync.settled();
    expect(problems).toEqual([expect.stringContaining('Nothing answers at the controller API at http://127.0.0.1:1 (connection refused).')]);
    expect(sent.at(-1)).toEqual({ response: null });
  });

  it('shows the catalog file as active when one is set (it takes precedence on the server)', async () => {
    const { sync } = setup({ catalogFile: '/tmp/aws.yaml' });
    expect(sync.status()).toEqual({ source: 'file', text: '$(database) catalog: file', tooltip: expect.stringContaining('/tmp/aws.yaml (karpenterTs.catalogFile), which takes precedence') });
  });
});
