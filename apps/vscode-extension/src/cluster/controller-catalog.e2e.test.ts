/**
 * The controller catalog end to end, without mocks: a local control plane, the real karpenter-ts controller (its
 * read-only API with TokenReview + SubjectAccessReview on), the extension's real cluster session
 * (`@kubernetes/client-node`) and `ControllerCatalogSync`, and the language server as a process over stdio.
 * - a ServiceAccount token allowed to read instance types: the controller's catalog reaches the language server,
 *   whose findings and hovers then name it;
 * - a token without that right: the controller's 403 sentence in the status, the catalog retracted, findings
 *   back on the simulated default;
 * - the service proxy to a Service that does not exist: the 404 as a sentence.
 * One control plane and one controller for the file; every wait polls a condition.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic, MarkupContent } from 'vscode-languageclient/node';
import { InstanceTypesResponseSchema } from '@karpenter-ts/capacity-api';
import { installControllerPrereqs, runKubectl, samplesDir, startController, type RunningController } from '@karpenter-ts/controller/testing';
import { CONTROLLER_CATALOG_NOTIFICATION, type ControllerCatalogParams } from '@karpenter-ts/language-server/protocol';
import { startClient, type LspClient } from '@karpenter-ts/language-server/testing';
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { ControllerCatalogSync, type CatalogSettings } from './controller-catalog-sync.js';
import { ClusterSession } from './session.js';

let cluster: LocalCluster;
let controller: RunningController;
let lsp: LspClient;
let kubeconfig = '';
const started = Date.now();

const kubectl = (args: string[], input?: string) => runKubectl(cluster.kubectl, cluster.adminKubeconfig, args, input);
const messageOf = (d: Diagnostic | undefined) => (typeof d?.message === 'string' ? d.message : d?.message.value) ?? '';
const uri = 'file:///ws/zones.yaml';
// A zone no catalog has: the finding names the active catalog.
const nodePool = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: zones
spec:
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - key: topology.kubernetes.io/zone
          operator: In
          values: ["test-zone-q"]
`;

/** A ClusterRole for what the extension's session watches: pods, NodePools, EC2NodeClasses, and the service proxy. */
const editorRole = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRole',
  metadata: { name: 'karpenter-ts-editor' },
  rules: [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: [''], resources: ['services/proxy'], verbs: ['get'] },
    { apiGroups: ['karpenter.sh'], resources: ['nodepools'], verbs: ['get', 'list', 'watch'] },
    { apiGroups: ['karpenter.k8s.aws'], resources: ['ec2nodeclasses'], verbs: ['get', 'list', 'watch'] },
  ],
};
const binding = (name: string, role: string, sa: string) => ({
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
  subjects: [{ kind: 'ServiceAccount', name: sa, namespace: 'default' }],
});

beforeAll(async () => {
  cluster = await startCluster();
  await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
  controller = await startController({ kubeconfig: cluster.controllerKubeconfig, onOutput: (line) => process.stderr.write(`[controller] ${line}\n`) });
  await kubectl(['apply', '-f', join(samplesDir, 'default-nodepool.yaml')]);
  const objects = [
    editorRole,
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'dev', namespace: 'default' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'intruder', namespace: 'default' } },
    binding('dev-editor', 'karpenter-ts-editor', 'dev'),
    binding('dev-capacity-reader', 'karpenter-ts-capacity-reader', 'dev'),
    binding('intruder-editor', 'karpenter-ts-editor', 'intruder'),
  ];
  await kubectl(['apply', '-f', '-'], objects.map((o) => JSON.stringify(o)).join('\n'));
  const token = async (sa: string) => (await kubectl(['create', 'token', sa, '-n', 'default', '--duration=1h'])).trim();
  const [dev, intruder] = [await token('dev'), await token('intruder')];
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'kts-catalog-e2e-')), 'kubeconfig.json');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'local', cluster: { server: cluster.serverUrl, 'certificate-authority': cluster.caFile } }],
      users: [
        { name: 'dev', user: { token: dev } },
        { name: 'intruder', user: { token: intruder } },
      ],
      contexts: [
        { name: 'dev', context: { cluster: 'local', user: 'dev' } },
        { name: 'intruder', context: { cluster: 'local', user: 'intruder' } },
      ],
      'current-context': 'dev',
    }),
  );
  lsp = await startClient({ initializationOptions: { debounceMs: 0 } });
  await lsp.open(uri, nodePool);
}, 300_000);

