import react from '@vitejs/plugin-react';
import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  projectTestConfig({
    project: 'backstage-plugin',
    kind: 'unit',
    environment: 'jsdom',
    setupFiles: ['./src/setupTests.ts'],
    testTimeoutMs: 30_000,
  }),
  { plugins: [react()] },
);
