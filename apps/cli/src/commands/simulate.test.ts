import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { formatScenarioIssue } from './simulate.js';
import { fakeIo } from '../testing/fake-io.js';

const CATALOG = `apiVersion: karpenter-ts.io/v1alpha1
kind: InstanceTypeCatalog
instanceTypes:
  - name: c-2x
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "2", memory: 4Gi, pods: "20"}
    offerings: [{zone: zone-a, capacityType: on-demand, price: 0.085}]
`;
const NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: general}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
`;
const PODS = `apiVersion: v1
kind: Pod
metadata: {name: small}
spec: {containers: [{name: c, resources: {requests: {cpu: 500m, memory: 512Mi}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: huge, namespace: big}
spec: {containers: [{name: c, resources: {requests: {cpu: "64"}}}]}
`;
const files = { 'catalog.yaml': CATALOG, 'nodepool.yaml': NODEPOOL, 'pods.yaml': PODS };
const args = ['simulate', '-f', 'catalog.yaml', '-f', 'nodepool.yaml', '-f', 'pods.yaml'];

describe('karpenter-ts simulate', () => {
  it('prints the docs/simulate-json.md JSON and exits 0 even with an unschedulable pod', async () => {
    const f = fakeIo(files);
    expect(await main(args, f.io)).toBe(0);
    const out = JSON.parse(f.out()) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['nodeClaims', 'existingNodes', 'unschedulable', 'totalPricePerHour', 'skipped', 'notes']);
    expect(out['nodeClaims']).toEqual([
      {
        nodePool: 'general',
        instanceType: 'c-2x',
        instanceTypeOptions: ['c-2x'],
        capacityType: 'on-demand',
        zone: 'zone-a',
        pricePerHour: 0.085,
        pods: ['default/small'],
        requests: { cpu: '500m', memory: '512Mi', pods: '1' },
      },
    ]);
    expect(out['unschedulable']).toEqual([expect.objectContaining({ pod: 'big/huge', reason: expect.stringContaining('cpu') })]);
    expect(out['totalPricePerHour']).toBe(0.085);
    expect(f.err()).toBe('catalog: catalog.yaml, 1 type in zone-a; no AWS types\n');
  });

  it('prints a table with --output table', async () => {
    const f = fakeIo(files);
    expect(await main([...args, '--output', 'table'], f.io)).toBe(0);
    expect(f.out()).toMatch(/^NODECLAIM +NODEPOOL +INSTANCE TYPE/);
    expect(f.out()).toContain('1 NodeClaim, $0.0850 per hour ($62.05 per month); 1 pod placed, 1 unschedulable.\ncatalog: catalog.yaml, 1 type in zone-a; no AWS types\n');
    // 500m of 2 vCPU less Karpenter's default kube-reserved (70m)
    expect(f.out()).toMatch(/500m \/ 1\.9 vCPU \(26%\)/);
  });

  it.each(['Respect', 'Ignore'])('accepts --preference-policy %s', async (policy) => {
    const f = fakeIo(files);
    expect(await main([...args, '--preference-policy', policy], f.io)).toBe(0);
  });

  it.each<{ name: string; files: Record<string, string>; stderr: string }>([
    { name: 'a bad quantity', files: { 'bad.yaml': PODS.replace('500m', '5x') }, stderr: 'bad.yaml:4:59: error invalid-quantity invalid quantity "5x"' },
    { name: 'YAML syntax', files: { 'bad.yaml': `${PODS}---\nkind: [\n` }, stderr: 'bad.yaml:12:1: error yaml-syntax YAML syntax' },
    { name: 'a missing file', files: {}, stderr: 'karpenter-ts: cannot read bad.yaml: no such file or directory (check the path)' },
  ])('exits 2 on bad input: $name', async ({ files: input, stderr }) => {
    const f = fakeIo(input);
    expect(await main(['simulate', '-f', 'bad.yaml'], f.io)).toBe(2);
    expect(f.err()).toContain(stderr);
    expect(f.out()).toBe('');
  });

  describe('--packing', () => {
    const type = (cpu: number, price: number) => `  - name: c-${cpu}x
    labels: {kubernetes.io/arch: amd64, kubernetes.io/os: linux}
    capacity: {cpu: "${cpu}", memory: ${cpu * 2}Gi, pods: "110"}
    offerings: [{zone: zone-a, capacityType: on-demand, price: ${price}}]
`;
    const catalog = `apiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n${type(4, 0.2)}${type(8, 0.4)}${type(16, 0.8)}`;
    const pods = Array.from({ length: 10 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p-${i}}\nspec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}\n`).join('---\n');
    const packing = { 'catalog.yaml': catalog, 'nodepool.yaml': NODEPOOL, 'pods.yaml': pods };

    it.each<[string, string[], string[], number]>([
      ['cost by default', [], ['c-4x', 'c-8x'], 0.6],
      ['cost', ['--packing', 'cost'], ['c-4x', 'c-8x'], 0.6],
      ["karpenter: Karpenter's packing as is", ['--packing', 'karpenter'], ['c-16x'], 0.8],
    ])('%s', async (_name, flags, types, total) => {
      const f = fakeIo(packing);
      expect(await main([...args, ...flags], f.io)).toBe(0);
      const out = JSON.parse(f.out()) as { nodeClaims: { instanceType: string }[]; totalPricePerHour: number };
      expect(out.nodeClaims.map((c) => c.instanceType).sort()).toEqual(types);
      expect(out.totalPricePerHour).toBeCloseTo(total, 6);
    });

    it('is documented in the help with its choices and default', async () => {
      const f = fakeIo(files);
      expect(await main(['simulate', '--help'], f.io)).toBe(0);
      expect(f.out()).toMatch(/--packing <mode>[\s\S]*cost: Karpenter's plan[\s\S]*karpenter: Karpenter's packing as is[\s\S]*\(choices: "cost", "karpenter", default: "cost"\)/);
      expect(f.out()).toContain('file:line:column: severity code message (lines, columns and documents from 1)');
      expect(f.out()).toContain('Examples:');
    });
  });

  it.each([
    ['--output', 'xml'],
    ['--preference-policy', 'Sometimes'],
    ['--packing', 'tightest'],
  ])('exits 2 on %s %s', async (flag, value) => {
    const f = fakeIo(files);
    expect(await main([...args, flag, value], f.io)).toBe(2);
  });

  it('exits 2 without -f instead of simulating nothing', async () => {
    const f = fakeIo(files);
    expect(await main(['simulate'], f.io)).toBe(2);
    expect(f.out()).toBe('');
  });

  it('prints warnings on stderr and still simulates', async () => {
    const f = fakeIo({ ...files, 'extra.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n' });
    expect(await main([...args, '-f', 'extra.yaml'], f.io)).toBe(0);
    expect(f.err()).toContain('extra.yaml:2:7: warning unknown-kind kind Service is not used by the simulation and is ignored (read: NodePool, Provisioner, EC2NodeClass, AWSNodeTemplate, InstanceTypeCatalog, Pod, Deployment, ReplicaSet, StatefulSet, Job, DaemonSet, Node, PersistentVolume, PersistentVolumeClaim, StorageClass, PodDisruptionBudget, Namespace, LimitRange) (kind)\n');
  });
});

describe('formatScenarioIssue', () => {
  it.each([
    [{ severity: 'error' as const, path: 'spec.x' }, 'f.yaml:3:1: error c bad (spec.x)'],
    [{ severity: 'warning' as const, path: '' }, 'f.yaml:3:1: warning c bad'],
  ])('%j', (overrides, expected) => {
    expect(formatScenarioIssue({ code: 'c', file: 'f.yaml', document: 1, line: 3, column: 1, message: 'bad', ...overrides })).toBe(expected);
  });
});
