import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * moto's server (the EC2/IAM/SSM/SQS emulator) from the pinned venv under the cache folder
 * (`karpenter-ts/moto-5.2.5`, installed by the project's scripts), on a free loopback port; resolves once it
 * answers. `stop()` ends it.
 */
export async function startMoto(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
  const bin = join(process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'karpenter-ts/moto-5.2.5/bin/moto_server');
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`moto_server (${bin}) did not answer on ${endpoint}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
