/**
 * The conventions every command shares, through `main` (the real program): files as arguments or directories,
 * `--catalog`, `--version`, exit codes 0/1/2, findings as `file:line:column: severity code message`.
 */
import { describe, expect, it } from 'vitest';
import { main, VERSION } from './main.js';
import { fakeIo } from './testing/fake-io.js';

const EKS_NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - {key: node.kubernetes.io/instance-type, operator: In, values: [m5.large, m5.xlarge]}
        - {key: topology.kubernetes.io/zone, operator: In, values: [us-west-2a]}
        - {key: karpenter.sh/capacity-type, operator: In, values: [spto, on-demand]}
`;
const POD = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {containers: [{name: c, resources: {requests: {cpu: "1", memory: 2Gi}}}]}
`;
const BIG_POD = POD.replace('{name: web}', '{name: huge}').replace('cpu: "1"', 'cpu: "500"');

describe('the catalog in use', () => {
  it('simulate says it uses the built-in catalog and warns that it has no m5.large or us-west-2a', async () => {
    const f = fakeIo({ 'np.yaml': EKS_NODEPOOL, 'pod.yaml': POD });
    expect(await main(['simulate', 'np.yaml', 'pod.yaml', '-o', 'table'], f.io)).toBe(0);
    const err = f.err().split('\n');
    expect(err[0]).toBe('catalog: built-in simulated, 144 types in test-zone-a..d; no AWS types (EKS NodePools need --catalog aws or your own --catalog FILE)');
    expect(err).toContain("np.yaml:9:74: warning unknown-label-value instance type 'm5.large' is not offered by the catalog (built-in simulated) (offered: c-128x-amd64-linux, c-128x-amd64-windows, c-128x-arm64-linux, c-128x-arm64-windows, c-16x-amd64-linux, c-16x-amd64-windows, c-16x-arm64-linux, c-16x-arm64-windows, ... (144)) (spec.template.spec.requirements[0].values[0])");
    expect(f.out()).toContain('catalog: built-in simulated');
  });

  it('simulate --catalog aws places an EKS NodePool on m5.large in us-west-2a', async () => {
    const f = fakeIo({ 'np.yaml': EKS_NODEPOOL, 'pod.yaml': POD });
    expect(await main(['simulate', 'np.yaml', 'pod.yaml', '--catalog', 'aws'], f.io)).toBe(0);
    const out = JSON.parse(f.out()) as { nodeClaims: { instanceType: string; zone: string; capacityType: string }[] };
    expect(out.nodeClaims).toEqual([expect.objectContaining({ instanceType: 'm5.large', zone: 'us-west-2a', capacityType: 'on-demand' })]);
    expect(f.err()).toMatch(/^catalog: .*aws\.yaml \(prices as of 2026-01-19, indicative\), 40 types in us-east-1a\.\.d, us-east-1f, us-west-2a\.\.d\n/);
    expect(f.err()).toContain("capacity type 'spto' is not offered by the catalog (");
    expect(f.err()).toContain("did you mean 'spot'?");
  });

  it('validate --catalog warns about values the catalog has not got, naming it', async () => {
    const f = fakeIo({ 'np.yaml': EKS_NODEPOOL.replace('us-west-2a', 'us-west-2z'), 'cat.yaml': 'apiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n  - {name: m5.large, capacity: {cpu: "2"}, offerings: [{zone: us-west-2a, capacityType: spot, price: 0.04}]}\n' });
    expect(await main(['validate', 'np.yaml', '--catalog', 'cat.yaml'], f.io)).toBe(0);
    expect(f.out()).toContain("np.yaml:10:69: warning unknown-label-value zone 'us-west-2z' is not offered by the catalog (cat.yaml); did you mean 'us-west-2a'?");
    expect(f.err()).toBe('catalog: cat.yaml, 1 type in us-west-2a; no AWS types\n');
  });

  it('a bad --catalog file is bad input', async () => {
    const f = fakeIo({ 'np.yaml': EKS_NODEPOOL, 'cat.yaml': POD });
    expect(await main(['simulate', 'np.yaml', '--catalog', 'cat.yaml'], f.io)).toBe(2);
    expect(f.err()).toContain('cat.yaml:2:7: error not-a-catalog');
    expect(await main(['validate', 'np.yaml', '--catalog', 'missing.yaml'], f.io)).toBe(2);
  });
});

