/** The features in process, on TextDocuments (the e2e tests drive the same through a real client over stdio). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, MarkupContent } from 'vscode-languageserver/node';
import { defaultCatalog, validate } from '@karpenter-ts/provisioner-domain';
import { analyze, classifyText, MAX_DOCUMENT_CHARS, MAX_YAML_DOCUMENTS } from '../analysis.js';
import { toDiagnostic } from '../diagnostics.js';
import { provideCodeActions } from './code-actions.js';
import { provideCodeLenses } from './code-lens.js';
import { provideCompletions } from './completion.js';
import { newFileUri } from '../server.js';
import { provideHover } from './hover.js';

const catalog = defaultCatalog();
const testdata = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../testdata');
const doc = (text: string) => TextDocument.create('file:///t.yaml', 'yaml', 1, text);
const analysisOf = (d: TextDocument) => ({ uri: d.uri, version: d.version, ...analyze(d.getText(), { catalog }) });

describe('classifyText', () => {
  it('analyses only files with a Karpenter apiVersion, not templates nor oversized files', () => {
    expect(classifyText('apiVersion: karpenter.sh/v1\nkind: NodePool\n')).toBe('karpenter');
    expect(classifyText('apiVersion: "karpenter.k8s.aws/v1"\n')).toBe('karpenter');
    expect(classifyText('apiVersion: apps/v1\nkind: Deployment\n')).toBe('other');
    expect(classifyText('apiVersion: karpenter.sh/v1\nmetadata:\n  name: {{ .Values.name }}\n')).toBe('template');
    expect(classifyText(`apiVersion: karpenter.sh/v1\n${'#'.repeat(MAX_DOCUMENT_CHARS)}`)).toBe('too-large');
    const many = (n: number) => Array.from({ length: n }, () => 'apiVersion: karpenter.sh/v1\nkind: NodePool\n').join('---\n');
    expect(classifyText(many(MAX_YAML_DOCUMENTS))).toBe('karpenter');
    expect(classifyText(many(MAX_YAML_DOCUMENTS + 1))).toBe('too-large');
  });
});

describe('features in process', () => {
  const pool = doc(`apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: p
spec:
  limits: { cpu: "32" }
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - key: karpenter.kwok.sh/instance-family
          operator: In
          values:
            - 
`);

  it('completes instance families from the catalog with how many types each has', () => {
    const items = provideCompletions(pool, { line: 13, character: 14 }, { catalog });
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['c', '48 instance types'],
      ['m', '48 instance types'],
      ['s', '48 instance types'],
    ]);
  });

  it('hovers a requirement with what it leaves, and lenses the pool with its limits', () => {
    const complete = doc(pool.getText().replace('values:\n            - \n', 'values: ["c", "m"]\n'));
    const h = provideHover(complete, { line: 10, character: 12 }, { catalog });
    expect((h?.contents as MarkupContent).value).toContain('leaves 96 instance types · $0.0189-$8.45/h of the 144 in the catalog');
    // cpu 32 is below the 256 vCPUs of the largest allowed type: no node of it fits.
    const lens = provideCodeLenses(complete, analysisOf(complete), { catalog });
    expect(lens.map((l) => [l.range.start.line, l.command?.title])).toEqual([[0, '96 instance types · $0.0189-$8.45/h · limits allow 0 nodes of the largest (m-256x-amd64-linux)']]);
    // The half-typed pool (a list item without a value) gets no lens rather than a wrong one.
    expect(provideCodeLenses(pool, analysisOf(pool), { catalog })).toEqual([]);
  });

  it('converts a Provisioner in place into a file validate accepts', () => {
    const d = doc(readFileSync(path.join(testdata, 'provisioner.yaml'), 'utf8'));
    const a = analysisOf(d);
    const diagnostics = a.issues.map((i) => toDiagnostic(i, 'file:///rules.md'));
    const actions = provideCodeActions(d, a, diagnostics[0]!.range, diagnostics) as CodeAction[];
    expect(actions.map((x) => x.title)).toEqual([expect.stringContaining('Convert to karpenter.sh/v1 NodePool')]);
    const out = TextDocument.applyEdits(d, actions[0]!.edit!.changes![d.uri]!);
    expect(validate(out).ok).toBe(true);
  });

  it('takes typo replacements from the finding (diagnostic data), not from the message text', () => {
    const d = doc(`apiVersion: karpenter.sh/v1
kind: NodePol
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: p
spec:
  disruption:
    consolidationPolicy: WhenUnderutilized
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: q
spec:
  template:
    spec:
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - { key: karpenter.sh/capacity-type, operator: In, values: ['spto'] }
`);
    const a = analysisOf(d);
    const fixes = a.issues.map((i) => toDiagnostic(i, 'file:///rules.md')).flatMap((diag) => provideCodeActions(d, a, diag.range, [diag]).filter((x) => x.title.startsWith('Change to')));
    expect(fixes.map((f) => f.edit?.changes?.[d.uri]?.[0]?.newText)).toEqual(['NodePool', 'WhenEmptyOrUnderutilized', "'spot'"]);
    // The message alone no longer drives the fix: a diagnostic that only says "did you mean" in words gets none.
    const wordsOnly = { ...toDiagnostic(a.issues.find((i) => i.code === 'unknown-label-value')!, 'file:///rules.md'), data: { document: 2, path: '' } };
    expect(wordsOnly.message).toContain("did you mean 'spot'");
    expect(provideCodeActions(d, a, wordsOnly.range, [wordsOnly]).filter((x) => x.title.startsWith('Change to'))).toEqual([]);
  });

  it('answers nothing rather than failing on broken or foreign text', () => {
    for (const text of ['', ':\n- - ? ]', 'apiVersion: karpenter.sh/v1\nkind: NodePool\nspec:\n  template: [', 'kind: ConfigMap\ndata: {a: 1}\n']) {
      const d = doc(text);
      for (let line = 0; line < 4; line++) {
        provideCompletions(d, { line, character: 3 }, { catalog });
        provideHover(d, { line, character: 3 }, { catalog });
      }
      expect(provideCodeLenses(d, analysisOf(d), { catalog })).toEqual([]);
    }
  });
});

describe('newFileUri (target of "convert into a new file")', () => {
  it('picks a name next to the file that is neither on disk nor open; none for untitled documents', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kts-newfile-'));
    const at = (name: string) => pathToFileURL(path.join(dir, name)).href;
    expect(newFileUri(at('pools.yml'))).toBe(at('pools.v1.yml'));
    writeFileSync(path.join(dir, 'pools.v1.yml'), '');
    expect(newFileUri(at('pools.yml'))).toBe(at('pools.v1-2.yml'));
    expect(newFileUri(at('pools.yml'), (u) => u === at('pools.v1-2.yml'))).toBe(at('pools.v1-3.yml'));
    expect(newFileUri(at('legacy'))).toBe(at('legacy.v1.yaml'));
    expect(newFileUri('untitled:Untitled-1')).toBeUndefined();
  });
});
