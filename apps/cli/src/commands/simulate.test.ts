import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliUsageError, type CliIo, type ExitCode } from '../io.js';
import { formatScenarioIssue, registerSimulate } from './simulate.js';
import { fakeIo } from '../testing/fake-io.js';

/** Runs `simulate` on its own program, as the CLI's main does: usage errors exit 2. */
async function main(argv: string[], io: CliIo): Promise<ExitCode> {
  let code: ExitCode = 0;
  const program = new Command('karpenter-ts').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerSimulate(program, io, (c) => (code = c));
  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return 2;
    if (err instanceof CliUsageError) {
      io.stderr(`karpenter-ts: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

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
  it('prints the §4.2 JSON and exits 0 even with an unschedulable pod', async () => {
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
    expect(f.err()).toBe('');
  });

  it('prints a table with --output table', async () => {
    const f = fakeIo(files);
    expect(await main([...args, '--output', 'table'], f.io)).toBe(0);
    expect(f.out()).toMatch(/^NODECLAIM +NODEPOOL +INSTANCE TYPE/);
    expect(f.out()).toContain('1 NodeClaim, $0.0850 per hour; 1 pod placed, 1 unschedulable.');
  });

  it.each(['Respect', 'Ignore'])('accepts --preference-policy %s', async (policy) => {
    const f = fakeIo(files);
    expect(await main([...args, '--preference-policy', policy], f.io)).toBe(0);
  });

  it.each<{ name: string; files: Record<string, string>; stderr: string }>([
    { name: 'a bad quantity', files: { 'bad.yaml': PODS.replace('500m', '5x') }, stderr: 'bad.yaml:4: document 1: spec.containers[0].resources.requests.cpu: invalid quantity "5x"' },
    { name: 'YAML syntax', files: { 'bad.yaml': `${PODS}---\nkind: [\n` }, stderr: 'bad.yaml:12: document 3: (document): YAML syntax' },
    { name: 'a missing file', files: {}, stderr: 'karpenter-ts: cannot read bad.yaml: ENOENT' },
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
      expect(await main(['simulate', '--help'], f.io)).toBe(2);
      expect(f.out()).toMatch(/--packing <mode>[\s\S]*cost: Karpenter's plan[\s\S]*karpenter: Karpenter's packing as is[\s\S]*\(choices: "cost", "karpenter", default: "cost"\)/);
      expect(f.out()).toContain('Documents are numbered from 1');
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
    expect(f.err()).toBe('extra.yaml:2: document 1: kind: warning: kind Service is not used by the simulation and is ignored (read: NodePool, Provisioner, EC2NodeClass, AWSNodeTemplate, InstanceTypeCatalog, Pod, Deployment, ReplicaSet, StatefulSet, Job, DaemonSet, Node, PersistentVolume, PersistentVolumeClaim, StorageClass, PodDisruptionBudget, Namespace, LimitRange)\n');
  });
});

describe('formatScenarioIssue', () => {
  it.each([
    [{ severity: 'error' as const, path: 'spec.x' }, 'f.yaml:3: document 2: spec.x: bad'],
    [{ severity: 'warning' as const, path: '' }, 'f.yaml:3: document 2: (document): warning: bad'],
  ])('%j', (overrides, expected) => {
    expect(formatScenarioIssue({ code: 'c', file: 'f.yaml', document: 1, line: 3, column: 1, message: 'bad', ...overrides })).toBe(expected);
  });
});
