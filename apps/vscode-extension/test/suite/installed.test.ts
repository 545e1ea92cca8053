/**
 * The packaged .vsix, installed into code-server's extensions folder (not loaded from the source tree): the
 * extension is there, activates, and its bundled language server publishes diagnostics.
 */
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KarpenterExtensionApi } from '../../src/extension.js';
import { openFile, waitFor } from './helpers.js';

suite('the installed .vsix', () => {
  test('loads from the extensions folder and serves diagnostics', async () => {
    const extension = vscode.extensions.getExtension<KarpenterExtensionApi>('karpenter-ts.karpenter-ts-vscode');
    assert.ok(extension, 'the .vsix is installed');
    assert.doesNotMatch(extension.extensionPath, /apps\/vscode-extension$/, 'loaded from the installed package, not the source tree');
    const exports = extension.isActive ? extension.exports : await extension.activate();
    console.log(`[karpenter-ts] installed extension at ${extension.extensionPath}; activate() took ${exports.activationMs.toFixed(1)} ms`);
    const editor = await openFile('broken-nodepool.yaml');
    const diagnostic = await waitFor('diagnostics from the bundled language server', () => vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'karpenter-ts'));
    // Its code links to the rule docs shipped inside the package.
    const code = typeof diagnostic.code === 'object' ? diagnostic.code : undefined;
    const target = code?.target;
    assert.ok(code && target, 'the diagnostic code carries a docs link');
    assert.equal(target.fsPath, join(extension.extensionPath, 'dist', 'rules.md'));
    assert.ok(existsSync(target.fsPath), `${target.fsPath} exists`);
    assert.equal(target.fragment, String(code.value));
    await vscode.commands.executeCommand('karpenterTs.previewPacking');
  });
});
