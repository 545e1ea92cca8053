import { podRequests, schedule, toResourceList } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { existingNode, instanceType, nodePool, pod, pods } from './index.js';

describe('builders', () => {
  it('pod() carries requests, selection, affinity and ports', () => {
    const p = pod({
      name: 'web',
      namespace: 'shop',
      labels: { app: 'web' },
      requests: { cpu: '500m', memory: '1Gi' },
      nodeSelector: { 'kubernetes.io/arch': 'arm64' },
      nodeRequirements: [[{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }]],
      podAntiAffinity: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }],
      hostPorts: [8080],
    });
    expect(p.metadata).toMatchObject({ name: 'web', namespace: 'shop', uid: 'uid-shop-web' });
    expect(podRequests(p)).toEqual({ cpu: 500, memory: 2 ** 30, pods: 1 });
    expect(p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toHaveLength(1);
    expect(p.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toHaveLength(1);
    expect(p.spec.containers[0]?.ports).toEqual([{ containerPort: 8080, hostPort: 8080 }]);
    expect(p.status?.phase).toBe('Pending');
  });

  it('pods() names them in order', () => {
    expect(pods(3, 'inflate', { requests: { cpu: '1' } }).map((p) => p.metadata.name)).toEqual(['inflate-0', 'inflate-1', 'inflate-2']);
  });

  it('instanceType() builds capacity and offerings', () => {
    const t = instanceType({ cpu: 2, zones: ['a', 'b'], capacityTypes: ['spot', 'on-demand'], unavailable: ['b/spot'], kubeReserved: { cpu: '100m' }, extra: { 'nvidia.com/gpu': 1 } });
    expect(t.name).toBe('2x');
    expect(t.capacity).toEqual({ cpu: 2000, memory: 4 * 2 ** 30, pods: 110, 'nvidia.com/gpu': 1 });
    expect(t.overhead.kubeReserved).toEqual({ cpu: 100 });
    expect(t.offerings).toHaveLength(4);
    expect(t.offerings.filter((o) => !o.available)).toEqual([{ zone: 'b', capacityType: 'spot', pricePerHour: 0.054 * 0.7, available: false }]);
  });

  it('nodePool() and existingNode() feed the scheduler', () => {
    const np = nodePool({ name: 'gpu', taints: [{ key: 'gpu', effect: 'NoSchedule' }], limits: { cpu: 10 }, weight: 5, labels: { team: 'ml' } });
    expect(np.spec.weight).toBe(5);
    const node = existingNode({ name: 'n1', instanceType: instanceType({ cpu: 8 }), zone: 'a', nodePoolName: 'gpu', pods: [pod({ name: 'running', requests: { cpu: 1 } })] });
    expect(node.labels).toMatchObject({ 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'a', 'karpenter.sh/nodepool': 'gpu' });
    expect(node.capacity).toEqual(toResourceList({ cpu: 8, memory: '16Gi', pods: 110 }));
    expect(node.pods[0]?.spec.nodeName).toBe('n1');
    const result = schedule({ pods: [pod({ name: 'p', requests: { cpu: 2 } })], existingNodes: [node], nodePools: [np], instanceTypes: { gpu: [instanceType({ cpu: 8 })] } });
    expect(result.existingNodes.map((n) => n.name)).toEqual(['n1']);
  });
});
