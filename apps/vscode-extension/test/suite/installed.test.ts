/**
 * The packaged .vsix, installed into code-server's extensions folder (not loaded from the source tree): the
 * extension is there, activates, and its bundled language server publishes diagnostics.
 */
import * as assert from 'node:assert/strict';
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
    await waitFor('diagnostics from the bundled language server', () => vscode.languages.getDiagnostics(editor.document.uri).some((d) => d.source === 'karpenter-ts'));
    await vscode.commands.executeCommand('karpenterTs.previewPacking');
  });
});
