import { startAwsEmulator } from '@karpenter-ts/local-cluster/aws-emulator';

/**
 * The EC2/IAM/SSM/SQS emulator (moto's server at its pinned version, installed into the cache folder's venv
 * when missing) on a free loopback port, via tools/local-cluster's `startAwsEmulator`; resolves once it
 * answers. `stop()` ends it.
 */
export async function startMoto(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const emulator = await startAwsEmulator({ log: () => undefined });
  return { endpoint: emulator.endpoint, stop: () => emulator.stop() };
}
