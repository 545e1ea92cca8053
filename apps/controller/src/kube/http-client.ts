import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type {
  DeleteOptions,
  KubeClient,
  KubeObject,
  ListOptions,
  ObjectList,
  PatchOptions,
  PatchType,
  WatchEvent,
  WatchOptions,
} from './client.js';
import { KubeApiError, retryAfterMsOf } from './errors.js';
import { resourcePath, type ResourceType } from './resources.js';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** How long request headers (e.g. a bearer token read from a projected file) are reused before re-reading. */
const AUTH_REFRESH_MS = 60_000;

interface Connection {
  base: URL;
  agent: http.Agent;
  headers: Record<string, string>;
  loadedAt: number;
}

export interface HttpKubeClientOptions {
  /** Per-request timeout of non-watch calls in milliseconds. Default 30 000. */
  requestTimeoutMs?: number;
  /** Sent as the User-Agent header. */
  userAgent?: string;
  /**
   * Retries of one request answered 429 Too Many Requests with a `Retry-After` header (API Priority and
   * Fairness, max-in-flight, storage (re)initializing after a restart), as client-go's `maxRetries`. Default 10.
   */
  maxThrottleRetries?: number;
  /** Waits `ms` (or rejects when `signal` aborts); injectable so tests need not wait. Default a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Longest wait honoured from one `Retry-After` header, ms (a larger value is capped, not trusted blindly). */
export const MAX_RETRY_AFTER_MS = 30_000;

/**
 * {@link KubeClient} over HTTP(S) with JSON bodies. Credentials, CA and server come from a
 * `@kubernetes/client-node` KubeConfig (kubeconfig file or in-cluster service account); connections are
 * kept alive in one agent. Watches are `?watch=true` streams of newline-delimited events.
 */
export class HttpKubeClient implements KubeClient {
  private connection: Promise<Connection> | undefined;
  private readonly requestTimeoutMs: number;
  private readonly userAgent: string;
  private readonly maxThrottleRetries: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    private readonly kubeConfig: KubeConfig,
    options: HttpKubeClientOptions = {},
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.userAgent = options.userAgent ?? 'karpenter-ts-controller';
    this.maxThrottleRetries = options.maxThrottleRetries ?? 10;
    this.sleep = options.sleep ?? sleepMs;
  }

  async list<T extends KubeObject>(type: ResourceType, options: ListOptions = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const query = new URLSearchParams();
      query.set('limit', String(options.limit ?? 500));
      if (options.labelSelector) query.set('labelSelector', options.labelSelector);
      if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
      if (continueToken) query.set('continue', continueToken);
      const page = await this.request<{ items?: T[]; metadata?: { resourceVersion?: string; continue?: string } }>(
        'GET',
        `${resourcePath(type, { namespace: options.namespace })}?${query.toString()}`,
      );
      for (const item of page.items ?? []) {
        // Lists omit apiVersion/kind on items; restore them so objects look the same as watched ones.
        items.push({ ...item, apiVersion: item.apiVersion ?? apiVersionText(type), kind: item.kind ?? type.kind });
      }
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return { items, resourceVersion };
  }

