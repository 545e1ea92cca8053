/**
 * The Helm chart (apps/controller/chart) with the real helm (helm.sh/helm/v4, built from its Go module by
 * tools/local-cluster's ensureHelm) and a real local control plane (one per file):
 * `helm lint`; `helm template` with default and non-default values checked against expected fragments;
 * values.schema.json rejecting wrong values at render time; the rendered RBAC equal to the permissions
 * table (src/kube/permissions.ts) both ways; and a server-side dry-run apply of the rendered manifests
 * (CRDs included) on the local kube-apiserver.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureHelm, startCluster, type LocalCluster } from '@karpenter-ts/local-cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleKeys, scopeKeys, type PolicyRule } from './kube/permissions.js';
import { runKubectl } from './testing/harness.js';
import { chartPath, manifest, renderChart, renderChartText, runHelm, type Manifest } from './testing/helm.js';

let helm: string;
let cluster: LocalCluster;
const timings: Record<string, number> = {};

interface Container {
  env: { name: string; value?: string; valueFrom?: unknown }[];
  securityContext: Record<string, unknown>;
  livenessProbe: { httpGet: { path: string } };
  readinessProbe: { httpGet: { path: string } };
  command: string[];
  image: string;
  resources: unknown;
}
interface PodSpec {
  containers: Container[];
  priorityClassName: string;
  enableServiceLinks: boolean;
  serviceAccountName: string;
  securityContext: Record<string, unknown>;
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { topologyKey: string; labelSelector: unknown }[] } };
  topologySpreadConstraints: { topologyKey: string; labelSelector: unknown }[];
}
const podSpec = (m: Manifest): PodSpec => (m['spec'] as { template: { spec: PodSpec } }).template.spec;
const envOf = (m: Manifest): Record<string, string | undefined> => Object.fromEntries(podSpec(m).containers[0]?.env.map((e) => [e.name, e.value]) ?? []);
const rulesOf = (m: Manifest): PolicyRule[] => (m['rules'] as PolicyRule[] | undefined) ?? [];

beforeAll(async () => {
  const t0 = Date.now();
  helm = await ensureHelm();
  timings['ensureHelm ms'] = Date.now() - t0;
  const t1 = Date.now();
  cluster = await startCluster();
  timings['cluster start ms'] = Date.now() - t1;
});

afterAll(async () => {
  await cluster?.stop();
  process.stderr.write(`chart e2e timings: ${JSON.stringify(timings)}\n`);
});

describe('Helm chart', () => {
  it('passes helm lint --strict', async () => {
    const run = await runHelm(helm, ['lint', '--strict', chartPath]);
    expect(run.stdout + run.stderr).toContain('1 chart(s) linted, 0 chart(s) failed');
    expect(run.code).toBe(0);
  });

  it('renders the production defaults', async () => {
    const manifests = await renderChart(helm);
    expect(manifests.map((m) => m.kind).sort()).toEqual(['ClusterRole', 'ClusterRole', 'ClusterRoleBinding', 'Deployment', 'PodDisruptionBudget', 'Role', 'RoleBinding', 'Service', 'ServiceAccount']);
    const deployment = manifest(manifests, 'Deployment', 'karpenter-karpenter-ts');
    expect(deployment.metadata.namespace).toBe('karpenter');
    expect(deployment['spec']).toMatchObject({ replicas: 2 });
    const spec = podSpec(deployment);
    expect(spec).toMatchObject({ priorityClassName: 'system-cluster-critical', enableServiceLinks: false, serviceAccountName: 'karpenter-ts' });
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    const container = spec.containers[0];
    expect(container?.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container?.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container?.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container?.command).toEqual(['node', 'dist/main.mjs']);
    expect(container?.image).toBe('karpenter-ts/controller:0.1.0');
    expect(container?.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    const selector = { matchLabels: { 'app.kubernetes.io/name': 'karpenter-ts', 'app.kubernetes.io/instance': 'karpenter' } };
    expect(spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ topologyKey: 'kubernetes.io/hostname', labelSelector: selector }]);
    expect(spec.topologySpreadConstraints[0]).toMatchObject({ topologyKey: 'topology.kubernetes.io/zone', labelSelector: selector });
    const env = envOf(deployment);
    expect(env).toMatchObject({ BATCH_IDLE_DURATION: '1s', BATCH_MAX_DURATION: '10s', LOG_LEVEL: 'info', LOG_FORMAT: 'json', CLOUD_PROVIDER: 'simulated', METRICS_PORT: '8080', API_MAX_BODY_BYTES: '1048576' });
    expect(env['FEATURE_GATES']).toContain('SpotToSpotConsolidation=false');
    expect(env).not.toHaveProperty('CLUSTER_NAME'); // empty values are left to the process default
    expect(podSpec(deployment).containers[0]?.env[0]).toEqual({ name: 'SYSTEM_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } });
    expect(manifest(manifests, 'PodDisruptionBudget')['spec']).toMatchObject({ maxUnavailable: 1, selector });
    const ports = (manifest(manifests, 'Service')['spec'] as { ports: { name: string; port: number }[] }).ports;
    expect(ports.map((p) => `${p.name}:${p.port}`)).toEqual(['http-metrics:8080', 'http-api:8090']);
  });

  it('grants exactly the permissions table: ClusterRole = cluster rows, Role in the release namespace = namespace rows', async () => {
    const manifests = await renderChart(helm);
    expect(ruleKeys(rulesOf(manifest(manifests, 'ClusterRole', 'karpenter-karpenter-ts-controller')))).toEqual(scopeKeys('cluster'));
    const role = manifest(manifests, 'Role', 'karpenter-karpenter-ts-controller');
    expect(role.metadata.namespace).toBe('karpenter');
    expect(ruleKeys(rulesOf(role))).toEqual(scopeKeys('namespace'));
    expect(rulesOf(role).find((r) => r.verbs?.includes('update'))?.resourceNames).toEqual(['karpenter-leader-election']);
  });

  it('renders non-default values: EKS settings, IRSA, feature gates, ServiceMonitor, NetworkPolicy', async () => {
    const valuesYaml = [
      'replicas: 3',
      'image: {repository: 111122223333.dkr.ecr.us-west-2.amazonaws.com/karpenter-ts, digest: "sha256:' + 'a'.repeat(64) + '"}',
      'serviceAccount: {annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/KarpenterControllerRole-demo"}}',
      'settings:',
      '  clusterName: demo',
      '  clusterEndpoint: https://ABCDEF.gr7.us-west-2.eks.amazonaws.com',
      '  interruptionQueue: demo',
      '  cloudProvider: aws',
      '  batchIdleDuration: 2s',
      '  batchMaxDuration: 30s',
      '  logLevel: debug',
      '  logFormat: text',
      '  leaderElectionName: kts-leader',
      '  featureGates: {spotToSpotConsolidation: true}',
      'serviceMonitor: {enabled: true, additionalLabels: {release: prometheus}, interval: 30s}',
      'networkPolicy: {enabled: true, metricsFrom: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]}',
      'apiReaders: [{kind: ServiceAccount, name: backstage, namespace: backstage}]',
    ].join('\n');
    const manifests = await renderChart(helm, { releaseName: 'kts', namespace: 'kube-system', valuesYaml });
    const deployment = manifest(manifests, 'Deployment', 'kts-karpenter-ts');
    expect(deployment['spec']).toMatchObject({ replicas: 3 });
    expect(podSpec(deployment).containers[0]?.image).toBe(`111122223333.dkr.ecr.us-west-2.amazonaws.com/karpenter-ts@sha256:${'a'.repeat(64)}`);
    expect(envOf(deployment)).toMatchObject({
      CLUSTER_NAME: 'demo',
      CLUSTER_ENDPOINT: 'https://ABCDEF.gr7.us-west-2.eks.amazonaws.com',
      INTERRUPTION_QUEUE: 'demo',
      CLOUD_PROVIDER: 'aws',
      BATCH_IDLE_DURATION: '2s',
      BATCH_MAX_DURATION: '30s',
      LOG_LEVEL: 'debug',
      LOG_FORMAT: 'text',
      LEADER_ELECTION_NAME: 'kts-leader',
    });
    expect(envOf(deployment)['FEATURE_GATES']).toContain('SpotToSpotConsolidation=true');
    expect(manifest(manifests, 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/KarpenterControllerRole-demo' });
    expect(manifest(manifests, 'ServiceMonitor')).toMatchObject({ metadata: { namespace: 'kube-system', labels: { release: 'prometheus' } }, spec: { endpoints: [{ port: 'http-metrics', interval: '30s' }] } });
    expect(manifest(manifests, 'NetworkPolicy')['spec']).toMatchObject({ policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] }, {}, {}] });
    expect(manifest(manifests, 'ClusterRoleBinding', 'kts-karpenter-ts-capacity-readers')['subjects']).toEqual([{ kind: 'ServiceAccount', name: 'backstage', namespace: 'backstage' }]);
    expect(rulesOf(manifest(manifests, 'Role')).find((r) => r.verbs?.includes('update'))?.resourceNames).toEqual(['kts-leader']);
  });

  it.each([
    ['settings.batchIdleDuration=soon', '/settings/batchIdleDuration'],
    ['settings.cloudProvider=gcp', '/settings/cloudProvider'],
    ['settings.batchIdleDurtion=1s', "additional properties 'batchIdleDurtion'"],
    ['settings.featureGates.spotToSpot=true', "additional properties 'spotToSpot'"],
    ['settings.logLevel=verbose', '/settings/logLevel'],
    ['settings.cloudProvider=aws', 'clusterName'],
    ['replicas=0', '/replicas'],
    ['replica=2', "additional properties 'replica'"],
  ])('values.schema.json rejects --set %s', async (pair, where) => {
    const run = await runHelm(helm, ['template', 'karpenter', chartPath, '--set', pair]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("values don't meet the specifications of the schema");
    expect(run.stderr).toContain(where);
  });

  it('the rendered manifests (CRDs included) pass a server-side dry-run apply on the local control plane', async () => {
    await runKubectl(cluster.kubectl, cluster.adminKubeconfig, ['create', 'namespace', 'karpenter']);
    const t0 = Date.now();
    const text = await renderChartText(helm, { includeCrds: true });
    const out = await runKubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '--server-side', '--dry-run=server', '-f', '-'], text);
    timings['dry-run apply ms'] = Date.now() - t0;
    for (const line of ['deployment.apps/karpenter-karpenter-ts serverside-applied (server dry run)', 'customresourcedefinition.apiextensions.k8s.io/nodepools.karpenter.sh serverside-applied (server dry run)', 'poddisruptionbudget.policy/karpenter-karpenter-ts serverside-applied (server dry run)']) {
      expect(out).toContain(line);
    }
    // Non-default values (the NetworkPolicy too); the ServiceMonitor needs the Prometheus Operator's CRD, absent here.
    const custom = await renderChartText(helm, { set: ['networkPolicy.enabled=true', 'settings.cloudProvider=aws', 'settings.clusterName=demo', 'settings.clusterEndpoint=https://demo.example.com', 'grafanaDashboard.enabled=true'] });
    const customOut = await runKubectl(cluster.kubectl, cluster.adminKubeconfig, ['apply', '--server-side', '--dry-run=server', '-f', '-'], custom);
    expect(customOut).toContain('networkpolicy.networking.k8s.io/karpenter-karpenter-ts serverside-applied (server dry run)');
    expect(customOut).toContain('configmap/karpenter-karpenter-ts-dashboard serverside-applied (server dry run)');
  });

  it('ships the Grafana dashboard as a grafana_dashboard ConfigMap only when grafanaDashboard.enabled (issue 14)', async () => {
    expect((await renderChart(helm)).filter((m) => m.kind === 'ConfigMap')).toEqual([]);
    const manifests = await renderChart(helm, { set: ['grafanaDashboard.enabled=true', 'grafanaDashboard.namespace=monitoring', 'grafanaDashboard.annotations.grafana_folder=Karpenter'] });
    const configMap = manifest(manifests, 'ConfigMap', 'karpenter-karpenter-ts-dashboard');
    expect(configMap.metadata).toMatchObject({ namespace: 'monitoring', labels: { grafana_dashboard: '1' }, annotations: { grafana_folder: 'Karpenter' } });
    const shipped = (configMap['data'] as Record<string, string>)['karpenter-ts.json'] ?? '';
    expect(JSON.parse(shipped)).toEqual(JSON.parse(readFileSync(join(chartPath, 'dashboards/karpenter-ts.json'), 'utf8')));
  });
});
