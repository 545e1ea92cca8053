/**
 * `convert` against its documentation and its corpus:
 * - every row of the field-mapping table in docs/convert.md is checked against the converter: the row's old field is
 *   set to its example value in a minimal valid document, and the converted object's new field must equal the
 *   row's result;
 * - the old manifests of testdata/convert (v1alpha5 with shared templates and distinct kubelet settings, AMI, subnet
 *   and security-group selectors of every form, v1beta1) convert together, and the output passes `validate` with no
 *   errors.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { main } from '../main.js';
import { fakeIo } from '../testing/fake-io.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const docsFile = path.resolve(here, '../../../../docs/convert.md');
const corpusDir = path.resolve(here, '../../testdata/convert');

type Json = Record<string, unknown>;

/** Minimal valid inputs per source kind; `target` is the index of the document a row edits. */
const PROVISIONER_PAIR = `apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata: {name: p}
spec:
  providerRef: {name: t}
---
apiVersion: karpenter.k8s.aws/v1alpha1
kind: AWSNodeTemplate
metadata: {name: t}
spec:
  subnetSelector: {karpenter.sh/discovery: demo}
  securityGroupSelector: {karpenter.sh/discovery: demo}
  instanceProfile: KarpenterNodeInstanceProfile
`;
const V1BETA1_PAIR = `apiVersion: karpenter.sh/v1beta1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {name: default}
      requirements: []
---
apiVersion: karpenter.k8s.aws/v1beta1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiFamily: AL2023
  role: KarpenterNodeRole
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
`;
const V1BETA1_CLAIM = `apiVersion: karpenter.sh/v1beta1
kind: NodeClaim
metadata: {name: default-abc, labels: {karpenter.sh/nodepool: default}}
spec:
  nodeClassRef: {name: default}
  requirements: [{key: karpenter.sh/nodepool, operator: In, values: [default]}]
`;
const BASES: Record<string, { text: string; target: number }> = {
  Provisioner: { text: PROVISIONER_PAIR, target: 0 },
  AWSNodeTemplate: { text: PROVISIONER_PAIR, target: 1 },
  'NodePool v1beta1': { text: V1BETA1_PAIR, target: 0 },
  'EC2NodeClass v1beta1': { text: V1BETA1_PAIR, target: 1 },
  'NodeClaim v1beta1': { text: V1BETA1_CLAIM, target: 0 },
};

/** `spec.amiSelector["aws::ids"]`, `spec.requirements[0]` → path segments. */
function segments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/\["([^"]+)"\]|\[(\d+)\]|\.?([^.[\]]+)/g)) out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? '')));
  return out;
}

function setIn(obj: Json, path: (string | number)[], value: unknown): void {
  let cur: Json = obj;
  path.slice(0, -1).forEach((seg, i) => {
    const next = cur[seg];
    if (next === undefined || next === null) cur[seg] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[seg] as Json;
  });
  const last = path[path.length - 1] ?? '';
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

function getIn(obj: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((cur, seg) => (cur !== null && typeof cur === 'object' ? (cur as Json)[seg] : undefined), obj);
}

interface Row {
  from: string;
  oldField: string;
  example: string;
  to: string;
  newField: string;
  result: string;
}

const cell = (c: string) => c.trim().replace(/^`(.*)`$/, '$1');

function tableRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| From | Old field |'));
  const rows: Row[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [from = '', oldField = '', example = '', to = '', newField = '', result = ''] = line.split(/(?<!\\)\|/).slice(1, -1).map(cell);
    rows.push({ from, oldField, example, to, newField, result });
  }
  return rows;
}

async function convertText(text: string): Promise<{ exit: number; out: string; err: string }> {
  const f = fakeIo({ 'in.yaml': text });
  const exit = await main(['convert', '-f', 'in.yaml', '--cluster-name', 'demo'], f.io);
  return { exit, out: f.out(), err: f.err() };
}

describe('the field mapping of docs/convert.md', () => {
  const rows = tableRows(readFileSync(docsFile, 'utf8'));

  it('has a row for every source kind', () => {
    expect(new Set(rows.map((r) => r.from))).toEqual(new Set(Object.keys(BASES)));
    expect(rows.length).toBeGreaterThan(50);
  });

  it.each(rows.map((r) => [`${r.from} ${r.oldField} = ${r.example} → ${r.to} ${r.newField}`, r] as const))('%s', async (_name, row) => {
    const base = BASES[row.from];
    expect(base, `no base document for "${row.from}"`).toBeDefined();
    if (!base) return;
    const docs = parseAllDocuments(base.text).map((d) => d.toJS() as Json);
    const target = docs[base.target];
    if (!target) throw new Error('bad base');
    setIn(target, segments(row.oldField), row.example === '-' ? undefined : parse(row.example));
    const { exit, out, err } = await convertText(docs.map((d) => stringify(d)).join('---\n'));
    expect(exit, err).toBe(0);
    const converted = parseAllDocuments(out).map((d) => d.toJS() as Json);
    const object = converted.find((o) => o['kind'] === row.to);
    expect(object, `no ${row.to} in the output`).toBeDefined();
    expect(getIn(object, segments(row.newField))).toEqual(row.result === '-' ? undefined : parse(row.result));
  });
});

describe('convert round trip over testdata/convert', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort();

  it('converts every old manifest, and the output passes validate with no errors', async () => {
    const f = fakeIo(Object.fromEntries(files.map((file) => [file, readFileSync(path.join(corpusDir, file), 'utf8')])));
    expect(await main(['convert', '--cluster-name', 'demo', '-f', ...files], f.io), f.err()).toBe(0);
    const objects = parseAllDocuments(f.out()).map((d) => d.toJS() as { apiVersion: string; kind: string; metadata: { name: string } });
    expect(objects.filter((o) => /v1alpha|v1beta1/.test(o.apiVersion))).toEqual([]);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
      expect.arrayContaining([
        'EC2NodeClass/shared-general',
        'EC2NodeClass/shared-dense',
        'EC2NodeClass/shared-plain',
        'EC2NodeClass/beta-al2023-beta-default',
        'EC2NodeClass/beta-al2023-beta-batch',
        'NodeClaim/beta-default-x7k2p',
        'Namespace/passes-through',
      ]),
    );
    const checked = fakeIo({ 'out.yaml': f.out() });
    const exit = await main(['validate', '-f', 'out.yaml', '-o', 'json'], checked.io);
    const errors = (JSON.parse(checked.out()) as { severity: string }[]).filter((i) => i.severity === 'error');
    expect(errors).toEqual([]);
    expect(exit).toBe(0);
  });

  it.each(files)('%s on its own converts, and the output passes validate', async (file) => {
    const { exit, out, err } = await convertText(readFileSync(path.join(corpusDir, file), 'utf8'));
    expect(exit, err).toBe(0);
    const checked = fakeIo({ 'out.yaml': out });
    const code = await main(['validate', '-f', 'out.yaml', '-o', 'json'], checked.io);
    expect((JSON.parse(checked.out()) as { severity: string }[]).filter((i) => i.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });
});
