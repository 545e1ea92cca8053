import { projectTestConfig } from '../../vitest.shared.js';

// One AWS emulator (moto) serves the whole run: tests read inject('awsEmulatorEndpoint').
export default projectTestConfig({
  project: 'controller',
  kind: 'e2e',
  globalSetup: ['../../tools/local-cluster/src/aws-emulator/global-setup.ts'],
});
