import react from '@vitejs/plugin-react';
import { mergeConfig } from 'vitest/config';
import { projectTestConfig } from '../../vitest.shared.js';

export default mergeConfig(
  projectTestConfig({
    project: 'backstage-plugin',
    kind: 'unit',
    environment: 'jsdom',
    setupFiles: ['./src/setupTests.ts'],
    testTimeoutMs: 60_000,
  }),
  {
    plugins: [react()],
    // material-ui-popup-state (via @backstage/plugin-catalog-react) imports `@mui/material/Popover`, a
    // directory import Node's ESM loader refuses; Vite resolves it when the package is inlined.
    test: { server: { deps: { inline: ['material-ui-popup-state'] } } },
  },
);
