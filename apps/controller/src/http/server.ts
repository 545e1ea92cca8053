import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

export interface HttpServersOptions {
  metrics: Metrics;
  log: Logger;
  bindAddress: string;
  /** 0 = any free port. */
  metricsPort: number;
  /** 0 = any free port. */
  healthProbePort: number;
  /** /readyz answers 200 when this returns true (caches synced). */
  ready: () => boolean;
  /** /healthz answers 200 when this returns true. Default: always. */
  healthy?: () => boolean;
}

export interface HttpServers {
  metricsPort: number;
  healthProbePort: number;
  close(): Promise<void>;
}

/**
 * Starts the metrics server (`GET /metrics`, Prometheus text format) and the health probe server
 * (`GET /healthz`, `GET /readyz`), logging "starting server" with each bound port, so a port of 0 can be
 * discovered from the log.
 */
export async function startHttpServers(options: HttpServersOptions): Promise<HttpServers> {
  const metricsServer = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      options.metrics.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'Content-Type': options.metrics.registry.contentType });
          res.end(text);
        },
        (error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(String(error));
        },
      );
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  const healthServer = http.createServer((req, res) => {
    const path = req.url?.split('?')[0];
    const check = path === '/healthz' ? (options.healthy ?? (() => true)) : path === '/readyz' ? options.ready : undefined;
    if (req.method !== 'GET' || check === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const ok = check();
    res.writeHead(ok ? 200 : 503, { 'Content-Type': 'text/plain' }).end(ok ? 'ok\n' : 'not ready\n');
  });
  const listen = (server: http.Server, port: number, name: string): Promise<number> =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, options.bindAddress, () => {
        const bound = (server.address() as AddressInfo).port;
        options.log.info({ server: name, address: options.bindAddress, port: bound }, 'starting server');
        resolve(bound);
      });
    });
  const metricsPort = await listen(metricsServer, options.metricsPort, 'metrics');
  const healthProbePort = await listen(healthServer, options.healthProbePort, 'health probe');
  const closeOne = (server: http.Server): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return {
    metricsPort,
    healthProbePort,
    close: async () => {
      await Promise.all([closeOne(metricsServer), closeOne(healthServer)]);
    },
  };
}
