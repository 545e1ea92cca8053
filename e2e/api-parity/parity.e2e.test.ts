/**
 * API parity on the real API server: every manifest of `corpus/` is applied with server-side dry-run (strict
 * field validation, as kubectl does by default) against the CRDs generated from the zod schemas, and the API
 * server's accept/reject must equal `validate`'s verdict, which must equal the file's `# expect:` line. The
 * transition rules (immutability), which only the API server can check, are exercised with real updates. The
 * seed Provisioner converted to v1 must be accepted.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type LocalCluster } from '@karpenter-ts/local-cluster';
import { convert, convertFiles, validate } from '@karpenter-ts/provisioner-domain';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const corpusDir = path.join(here, 'corpus');
const crdDir = path.join(root, 'apps/controller/chart/crds');
const corpus = readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort();

let cluster: LocalCluster;
let scratch: string;

function kubectl(args: string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync(cluster.kubectl, args, { env: { ...process.env, KUBECONFIG: cluster.adminKubeconfig }, input, encoding: 'utf8', timeout: 60_000 });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function expectation(text: string): boolean {
  const m = /^# expect: (valid|invalid)/m.exec(text);
  if (!m) throw new Error('corpus file without an "# expect:" line');
  return m[1] === 'valid';
}

beforeAll(async () => {
  cluster = await startCluster();
  scratch = mkdtempSync(path.join(tmpdir(), 'karpenter-ts-parity-'));
  const crds = kubectl(['apply', '--server-side', '-f', crdDir]);
  expect(crds.ok, crds.out).toBe(true);
  const established = kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=60s']);
  expect(established.ok, established.out).toBe(true);
});

afterAll(async () => {
  await cluster?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('API server and validate agree on the corpus', () => {
  it('has at least 60 manifests, valid and invalid', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    const verdicts = corpus.map((f) => expectation(readFileSync(path.join(corpusDir, f), 'utf8')));
    expect(verdicts.filter(Boolean).length).toBeGreaterThan(10);
    expect(verdicts.filter((v) => !v).length).toBeGreaterThan(30);
  });

  it.each(corpus)('%s', (file) => {
    const text = readFileSync(path.join(corpusDir, file), 'utf8');
    const expected = expectation(text);
    const report = validate(text);
    const server = kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', path.join(corpusDir, file)]);
    const errors = report.issues.filter((i) => i.severity === 'error').map((i) => `${i.path}: ${i.message}`);
    expect({ zod: report.ok, server: server.ok }, `zod: ${errors.join(' | ')}\nserver: ${server.out}`).toEqual({ zod: expected, server: expected });
  });
});

describe('transition rules (checked by the API server only)', () => {
  const nodePool = (patch: string) => `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: transitions}
spec:
  template:
    spec:
      nodeClassRef: {group: ${patch}, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]
`;
  it.each([
    ['nodeClassRef.group is immutable', nodePool('karpenter.k8s.aws'), nodePool('example.com'), 'nodeClassRef.group is immutable'],
    [
      'NodeClaim spec is immutable',
      'apiVersion: karpenter.sh/v1\nkind: NodeClaim\nmetadata: {name: immutable}\nspec:\n  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}\n  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]\n',
      'apiVersion: karpenter.sh/v1\nkind: NodeClaim\nmetadata: {name: immutable}\nspec:\n  nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: other}\n  requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]\n',
      'spec is immutable',
    ],
  ])('%s', (_name, before, after, message) => {
    const created = kubectl(['apply', '-f', '-'], before);
    expect(created.ok, created.out).toBe(true);
    const updated = kubectl(['apply', '-f', '-'], after);
    expect(updated.ok).toBe(false);
    expect(updated.out).toContain(message);
    // validate accepts both versions on their own: the rule needs the old object.
    expect(validate(before).ok && validate(after).ok).toBe(true);
  });
});

describe('conversion', () => {
  it('the seed Provisioner converts to a NodePool and EC2NodeClass the API server accepts', () => {
    const seed = readFileSync(path.join(corpusDir, 'provisioner-seed.yaml'), 'utf8');
    const result = convert(seed, { clusterName: 'demo' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.objects.map((o) => (o as { kind: string }).kind)).toEqual(['NodePool', 'EC2NodeClass']);
    const file = path.join(scratch, 'converted.yaml');
    writeFileSync(file, result.yaml);
    const server = kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', file]);
    expect(server.ok, server.out).toBe(true);
    expect(validate(result.yaml).ok).toBe(true);
  });

  it('the convert corpus (v1alpha5 shared templates, every selector form, v1beta1) converts to objects the API server accepts', () => {
    const convertCorpus = path.join(root, 'apps/cli/testdata/convert');
    const inputs = readdirSync(convertCorpus)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((file) => ({ file, text: readFileSync(path.join(convertCorpus, file), 'utf8') }));
    const result = convertFiles(inputs, { clusterName: 'demo' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const file = path.join(scratch, 'converted-corpus.yaml');
    writeFileSync(file, result.yaml);
    const server = kubectl(['apply', '--dry-run=server', '--validate=strict', '-f', file]);
    expect(server.ok, server.out).toBe(true);
    expect(validate(result.yaml).ok).toBe(true);
  });
});
