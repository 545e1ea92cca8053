import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import type { CertFiles } from './pki.js';

/** A response from {@link KubeHttp.request}: status code and the body parsed as JSON (or raw text). */
export interface KubeResponse {
  status: number;
  body: unknown;
  text: string;
}

/** Inputs of {@link KubeHttp.request}. */
export interface KubeRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path with query, e.g. `/api/v1/namespaces/default/pods?limit=1`. */
  path: string;
  /** Serialised as JSON when present. */
  body?: unknown;
  /** Content-Type for bodies; default application/json (use application/merge-patch+json for PATCH). */
  contentType?: string;
  /** Per-request timeout in milliseconds. Default 10000. */
  timeoutMs?: number;
}

/**
 * Minimal HTTPS client for one apiserver using a client certificate. It does not throw on HTTP
 * error statuses (callers read `status`); it rejects on network errors and timeouts. Used for
 * readiness polling and tests; the product code uses a real Kubernetes client.
 */
export class KubeHttp {
  private readonly ca: Buffer;
  private readonly cert: Buffer;
  private readonly key: Buffer;

  constructor(
    readonly serverUrl: string,
    caFile: string,
    client: CertFiles,
  ) {
    this.ca = readFileSync(caFile);
    this.cert = readFileSync(client.cert);
    this.key = readFileSync(client.key);
  }

  /** Sends one request; see {@link KubeRequest}. */
  request(req: KubeRequest): Promise<KubeResponse> {
    const url = new URL(req.path, this.serverUrl);
    const payload = req.body === undefined ? undefined : JSON.stringify(req.body);
    return new Promise((resolve, reject) => {
      const r = httpsRequest(
        url,
        {
          method: req.method ?? 'GET',
          ca: this.ca,
          cert: this.cert,
          key: this.key,
          timeout: req.timeoutMs ?? 10_000,
          headers: {
            accept: 'application/json',
            ...(payload === undefined ? {} : { 'content-type': req.contentType ?? 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            let body: unknown = text;
            try {
              body = JSON.parse(text);
            } catch {
              // not JSON (e.g. /readyz says "ok")
            }
            resolve({ status: res.statusCode ?? 0, body, text });
          });
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error(`timeout: ${req.method ?? 'GET'} ${req.path}`)));
      r.on('error', reject);
      r.end(payload);
    });
  }
}
