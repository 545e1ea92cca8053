import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';

/**
 * GETs `url` once and resolves with the HTTP status code (0 on connection error or after
 * `timeoutMs`, default 2000). HTTPS certificates are NOT verified: only for loopback health
 * endpoints of components that serve a self-signed certificate.
 */
export function probeStatus(url: string, timeoutMs = 2000): Promise<number> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const req = get(url, { rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', () => resolve(0));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
  });
}
