/** Measures the extension's activation in the real extension host (for bench/extension.bench.ts). */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KarpenterExtensionApi } from '../../src/extension.js';
import { workspaceDir } from './helpers.js';

suite('activation figure', () => {
  test('activate() with module load', async () => {
    const extension = vscode.extensions.getExtension<KarpenterExtensionApi>('karpenter-ts.karpenter-ts-vscode');
    if (!extension) throw new Error('extension not found');
    if (extension.isActive) throw new Error('the extension was already active: the figure would not include its load');
    const started = performance.now();
    const exports = await extension.activate();
    const loadAndActivateMs = performance.now() - started;
    const { out } = JSON.parse(readFileSync(join(workspaceDir(), 'karpenter-ts-bench.json'), 'utf8')) as { out: string };
    writeFileSync(out, JSON.stringify({ loadAndActivateMs, activateMs: exports.activationMs, moduleLoadMs: exports.moduleLoadMs }));
  });
});
