import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateKeyPairCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeRegionsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLog } from '../log.js';
import { waitFor } from '../poll.js';
import { emulatorClientConfig, startAwsEmulator, type AwsEmulator } from './emulator.js';

describe('AWS emulator (moto server)', () => {
  let emulator: AwsEmulator;
  let ec2: EC2Client;
  beforeAll(async () => {
    emulator = await startAwsEmulator({ log: silentLog });
    ec2 = new EC2Client({ ...emulatorClientConfig, endpoint: emulator.endpoint });
  });
  afterAll(async () => {
    ec2?.destroy();
    await emulator?.stop();
  });

  it('answers EC2 DescribeInstanceTypes through the AWS SDK on a loopback endpoint', async () => {
    expect(emulator.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ['m5.large'] }));
    expect(page.InstanceTypes?.map((t) => [t.InstanceType, t.VCpuInfo?.DefaultVCpus, t.MemoryInfo?.SizeInMiB])).toEqual([['m5.large', 2, 8192]]);
    const regions = await ec2.send(new DescribeRegionsCommand({}));
    expect(regions.Regions?.map((r) => r.RegionName)).toContain('us-east-1');
  });

  it('reset drops resources created so far', async () => {
    await ec2.send(new CreateKeyPairCommand({ KeyName: 'kts-emulator-test' }));
    expect((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs?.map((k) => k.KeyName)).toContain('kts-emulator-test');
    await emulator.reset();
    expect((await ec2.send(new DescribeKeyPairsCommand({}))).KeyPairs ?? []).toEqual([]);
  });

  it('stops: the endpoint no longer answers', async () => {
    const second = await startAwsEmulator({ log: silentLog });
    await second.stop();
    await expect(fetch(`${second.endpoint}/moto-api/`)).rejects.toThrow();
  });

  it('dies with the process that started it, even one killed with SIGKILL', async () => {
    const script = join(dirname(fileURLToPath(import.meta.url)), 'testdata', 'start-and-hang.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const endpoint = await waitFor(() => /^(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output)?.[1], { description: 'child emulator endpoint', timeoutMs: 120_000 });
    expect((await fetch(`${endpoint}/moto-api/`)).ok).toBe(true);
    child.kill('SIGKILL');
    await waitFor(
      async () => {
        try {
          await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) });
          return false;
        } catch {
          return true;
        }
      },
      { description: `${endpoint} to stop answering after its parent died`, timeoutMs: 30_000 },
    );
  });
});