describe('exit codes and flags', () => {
  it('simulate --fail-on-unschedulable exits 1 when a pod stays pending', async () => {
    const files = { 'np.yaml': EKS_NODEPOOL, 'pods.yaml': `${POD}---\n${BIG_POD}` };
    expect(await main(['simulate', 'np.yaml', 'pods.yaml', '--catalog', 'aws'], fakeIo(files).io)).toBe(0);
    expect(await main(['simulate', 'np.yaml', 'pods.yaml', '--catalog', 'aws', '--fail-on-unschedulable'], fakeIo(files).io)).toBe(1);
    expect(await main(['simulate', 'np.yaml', '--catalog', 'aws', '--fail-on-unschedulable'], fakeIo(files).io)).toBe(0);
  });

  it('validate --strict fails on warnings', async () => {
    const files = { 'np.yaml': EKS_NODEPOOL };
    expect(await main(['validate', 'np.yaml'], fakeIo(files).io)).toBe(0);
    expect(await main(['validate', 'np.yaml', '--strict'], fakeIo(files).io)).toBe(1);
  });

  it('--version prints the version', async () => {
    const f = fakeIo({});
    expect(await main(['--version'], f.io)).toBe(0);
    expect(f.out()).toBe(`${VERSION}\n`);
  });

  it.each(['validate', 'simulate', 'convert'])('%s --help has examples', async (command) => {
    const f = fakeIo({});
    expect(await main([command, '--help'], f.io)).toBe(0);
    expect(f.out()).toContain('Examples:');
  });

  it.each([['validate'], ['simulate']])('%s without files is a usage error (exit 2)', async (command) => {
    const f = fakeIo({});
    expect(await main([command], f.io)).toBe(2);
    expect(f.err()).toMatch(/^karpenter-ts: no input: give .* \(or - for stdin\)\n$/);
  });

  it('an unknown command or option exits 2', async () => {
    expect(await main(['simulat'], fakeIo({}).io)).toBe(2);
    expect(await main(['validate', '--nope'], fakeIo({}).io)).toBe(2);
  });
});

describe('inputs', () => {
  it('reads every YAML file of a directory given positionally or with -f', async () => {
    const files = { 'dir/np.yaml': EKS_NODEPOOL, 'dir/pods.yml': POD, 'dir/notes.txt': 'not yaml' };
    const positional = fakeIo(files);
    expect(await main(['simulate', 'dir', '--catalog', 'aws'], positional.io)).toBe(0);
    expect((JSON.parse(positional.out()) as { nodeClaims: unknown[] }).nodeClaims).toHaveLength(1);
    const dashF = fakeIo(files);
    expect(await main(['validate', '-f', 'dir'], dashF.io)).toBe(0);
    expect(dashF.out()).toContain('2 files: 0 errors');
  });

  it('refuses binary data and files over the size limit with one line, exit 2', async () => {
    const binary = fakeIo({ 'x.yaml': 'apiVersion: v1\0\0' });
    expect(await main(['simulate', 'x.yaml'], binary.io)).toBe(2);
    expect(binary.err()).toBe('karpenter-ts: x.yaml is not text (binary data at byte 14): give YAML or JSON manifests\n');
    const huge = fakeIo({ 'x.yaml': `# ${'x'.repeat(17 * 2 ** 20)}\n` });
    expect(await main(['validate', 'x.yaml'], huge.io)).toBe(2);
    expect(huge.err()).toMatch(/^karpenter-ts: x\.yaml is 17\.0 MiB; the limit is 16 MiB/);
  });
});

