/**
 * RBAC proven: the walking-skeleton story (10 pause pods of 1 CPU scale up onto launched nodes, the
 * deployment goes, the empty nodes go) with the controller running under the token of the chart's
 * ServiceAccount, from the chart's rendered manifests applied to a local control plane (everything but the
 * Deployment, which has no image here; the controller runs as a local process with the Deployment's
 * environment). A recording proxy between the controller and kube-apiserver logs every API call; the test
 * asserts no call was refused (403), that each distinct call passes `kubectl auth can-i` with the same
 * token, and that each is in the permissions table (src/kube/permissions.ts).
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { ensureHelm } from '@karpenter-ts/local-cluster';
import type { Node, Pod } from '@karpenter-ts/provisioner-domain';
import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HttpKubeClient } from './kube/http-client.js';
import { loadKubeConfig } from './kube/config.js';
import { permissionKeys, controllerPermissions } from './kube/permissions.js';
import { resources } from './kube/resources.js';
import { defaultEC2NodeClass, defaultNodePool, pauseDeployment } from './testing/fixtures.js';
import { crdDir, runKubectl, startController, type RunningController } from './testing/harness.js';
import { renderChart, type Manifest } from './testing/helm.js';

interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
}

const WORK = mkdtempSync(join(tmpdir(), 'karpenter-ts-rbac-e2e-'));
let cluster: LocalCluster;
let controller: RunningController | undefined;
let proxy: http.Server;
let admin: HttpKubeClient;
const calls: RecordedCall[] = [];
const timings: Record<string, number> = {};
let saKubeconfig = '';

const kubectl = (args: string[], input?: string): Promise<string> => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);

/** An HTTP proxy to kube-apiserver (TLS upstream, the caller's Authorization passed on) that records each call. */
function startRecordingProxy(serverUrl: string, ca: Buffer): Promise<http.Server> {
  const upstream = new URL(serverUrl);
  const agent = new https.Agent({ ca, keepAlive: true });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const out = https.request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host }, agent },
      (upstreamRes) => {
        calls.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, status: upstreamRes.statusCode ?? 0 });
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    // The controller went away mid-response (e.g. a watch it aborted): end the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) out.destroy();
    });
    req.pipe(out);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** `kubectl auth can-i` arguments of one recorded call: verb, resource[.group][/name], --subresource, -n. */
export function canIArgs(call: Pick<RecordedCall, 'method' | 'path' | 'query'>): string[] {
  const parts = call.path.split('/').filter((p) => p !== '');
  const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
  const group = parts[0] === 'api' ? '' : (parts[1] ?? '');
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length > 2) {
    namespace = rest[1];
    rest.splice(0, 2);
  }
  const [resource = '', name, subresource] = rest;
  const verb =
    call.method === 'GET' ? (name !== undefined ? 'get' : call.query.get('watch') === 'true' ? 'watch' : 'list') : ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: name !== undefined ? 'delete' : 'deletecollection' } as Record<string, string>)[call.method] ?? call.method.toLowerCase();
  const target = `${resource}${group ? `.${group}` : ''}${name !== undefined && call.method !== 'POST' ? `/${name}` : ''}`;
  return [verb, target, ...(subresource ? ['--subresource', subresource] : []), ...(namespace ? ['-n', namespace] : [])];
}

/** The permissions-table key of a call: `group/resource[/sub] verb`. */
function tableKey(call: RecordedCall): string {
  const args = canIArgs(call);
  const [verb = '', target = ''] = args;
  const resourceAndGroup = target.split('/')[0] ?? '';
  const dot = resourceAndGroup.indexOf('.');
  const resource = dot < 0 ? resourceAndGroup : resourceAndGroup.slice(0, dot);
  const group = dot < 0 ? '' : resourceAndGroup.slice(dot + 1);
  const sub = args.includes('--subresource') ? `/${args[args.indexOf('--subresource') + 1] ?? ''}` : '';
  return `${group}/${resource}${sub} ${verb}`;
}

