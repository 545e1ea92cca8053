/**
 * The read-only API server (DESIGN.md §4.3) on its own port: routing, authentication (TokenReview) and
 * authorization (SubjectAccessReview) per endpoint, CORS for an allow-list of origins, bounded request
 * bodies, and JSON errors (`ErrorResponse` of @karpenter-ts/capacity-api) for every failure; never a stack
 * trace. Logs "starting server" with `server: "api"` and the bound port (a port of 0 is discoverable), and
 * warns at start when authentication is disabled.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { API_PATHS, API_RESOURCES } from '@karpenter-ts/capacity-api';
import type { Logger } from 'pino';
import type { ApiAuthenticator, Permission } from './auth.js';
import { ApiError } from './errors.js';
import type { ApiHandlers } from './handlers.js';

export interface ApiServerOptions {
  handlers: ApiHandlers;
  /** undefined = authentication disabled (API_AUTH_DISABLED). */
  authenticator: ApiAuthenticator | undefined;
  log: Logger;
  bindAddress: string;
  /** 0 = any free port. */
  port: number;
  /** Allowed browser origins; empty = no CORS headers at all. `*` allows any origin. */
  corsAllowedOrigins: readonly string[];
  maxBodyBytes: number;
  /** The API answers 503 NotReady until this returns true (caches synced). */
  ready: () => boolean;
}

export interface ApiServer {
  port: number;
  close(): Promise<void>;
}

interface Route {
  method: 'GET' | 'POST';
  permission: Permission;
  handle: (query: URLSearchParams, req: http.IncomingMessage) => Promise<unknown>;
}

const SIMULATE_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml', 'application/json', 'text/plain'];

/** Starts the API server; resolves once it listens. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { handlers, log } = options;
  const routes: Record<string, Route> = {
    [API_PATHS.capacity]: { method: 'GET', permission: API_RESOURCES.capacity, handle: (q) => handlers.capacity(q) },
    [API_PATHS.pending]: { method: 'GET', permission: API_RESOURCES.pending, handle: () => handlers.pending() },
    [API_PATHS.instanceTypes]: { method: 'GET', permission: API_RESOURCES.instanceTypes, handle: (q) => handlers.instanceTypes(q) },
    [API_PATHS.simulate]: {
      method: 'POST',
      permission: API_RESOURCES.simulate,
      handle: async (_q, req) => handlers.simulate(await readBody(req, options.maxBodyBytes)),
    },
  };
  const allowAny = options.corsAllowedOrigins.includes('*');
  const corsHeaders = (req: http.IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (origin === undefined || options.corsAllowedOrigins.length === 0) return {};
    if (!allowAny && !options.corsAllowedOrigins.includes(origin)) return {};
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  };

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://api.local');
    const cors = corsHeaders(req);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...cors, ...headers });
      res.end(text);
      log.debug({ method: req.method, path: url.pathname, status, durationMs: Math.round(performance.now() - started) }, 'api request');
    };
    const fail = (error: unknown): void => {
      if (error instanceof ApiError) {
        send(error.status, error.body(), error.headers);
        return;
      }
      log.error({ err: error, path: url.pathname }, 'api request failed');
      send(500, new ApiError(500, 'Internal', `internal error: ${(error as Error).message ?? String(error)}`).body());
    };

    const route = routes[url.pathname];
    if (req.method === 'OPTIONS') {
      // CORS preflight: answered only for allowed origins, without authentication (browsers send no credentials).
      if (route && Object.keys(cors).length > 0) {
        res.writeHead(204, {
          ...cors,
          'Access-Control-Allow-Methods': `${route.method}, OPTIONS`,
          'Access-Control-Allow-Headers': 'Authorization, Content-Type',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      fail(new ApiError(403, 'Forbidden', `origin ${req.headers.origin ?? '(none)'} is not allowed: add it to API_CORS_ALLOWED_ORIGINS`));
      return;
    }
    if (!route) {
      fail(new ApiError(404, 'NotFound', `no endpoint ${url.pathname}: see ${Object.values(API_PATHS).join(', ')}`));
      return;
    }
    if (req.method !== route.method) {
      fail(new ApiError(405, 'MethodNotAllowed', `${req.method ?? ''} is not allowed on ${url.pathname}: use ${route.method}`, undefined, { Allow: route.method }));
      return;
    }
    void (async () => {
      try {
        if (options.authenticator) await options.authenticator.authorize(req.headers.authorization, route.permission);
        if (!options.ready()) throw new ApiError(503, 'NotReady', 'the controller is still syncing its caches; retry in a few seconds', undefined, { 'Retry-After': '2' });
        send(200, await route.handle(url.searchParams, req));
      } catch (error) {
        fail(error);
      }
    })();
  });
  server.requestTimeout = 60_000;
  server.headersTimeout = 10_000;

  if (!options.authenticator) log.warn({ server: 'api' }, 'API authentication is disabled (API_AUTH_DISABLED=true): anyone who reaches the port can read it; local use only');
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.bindAddress, () => {
      const bound = (server.address() as AddressInfo).port;
      log.info({ server: 'api', address: options.bindAddress, port: bound, auth: options.authenticator ? 'TokenReview+SubjectAccessReview' : 'disabled' }, 'starting server');
      resolve(bound);
    });
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The request body as text.
 * @throws ApiError 415 for a content type other than YAML, JSON or text; 413 past `maxBytes` (checked on
 *   Content-Length first, then while reading).
 */
export async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  const type = (req.headers['content-type'] ?? 'application/yaml').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!SIMULATE_CONTENT_TYPES.includes(type)) {
    throw new ApiError(415, 'UnsupportedMediaType', `content type "${type}" is not supported: send the scenario as application/yaml or application/json`);
  }
  const tooLarge = (): ApiError =>
    new ApiError(413, 'PayloadTooLarge', `the scenario is larger than ${maxBytes} bytes (API_MAX_BODY_BYTES): send fewer objects or raise the limit`);
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
