import {
  LABEL_ARCH,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  type Pod,
} from '@karpenter-ts/provisioner-domain';
import { podKey } from '../../../state/pods.js';
import type { ControllerContext } from '../../types.js';

/** `<kind>/<name>` of the pod's controller (else first) owner, as Karpenter's `owner` label; `''` without one. */
function ownerOf(pod: Pod): string {
  const owners = pod.metadata.ownerReferences ?? [];
  const owner = owners.find((o) => o.controller) ?? owners[0];
  return owner ? `${owner.kind}/${owner.name}` : '';
}

const toMs = (t: string | Date | undefined): number => (t === undefined ? Number.NaN : t instanceof Date ? t.getTime() : Date.parse(t));

/**
 * `pod.metrics` (Karpenter's `controllers/metrics/pod`): observes `karpenter_pods_startup_duration_seconds`
 * when a pod is first seen Running (from its creationTimestamp) and
 * `karpenter_pods_provisioning_bound_duration_seconds` when a pod the provisioner found a place for binds
 * (from that first decision, `ClusterState.markPodsSchedulable`), and exposes `karpenter_pods_state` (one
 * series per pod with its node, NodePool, zone, arch, capacity type, instance type and phase), computed from
 * the caches at scrape time. Returns an unsubscribe function.
 */
export function watchPodMetrics(ctx: ControllerContext): () => void {
  ctx.metrics.collectedGauge(
    'karpenter_pods_state',
    'Pod state is the current state of pods. This metric can be used several ways as it is labeled by the pod name, namespace, owner, node, whether the pod is scheduled, nodepool name, zone, architecture, capacity type, instance type, pod phase, pod readiness, and whether the node is Karpenter-managed.',
    ['name', 'namespace', 'owner', 'node', 'scheduled', 'nodepool', 'zone', 'arch', 'capacity_type', 'instance_type', 'phase', 'ready', 'managed'] as const,
    (set) => {
      for (const pod of ctx.state.pods()) {
        const node = pod.spec.nodeName ? ctx.state.node(pod.spec.nodeName) : undefined;
        const labels = node?.metadata.labels ?? {};
        set(
          {
            name: pod.metadata.name ?? '',
            namespace: pod.metadata.namespace ?? '',
            owner: ownerOf(pod),
            node: pod.spec.nodeName ?? '',
            scheduled: String(Boolean(pod.spec.nodeName)),
            nodepool: labels[LABEL_NODEPOOL] ?? '',
            zone: labels[LABEL_TOPOLOGY_ZONE] ?? '',
            arch: labels[LABEL_ARCH] ?? '',
            capacity_type: labels[LABEL_CAPACITY_TYPE] ?? '',
            instance_type: labels[LABEL_INSTANCE_TYPE] ?? '',
            phase: pod.status?.phase ?? '',
            ready: String((pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')),
            managed: String(labels[LABEL_NODEPOOL] !== undefined),
          },
          1,
        );
      }
    },
  );
  const observe = (previous: Pod | undefined, pod: Pod): void => {
    if (previous !== undefined && !previous.spec.nodeName && pod.spec.nodeName) {
      // Bound: how long since the provisioner first found it a place (Karpenter's provisioning bound duration).
      const since = ctx.state.takeSchedulableSince(podKey(pod));
      if (since !== undefined) ctx.metrics.podsProvisioningBoundDuration.observe({ dynamic_resources: 'false' }, Math.max(0, ctx.clock.now() - since) / 1000);
    }
    if (pod.status?.phase !== 'Running' || previous?.status?.phase === 'Running' || previous === undefined) return;
    const created = toMs(pod.metadata.creationTimestamp);
    if (!Number.isNaN(created)) ctx.metrics.podsStartupDuration.observe(Math.max(0, ctx.clock.now() - created) / 1000);
  };
  return ctx.state.informers.pods.on({ onUpdate: observe });
}