beforeAll(async () => {
  const t0 = Date.now();
  const helm = await ensureHelm();
  cluster = await startCluster();
  timings['cluster start ms'] = Date.now() - t0;
  admin = new HttpKubeClient(loadKubeConfig(cluster.adminKubeconfig));
  await kubectl(['create', 'namespace', 'karpenter']);
  await kubectl(['apply', '--server-side', '-f', crdDir]);
  await kubectl(['wait', '--for', 'condition=Established', '--timeout', '60s', '-f', crdDir]);
  const manifests = await renderChart(helm);
  const deployment = manifests.find((m) => m.kind === 'Deployment') as Manifest;
  await kubectl(['apply', '--server-side', '-f', '-'], manifests.filter((m) => m.kind !== 'Deployment').map((m) => `---\n${stringify(m)}`).join('\n'));
  const token = (await kubectl(['create', 'token', 'karpenter-ts', '-n', 'karpenter', '--duration', '1h'])).trim();
  proxy = await startRecordingProxy(cluster.serverUrl, readFileSync(cluster.caFile));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const kubeconfig = (server: string, extra: Record<string, unknown> = {}) =>
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server, ...extra } }],
      users: [{ name: 'karpenter-ts', user: { token } }],
      contexts: [{ name: 'sa', context: { cluster: 'local', user: 'karpenter-ts', namespace: 'karpenter' } }],
      'current-context': 'sa',
    });
  saKubeconfig = join(WORK, 'sa.kubeconfig');
  writeFileSync(saKubeconfig, kubeconfig(cluster.serverUrl, { 'certificate-authority': cluster.caFile }));
  const controllerKubeconfig = join(WORK, 'controller.kubeconfig');
  // Plain HTTP on loopback to the proxy (client-node wants insecure-skip-tls-verify for an http server).
  writeFileSync(controllerKubeconfig, kubeconfig(proxyUrl, { 'insecure-skip-tls-verify': true }));
  // RBAC is in the API server's cache before the controller starts (no warm-up 403s to explain away).
  await waitFor(async () => runKubectl(cluster.kubectl, saKubeconfig, ['auth', 'can-i', 'watch', 'nodeclaims.karpenter.sh']).then(() => true, () => false), {
    description: 'the ServiceAccount may watch NodeClaims',
    timeoutMs: 30_000,
    intervalMs: 200,
  });
  // The Deployment's environment (settings from values.yaml), with local ports.
  const env: Record<string, string> = {};
  for (const e of (deployment['spec'] as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }).template.spec.containers[0]?.env ?? []) {
    if (e.value !== undefined) env[e.name] = e.value;
  }
  const t1 = Date.now();
  controller = await startController({
    kubeconfig: controllerKubeconfig,
    env: { ...env, SYSTEM_NAMESPACE: 'karpenter', METRICS_PORT: '0', HEALTH_PROBE_PORT: '0', API_PORT: '0', BIND_ADDRESS: '127.0.0.1' },
    onOutput: (line) => process.stderr.write(`[controller] ${line}\n`),
  });
  timings['controller ready ms'] = Date.now() - t1;
}, 300_000);

afterAll(async () => {
  await controller?.stop();
  proxy?.closeAllConnections();
  proxy?.close();
  await cluster?.stop();
  rmSync(WORK, { recursive: true, force: true });
  process.stderr.write(`rbac e2e timings: ${JSON.stringify(timings)}\n`);
});

describe('RBAC of the chart', () => {
  it('maps recorded calls to kubectl auth can-i arguments', () => {
    const q = new URLSearchParams();
    expect(canIArgs({ method: 'GET', path: '/api/v1/pods', query: new URLSearchParams('watch=true') })).toEqual(['watch', 'pods']);
    expect(canIArgs({ method: 'POST', path: '/api/v1/namespaces/default/pods/p1/eviction', query: q })).toEqual(['create', 'pods', '--subresource', 'eviction', '-n', 'default']);
    expect(canIArgs({ method: 'PUT', path: '/apis/coordination.k8s.io/v1/namespaces/karpenter/leases/karpenter-leader-election', query: q })).toEqual([
      'update',
      'leases.coordination.k8s.io/karpenter-leader-election',
      '-n',
      'karpenter',
    ]);
    expect(canIArgs({ method: 'PATCH', path: '/apis/karpenter.sh/v1/nodeclaims/a/status', query: q })).toEqual(['patch', 'nodeclaims.karpenter.sh/a', '--subresource', 'status']);
  });

  it('the walking skeleton completes under the chart ServiceAccount; every call is allowed and granted by the table', async () => {
    await kubectl(['apply', '-f', '-'], [defaultEC2NodeClass(), defaultNodePool('5s'), pauseDeployment('inflate', 10)].map((o) => JSON.stringify(o)).join('\n'));
    const t0 = Date.now();
    await waitFor(
      async () => {
        const pods = (await admin.list<Pod>(resources.pods, { namespace: 'default', labelSelector: 'app=inflate' })).items;
        return pods.length === 10 && pods.every((p) => p.status?.phase === 'Running');
      },
      { description: '10 inflate pods Running', timeoutMs: 120_000, intervalMs: 250 },
    );
    timings['scale-up ms'] = Date.now() - t0;
    const nodes = (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items;
    expect(nodes.length).toBeGreaterThan(0);
    const t1 = Date.now();
    await kubectl(['delete', 'deployment', 'inflate', '--wait=false']);
    await waitFor(async () => (await admin.list<Node>(resources.nodes, { labelSelector: 'karpenter.sh/nodepool' })).items.length === 0, {
      description: 'launched nodes gone',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    timings['scale-down ms'] = Date.now() - t1;

    const refused = calls.filter((c) => c.status === 403);
    expect(refused.map((c) => `${c.method} ${c.path}`)).toEqual([]);
    const distinct = new Map<string, RecordedCall>();
    for (const call of calls) distinct.set(canIArgs(call).join(' '), call);
    const denied: string[] = [];
    for (const [args] of distinct) {
      const ok = await runKubectl(cluster.kubectl, saKubeconfig, ['auth', 'can-i', ...args.split(' ')]).then(() => true, () => false);
      if (!ok) denied.push(args);
    }
    expect(denied).toEqual([]);
    const granted = new Set(permissionKeys(controllerPermissions));
    expect([...new Set([...distinct.values()].map(tableKey))].filter((k) => !granted.has(k))).toEqual([]);
    timings['API calls'] = calls.length;
    timings['403 responses'] = refused.length;
    timings['distinct calls checked with can-i'] = distinct.size;
    process.stderr.write(`rbac e2e: distinct calls:\n  ${[...distinct.keys()].sort().join('\n  ')}\n`);
  });
});
