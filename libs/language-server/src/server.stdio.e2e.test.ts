/**
 * The language server over stdio, driven by a real LSP client (JSON-RPC over the spawned process's pipes).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convert, validate } from '@karpenter-ts/provisioner-domain';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CreateFile, Diagnostic, MarkupContent, TextDocumentEdit, TextEdit } from 'vscode-languageserver/node';
import { CONVERT_ACTION_TITLE } from './features/code-actions.js';
import { CLUSTER_NODE_CLASSES_NOTIFICATION } from './protocol.js';
import { PACKAGE_ROOT, startClient, type LspClient } from './testing/lsp-client.js';

const fixture = (name: string) => readFileSync(path.join(PACKAGE_ROOT, 'src/testdata', name), 'utf8');
const byCode = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);
const rangeOf = (d: Diagnostic | undefined) => d && [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character];

let client: LspClient;
beforeAll(async () => {
  // The workspace folder holds the fixtures: its EC2NodeClass "default" is known, "missing" is not.
  client = await startClient({ initializationOptions: { debounceMs: 20 }, workspaceFolder: path.join(PACKAGE_ROOT, 'src/testdata') });
}, 30_000);
afterAll(async () => {
  expect(await client.stop()).toBe(0);
});

describe('diagnostics', () => {
  it('reports every finding of a broken multi-document file at its exact range, with code and docs link', async () => {
    const uri = 'file:///ws/broken.yaml';
    await client.open(uri, fixture('broken-nodepool.yaml'));
    // Once the workspace scan is done, nodeClassRefs are checked against the whole workspace.
    const ds = await client.waitForDiagnostics(uri, (d) => d.some((x) => typeof x.message === 'string' && x.message.includes('in the workspace')));
    expect(rangeOf(byCode(ds, 'requirement-in-without-values')[0])).toEqual([17, 18, 17, 20]);
    expect(rangeOf(byCode(ds, 'invalid-format')[0])).toEqual([18, 19, 18, 25]);
    expect(rangeOf(byCode(ds, 'unknown-field')[0])).toEqual([20, 4, 20, 22]);
    expect(rangeOf(byCode(ds, 'unknown-label-value')[0])).toEqual([50, 19, 50, 25]);
    expect(byCode(ds, 'unknown-label-value')[0]?.message).toContain("did you mean 'spot'");
    expect(rangeOf(byCode(ds, 'requirement-bound-outside-catalog')[0])).toEqual([53, 19, 53, 24]);
    expect(byCode(ds, 'no-instance-types')).toHaveLength(1);
    // nodeClassRef "missing" names no EC2NodeClass of the workspace (the file has "default").
    expect(rangeOf(byCode(ds, 'nodeclass-missing')[0])).toEqual([46, 14, 46, 21]);
    expect(byCode(ds, 'nodeclass-missing')[0]?.message).toContain('in the workspace');
    for (const d of ds) {
      expect(d.source).toBe('karpenter-ts');
      expect(d.codeDescription?.href).toMatch(new RegExp(`rules\\.md#${String(d.code)}$`));
    }
    expect(ds.filter((d) => d.severity === 1).map((d) => d.code).sort()).toEqual(['invalid-format', 'requirement-in-without-values', 'unknown-field']);
    // The ConfigMap (document 5) is ignored.
    expect(ds.every((d) => d.range.start.line < 57)).toBe(true);
  });

  it('updates as the user types, publishing only the newest of rapid edits, and clears when fixed', async () => {
    const uri = 'file:///ws/typing.yaml';
    const good = fixture('broken-nodepool.yaml').split('---')[1]!.trimStart();
    await client.open(uri, good);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    const broken = good.replace('role: KarpenterNodeRole', 'role: ""');
    // A debounce longer than the burst of edits, so that the machine's load cannot split it.
    await client.configure({ karpenterTs: { debounceMs: 1_000 } });
    for (let v = 2; v <= 6; v++) await client.change(uri, v % 2 ? good : broken, v);
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    await client.configure({ karpenterTs: { debounceMs: 20 } });
    expect(ds[0]?.message).toContain('role');
    expect(client.published(uri).map((p) => p.version)).toEqual([1, 6]);
    await client.change(uri, good, 7);
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
  });

  it('flags a v1alpha5 Provisioner and AWSNodeTemplate as deprecated (full validation, no errors)', async () => {
    const uri = 'file:///ws/provisioner.yaml';
    await client.open(uri, fixture('provisioner.yaml'));
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(byCode(ds, 'deprecated-api').map((d) => d.range.start.line)).toEqual([0, 16]);
    expect(ds.every((d) => d.severity !== 1)).toBe(true);
  });
});

describe('nodeClassRef across documents: the workspace and the connected cluster', () => {
  const nodeClassMessage = (ds: Diagnostic[]) => byCode(ds, 'nodeclass-missing').map((d) => (typeof d.message === 'string' ? d.message : d.message.value));
  const pool = fixture('broken-nodepool.yaml').split('---')[2]!.trimStart();

  it('counts the cluster\'s EC2NodeClasses the client sends, beside the workspace\'s, until it sends none', async () => {
    const uri = 'file:///ws/cluster-ref.yaml';
    await client.open(uri, pool);
    expect(nodeClassMessage(await client.waitForDiagnostics(uri, (d) => nodeClassMessage(d).some((m) => m.includes('in the workspace ('))))).toHaveLength(1);
    // The cluster has "missing": no warning.
    await client.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { context: 'kind-dev', names: ['missing', 'gpu'] });
    await client.waitForDiagnostics(uri, (d) => d.length > 0 && nodeClassMessage(d).length === 0);
    // The cluster has other names: the warning names both places and every known name.
    await client.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { context: 'kind-dev', names: ['gpu'] });
    const [both] = nodeClassMessage(await client.waitForDiagnostics(uri, (d) => nodeClassMessage(d).some((m) => m.includes('cluster'))));
    expect(both).toMatch(/^no EC2NodeClass "missing" in the workspace or the cluster of context "kind-dev" \(known: .*"gpu"/);
    expect(both).toContain('"default"');
    // A malformed notification changes nothing; disconnecting brings back the workspace-only check.
    await client.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { context: 'kind-dev', names: 'missing' });
    await client.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { names: null });
    const [workspaceOnly] = nodeClassMessage(await client.waitForDiagnostics(uri, (d) => nodeClassMessage(d).some((m) => !m.includes('cluster'))));
    expect(workspaceOnly).toMatch(/^no EC2NodeClass "missing" in the workspace \(known: "default"\)/);
    expect(client.alive()).toBe(true);
  });

  it('without a workspace folder, checks against the open files and the cluster once the cluster is known', async () => {
    const bare = await startClient({ initializationOptions: { debounceMs: 20 } });
    try {
      const uri = 'file:///elsewhere/pool.yaml';
      await bare.open(uri, pool);
      // The file alone holds no EC2NodeClass: nothing to compare with, no warning (a guess would be noise).
      expect(nodeClassMessage(await bare.waitForDiagnostics(uri, (d) => d.length > 0))).toEqual([]);
      await bare.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { context: 'prod', names: ['default'] });
      const [open] = nodeClassMessage(await bare.waitForDiagnostics(uri, (d) => nodeClassMessage(d).length > 0));
      expect(open).toMatch(/^no EC2NodeClass "missing" in the open files or the cluster of context "prod" \(known: "default"\)/);
      await bare.notify(CLUSTER_NODE_CLASSES_NOTIFICATION, { context: 'prod', names: ['default', 'missing'] });
      await bare.waitForDiagnostics(uri, (d) => d.length > 0 && nodeClassMessage(d).length === 0);
    } finally {
      expect(await bare.stop()).toBe(0);
    }
  });
});

describe('completion', () => {
  const uri = 'file:///ws/complete.yaml';
  const text = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: c
spec:
  disruption:
    consolidationPolicy: 
    c
  template:
    spec:
      expireAfter: 
      taints:
        - key: dedicated
          effect: 
      requirements:
        - key: node.kubernetes.io/instance-type
          operator: 
          values:
            - c-
        - key: topology.kubernetes.io/zone
          operator: In
          values: [""]
        - key: 
`;
  const labels = async (line: number, character: number) => (await client.completion(uri, line, character)).map((i) => i.label);

  beforeAll(() => client.open(uri, text));

  it('offers operators, enum values and duration snippets', async () => {
    expect(await labels(16, 20)).toEqual(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt', 'Gte', 'Lte']);
    expect(await labels(6, 25)).toEqual(['WhenEmpty', 'WhenEmptyOrUnderutilized']);
    expect(await labels(13, 18)).toEqual(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);
    const durations = await client.completion(uri, 10, 19);
    expect(durations.map((i) => i.label)).toContain('720h');
    expect(durations[0]?.insertText).toBe('"${1:720}h"');
  });

  it('offers instance types and zones from the catalog, and label keys', async () => {
    const types = await labels(18, 15);
    expect(types).toHaveLength(144);
    expect(types).toContain('c-4x-amd64-linux');
    expect(await labels(21, 19)).toEqual(['test-zone-a', 'test-zone-b', 'test-zone-c', 'test-zone-d']);
    const keys = await labels(22, 15);
    expect(keys).toEqual(expect.arrayContaining(['karpenter.sh/capacity-type', 'kubernetes.io/arch', 'karpenter.kwok.sh/instance-family', 'karpenter.kwok.sh/instance-size']));
  });

  it('offers field names with their docs, leaving out the ones already set', async () => {
    const items = await client.completion(uri, 7, 5);
    expect(items.map((i) => i.label)).toEqual(['consolidateAfter', 'budgets']);
    expect((items[0]?.documentation as MarkupContent).value).toContain('Never disables consolidation');
  });
});

describe('hover, code lens', () => {
  const uri = 'file:///ws/hover.yaml';
  const text = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: arm
spec:
  limits:
    cpu: "64"
  template:
    spec:
      expireAfter: 720h
      nodeClassRef: { group: karpenter.k8s.aws, kind: EC2NodeClass, name: default }
      requirements:
        - key: kubernetes.io/arch
          operator: In
          values: ["arm64"]
        - key: karpenter.kwok.sh/instance-cpu
          operator: Lt
          values: ["17"]
`;
  beforeAll(() => client.open(uri, text));
  const hoverText = async (line: number, character: number) => ((await client.hover(uri, line, character))?.contents as MarkupContent | undefined)?.value ?? '';

  it('documents a field with its unit and default', async () => {
    const h = await hoverText(9, 8);
    expect(h).toContain('spec.template.spec.expireAfter');
    expect(h).toContain('Default: `720h`');
    expect(h).toContain('Unit: duration');
  });

  it('tells how many catalog types a requirement leaves and their prices', async () => {
    expect(await hoverText(12, 18)).toContain('leaves 72 instance types · $0.0189-$8.45/h of the 144 in the catalog');
  });

  it('summarises the whole template on the NodePool name, and in a code lens', async () => {
    expect(await hoverText(3, 9)).toContain('NodePool arm**: 30 instance types · $0.0189-$0.5280/h · limits allow 4 nodes of the largest (m-16x-arm64-linux)');
    const lenses = await client.codeLens(uri);
    expect(lenses.map((l) => [l.range.start.line, l.command?.title])).toEqual([[0, '30 instance types · $0.0189-$0.5280/h · limits allow 4 nodes of the largest (m-16x-arm64-linux)']]);
  });
});

describe('code actions', () => {
  const apply = (text: string, action: CodeAction, uri: string) => TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), action.edit?.changes?.[uri] ?? []);

  it('converts a Provisioner + AWSNodeTemplate in place into YAML that validate accepts, noting each change of meaning', async () => {
    const uri = 'file:///ws/provisioner.yaml';
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const actions = (await client.codeActions(uri, ds[0]!.range, [ds[0]!])) as CodeAction[];
    const convert = actions.find((a) => a.title.startsWith('Convert to karpenter.sh/v1 NodePool'));
    expect(convert?.kind).toBe('quickfix');
    const out = apply(fixture('provisioner.yaml'), convert!, uri);
    const report = validate(out);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.documents.map((d) => d.kind)).toEqual(['NodePool', 'EC2NodeClass']);
    expect(out).toMatch(/^# - spec\.ttlSecondsUntilExpired .*expireAfter/m);
    expect(out).toMatch(/^# - spec\.metadataOptions .*httpPutResponseHopLimit/m);
  });

  it('converts a Provisioner + AWSNodeTemplate into a new file next to it, whose YAML validate accepts', async () => {
    const uri = 'file:///ws/provisioner.yaml';
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const actions = (await client.codeActions(uri, ds[0]!.range, [ds[0]!])) as CodeAction[];
    const toNewFile = actions.find((a) => a.title.endsWith('into a new file provisioner.v1.yaml'));
    expect(toNewFile?.kind).toBe('quickfix');
    const [create, insert] = (toNewFile?.edit?.documentChanges ?? []) as [CreateFile, TextDocumentEdit];
    expect(create).toEqual({ kind: 'create', uri: 'file:///ws/provisioner.v1.yaml', options: { overwrite: false, ignoreIfExists: false } });
    expect(insert.textDocument.uri).toBe(create.uri);
    expect(insert.edits).toHaveLength(1);
    expect(insert.edits[0]?.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    const out = (insert.edits[0] as TextEdit).newText;
    const report = validate(out);
    expect(report.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(report.documents.map((d) => [d.kind, d.name])).toEqual([
      ['NodePool', 'default'],
      ['EC2NodeClass', 'default'],
    ]);
    // Each change of meaning convert reports is a comment line naming its field.
    const result = convert(fixture('provisioner.yaml'));
    if (!result.ok) throw new Error('the fixture converts');
    const warnings = result.warnings;
    expect(warnings.length).toBeGreaterThan(0);
    const comments = out.split('\n').filter((l) => l.startsWith('# - '));
    expect(comments).toHaveLength(warnings.length);
    for (const w of warnings) expect(comments.some((c) => c.startsWith(`# - ${w.path} `))).toBe(true);
  });

  it('offers only the in-place conversion to a client that cannot create files', async () => {
    const plain = await startClient({ initializationOptions: { debounceMs: 20 }, createFiles: false });
    try {
      const uri = 'file:///ws/provisioner.yaml';
      await plain.open(uri, fixture('provisioner.yaml'));
      const ds = await plain.waitForDiagnostics(uri, (d) => d.length > 0);
      const titles = ((await plain.codeActions(uri, ds[0]!.range, [ds[0]!])) as CodeAction[]).map((a) => a.title).filter((t) => t.startsWith('Convert'));
      expect(titles).toEqual([CONVERT_ACTION_TITLE]);
    } finally {
      expect(await plain.stop()).toBe(0);
    }
  });

  it('fixes a misspelt field name and value with the nearest known one', async () => {
    const uri = 'file:///ws/broken.yaml';
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    for (const [code, expected] of [['unknown-field', 'consolidationPolicy'], ['unknown-label-value', '"spot"']] as const) {
      const d = byCode(ds, code)[0]!;
      const actions = (await client.codeActions(uri, d.range, [d])) as CodeAction[];
      expect(actions[0]?.edit?.changes?.[uri]).toEqual([{ range: d.range, newText: expected }]);
    }
  });

  it('adds a required field with the default the finding suggests', async () => {
    const uri = 'file:///ws/required.yaml';
    const text = fixture('broken-nodepool.yaml').split('---')[0]!.replace('    consolidationPolcy: WhenEmpty\n', '').replace('    consolidateAfter: 30s\n', '    budgets: [{ nodes: "1" }]\n').replace('values: []', 'values: ["amd64"]').replace('30days', '720h');
    await client.open(uri, text);
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    const d = byCode(ds, 'required')[0]!;
    expect(d.message).toContain('consolidateAfter');
    const add = ((await client.codeActions(uri, d.range, [d])) as CodeAction[]).find((a) => a.title.startsWith('Add'))!;
    expect(validate(apply(text, add, uri)).ok).toBe(true);
  });
});

describe('bad input', () => {
  it('answers a half-typed document, a huge file, non-Karpenter YAML and a Helm template without crashing', async () => {
    const half = 'file:///ws/half.yaml';
    await client.open(half, 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      requirements:\n        - key: kubernetes.io/arch\n          operator: "In\n');
    expect((await client.waitForDiagnostics(half, (d) => d.length > 0)).some((d) => d.severity === 1)).toBe(true);
    await client.completion(half, 9, 20);
    await client.hover(half, 1, 2);

    const huge = 'file:///ws/huge.yaml';
    const pool = fixture('broken-nodepool.yaml');
    await client.open(huge, Array.from({ length: Math.ceil(1_200_000 / pool.length) }, () => pool).join('---\n'));
    expect((await client.waitForDiagnostics(huge, (d) => d.length > 0)).map((d) => d.code)).toEqual(['file-too-large']);

    for (const [name, text] of [
      ['deployment', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: [unclosed\n'],
      ['helm', 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: {{ .Values.name }}\nspec:\n  {{- toYaml .Values.spec | nindent 2 }}\n'],
      ['garbage', '\u0000\u0001 : : -- ]]] {{{ \n\t\t- : ?'],
    ]) {
      const uri = `file:///ws/${name}.yaml`;
      await client.open(uri, text!);
      expect(await client.waitForDiagnostics(uri, () => true)).toEqual([]);
      await client.completion(uri, 0, 3);
      await client.hover(uri, 0, 3);
      await client.codeLens(uri);
    }
    expect(client.alive()).toBe(true);
    expect(client.stderr()).toBe('');
  });
});
