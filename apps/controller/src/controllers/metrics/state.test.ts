import type { Node, NodeClaim, NodePool, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../kube/resources.js';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { stateMetricsSource } from './state.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

/** Every series of `name` as `{labels: value}` lines, from the registry (what /metrics serves). */
async function series(t: TestContext, name: string): Promise<Record<string, number>> {
  const metric = t.ctx.metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return Object.fromEntries(values.map((v) => [JSON.stringify(v.labels), v.value]));
}

const key = (labels: Record<string, string>) => JSON.stringify(labels);

/** The small fake cluster: NodePool `default` (limits, usage), Node n1 of it with 3 pods, one in-flight NodeClaim. */
function cluster() {
  const pool: NodePool = { ...nodePool(), spec: { ...nodePool().spec, limits: { cpu: '100', memory: '400Gi' } } } as NodePool;
  (pool as { status?: unknown }).status = { ...pool.status, resources: { cpu: '4', memory: '8Gi', pods: '64', nodes: '1' } };
  const n1: Node = launchedNode('n1');
  n1.metadata.labels = { ...n1.metadata.labels, 'topology.kubernetes.io/zone': 'test-zone-a', 'kubernetes.io/arch': 'amd64', 'karpenter.sh/capacity-type': 'on-demand', 'node.kubernetes.io/instance-type': 'c-4x-amd64-linux' };
  n1.status = { ...n1.status, allocatable: { cpu: '3900m', memory: '8182Mi', pods: '64', 'ephemeral-storage': '20Gi' } };
  const app: Pod = boundPod('app', 'n1');
  app.spec.containers = [{ name: 'c', resources: { requests: { cpu: '1500m', memory: '1Gi' } } }];
  const ds: Pod = daemonSetPod('ds-n1', 'n1');
  ds.spec.containers = [{ name: 'c', resources: { requests: { cpu: '100m', memory: '128Mi' } } }];
  const done: Pod = boundPod('done', 'n1');
  done.status = { phase: 'Succeeded' };
  const inFlight: NodeClaim = launchedClaim('default-b', 'default', false);
  delete inFlight.status;
  return { nodePools: [pool], nodes: [n1], pods: [app, ds, done], nodeClaims: [launchedClaim('n1'), inFlight] };
}

const n1Labels = {
  node_name: 'n1',
  phase: '',
  managed: 'true',
  nodepool: 'default',
  zone: 'test-zone-a',
  region: '',
  instance_type: 'c-4x-amd64-linux',
  arch: 'amd64',
  os: '',
  capacity_type: 'on-demand',
};

describe('state gauges (Karpenter metrics.node / metrics.nodepool / cluster state)', () => {
  it('export no labelled series, and not synced, until the controllers install the state source (a follower)', async () => {
    t = await newTestContext(cluster());
    expect(await series(t, 'karpenter_nodes_allocatable')).toEqual({});
    expect(await series(t, 'karpenter_nodepools_usage')).toEqual({});
    expect(await series(t, 'karpenter_cluster_state_synced')).toEqual({ '{}': 0 });
  });

  it('nodepools_usage and nodepools_limit: status.resources and spec.limits, cpu in cores, memory in bytes', async () => {
    t = await newTestContext(cluster());
    t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
    expect(await series(t, 'karpenter_nodepools_usage')).toEqual({
      [key({ nodepool: 'default', resource_type: 'cpu' })]: 4,
      [key({ nodepool: 'default', resource_type: 'memory' })]: 8 * 1024 ** 3,
      [key({ nodepool: 'default', resource_type: 'pods' })]: 64,
      [key({ nodepool: 'default', resource_type: 'nodes' })]: 1,
    });
    expect(await series(t, 'karpenter_nodepools_limit')).toEqual({
      [key({ nodepool: 'default', resource_type: 'cpu' })]: 100,
      [key({ nodepool: 'default', resource_type: 'memory' })]: 400 * 1024 ** 3,
    });
  });

  it('nodes_allocatable, total_pod_requests (DaemonSet pods included, terminal pods not) and total_daemon_requests per node', async () => {
    t = await newTestContext(cluster());
    t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
    const of = (resource: string) => key({ ...n1Labels, resource_type: resource });
    expect(await series(t, 'karpenter_nodes_allocatable')).toEqual({
      [of('cpu')]: 3.9,
      [of('memory')]: 8182 * 1024 ** 2,
      [of('pods')]: 64,
      [of('ephemeral_storage')]: 20 * 1024 ** 3,
    });
    expect(await series(t, 'karpenter_nodes_total_pod_requests')).toEqual({ [of('cpu')]: 1.6, [of('memory')]: 1024 ** 3 + 128 * 1024 ** 2 });
    expect(await series(t, 'karpenter_nodes_total_daemon_requests')).toEqual({ [of('cpu')]: 0.1, [of('memory')]: 128 * 1024 ** 2 });
  });

  it('cluster_utilization_percent: requests of every pod over allocatable of every node, per resource', async () => {
    t = await newTestContext(cluster());
    t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
    const got = await series(t, 'karpenter_cluster_utilization_percent');
    expect(Object.keys(got).sort()).toEqual(['cpu', 'ephemeral_storage', 'memory', 'pods'].map((r) => key({ resource_type: r })));
    expect(got[key({ resource_type: 'cpu' })]).toBeCloseTo((100 * 1.6) / 3.9, 9);
    expect(got[key({ resource_type: 'memory' })]).toBeCloseTo((100 * (1024 + 128)) / 8182, 9);
    expect(got[key({ resource_type: 'pods' })]).toBeCloseTo((100 * 2) / 64, 9);
    expect(got[key({ resource_type: 'ephemeral_storage' })]).toBe(0);
  });

  it('cluster_state_node_count counts Nodes and NodeClaims without a Node; synced waits for every NodeClaim to launch', async () => {
    t = await newTestContext(cluster());
    t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
    expect(await series(t, 'karpenter_cluster_state_node_count')).toEqual({ '{}': 2 });
    expect(await series(t, 'karpenter_cluster_state_synced')).toEqual({ '{}': 0 });
    const claim = t.client.peek<NodeClaim>(resources.nodeClaims, 'default-b');
    await t.client.patch(resources.nodeClaims, 'default-b', 'merge', { metadata: { resourceVersion: claim?.metadata.resourceVersion }, status: { providerID: 'kwok://default-b' } });
    await t.settle();
    expect(await series(t, 'karpenter_cluster_state_synced')).toEqual({ '{}': 1 });
    expect(await series(t, 'karpenter_cluster_state_node_count')).toEqual({ '{}': 2 });
  });

  it('a node whose allocatable does not parse is left out instead of failing the scrape', async () => {
    const c = cluster();
    (c.nodes[0] as Node).status = { allocatable: { cpu: 'lots' } };
    t = await newTestContext(c);
    t.ctx.metrics.setStateSource(stateMetricsSource(t.ctx.state));
    expect(await series(t, 'karpenter_nodes_allocatable')).toEqual({});
    expect(await t.ctx.metrics.registry.metrics()).toContain('karpenter_nodepools_usage');
  });
});
