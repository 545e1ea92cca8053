import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startClient } from '@karpenter-ts/language-server/testing';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/karpenter-ts.mjs');

describe('karpenter-ts lsp (process)', () => {
  it('serves the language server on stdio: diagnostics for a broken NodePool, then a clean exit', async () => {
    const client = await startClient({ command: [process.execPath, bin, 'lsp', '--stdio'], initializationOptions: { debounceMs: 0 } });
    expect(client.initializeResult.serverInfo?.name).toBe('karpenter-ts language server');
    const uri = 'file:///ws/pool.yaml';
    await client.open(uri, 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: a\nspec:\n  weight: 500\n');
    const ds = await client.waitForDiagnostics(uri, (d) => d.length > 0);
    expect(ds.map((d) => d.code)).toContain('too-big');
    expect(await client.stop()).toBe(0);
    expect(client.stderr()).toBe('');
  });
});
