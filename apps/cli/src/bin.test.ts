/**
 * The real executable (`bin/karpenter-ts.mjs`), as a shell runs it: exit codes and streams, and a reader that
 * closes the pipe early (`simulate -o table | head -1`) ending the command quietly with exit 0.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(CLI_DIR, 'bin', 'karpenter-ts.mjs');
const REPO = path.resolve(CLI_DIR, '../..');

/** Runs the CLI; with `closeAfterFirstChunk` the reader destroys stdout after the first data, like `head`. */
function run(args: string[], closeAfterFirstChunk = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (closeAfterFirstChunk) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Each test starts Node and tsx (about 1 s of CPU); a shared 2-core machine can take far longer. A hang guard only. */
const SPAWN_TIMEOUT_MS = 90_000;

describe('bin/karpenter-ts.mjs', { timeout: SPAWN_TIMEOUT_MS }, () => {
  it('ends quietly with exit 0 when the reader closes the pipe (simulate -o table | head -1)', async () => {
    // Many pods make a table longer than one pipe buffer, so writes continue after head has gone.
    const command = `"${process.execPath}" "${BIN}" simulate apps/cli/testdata/many-pods -o table | head -1 >/dev/null; exit \${PIPESTATUS[0]}`;
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn('bash', ['-c', command], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(result.stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(result.code).toBe(0);
  });

  it('prints the version and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('exits 2 with one line on a missing file, 1 on validate errors', async () => {
    const missing = await run(['simulate', 'no-such-file.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^karpenter-ts: cannot read no-such-file\.yaml: no such file or directory \(check the path\)\n$/);
    const invalid = await run(['validate', 'apps/cli/testdata/invalid-nodepool.yaml']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/invalid-nodepool\.yaml:\d+:\d+: error /);
  });
});
