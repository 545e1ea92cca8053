import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { Metrics } from './metrics.js';
import { startHttpServers, type HttpServers } from './server.js';

let servers: HttpServers | undefined;
afterEach(async () => servers?.close());

describe('HTTP servers', () => {
  it('serves Prometheus metrics with karpenter_ names, and /readyz follows cache sync', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.nodeClaimsCreated.inc({ reason: 'provisioning', nodepool: 'default', min_values_relaxed: 'false' });
    let ready = false;
    servers = await startHttpServers({ metrics, log: pino({ level: 'silent' }), bindAddress: '127.0.0.1', metricsPort: 0, healthProbePort: 0, ready: () => ready });
    const text = await (await fetch(`http://127.0.0.1:${servers.metricsPort}/metrics`)).text();
    expect(text).toContain('karpenter_nodeclaims_created_total{reason="provisioning",nodepool="default",min_values_relaxed="false"} 1');
    for (const name of ['karpenter_scheduler_scheduling_duration_seconds', 'karpenter_pods_startup_duration_seconds', 'karpenter_pods_eviction_requests_total']) expect(text).toContain(name);
    expect((await fetch(`http://127.0.0.1:${servers.healthProbePort}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${servers.healthProbePort}/readyz`)).status).toBe(503);
    ready = true;
    expect((await fetch(`http://127.0.0.1:${servers.healthProbePort}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${servers.healthProbePort}/nope`)).status).toBe(404);
  });
});