afterAll(async () => {
  await lsp?.stop();
  await controller?.stop();
  await cluster?.stop();
  process.stderr.write(`controller-catalog e2e: ${((Date.now() - started) / 1000).toFixed(1)} s including the control plane\n`);
});

function wire(settings: CatalogSettings) {
  const sent: ControllerCatalogParams[] = [];
  const problems: string[] = [];
  const session: ClusterSession = new ClusterSession({ kubeconfigPath: () => kubeconfig, onChange: () => sync.update(), notifyDelayMs: 20 });
  const sync: ControllerCatalogSync = new ControllerCatalogSync({ session, settings: () => settings, onProblem: (m) => problems.push(m) });
  sync.attach(async (params) => {
    sent.push(params);
    await lsp.notify(CONTROLLER_CATALOG_NOTIFICATION, params);
  });
  return { session, sync, sent, problems, dispose: () => (sync.dispose(), session.dispose()) };
}

describe('controller catalog against a real controller', () => {
  it('an allowed token: the controller catalog reaches the language server; a forbidden one: its 403 sentence and the default catalog', async () => {
    const w = wire({ url: controller.apiUrl, service: '', catalogFile: '' });
    try {
      await w.session.connect('dev');
      await waitFor(() => w.sync.status().source === 'controller', { description: 'the controller catalog is active', timeoutMs: 60_000, intervalMs: 100 });
      const first = w.sent[0];
      expect(first && first.response !== null && first.source).toBe(`the controller at ${controller.apiUrl}`);
      // What the language server got is what the API serves to this token.
      const token = (await kubectl(['create', 'token', 'dev', '-n', 'default'])).trim();
      const served = InstanceTypesResponseSchema.parse(await (await fetch(`${controller.apiUrl}/api/v1/instancetypes`, { headers: { Authorization: `Bearer ${token}` } })).json());
      expect(first?.response).toEqual(served);
      const types = new Set(served.nodePools.flatMap((p) => p.instanceTypes.map((t) => t.name))).size;
      expect(types).toBeGreaterThan(0);
      expect(w.sync.status().tooltip).toBe(`${types} instance types from the controller at ${controller.apiUrl}.`);

      const ds = await lsp.waitForDiagnostics(uri, (d) => d.some((x) => messageOf(x).includes(`(the controller at ${controller.apiUrl})`)), 30_000);
      expect(messageOf(ds.find((d) => d.code === 'unknown-label-value'))).toMatch(/^zone 'test-zone-q' is not offered by the catalog \(the controller at http:\/\/[^)]+\); did you mean 'test-zone-a'\?/);
      const hover = await lsp.hover(uri, 9, 12);
      expect((hover?.contents as MarkupContent).value).toContain(`of the ${types} in the catalog (the controller at ${controller.apiUrl})`);

      await w.session.connect('intruder');
      await waitFor(() => w.sync.status().tooltip.includes('(403 Forbidden)'), { description: 'the 403 in the status', timeoutMs: 60_000, intervalMs: 100 });
      expect(w.sync.status()).toEqual({
        source: 'default',
        text: '$(database) catalog: simulated',
        tooltip: expect.stringMatching(/^Instance types from the simulated default catalog\. The controller API at http:\/\/\S+ refused the instance types \(403 Forbidden\)\. It says: .*may not get instancetypes\.karpenter-ts\.io/),
      });
      expect(w.sent.at(-1)).toEqual({ response: null });
      expect(w.problems).toEqual([expect.stringContaining('403 Forbidden')]);
      await lsp.waitForDiagnostics(uri, (d) => d.some((x) => messageOf(x).includes('(the simulated default catalog)')), 30_000);
    } finally {
      w.dispose();
    }
  });

  it('through the API server service proxy, a Service that does not exist is a plain 404 sentence', async () => {
    const w = wire({ url: '', service: 'karpenter/karpenter-karpenter-ts:http-api', catalogFile: '' });
    try {
      await w.session.connect('dev');
      await waitFor(() => w.sync.status().tooltip.includes('(404 Not Found'), { description: 'the 404 in the status', timeoutMs: 60_000, intervalMs: 100 });
      expect(w.sync.status().tooltip).toBe(
        'Instance types from the simulated default catalog. No karpenter-ts controller at the controller\'s service karpenter/karpenter-karpenter-ts:http-api (through the API server of context "dev") (404 Not Found: services "karpenter-karpenter-ts" not found). Install the chart, or point "karpenterTs.controller.service" at its Service.',
      );
      expect(w.sent).toEqual([]);
      expect(w.problems).toEqual([]);
    } finally {
      w.dispose();
    }
  });
});
