import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { fakeIo } from '../testing/fake-io.js';

const corpusDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../e2e/api-parity/corpus');

const GOOD = 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: a}\n      requirements: [{key: kubernetes.io/arch, operator: In, values: [amd64]}]\n';
const BAD = GOOD.replace('values: [amd64]', 'values: []');

describe('karpenter-ts validate', () => {
  it.each([
    ['valid file', { 'a.yaml': GOOD }, ['a.yaml'], 0, ''],
    ['invalid file', { 'b.yaml': BAD }, ['b.yaml'], 1, "b.yaml:8:70: error requirement-in-without-values requirements with operator 'In' must have a value defined"],
    ['warnings only', { 'c.yaml': GOOD.replace('[amd64]', '[amd46]') }, ['c.yaml'], 0, "c.yaml:8:71: warning unknown-label-value architecture 'amd46' is not offered; did you mean 'amd64'?"],
  ])('%s', async (_name, files, args, exit, stdout) => {
    const f = fakeIo(files);
    expect(await main(['validate', ...args.flatMap((a) => ['-f', a])], f.io)).toBe(exit);
    if (stdout) expect(f.out()).toContain(stdout);
    else expect(f.out()).toBe('1 file: 0 errors, 0 warnings\n');
  });

  it('writes the findings and the summary line to the same stream, in order', async () => {
    const lines: string[] = [];
    const f = fakeIo({ 'b.yaml': BAD, 'c.yaml': GOOD.replace('[amd64]', '[amd46]') });
    const io = { ...f.io, stdout: (t: string) => void lines.push(`out ${t}`), stderr: (t: string) => void lines.push(`err ${t}`) };
    expect(await main(['validate', '-f', 'b.yaml', 'c.yaml'], io)).toBe(1);
    // stderr carries only the statement of the catalog in use; every finding and the summary are on stdout.
    expect(lines.filter((l) => l.startsWith('err ')).every((l) => l.startsWith('err catalog: '))).toBe(true);
    const out = lines.filter((l) => l.startsWith('out ')).map((l) => l.slice(4)).join('').trimEnd().split('\n');
    expect(out[0]).toMatch(/^b\.yaml:8:70: error /);
    expect(out[1]).toMatch(/^c\.yaml:8:71: warning /);
    expect(out.at(-1)).toMatch(/^2 files: 1 error, \d+ warnings?$/);
  });

  it('prints the stable JSON of docs/validate-json.md, documents from 1', async () => {
    const f = fakeIo({ 'b.yaml': BAD, 'a.yaml': GOOD });
    expect(await main(['validate', '-f', 'a.yaml', 'b.yaml', '--output', 'json'], f.io)).toBe(1);
    const issues = JSON.parse(f.out()) as Record<string, unknown>[];
    expect(issues).toHaveLength(1);
    expect(Object.keys(issues[0]!)).toEqual(['file', 'document', 'severity', 'code', 'path', 'message', 'line', 'column', 'endLine', 'endColumn']);
    expect(issues[0]).toMatchObject({ file: 'b.yaml', document: 1, severity: 'error', path: 'spec.template.spec.requirements[0].values', line: 8, column: 70 });
  });

  it('exits 2 on a missing file or bad option', async () => {
    const f = fakeIo({});
    expect(await main(['validate', '-f', 'nope.yaml'], f.io)).toBe(2);
    expect(f.err()).toContain('cannot read nope.yaml');
    expect(await main(['validate', '-f', 'x', '--output', 'xml'], fakeIo({ x: GOOD }).io)).toBe(2);
    expect(await main(['validate'], fakeIo({}).io)).toBe(2);
  });
});

describe('the parity corpus, through validate', () => {
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.yaml')).sort();
  it.each(files)('%s', async (file) => {
    const text = readFileSync(path.join(corpusDir, file), 'utf8');
    const [, verdict, codes] = /^# expect: (valid|invalid)(?: (\S+))?$/m.exec(text) ?? [];
    const f = fakeIo({ [file]: text });
    const exit = await main(['validate', '-f', file, '-o', 'json'], f.io);
    const issues = JSON.parse(f.out()) as { severity: string; code: string }[];
    expect(exit).toBe(verdict === 'valid' ? 0 : 1);
    const errorCodes = issues.filter((i) => i.severity === 'error').map((i) => i.code);
    for (const code of codes?.split(',') ?? []) expect(errorCodes).toContain(code);
  });
});
