/**
 * `npm start -- --cloud aws-emulator --exit` as a user runs it (the real entry point, as a child process): the
 * EC2 emulator is started and seeded, the controller launches EC2 instances in it for the inflate pods, the
 * nodes go after the deployment is deleted, and the run exits 0 with the emulator stopped. About a minute.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('npm start -- --cloud aws-emulator', () => {
  it('runs the seed story on EC2 instances of the emulator and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/start/src/main.ts', '--cloud', 'aws-emulator', '--exit', '--replicas', '2', '--quiet'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code, output).toBe(0);
    const endpoint = /EC2 emulator \(moto\) on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    expect(endpoint, output).toBeDefined();
    expect(output).toContain('controller running with the AWS cloud provider against the EC2 emulator');
    expect(output).toMatch(/all 2 inflate pods Running/);
    expect(output).toMatch(/ip-10-0-\d+-\d+\.ec2\.internal\s+\S+\s+us-west-2[ab]\s+on-demand/);
    expect(output).toMatch(/launched nodes removed/);
    // The emulator went with the run.
    await expect(fetch(`${endpoint ?? ''}/moto-api/`)).rejects.toThrow();
  }, 600_000);
});
