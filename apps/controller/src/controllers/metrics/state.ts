import {
  CPU,
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_OS,
  LABEL_TOPOLOGY_REGION,
  LABEL_TOPOLOGY_ZONE,
  PODS,
  addResources,
  isDaemonSetPod,
  podRequests,
  toResourceList,
  type Node,
  type ResourceList,
} from '@karpenter-ts/provisioner-domain';
import type { MetricSeries, StateMetricsSource } from '../../http/metrics.js';
import type { ClusterState } from '../../state/cluster.js';

/**
 * The state gauges' series (Karpenter's `metrics.node`, `metrics.nodepool` and cluster-state metrics), read
 * from the cluster state at scrape time so they never outlive the objects they describe:
 * - `karpenter_nodepools_usage` / `_limit` {resource_type, nodepool}: the NodePool's (or Provisioner's)
 *   `status.resources` and `spec.limits`.
 * - `karpenter_nodes_allocatable`, `_total_pod_requests` (every non-terminal pod bound to the node, DaemonSet
 *   pods included), `_total_daemon_requests` (DaemonSet pods only) {node_name, phase, managed, resource_type,
 *   nodepool, zone, region, instance_type, arch, os, capacity_type}.
 * - `karpenter_cluster_utilization_percent` {resource_type}: 100 × the pods' requests over the nodes' allocatable,
 *   summed over every node (pods counted in `pods`, as Karpenter's `PodRequests` do not; resources no node
 *   offers are left out).
 * - `karpenter_cluster_state_node_count`: Nodes plus NodeClaims without a Node yet (Karpenter's state nodes).
 * - `karpenter_cluster_state_synced`: 1 once every informer has listed and every NodeClaim not being deleted
 *   has launched (has a providerID), the rule the provisioner waits on.
 * Values in Karpenter's units: `cpu` in cores (millicores / 1000), every other resource in base units
 * (bytes, count). Resource names are lower snake_case (`ephemeral-storage` → `ephemeral_storage`). A node or
 * pool whose quantities do not parse is left out of the resource gauges rather than failing the scrape.
 */
export function stateMetricsSource(state: ClusterState): StateMetricsSource {
  const nodeSeries = (resourcesOf: (node: Node) => ResourceList): MetricSeries[] =>
    state.nodes().flatMap((node) => {
      const list = tryList(() => resourcesOf(node));
      return list ? resourceSeries(list, nodeLabels(state, node)) : [];
    });
  const poolSeries = (field: 'usage' | 'limit'): MetricSeries[] =>
    state.nodePools().pools.flatMap((pool) => {
      const source = field === 'usage' ? (pool.nodePool.status as { resources?: Record<string, string | number> } | undefined)?.resources : pool.nodePool.spec.limits;
      const list = tryList(() => toResourceList(source as Record<string, string>));
      return list ? resourceSeries(list, { nodepool: pool.name }) : [];
    });
  const podsOn = (node: Node) => state.podsOnNode(node.metadata.name ?? '');
  return {
    nodePoolsUsage: () => poolSeries('usage'),
    nodePoolsLimit: () => poolSeries('limit'),
    nodesAllocatable: () => nodeSeries((node) => toResourceList(node.status?.allocatable)),
    nodesTotalPodRequests: () => nodeSeries((node) => withoutPodCount(addResources(...podsOn(node).map(podRequests)))),
    nodesTotalDaemonRequests: () => nodeSeries((node) => withoutPodCount(addResources(...podsOn(node).filter(isDaemonSetPod).map(podRequests)))),
    clusterUtilizationPercent: () => {
      const allocatable: ResourceList[] = [];
      const requested: ResourceList[] = [];
      for (const node of state.nodes()) {
        const a = tryList(() => toResourceList(node.status?.allocatable));
        const r = tryList(() => addResources(...podsOn(node).map(podRequests)));
        if (!a || !r) continue;
        allocatable.push(a);
        requested.push(r);
      }
      const total = addResources(...allocatable);
      const used = addResources(...requested);
      return Object.entries(total)
        .filter(([, amount]) => amount > 0)
        .map(([name, amount]) => ({ labels: { resource_type: snake(name) }, value: (100 * (used[name] ?? 0)) / amount }));
    },
    nodeCount: () => state.nodes().length + state.nodeClaims().filter((c) => !state.nodeForNodeClaim(c)).length,
    synced: () => state.synced && state.nodeClaims().every((c) => c.metadata.deletionTimestamp || c.status?.providerID),
  };
}

/** Labels shared by a node's resource series (all but `resource_type`). */
function nodeLabels(state: ClusterState, node: Node): Record<string, string> {
  const labels = node.metadata.labels ?? {};
  return {
    node_name: node.metadata.name ?? '',
    phase: (node.status as { phase?: string } | undefined)?.phase ?? '',
    managed: String(labels[LABEL_NODEPOOL] !== undefined || state.nodeClaimForNode(node) !== undefined),
    nodepool: labels[LABEL_NODEPOOL] ?? '',
    zone: labels[LABEL_TOPOLOGY_ZONE] ?? '',
    region: labels[LABEL_TOPOLOGY_REGION] ?? '',
    instance_type: labels[LABEL_INSTANCE_TYPE] ?? '',
    arch: labels[LABEL_ARCH] ?? '',
    os: labels[LABEL_OS] ?? '',
    capacity_type: labels[LABEL_CAPACITY_TYPE] ?? '',
  };
}

/** One series per resource of `list`, in Karpenter's units and resource_type spelling. */
function resourceSeries(list: ResourceList, labels: Record<string, string>): MetricSeries[] {
  return Object.entries(list).map(([name, amount]) => ({
    labels: { ...labels, resource_type: snake(name) },
    value: name === CPU ? amount / 1000 : amount,
  }));
}

/** Pod requests without the `pods: 1` each pod counts in the domain's `podRequests` (Karpenter's sums leave it out). */
function withoutPodCount(list: ResourceList): ResourceList {
  const { [PODS]: _pods, ...rest } = list;
  return rest;
}

/** A resource name as Karpenter's `resource_type` label: lower case, `-` → `_`. */
function snake(resourceName: string): string {
  return resourceName.toLowerCase().replaceAll('-', '_');
}

function tryList(build: () => ResourceList): ResourceList | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}