describe('bad input is one located line and exit 2, never a crash', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefg'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(', ')}]`)].join('\n');
  it.each<[string, string, RegExp]>([
    ['an alias bomb', `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n${bomb}\n`, /^in\.yaml:1:1: error yaml-alias-limit the document expands aliases more than 100 times/m],
    ['an alias across documents', 'apiVersion: v1\nkind: Namespace\nmetadata: &m {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: *m\n', /^in\.yaml:4:1: error yaml-syntax YAML: Unresolved alias .*anchors do not carry across documents/m],
    ['deep nesting', `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, /^karpenter-ts: in\.yaml:1: the YAML nests 5001 levels deep; the limit is 128: flatten it$/m],
    ['a scenario of 0 documents', '# nothing here\n', /^karpenter-ts: in\.yaml: no NodePool, Provisioner, pod, workload or Node: nothing to simulate/m],
    ['a number where a string belongs', 'apiVersion: v1\nkind: Pod\nmetadata: {name: 5}\nspec: {containers: [{name: c}]}\n', /^in\.yaml:3:\d+: error invalid-type/m],
    ['a replica count past the limit', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1000000000, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}}\n', /^in\.yaml:4:\d+: error too-big "replicas" must be at most 100000/m],
    ['a missing required value', 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: a}\nspec: {template: {spec: {nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: a}, requirements: [{key: a, values: [b]}]}}}\n', /"operator" is required: set it to one of "In"/],
  ])('simulate: %s', async (_name, text, stderr) => {
    const f = fakeIo({ 'in.yaml': text });
    expect(await main(['simulate', 'in.yaml'], f.io)).toBe(2);
    expect(f.err()).toMatch(stderr);
    expect(f.err()).not.toMatch(/undefined|\n\s+at /);
    expect(f.out()).toBe('');
  });
});

describe('one convention for all commands', () => {
  it('a misspelt kind is the same error in validate and simulate', async () => {
    const text = 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n';
    const v = fakeIo({ 'k.yaml': text });
    const s = fakeIo({ 'k.yaml': text });
    expect(await main(['validate', 'k.yaml'], v.io)).toBe(1);
    expect(await main(['simulate', 'k.yaml'], s.io)).toBe(2);
    const line = 'k.yaml:2:7: error unknown-kind unknown kind "Deploymnet" (did you mean "Deployment"?): fix the kind (kind)';
    expect(v.out()).toContain(line);
    expect(s.err()).toContain(line);
  });

  it('core kinds are checked strictly: replcas, request and Bad_Name are errors, not an empty pod', async () => {
    const f = fakeIo({ 'd.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: Bad_Name}\nspec:\n  replcas: 3\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      containers: [{name: c, resources: {request: {cpu: "1"}}}]\n' });
    expect(await main(['simulate', 'd.yaml'], f.io)).toBe(2);
    expect(f.err()).toContain('d.yaml:3:18: error invalid-name Deployment name "Bad_Name" is invalid');
    expect(f.err()).toMatch(/^d\.yaml:5:\d+: error unknown-field unknown field "replcas" in "spec" \(did you mean "replicas"\?\)/m);
    expect(f.err()).toContain('error unknown-field unknown field "request" in "resources" (did you mean "requests"?)');
  });

  it('prints a warning once per cause, with the count of other places', async () => {
    const pod = (n: number) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${n}}\n`;
    const f = fakeIo({ 's.yaml': [1, 2, 3].map(pod).join('---\n'), 'p.yaml': POD });
    expect(await main(['simulate', 's.yaml', 'p.yaml'], f.io)).toBe(0);
    expect(f.err().match(/unknown-kind/g)).toHaveLength(1);
    expect(f.err()).toContain('(and 2 more places)');
  });
});
