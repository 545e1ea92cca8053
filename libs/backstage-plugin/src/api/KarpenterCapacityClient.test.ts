import { exampleCapacityResponse } from '@karpenter-ts/capacity-api';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CapacityApiError } from './errors';
import { KarpenterCapacityClient } from './KarpenterCapacityClient';

const proxyBase = 'http://backstage.test/api/proxy';
const capacityUrl = `${proxyBase}/karpenter-ts/api/v1/capacity`;
const server = setupServer();

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function client(proxyPath?: string): KarpenterCapacityClient {
  return new KarpenterCapacityClient({
    discoveryApi: { getBaseUrl: async (pluginId) => (pluginId === 'proxy' ? proxyBase : `http://backstage.test/api/${pluginId}`) },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
    ...(proxyPath === undefined ? {} : { proxyPath }),
  });
}

async function failure(promise: Promise<unknown>): Promise<CapacityApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CapacityApiError);
  return error as CapacityApiError;
}

describe('KarpenterCapacityClient.getCapacity', () => {
  it('calls the proxy path with groupBy=team and returns the parsed response', async () => {
    const seen: string[] = [];
    server.use(
      http.get(capacityUrl, ({ request }) => {
        seen.push(request.url);
        return HttpResponse.json(exampleCapacityResponse);
      }),
    );
    const response = await client().getCapacity();
    expect(response.teams.map((t) => t.team)).toEqual(['payments', 'search', 'unassigned']);
    expect(response.totals.costPerHour).toBe(0.32);
    expect(seen).toEqual([`${capacityUrl}?groupBy=team`]);
  });

  it('asks for shareIdle=true and honours a custom proxy path', async () => {
    const seen: string[] = [];
    server.use(
      http.get(`${proxyBase}/karpenter/api/v1/capacity`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ ...exampleCapacityResponse, shareIdle: true });
      }),
    );
    const response = await client('karpenter/').getCapacity({ shareIdle: true });
    expect(response.shareIdle).toBe(true);
    expect(seen).toEqual(['?groupBy=team&shareIdle=true']);
  });

  it('401 names the proxy Authorization header and carries the controller message', async () => {
    server.use(
      http.get(capacityUrl, () =>
        HttpResponse.json({ error: { status: 401, reason: 'Unauthorized', message: 'no bearer token in the request' } }, { status: 401 }),
      ),
    );
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('Unauthorized');
    expect(error.status).toBe(401);
    expect(error.serverMessage).toBe('no bearer token in the request');
    expect(error.message).toContain('no bearer token in the request');
    expect(error.hint).toContain("proxy.endpoints['/karpenter-ts'].headers.Authorization");
  });

  it('403 names the RBAC rule on the virtual resource', async () => {
    server.use(
      http.get(capacityUrl, () =>
        HttpResponse.json({ error: { status: 403, reason: 'Forbidden', message: 'system:serviceaccount:portal:backstage may not get capacity' } }, { status: 403 }),
      ),
    );
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('Forbidden');
    expect(error.hint).toContain('apiGroups: ["karpenter-ts.io"], resources: ["capacity"], verbs: ["get"]');
    expect(error.serverMessage).toContain('may not get capacity');
  });

  it('404 from the proxy (no entry) says which proxy entry to add', async () => {
    server.use(http.get(capacityUrl, () => new HttpResponse('Not Found', { status: 404 })));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('NotFound');
    expect(error.hint).toContain("Add proxy.endpoints['/karpenter-ts'] to app-config.yaml");
    expect(error.serverMessage).toBe('Not Found');
  });

  it.each([502, 503, 504])('%i is Unavailable', async (status) => {
    server.use(http.get(capacityUrl, () => HttpResponse.json({ error: { status, reason: 'NotReady', message: 'informers not synced' } }, { status })));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('Unavailable');
    expect(error.status).toBe(status);
  });

  it('500 is an HttpError', async () => {
    server.use(http.get(capacityUrl, () => new HttpResponse(null, { status: 500 })));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('HttpError');
    expect(error.serverMessage).toBeUndefined();
  });

  it('a body of the wrong shape is InvalidResponse naming the field', async () => {
    server.use(http.get(capacityUrl, () => HttpResponse.json({ ...exampleCapacityResponse, teams: [{ team: 'x' }] })));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('teams.0.');
  });

  it('a non-JSON 200 is InvalidResponse', async () => {
    server.use(http.get(capacityUrl, () => new HttpResponse('<html>login</html>', { status: 200, headers: { 'Content-Type': 'text/html' } })));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('InvalidResponse');
    expect(error.message).toContain('is not JSON');
  });

  it('a network error is Unreachable', async () => {
    server.use(http.get(capacityUrl, () => HttpResponse.error()));
    const error = await failure(client().getCapacity());
    expect(error.code).toBe('Unreachable');
    expect(error.cause).toBeDefined();
  });

  it('an aborted request rejects with the abort, not a CapacityApiError', async () => {
    server.use(http.get(capacityUrl, () => new Promise<Response>(() => undefined)));
    const controller = new AbortController();
    const pending = client().getCapacity({ signal: controller.signal });
    controller.abort();
    const error = await pending.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).not.toBeInstanceOf(CapacityApiError);
    expect((error as Error).name).toBe('AbortError');
  });
});
