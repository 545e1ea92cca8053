import { KubeConfig } from '@kubernetes/client-node';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isTooManyRequests, retryAfterMsOf } from './errors.js';
import { HttpKubeClient, MAX_RETRY_AFTER_MS, parseRetryAfterMs } from './http-client.js';
import { resources } from './resources.js';

/** One scripted answer of the fake API server: status, headers, JSON body. */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A plain-HTTP fake API server answering each request with the next scripted answer (the last one repeats). */
async function fakeApiServer(answers: Answer[]): Promise<{ client: (sleeps: number[]) => HttpKubeClient; requests: string[] }> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)] as Answer;
    res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'fake', server: `http://127.0.0.1:${port}`, skipTLSVerify: true }],
    users: [{ name: 'fake' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake' }],
    currentContext: 'fake',
  });
  const client = (sleeps: number[]): HttpKubeClient =>
    new HttpKubeClient(kc, {
      maxThrottleRetries: 3,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
  return { client, requests };
}

const throttled = (retryAfter?: string): Answer => ({
  status: 429,
  headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter },
  body: { kind: 'Status', code: 429, reason: 'TooManyRequests', message: 'too many requests, please try again later' },
});
const node = { status: 200, body: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', resourceVersion: '7' } } };

describe('HttpKubeClient: 429 throttling', () => {
  it('retries a 429 with Retry-After after the seconds the server asked for, then returns the answer', async () => {
    const api = await fakeApiServer([throttled('2'), throttled('1'), node]);
    const sleeps: number[] = [];
    const got = await api.client(sleeps).get(resources.nodes, 'n1');
    expect(got.metadata.name).toBe('n1');
    expect(sleeps).toEqual([2_000, 1_000]);
    expect(api.requests).toEqual(['GET /api/v1/nodes/n1', 'GET /api/v1/nodes/n1', 'GET /api/v1/nodes/n1']);
  });

  it('retries writes too (a throttled request was not processed) and 5xx answers that carry Retry-After', async () => {
    const api = await fakeApiServer([throttled('1'), { status: 503, headers: { 'Retry-After': '1' }, body: { kind: 'Status', code: 503, message: 'storage is (re)initializing' } }, node]);
    const sleeps: number[] = [];
    await api.client(sleeps).patch(resources.nodes, 'n1', 'merge', { metadata: { labels: { a: 'b' } } });
    expect(sleeps).toEqual([1_000, 1_000]);
    expect(api.requests).toHaveLength(3);
  });

  it('gives up after maxThrottleRetries and throws the 429', async () => {
    const api = await fakeApiServer([throttled('1')]);
    const sleeps: number[] = [];
    const error = await api.client(sleeps).get(resources.nodes, 'n1').catch((e: unknown) => e);
    expect(isTooManyRequests(error)).toBe(true);
    expect(sleeps).toHaveLength(3);
    expect(api.requests).toHaveLength(4);
  });

  it('throws a 429 without Retry-After at once (the caller paces it)', async () => {
    const api = await fakeApiServer([throttled(), node]);
    const sleeps: number[] = [];
    const error = await api.client(sleeps).get(resources.nodes, 'n1').catch((e: unknown) => e);
    expect(isTooManyRequests(error)).toBe(true);
    expect(sleeps).toEqual([]);
    expect(api.requests).toHaveLength(1);
  });

  it('never retries an Eviction: its 429 is a PodDisruptionBudget answer for the eviction queue', async () => {
    const api = await fakeApiServer([throttled('10'), { status: 201, body: { kind: 'Eviction' } }]);
    const sleeps: number[] = [];
    const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' } };
    const error = await api.client(sleeps).create(resources.pods, eviction, { subresource: 'eviction' }).catch((e: unknown) => e);
    expect(isTooManyRequests(error)).toBe(true);
    expect(sleeps).toEqual([]);
  });
});

describe('HttpKubeClient: throttled watch', () => {
  it('rejects a 429 watch with the Retry-After as retryAfterMs, for the informer to wait that long', async () => {
    const api = await fakeApiServer([throttled('3')]);
    const error = await api.client([]).watch(resources.nodes, { resourceVersion: '1' }, () => undefined).catch((e: unknown) => e);
    expect(isTooManyRequests(error)).toBe(true);
    expect(retryAfterMsOf(error)).toBe(3_000);
    expect(api.requests).toHaveLength(1);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads whole seconds, caps large values, ignores what is not a number of seconds', () => {
    expect(parseRetryAfterMs('3')).toBe(3_000);
    expect(parseRetryAfterMs('0')).toBe(0);
    expect(parseRetryAfterMs('86400')).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfterMs(undefined)).toBeUndefined();
    expect(parseRetryAfterMs('Wed, 21 Oct 2026 07:28:00 GMT')).toBeUndefined();
    expect(parseRetryAfterMs(['2', '5'])).toBe(2_000);
  });
});
