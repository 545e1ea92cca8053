/**
 * Vitest globalSetup: one AWS emulator (moto) for a whole vitest run.
 *
 * Add `globalSetup: ['@karpenter-ts/local-cluster/aws-emulator/global-setup']` (or this file's
 * path) to an e2e config; tests read the endpoint with `inject('awsEmulatorEndpoint')`, or from
 * `process.env.KTS_AWS_EMULATOR_ENDPOINT` (also set for code that cannot import vitest). Tests
 * sharing it must not depend on an empty account: use their own tags/names, or call
 * `resetAwsEmulator(endpoint)` in a file's beforeAll.
 */
import type { TestProject } from 'vitest/node';
import { startAwsEmulator, type AwsEmulator } from './emulator.js';
import './provided-context.js';

let emulator: AwsEmulator | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  emulator = await startAwsEmulator();
  project.provide('awsEmulatorEndpoint', emulator.endpoint);
  process.env['KTS_AWS_EMULATOR_ENDPOINT'] = emulator.endpoint;
  return async () => {
    await emulator?.stop();
    emulator = undefined;
  };
}
