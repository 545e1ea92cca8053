/**
 * The shipped AWS catalog is what `gen:aws-catalog` makes of the emulator's answers today: the script runs as a
 * user runs it (a child process) against the run's EC2 emulator, and its instance types and offerings must equal
 * the shipped file's (only the source, date and header lines may differ). A change of the mapping code or of the
 * price table that is not followed by `npm run gen:aws-catalog -w @karpenter-ts/controller` fails here.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const shipped = join(appDir, '../cli/catalogs/aws.yaml');
const work = mkdtempSync(join(tmpdir(), 'kts-aws-catalog-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The catalog body: everything from `instanceTypes:` on. */
const body = (text: string): string => text.slice(text.indexOf('\ninstanceTypes:'));

describe('gen:aws-catalog against the EC2 emulator', () => {
  it('regenerates exactly the shipped catalog body, with source and dates in its annotations', async () => {
    const out = join(work, 'aws.yaml');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/gen-aws-catalog.ts', '--endpoint', inject('awsEmulatorEndpoint'), '--out', out], { cwd: appDir, timeout: 240_000 });
    expect(stdout).toMatch(/^wrote .* \(40 types of m5, c5, r5, m6g, g5 in us-east-1, us-west-2\)/);
    const generated = readFileSync(out, 'utf8');
    expect(generated).toMatch(/karpenter-ts\.io\/source: "EC2 API at http:\/\/127\.0\.0\.1:\d+ \(us-east-1, us-west-2\)"/);
    expect(generated).toMatch(/karpenter-ts\.io\/generated-at: "\d{4}-\d{2}-\d{2}T/);
    expect(body(generated), 'run `npm run gen:aws-catalog -w @karpenter-ts/controller` and commit apps/cli/catalogs/aws.yaml').toBe(body(readFileSync(shipped, 'utf8')));
  }, 300_000);
});
