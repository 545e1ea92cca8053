import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { API_PATHS, CapacityResponseSchema, ErrorResponseSchema, type CapacityResponse } from '@karpenter-ts/capacity-api';
import { CapacityApiError, errorForStatus } from './errors';
import type { GetCapacityOptions, KarpenterCapacityApi } from './KarpenterCapacityApi';

/** The Backstage proxy path the plugin calls by default: `proxy.endpoints['/karpenter-ts']` in app-config.yaml. */
export const DEFAULT_PROXY_PATH = '/karpenter-ts';

/** Options of {@link KarpenterCapacityClient}. */
export interface KarpenterCapacityClientOptions {
  /** Resolves the Backstage backend's `proxy` plugin URL. */
  discoveryApi: Pick<DiscoveryApi, 'getBaseUrl'>;
  /** Backstage's fetch (adds the user's Backstage token, so the proxy lets the call through). */
  fetchApi: Pick<FetchApi, 'fetch'>;
  /** The proxy entry's path, leading slash included; default {@link DEFAULT_PROXY_PATH}. */
  proxyPath?: string;
}

/**
 * {@link KarpenterCapacityApi} over HTTP through the Backstage proxy: requests go to
 * `${discovery('proxy')}${proxyPath}/api/v1/...`, and the proxy adds the controller's bearer token (the token
 * never reaches the browser). Responses are parsed with the shared zod schemas; every failure is a
 * {@link CapacityApiError}.
 */
export class KarpenterCapacityClient implements KarpenterCapacityApi {
  private readonly discoveryApi: Pick<DiscoveryApi, 'getBaseUrl'>;
  private readonly fetchApi: Pick<FetchApi, 'fetch'>;
  private readonly proxyPath: string;

  constructor(options: KarpenterCapacityClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
    this.proxyPath = normaliseProxyPath(options.proxyPath ?? DEFAULT_PROXY_PATH);
  }

  async getCapacity(options: GetCapacityOptions = {}): Promise<CapacityResponse> {
    const query = new URLSearchParams({ groupBy: 'team' });
    if (options.shareIdle) query.set('shareIdle', 'true');
    const body = await this.getJson(`${API_PATHS.capacity}?${query.toString()}`, options.signal);
    const parsed = CapacityResponseSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new CapacityApiError('InvalidResponse', `The capacity response does not have the expected shape${where}: ${issue?.message ?? 'invalid'}`, {
        hint: 'The controller and the plugin speak different API versions; upgrade the older of the two.',
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  private async getJson(pathAndQuery: string, signal: AbortSignal | undefined): Promise<unknown> {
    const base = await this.discoveryApi.getBaseUrl('proxy');
    const url = `${base.replace(/\/+$/, '')}${this.proxyPath}${pathAndQuery}`;
    let response: Response;
    try {
      response = await this.fetchApi.fetch(url, { headers: { Accept: 'application/json' }, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new CapacityApiError('Unreachable', `Could not reach the Backstage proxy at ${url}`, {
        hint: 'Check that the Backstage backend runs and that this page can reach it.',
        cause: error,
      });
    }
    const text = await response.text();
    if (!response.ok) throw errorForStatus(response.status, this.proxyPath, serverMessageOf(text));
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new CapacityApiError('InvalidResponse', `The answer from ${url} is not JSON`, {
        status: response.status,
        hint: `Check that proxy.endpoints['${this.proxyPath}'].target points at the karpenter-ts controller's API port, not another service.`,
        cause: error,
      });
    }
  }
}

/** `error.message` of the controller's JSON error body, else a short excerpt of a non-JSON body. */
function serverMessageOf(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    const parsed = ErrorResponseSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.error.message;
  } catch {
    // not JSON: fall through to the excerpt
  }
  const excerpt = text.trim().replace(/\s+/g, ' ');
  return excerpt.length > 200 ? `${excerpt.slice(0, 200)}…` : excerpt;
}

function normaliseProxyPath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}
