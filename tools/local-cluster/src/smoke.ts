import { readdirSync, readFileSync } from 'node:fs';
import { run } from './exec.js';
import type { LocalCluster } from './cluster.js';
import { KubeHttp, type KubeResponse } from './kube-http.js';
import { waitFor } from './poll.js';

/**
 * Steps of the local-cluster smoke scenario, shared by `cli.ts smoke` and cluster.e2e.test.ts, and
 * exported as `@karpenter-ts/local-cluster/testing` for other e2e suites.
 * Each talks to the cluster as the admin user and throws an Error on an unexpected status.
 */

/** A JSON object as returned by the apiserver (only the fields the smoke steps read). */
export interface KubeObject {
  metadata?: { name?: string; generation?: number; deletionTimestamp?: string };
  spec?: { nodeName?: string; taints?: Array<{ key: string; effect: string }> };
  status?: {
    phase?: string;
    podIP?: string;
    observedGeneration?: number;
    currentHealthy?: number;
    disruptionsAllowed?: number;
    conditions?: Array<{ type: string; status: string }>;
  };
  items?: KubeObject[];
  gitVersion?: string;
}

/** Admin HTTP client for `cluster`. */
export function adminClient(cluster: LocalCluster): KubeHttp {
  return new KubeHttp(cluster.serverUrl, cluster.caFile, cluster.adminCert);
}

function expectStatus(res: KubeResponse, ok: readonly number[], what: string): KubeObject {
  if (!ok.includes(res.status)) throw new Error(`${what}: HTTP ${res.status}: ${res.text.slice(0, 500)}`);
  return res.body as KubeObject;
}

/** GET /version's gitVersion, e.g. "v1.35.4". */
export async function serverVersion(kube: KubeHttp): Promise<string> {
  return expectStatus(await kube.request({ path: '/version' }), [200], 'GET /version').gitVersion ?? '';
}

/** Runs `kubectl --kubeconfig=admin ...args` and returns stdout; throws CommandFailedError on failure. */
export async function kubectl(cluster: LocalCluster, ...args: string[]): Promise<string> {
  return (await run([cluster.kubectl, `--kubeconfig=${cluster.adminKubeconfig}`, ...args])).stdout;
}

/**
 * Creates a Node that KWOK manages: annotation `kwok.x-k8s.io/node: fake`, well-known labels,
 * providerID `kwok://<name>`, capacity = allocatable = cpu 4, memory 8Gi, pods 110.
 */
export async function createFakeNode(kube: KubeHttp, name: string): Promise<void> {
  const resources = { cpu: '4', memory: '8Gi', pods: '110' };
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux', type: 'kwok' },
    },
    spec: { providerID: `kwok://${name}` },
    status: { capacity: resources, allocatable: resources },
  };
  expectStatus(await kube.request({ method: 'POST', path: '/api/v1/nodes', body: node }), [201], `create node ${name}`);
}

/** Waits until Node `name` is Ready=True and carries no `node.kubernetes.io/not-ready` taint. */
export async function waitNodeReady(kube: KubeHttp, name: string, timeoutMs = 60_000): Promise<KubeObject> {
  return waitFor(
    async () => {
      const node = expectStatus(await kube.request({ path: `/api/v1/nodes/${name}` }), [200], `get node ${name}`);
      const ready = node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      const notReadyTaint = node.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready') ?? false;
      return ready && !notReadyTaint ? node : undefined;
    },
    { description: `node ${name} Ready without not-ready taint`, timeoutMs },
  );
}

/** Creates Namespace `name` (idempotent). */
export async function createNamespace(kube: KubeHttp, name: string): Promise<void> {
  const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
  expectStatus(await kube.request({ method: 'POST', path: '/api/v1/namespaces', body: ns }), [201, 409], `create namespace ${name}`);
}

/** Creates a Deployment of `replicas` pause pods labelled `app=<name>`, each requesting 100m CPU and 64Mi. */
export async function createPauseDeployment(kube: KubeHttp, namespace: string, name: string, replicas: number): Promise<void> {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '100m', memory: '64Mi' } } }],
        },
      },
    },
  };
  expectStatus(await kube.request({ method: 'POST', path: `/apis/apps/v1/namespaces/${namespace}/deployments`, body: deployment }), [201], `create deployment ${name}`);
}

/** Lists the pods of `namespace` matching label selector `selector`. */
export async function listPods(kube: KubeHttp, namespace: string, selector: string): Promise<KubeObject[]> {
  const res = await kube.request({ path: `/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}` });
  return expectStatus(res, [200], 'list pods').items ?? [];
}

/** Waits until exactly `count` non-terminating pods match and all are Running with a nodeName and podIP. */
export async function waitPodsRunning(kube: KubeHttp, namespace: string, selector: string, count: number, timeoutMs = 60_000): Promise<KubeObject[]> {
  return waitFor(
    async () => {
      const pods = (await listPods(kube, namespace, selector)).filter((p) => p.metadata?.deletionTimestamp === undefined);
      const running = pods.filter((p) => p.status?.phase === 'Running' && p.spec?.nodeName !== undefined && p.status.podIP !== undefined);
      return pods.length === count && running.length === count ? running : undefined;
    },
    { description: `${count} running pods ${selector} in ${namespace}`, timeoutMs },
  );
}

/** Creates a policy/v1 PodDisruptionBudget over `app=<app>` and waits until its status is computed. */
export async function createPdb(kube: KubeHttp, namespace: string, app: string, maxUnavailable: number, expectedHealthy: number): Promise<KubeObject> {
  const pdb = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app, namespace },
    spec: { maxUnavailable, selector: { matchLabels: { app } } },
  };
  expectStatus(await kube.request({ method: 'POST', path: `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`, body: pdb }), [201], 'create pdb');
  return waitFor(
    async () => {
      const res = await kube.request({ path: `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/${app}` });
      const got = expectStatus(res, [200], 'get pdb');
      const current = got.status?.observedGeneration === got.metadata?.generation && got.status?.currentHealthy === expectedHealthy;
      return current ? got : undefined;
    },
    { description: `PDB ${namespace}/${app} status`, timeoutMs: 60_000 },
  );
}

/** POSTs a policy/v1 Eviction for a pod and returns the HTTP status (201 evicted, 429 blocked by a PDB). */
export async function evict(kube: KubeHttp, namespace: string, pod: string): Promise<number> {
  const eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace } };
  const res = await kube.request({ method: 'POST', path: `/api/v1/namespaces/${namespace}/pods/${pod}/eviction`, body: eviction });
  return res.status;
}

/** DELETEs `path` (404 counts as done) and waits until GET returns 404. */
export async function deleteAndWait(kube: KubeHttp, path: string, timeoutMs = 60_000): Promise<void> {
  expectStatus(await kube.request({ method: 'DELETE', path, body: { propagationPolicy: 'Background' } }), [200, 202, 404], `delete ${path}`);
  await waitFor(async () => (await kube.request({ path })).status === 404, { description: `${path} gone`, timeoutMs });
}

/** Pids of live processes whose command line contains `text` (e.g. a cluster work dir). */
export function processesMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}
