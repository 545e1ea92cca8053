/**
 * Reading the karpenter-ts controller's `GET /api/v1/instancetypes` (docs/http-api.md) for the language server's
 * catalog: where to send it (the controller URL setting, else the Kubernetes API server's service proxy of the
 * connected context), the HTTP GET itself (`node:http`/`node:https`, bounded in time and size), and every failure as
 * one plain sentence naming the fix. The answer is parsed with `@karpenter-ts/capacity-api`'s zod schema.
 */
import http from 'node:http';
import https from 'node:https';
import { API_PATHS, ErrorResponseSchema, InstanceTypesResponseSchema, type InstanceTypesResponse } from '@karpenter-ts/capacity-api';

/** A GET's answer: status and body text. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** What a GET needs: headers and the TLS options of the target (CA, client certificate, ...). */
export type HttpGetOptions = Pick<https.RequestOptions, 'ca' | 'cert' | 'key' | 'pfx' | 'passphrase' | 'rejectUnauthorized' | 'servername'> & { headers: Record<string, string> };

/** The seam for HTTP: tests pass `nodeHttpGet` against a local server, or a fake. Rejects on network errors. */
export type HttpGet = (url: string, options: HttpGetOptions) => Promise<HttpAnswer>;

/** Longest wait for the controller's answer, in milliseconds. */
export const CONTROLLER_TIMEOUT_MS = 10_000;
/** Largest answer read, in bytes (a catalog of ~1,000 types per NodePool is a few MB). */
export const CONTROLLER_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** GET with `node:http`/`node:https` (chosen by the URL's scheme), at most `timeoutMs` and `maxBytes`. */
export function nodeHttpGet(url: string, options: HttpGetOptions, timeoutMs = CONTROLLER_TIMEOUT_MS, maxBytes = CONTROLLER_MAX_BODY_BYTES): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? https : http).get(url, { ...options, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          request.destroy(Object.assign(new Error(`the answer is larger than ${maxBytes} bytes`), { code: 'ETOOBIG' }));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
  });
}

/**
 * Where the controller's API is reached, from the settings:
 * - `url` (`karpenterTs.controller.url`, e.g. `http://127.0.0.1:8090` of a port-forward): `<url>/api/v1/instancetypes`,
 *   with the kubeconfig user's bearer token (the API checks it with a TokenReview);
 * - else `service` (`karpenterTs.controller.service`, `NAMESPACE/NAME:PORT`, default the chart's
 *   `karpenter/karpenter-karpenter-ts:http-api`): the Kubernetes API server's service proxy
 *   `<server>/api/v1/namespaces/NAMESPACE/services/NAME:PORT/proxy/api/v1/instancetypes`, authenticated as the
 *   kubeconfig user (who needs `get` on `services/proxy`);
 * - neither (service set to ""): no controller is asked.
 * A malformed setting gives `{ error }` naming the fix.
 */
export type ControllerTarget = { kind: 'url'; url: string; display: string } | { kind: 'proxy'; url: string; display: string } | { kind: 'off' } | { kind: 'error'; message: string };

/** The default of `karpenterTs.controller.service`: the Helm chart's Service in the `karpenter` namespace. */
export const DEFAULT_CONTROLLER_SERVICE = 'karpenter/karpenter-karpenter-ts:http-api';

