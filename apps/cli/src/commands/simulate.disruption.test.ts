import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { fakeIo } from '../testing/fake-io.js';

const CATALOG = `apiVersion: karpenter-ts.io/v1alpha1
kind: InstanceTypeCatalog
instanceTypes:
  - name: c-2x
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "2", memory: 4Gi, pods: "20"}
    offerings: [{zone: zone-a, capacityType: on-demand, price: 0.085}]
  - name: c-8x
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "8", memory: 16Gi, pods: "20"}
    offerings: [{zone: zone-a, capacityType: on-demand, price: 0.34}]
`;
const NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  disruption: {consolidationPolicy: WhenEmptyOrUnderutilized, consolidateAfter: 0s, budgets: [{nodes: "100%"}]}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
`;
const node = (name: string, conditions = '[{type: Ready, status: "True"}]'): string => `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  creationTimestamp: "2026-12-06T10:00:00Z"
  labels: {karpenter.sh/nodepool: general, node.kubernetes.io/instance-type: c-8x, topology.kubernetes.io/zone: zone-a, karpenter.sh/capacity-type: on-demand, kubernetes.io/arch: amd64, kubernetes.io/os: linux}
status:
  allocatable: {cpu: "8", memory: 16Gi, pods: "20"}
  conditions: ${conditions}
`;
const pod = (name: string, nodeName: string, annotations = '{}'): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: default
  annotations: ${annotations}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web, uid: u1, controller: true}]
spec: {nodeName: ${nodeName}, containers: [{name: c, resources: {requests: {cpu: 500m, memory: 512Mi}}}]}
status: {phase: Running}
`;
const files = {
  'catalog.yaml': CATALOG,
  'nodepool.yaml': NODEPOOL,
  'nodes.yaml': [node('node-a'), node('node-b')].join('---\n'),
  'pods.yaml': [pod('web-1', 'node-a'), pod('keep', 'node-b', '{karpenter.sh/do-not-disrupt: "true"}')].join('---\n'),
};
const args = ['simulate', '--disruption', '--now', '2026-12-06T16:00:00Z', '-f', 'catalog.yaml', '-f', 'nodepool.yaml', '-f', 'nodes.yaml', '-f', 'pods.yaml'];

describe('karpenter-ts simulate --disruption', () => {
  it('prints the commands and every other node with its reason as the documented JSON', async () => {
    const f = fakeIo(files);
    expect(await main(args, f.io)).toBe(0);
    const out = JSON.parse(f.out()) as { commands: { method: string; decision: string; candidates: string[]; pricePerHourBefore: number }[]; notDisrupted: { node: string; code: string; reason: string }[]; pricePerHourBefore: number; pricePerHourAfter: number };
    expect(out.commands).toEqual([expect.objectContaining({ method: 'single-node-consolidation', decision: 'delete', candidates: ['node-a'], pricePerHourBefore: 0.34, replacements: [] })]);
    expect(out.notDisrupted).toEqual([{ node: 'node-b', code: 'DoNotDisruptPod', reason: 'pod default/keep has karpenter.sh/do-not-disrupt' }]);
    expect(out.pricePerHourBefore).toBeCloseTo(0.68);
    expect(out.pricePerHourAfter).toBeCloseTo(0.34);
  });

  it('prints a table and refuses a --now that is not a time', async () => {
    const f = fakeIo(files);
    expect(await main([...args, '-o', 'table'], f.io)).toBe(0);
    expect(f.out()).toContain('single-node-consolidation');
    expect(f.out()).toContain('node-b  DoNotDisruptPod  pod default/keep has karpenter.sh/do-not-disrupt');
    const bad = fakeIo(files);
    expect(await main(['simulate', '--disruption', '--now', 'soon', '-f', 'nodepool.yaml', '-f', 'nodes.yaml'], bad.io)).toBe(2);
    expect(bad.err()).toContain('--now "soon" is not an RFC 3339 time');
  });

  it('takes a scenario Node written without a Ready condition as Ready, and one Ready False as disrupting', async () => {
    const withoutReady = fakeIo({ ...files, 'nodes.yaml': [node('node-a', '[]'), node('node-b', '[]')].join('---\n') });
    expect(await main(args, withoutReady.io)).toBe(0);
    const out = JSON.parse(withoutReady.out()) as { commands: { candidates: string[] }[]; notDisrupted: { code: string }[] };
    expect(out.commands.map((c) => c.candidates)).toEqual([['node-a']]);
    expect(out.notDisrupted.map((n) => n.code)).toEqual(['DoNotDisruptPod']);
    const notReady = fakeIo({ ...files, 'nodepool.yaml': NODEPOOL.replace('nodes: "100%"', 'nodes: "1"'), 'nodes.yaml': [node('node-a'), node('node-b', '[{type: Ready, status: "False"}]')].join('---\n') });
    expect(await main(args, notReady.io)).toBe(0);
    const blocked = JSON.parse(notReady.out()) as { commands: unknown[]; notDisrupted: { node: string; code: string; reason: string }[] };
    expect(blocked.commands).toEqual([]);
    expect(blocked.notDisrupted.find((n) => n.node === 'node-a')).toMatchObject({ code: 'BudgetExhausted', reason: expect.stringContaining('already being disrupted or not Ready') });
  });
});
