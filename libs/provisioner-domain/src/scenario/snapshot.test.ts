import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';
import type { DaemonSet, Node, Pod } from '../core/types.js';
import { daemonSetPodsFor, existingNodeOf, toSchedulingSnapshot } from './snapshot.js';

describe('toSchedulingSnapshot', () => {
  it('splits pending pods from pods running on nodes, and offers the catalog to every NodePool', () => {
    const r = loadScenario([
      {
        name: 's.yaml',
        text: `apiVersion: v1
kind: Node
metadata: {name: n1, labels: {karpenter.sh/nodepool: a}}
status: {allocatable: {cpu: "4", memory: 8Gi, pods: "10"}}
---
apiVersion: v1
kind: Pod
metadata: {name: running}
spec: {nodeName: n1, containers: [{name: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pending}
spec: {containers: [{name: c}]}
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: a}
spec: {template: {spec: {nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: d}, requirements: []}}}
`,
      },
    ]);
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    const s = toSchedulingSnapshot(r.scenario);
    expect(s.pods.map((p) => p.metadata.name)).toEqual(['pending']);
    expect(s.existingNodes).toHaveLength(1);
    expect(s.existingNodes[0]?.pods.map((p) => p.metadata.name)).toEqual(['running']);
    expect(s.existingNodes[0]?.allocatable).toEqual({ cpu: 4000, memory: 8 * 2 ** 30, pods: 10 });
    expect(s.existingNodes[0]?.nodePoolName).toBe('a');
    expect(Object.keys(s.instanceTypes)).toEqual(['a']);
    // No EC2NodeClass named d in the scenario: the catalog as is.
    expect(s.instanceTypes['a']).toEqual(r.scenario.instanceTypes);
  });
});

describe('existingNodeOf', () => {
  it.each([
    { name: 'defaults hostname and is initialized without conditions', node: { metadata: { name: 'n' } }, expected: { labels: { 'kubernetes.io/hostname': 'n' }, initialized: true, allocatable: {} } },
    {
      name: 'is not initialized when Ready is False',
      node: { metadata: { name: 'n' }, status: { conditions: [{ type: 'Ready', status: 'False' as const }] } },
      expected: { initialized: false },
    },
    {
      name: 'adds the unschedulable taint when cordoned',
      node: { metadata: { name: 'n' }, spec: { unschedulable: true } },
      expected: { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] },
    },
    { name: 'falls back to capacity', node: { metadata: { name: 'n' }, status: { capacity: { cpu: '2' } } }, expected: { allocatable: { cpu: 2000 } } },
    {
      name: 'reads the v1alpha5 provisioner label and a deletion',
      node: { metadata: { name: 'n', labels: { 'karpenter.sh/provisioner-name': 'p' }, deletionTimestamp: '2024-01-01T00:00:00Z' } },
      expected: { nodePoolName: 'p', markedForDeletion: true },
    },
    {
      name: 'is going away when it carries the karpenter.sh/disrupted taint',
      node: { metadata: { name: 'n' }, spec: { taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' as const }] } },
      expected: { markedForDeletion: true },
    },
  ])('$name', ({ node, expected }) => {
    expect(existingNodeOf(node, [])).toMatchObject(expected);
  });
});

describe('daemonSetPodsFor', () => {
  const node: Node = { metadata: { name: 'n', labels: { 'kubernetes.io/arch': 'arm64' } }, spec: { taints: [{ key: 'dedicated', effect: 'NoSchedule' }], unschedulable: true } };
  const ds = (name: string, spec: Partial<DaemonSet['spec']['template']['spec']> = {}): DaemonSet => ({
    metadata: { name, namespace: 'kube-system' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c' }], ...spec } } },
  });
  const all = [{ operator: 'Exists' as const }];
  it.each([
    { name: 'runs where it tolerates the taints (the cordon taint excepted)', daemonSet: ds('a', { tolerations: all }), runs: true },
    { name: 'does not run where a taint is not tolerated', daemonSet: ds('b'), runs: false },
    { name: 'does not run where its node selector does not match', daemonSet: ds('c', { tolerations: all, nodeSelector: { 'kubernetes.io/arch': 'amd64' } }), runs: false },
    { name: 'runs where its node selector matches', daemonSet: ds('d', { tolerations: all, nodeSelector: { 'kubernetes.io/arch': 'arm64' } }), runs: true },
  ])('$name', ({ daemonSet, runs }) => {
    const pods = daemonSetPodsFor(node, [], [daemonSet]);
    expect(pods).toHaveLength(runs ? 1 : 0);
    if (runs) {
      expect(pods[0]?.spec.nodeName).toBe('n');
      expect(pods[0]?.metadata).toMatchObject({ namespace: 'kube-system', labels: { app: daemonSet.metadata.name } });
      expect(pods[0]?.metadata.name).toMatch(new RegExp(`^${daemonSet.metadata.name}-[a-z0-9]{5}$`));
    }
  });
  it('adds nothing when the scenario lists a pod of that DaemonSet on the node', () => {
    const listed: Pod = { metadata: { name: 'a-x', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'a', uid: 'u' }] }, spec: { containers: [{ name: 'c' }] } };
    expect(daemonSetPodsFor(node, [listed], [ds('a', { tolerations: all })])).toEqual([]);
  });
});