export function controllerTarget(settings: { url: string; service: string }, apiServer: string): ControllerTarget {
  const url = settings.url.trim();
  if (url !== '') {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { kind: 'error', message: `"karpenterTs.controller.url" is not a URL: ${JSON.stringify(url)}. Write e.g. http://127.0.0.1:8090 (a kubectl port-forward of the controller's API port).` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { kind: 'error', message: `"karpenterTs.controller.url" must be an http or https URL, not ${JSON.stringify(url)}.` };
    return { kind: 'url', url: `${url.replace(/\/+$/, '')}${API_PATHS.instanceTypes}`, display: url };
  }
  const service = settings.service.trim();
  if (service === '') return { kind: 'off' };
  const m = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/(https?:)?([a-z0-9]([-a-z0-9]*[a-z0-9])?)(:[-a-z0-9]+)?$/.exec(service);
  if (!m) return { kind: 'error', message: `"karpenterTs.controller.service" must be NAMESPACE/NAME:PORT (e.g. ${DEFAULT_CONTROLLER_SERVICE}), not ${JSON.stringify(service)}.` };
  const [, namespace, , scheme = '', name, , port = ''] = m;
  return {
    kind: 'proxy',
    url: `${apiServer.replace(/\/+$/, '')}/api/v1/namespaces/${namespace}/services/${scheme}${name}${port}/proxy${API_PATHS.instanceTypes}`,
    display: `service ${namespace}/${name}${port}`,
  };
}

/** The result of asking the controller: its answer, or why there is none as one sentence. */
export type ControllerCatalogResult = { ok: true; response: InstanceTypesResponse; typeCount: number } | { ok: false; message: string };

/**
 * GETs the controller's instance types from `target` and parses them with the shared schema. Never rejects: refused
 * connections, unknown hosts, timeouts, 401/403/404/503 and answers that are not an `InstanceTypesResponse` each
 * give a sentence naming `context`, where it asked and what to do.
 */
export async function fetchControllerCatalog(get: HttpGet, target: { kind: 'url' | 'proxy'; url: string; display: string }, options: HttpGetOptions, context: string): Promise<ControllerCatalogResult> {
  const where = target.kind === 'url' ? `the controller API at ${target.display}` : `the controller's ${target.display} (through the API server of context "${context}")`;
  let answer: HttpAnswer;
  try {
    answer = await get(target.url, { ...options, headers: { accept: 'application/json', ...options.headers } });
  } catch (err) {
    return { ok: false, message: networkSentence(err, where, target.kind) };
  }
  if (answer.status !== 200) return { ok: false, message: statusSentence(answer, where, target.kind) };
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    return { ok: false, message: `${capitalize(where)} answered something that is not JSON; is it a karpenter-ts controller?` };
  }
  const parsed = InstanceTypesResponseSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, message: `${capitalize(where)} answered an instance-type list this extension cannot read (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}); update the extension or the controller so their versions match.` };
  }
  return { ok: true, response: parsed.data, typeCount: new Set(parsed.data.nodePools.flatMap((p) => p.instanceTypes.map((t) => t.name))).size };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function networkSentence(err: unknown, where: string, kind: 'url' | 'proxy'): string {
  const code = (err as { code?: unknown } | undefined)?.code;
  const text = err instanceof Error ? err.message : String(err);
  if (code === 'ECONNREFUSED') return `Nothing answers at ${where} (connection refused). ${kind === 'url' ? 'Start the port-forward (or the controller), or clear "karpenterTs.controller.url" to go through the API server.' : 'Start the cluster, then reconnect.'}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host of ${where} is not found. Check "karpenterTs.controller.url".`;
  if (code === 'ETIMEDOUT' || code === 'ECONNRESET') return `${capitalize(where)} did not answer in time. Check that the controller runs, then reconnect.`;
  if (code === 'ETOOBIG') return `${capitalize(where)} answered more than ${CONTROLLER_MAX_BODY_BYTES} bytes; is it a karpenter-ts controller?`;
  if (/certificate|self[- ]signed|CERT_/i.test(text) || (typeof code === 'string' && code.includes('CERT'))) return `The TLS certificate of ${where} is not trusted. Use the service proxy (clear "karpenterTs.controller.url") or an http port-forward.`;
  return `Cannot read ${where}: ${text.split('\n')[0]?.slice(0, 200) ?? ''}`;
}

function statusSentence(answer: HttpAnswer, where: string, kind: 'url' | 'proxy'): string {
  // The controller's own errors carry a sentence (docs/http-api.md); the API server's proxy errors are a Status.
  let controllerMessage: string | undefined;
  let statusMessage: string | undefined;
  try {
    const json: unknown = JSON.parse(answer.body);
    const parsed = ErrorResponseSchema.safeParse(json);
    if (parsed.success) controllerMessage = parsed.data.error.message;
    else if (typeof (json as { message?: unknown }).message === 'string') statusMessage = (json as { message: string }).message;
  } catch {
    // Not JSON: the status alone speaks.
  }
  const said = controllerMessage ? ` It says: ${controllerMessage}.` : '';
  switch (answer.status) {
    case 401:
      return kind === 'proxy' && controllerMessage
        ? `${capitalize(where)} wants a token (401), and the API server's service proxy does not pass yours on. Set "karpenterTs.controller.url" to a port-forward of the controller's API port (kubectl -n NAMESPACE port-forward svc/NAME 8090) so the kubeconfig's token is sent directly.`
        : `${capitalize(where)} did not accept the kubeconfig's credentials (401 Unauthorized).${said} Log in again, or use a context whose user has a token.`;
    case 403:
      return controllerMessage
        ? `${capitalize(where)} refused the instance types (403 Forbidden).${said}`
        : `The user of the context may not reach ${where} (403 Forbidden: it needs get on services/proxy). Ask for it, or set "karpenterTs.controller.url" to a port-forward.`;
    case 404:
      return kind === 'proxy' && !controllerMessage
        ? `No karpenter-ts controller at ${where} (404 Not Found${statusMessage ? `: ${statusMessage}` : ''}). Install the chart, or point "karpenterTs.controller.service" at its Service.`
        : `${capitalize(where)} does not serve ${API_PATHS.instanceTypes} (404 Not Found); is it a karpenter-ts controller?`;
    case 503:
      return controllerMessage ? `${capitalize(where)} is not ready yet (503).${said} Reconnect in a moment.` : `${capitalize(where)} has no ready endpoint (503${statusMessage ? `: ${statusMessage}` : ''}). Is the controller running?`;
    default:
      return `${capitalize(where)} answered ${answer.status}.${said || (statusMessage ? ` It says: ${statusMessage}.` : '')}`;
  }
}
