/**
 * The extension in VS Code's real extension host (code-server's, see scripts/run-vscode-tests.cjs): language
 * server diagnostics, completions and the Provisioner quick fix through the real client; the Pending Pods view on
 * a local control plane started by scripts/e2e.ts; the Preview Packing webview and its message round trip; and
 * a screenshot of diagnostics + preview.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KarpenterExtensionApi } from '../../src/extension.js';
import type { PendingTreeNode } from '../../src/pending/tree-model.js';
import { e2eSettings, openFile, screenshot, waitFor } from './helpers.js';

const EXTENSION_ID = 'karpenter-ts.karpenter-ts-vscode';

async function api(): Promise<KarpenterExtensionApi> {
  const extension = vscode.extensions.getExtension<KarpenterExtensionApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
  return extension.isActive ? extension.exports : await extension.activate();
}

const karpenterDiagnostics = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'karpenter-ts');

const codeOf = (d: vscode.Diagnostic): string => String(typeof d.code === 'object' ? d.code.value : d.code);

function flatten(nodes: readonly PendingTreeNode[]): PendingTreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

suite('karpenter-ts in a real VS Code', () => {
  suiteSetup(async () => {
    await api();
  });

  test('diagnostics appear on a broken NodePool and disappear when it is fixed', async () => {
    const editor = await openFile('broken-nodepool.yaml');
    const uri = editor.document.uri;
    const diagnostics = await waitFor('diagnostics on broken-nodepool.yaml', () => {
      const d = karpenterDiagnostics(uri);
      return d.some((x) => /Inn/.test(x.message)) ? d : undefined;
    });
    const operator = diagnostics.find((d) => /Inn/.test(d.message));
    assert.ok(operator);
    const line = editor.document.lineAt(operator.range.start.line).text;
    assert.match(line, /operator: Inn/, `the diagnostic sits on the operator line, got line ${operator.range.start.line}: ${line}`);
    assert.equal(operator.severity, vscode.DiagnosticSeverity.Error);
    const fix = new vscode.WorkspaceEdit();
    const column = line.indexOf('Inn');
    fix.replace(uri, new vscode.Range(operator.range.start.line, column, operator.range.start.line, column + 3), 'In');
    assert.ok(await vscode.workspace.applyEdit(fix));
    await waitFor('the operator diagnostic to go away', () => !karpenterDiagnostics(uri).some((d) => /Inn/.test(d.message)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('completion offers requirement operators and instance types', async () => {
    const editor = await openFile('completion.yaml');
    const text = editor.document.getText();
    const operatorAt = editor.document.positionAt(text.indexOf('operator: ') + 'operator: '.length);
    const operators = await waitFor('operator completions', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, operatorAt);
      const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
      return labels.includes('NotIn') ? labels : undefined;
    });
    for (const op of ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']) assert.ok(operators.includes(op), `operator ${op} offered (got ${operators.join(', ')})`);
    const valueAt = editor.document.positionAt(text.indexOf('values: [') + 'values: ['.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', editor.document.uri, valueAt);
    const values = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(values.includes('c-1x-amd64-linux'), `instance type c-1x-amd64-linux offered (got ${values.slice(0, 10).join(', ')}…)`);
  });

  test('the Provisioner quick fix converts it to a NodePool', async () => {
    const editor = await openFile('provisioner.yaml');
    const uri = editor.document.uri;
    const deprecated = await waitFor('the deprecated-api diagnostic', () => karpenterDiagnostics(uri).find((d) => codeOf(d) === 'deprecated-api' && /Provisioner/.test(d.message)));
    const actions = await waitFor('a convert code action', async () => {
      const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, deprecated.range);
      const convert = all.filter((a) => /convert/i.test(a.title) && a.edit);
      return convert.length > 0 ? convert : undefined;
    });
    const inPlace = actions.find((a) => !/new file/i.test(a.title)) ?? actions[0];
    assert.ok(inPlace?.edit);
    assert.ok(await vscode.workspace.applyEdit(inPlace.edit));
    const converted = editor.document.getText();
    assert.match(converted, /apiVersion: karpenter\.sh\/v1\n/);
    assert.match(converted, /kind: NodePool/);
    assert.match(converted, /kind: EC2NodeClass/);
    await waitFor('no errors on the converted document', () => !karpenterDiagnostics(uri).some((d) => d.severity === vscode.DiagnosticSeverity.Error));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the Pending Pods view lists the pending pods of the local cluster, grouped by NodePool, with reasons', async () => {
    const extension = await api();
    const expected = e2eSettings().pendingPods;
    await vscode.commands.executeCommand('workbench.view.extension.karpenter');
    const nodes = await waitFor(
      `the pending pods ${expected.map((p) => p.ref).join(', ')} (state: ${extension.cluster.state().message})`,
      () => {
        const all = flatten(extension.pendingPods());
        return expected.every((p) => all.some((n) => n.kind === 'pod' && n.reason?.startsWith(`${p.ref}:`))) ? all : undefined;
      },
      90_000,
    );
    assert.equal(extension.cluster.state().kind, 'connected');
    for (const p of expected) {
      const group = extension.pendingPods().find((g) => flatten(g.children).some((n) => n.reason?.startsWith(`${p.ref}:`)));
      assert.equal(group?.label, p.nodePool === '' ? 'No NodePool can serve these' : `NodePool ${p.nodePool}`, `group of ${p.ref}`);
      const pod = nodes.find((n) => n.kind === 'pod' && n.reason?.startsWith(`${p.ref}:`));
      assert.ok(pod?.reason && pod.reason.length > p.ref.length + 10, `${p.ref} has a reason`);
      assert.match(pod.description, /cpu /);
    }
    const first = nodes.find((n) => n.kind === 'pod');
    const copied = await vscode.commands.executeCommand<string>('karpenterTs.copyPendingReason', first);
    assert.equal(copied, first?.reason);
    assert.equal(await vscode.env.clipboard.readText(), first?.reason);
  });

  test('without a karpenter-ts controller in the cluster, the catalog is the simulated default and the status says why', async () => {
    const extension = await api();
    // The local cluster has no karpenter-karpenter-ts Service: the API server's service proxy answers 404.
    const status = await waitFor('the catalog status names the missing controller', () => {
      const s = extension.catalog.status();
      return s.tooltip.includes('(404 Not Found') ? s : undefined;
    });
    assert.equal(status.source, 'default');
    assert.equal(status.text, '$(database) catalog: simulated');
    assert.match(status.tooltip, /^Instance types from the simulated default catalog\. No karpenter-ts controller at the controller's service karpenter\/karpenter-karpenter-ts:http-api /);
  });

  test('a nodeClassRef is checked against the workspace and the connected cluster\'s EC2NodeClasses', async () => {
    const extension = await api();
    await waitFor(`a connection to the local cluster (state: ${extension.cluster.state().message})`, () => extension.cluster.state().kind === 'connected', 90_000);
    const editor = await openFile('cluster-ref.yaml');
    const uri = editor.document.uri;
    // The cluster's names reach the server after the connection: wait for the message that names the cluster.
    const missing = await waitFor('a nodeclass-missing warning naming the cluster', () => {
      const found = karpenterDiagnostics(uri).filter((d) => codeOf(d) === 'nodeclass-missing');
      return found.length > 0 && found.every((d) => /cluster of context/.test(d.message)) ? found : undefined;
    }, 90_000);
    assert.equal(missing.length, 1, `one warning, got: ${missing.map((d) => d.message).join(' | ')}`);
    assert.match(editor.document.lineAt(missing[0]!.range.start.line).text, /name: nowhere/);
    assert.match(missing[0]!.message, /"cluster-only"/);
    assert.equal(missing[0]!.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('the preview webview shows the expected NodeClaims for a fixture and round-trips a message', async () => {
    const extension = await api();
    await openFile('preview-nodepool.yaml');
    const rendered = extension.preview.rendered();
    await vscode.commands.executeCommand('karpenterTs.previewPacking');
    const shown = await rendered;
    // 4 pods of 1.5 CPU / 2 GiB on on-demand amd64 capacity of the default catalog; the arm64 pod stays pending.
    assert.ok(shown.nodeClaimRows.length >= 1, `NodeClaim rows shown: ${shown.nodeClaimRows.join(' | ')}`);
    for (const row of shown.nodeClaimRows) assert.match(row, /^As edited \(new to the cluster\): general · \S+-amd64-linux · test-zone-. · on-demand · \d pods? · \$\d+\.\d{4}\/h$/);
    const podCount = shown.nodeClaimRows.reduce((sum, row) => sum + Number(/· (\d) pods? ·/.exec(row)?.[1] ?? 0), 0);
    assert.equal(podCount, 4, 'the 4 web pods are placed');
    assert.match(shown.total, /^\$\d+\.\d{4}\/h$/);
    assert.equal(await extension.preview.ping(), 1);
    assert.equal(await extension.preview.ping(), 2);
  });

  test('screenshot: diagnostics and the preview side by side', async () => {
    const extension = await api();
    const editor = await openFile('preview-nodepool.yaml', vscode.ViewColumn.One);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    const rendered = extension.preview.rendered();
    // A misspelt zone the language server warns about; NotIn keeps the packing as it was, so the preview still runs.
    const edit = new vscode.WorkspaceEdit();
    const at = editor.document.getText().indexOf('  limits:');
    edit.insert(editor.document.uri, editor.document.positionAt(at), '        - key: topology.kubernetes.io/zone\n          operator: NotIn\n          values: ["test-zone-x"]\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitFor('a diagnostic on the misspelt zone', () => karpenterDiagnostics(editor.document.uri).length > 0);
    const shown = await rendered;
    assert.ok(shown.nodeClaimRows.length > 0);
    await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
    await screenshot(e2eSettings().screenshotPath);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('the preview compares a cluster NodePool as applied with its edited version, over the cluster\'s pending pods', async () => {
    const extension = await api();
    await openFile('edited-default.yaml', vscode.ViewColumn.One);
    const rendered = extension.preview.rendered();
    await vscode.commands.executeCommand('karpenterTs.previewPacking');
    let shown = await rendered;
    // A debounced re-run for the previous test's file may report first (seen on a loaded machine): wait for this file's.
    for (let i = 0; i < 3 && !shown.nodeClaimRows.some((r) => r.startsWith('As applied in the cluster: ')); i++) shown = await extension.preview.rendered();
    const applied = shown.nodeClaimRows.filter((r) => r.startsWith('As applied in the cluster: default · '));
    const edited = shown.nodeClaimRows.filter((r) => r.startsWith('As edited: default · '));
    // The cluster's pending pod default/web (1 CPU) gets one NodeClaim on each side; default/arm-job fits neither.
    assert.equal(applied.length, 1, shown.nodeClaimRows.join(' | '));
    assert.equal(edited.length, 1, shown.nodeClaimRows.join(' | '));
    assert.match(edited[0] ?? '', / · spot · 1 pod · /);
  });
});