  async watch<T extends KubeObject>(type: ResourceType, options: WatchOptions, onEvent: (event: WatchEvent<T>) => void): Promise<void> {
    const query = new URLSearchParams({
      watch: 'true',
      allowWatchBookmarks: String(options.allowWatchBookmarks ?? true),
      resourceVersion: options.resourceVersion,
      timeoutSeconds: String(options.timeoutSeconds ?? 300),
    });
    if (options.labelSelector) query.set('labelSelector', options.labelSelector);
    if (options.fieldSelector) query.set('fieldSelector', options.fieldSelector);
    const conn = await this.connect();
    const url = new URL(`${resourcePath(type, { namespace: options.namespace })}?${query.toString()}`, conn.base);
    if (options.signal?.aborted) return;
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        if (error) reject(error);
        else resolve();
      };
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method: 'GET',
        agent: conn.agent,
        headers: { ...conn.headers, Accept: 'application/json' },
      });
      const onAbort = (): void => {
        req.destroy();
        finish();
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(options.signal?.aborted ? undefined : new KubeApiError(`watch ${type.plural}: ${error.message}`, 0, '', undefined, { cause: error })));
      req.on('response', (res) => {
        if ((res.statusCode ?? 0) >= 400) {
          readBody(res).then(
            (body) => finish(apiError('GET', url.pathname, res.statusCode ?? 0, body, res.headers['retry-after'])),
            (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
          );
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (line === '') continue;
            let event: { type: string; object: unknown };
            try {
              event = JSON.parse(line) as { type: string; object: unknown };
            } catch (error) {
              req.destroy();
              finish(new KubeApiError(`watch ${type.plural}: undecodable event`, 0, '', undefined, { cause: error }));
              return;
            }
            if (event.type === 'ERROR') {
              const status = event.object as { code?: number; reason?: string; message?: string };
              req.destroy();
              finish(new KubeApiError(`watch ${type.plural}: ${status.message ?? 'error'}`, status.code ?? 500, status.reason ?? '', status));
              return;
            }
            try {
              onEvent({ type: event.type as WatchEvent<T>['type'], object: event.object as T });
            } catch (error) {
              req.destroy();
              finish(error instanceof Error ? error : new Error(String(error)));
              return;
            }
          }
        });
        res.on('end', () => finish());
        res.on('error', (error) => finish(options.signal?.aborted ? undefined : error));
        res.on('close', () => finish());
      });
      req.end();
    });
  }

  get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string, options: { signal?: AbortSignal } = {}): Promise<T> {
    return this.request<T>('GET', resourcePath(type, { namespace, name }), undefined, undefined, options.signal);
  }

  create<T extends KubeObject>(type: ResourceType, object: T, options: { namespace?: string; subresource?: string; name?: string; signal?: AbortSignal } = {}): Promise<T> {
    const namespace = options.namespace ?? object.metadata.namespace;
    const path = options.subresource
      ? resourcePath(type, { namespace, name: options.name ?? object.metadata.name, subresource: options.subresource })
      : resourcePath(type, { namespace });
    // An Eviction's 429 is a PodDisruptionBudget's answer for the eviction queue to pace, not throttling.
    return this.request<T>('POST', path, object, undefined, options.signal, options.subresource !== 'eviction');
  }

  replace<T extends KubeObject>(type: ResourceType, object: T, options: { subresource?: string; signal?: AbortSignal } = {}): Promise<T> {
    const { namespace, name } = object.metadata;
    return this.request<T>('PUT', resourcePath(type, { namespace, name, subresource: options.subresource }), object, undefined, options.signal);
  }

  patch<T extends KubeObject>(type: ResourceType, name: string, patchType: PatchType, patch: unknown, options: PatchOptions = {}): Promise<T> {
    return this.request<T>(
      'PATCH',
      resourcePath(type, { namespace: options.namespace, name, subresource: options.subresource }),
      patch,
      PATCH_CONTENT_TYPES[patchType],
    );
  }

  /** GET /version: the API server's version (`major`, `minor` such as "35" or "35+", `gitVersion`). */
  async serverVersion(): Promise<{ major: string; minor: string; gitVersion: string }> {
    return this.request('GET', '/version');
  }

  async delete(type: ResourceType, name: string, options: DeleteOptions = {}): Promise<void> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.preconditions) body['preconditions'] = options.preconditions;
    if (options.propagationPolicy) body['propagationPolicy'] = options.propagationPolicy;
    if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
    await this.request('DELETE', resourcePath(type, { namespace: options.namespace, name }), body);
  }

  private connect(): Promise<Connection> {
    const current = this.connection;
    if (current === undefined) {
      this.connection = this.load(undefined);
      this.connection.catch(() => (this.connection = undefined));
      return this.connection;
    }
    return current.then((conn) => {
      if (Date.now() - conn.loadedAt < AUTH_REFRESH_MS) return conn;
      const next = this.load(conn.agent);
      this.connection = next;
      return next;
    });
  }

  private async load(existingAgent: http.Agent | undefined): Promise<Connection> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new KubeApiError('kubeconfig has no current cluster', 0);
    const opts: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const base = new URL(cluster.server);
    const headers: Record<string, string> = { 'User-Agent': this.userAgent };
    for (const [key, value] of Object.entries(opts.headers ?? {})) {
      if (typeof value === 'string' || typeof value === 'number') headers[key] = String(value);
    }
    if (opts.auth) headers['Authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    const agent =
      existingAgent ??
      (base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: opts.ca,
            cert: opts.cert,
            key: opts.key,
            pfx: opts.pfx,
            passphrase: opts.passphrase,
            servername: opts.servername,
            ...(opts.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: opts.rejectUnauthorized }),
          })
        : new http.Agent({ keepAlive: true }));
    return { base, agent, headers, loadedAt: Date.now() };
  }

  /**
   * One API call. A 429 (or 5xx) answer with a `Retry-After` header (seconds) asks the client to come back: the
   * call is sent again after that many seconds (capped at {@link MAX_RETRY_AFTER_MS}), at most
   * `maxThrottleRetries` times, as client-go's `checkWait` does; then, or without the header, or when
   * `retryThrottled` is false (evictions), the answer is thrown as a {@link KubeApiError}.
   */
  private async request<T>(method: string, path: string, body?: unknown, contentType = 'application/json', signal?: AbortSignal, retryThrottled = true): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await this.attempt<T>(method, path, body, contentType, signal);
      } catch (error) {
        const waitMs = retryAfterMsOf(error);
        if (waitMs === undefined || !retryThrottled || retry >= this.maxThrottleRetries) throw error;
        await this.sleep(waitMs, signal);
      }
    }
  }

  private async attempt<T>(method: string, path: string, body: unknown, contentType: string, signal: AbortSignal | undefined): Promise<T> {
    const conn = await this.connect();
    const url = new URL(path, conn.base);
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    signal?.throwIfAborted();
    return new Promise<T>((resolve, reject) => {
      const req = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        agent: conn.agent,
        timeout: this.requestTimeoutMs,
        ...(signal ? { signal } : {}),
        headers: {
          ...conn.headers,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': String(payload.length) } : {}),
        },
      });
      req.on('timeout', () => req.destroy(new Error(`timeout after ${this.requestTimeoutMs} ms`)));
      req.on('error', (error) => reject(new KubeApiError(`${method} ${url.pathname}: ${error.message}`, 0, '', undefined, { cause: error })));
      req.on('response', (res) => {
        readBody(res).then((text) => {
          const code = res.statusCode ?? 0;
          if (code >= 400) {
            reject(apiError(method, url.pathname, code, text, res.headers['retry-after']));
            return;
          }
          try {
            resolve((text === '' ? {} : JSON.parse(text)) as T);
          } catch (error) {
            reject(new KubeApiError(`${method} ${url.pathname}: undecodable response`, code, '', undefined, { cause: error }));
          }
        }, reject);
      });
      req.end(payload);
    });
  }
}

/** `Retry-After` in whole seconds (the form kube-apiserver sends), ms, capped; undefined when absent or not a number. */
export function parseRetryAfterMs(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\s*\d+\s*$/.test(text)) return undefined;
  return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
}

function sleepMs(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function apiVersionText(type: ResourceType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The KubeApiError of an answer >= 400; a 429/5xx `Retry-After` header becomes its `retryAfterMs`. */
function apiError(method: string, path: string, code: number, text: string, retryAfter?: string | string[]): KubeApiError {
  let status: { message?: string; reason?: string } | undefined;
  try {
    status = JSON.parse(text) as { message?: string; reason?: string };
  } catch {
    status = undefined;
  }
  const message = status?.message ?? (text.slice(0, 200) || `HTTP ${code}`);
  const retryAfterMs = code === 429 || code >= 500 ? parseRetryAfterMs(retryAfter) : undefined;
  return new KubeApiError(`${method} ${path}: ${code} ${message}`, code, status?.reason ?? '', status, retryAfterMs === undefined ? undefined : { retryAfterMs });
}
