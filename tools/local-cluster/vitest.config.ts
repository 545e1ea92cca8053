import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The e2e file starts real processes; a cold binary build happens in ensureBinaries (beforeAll).
    testTimeout: 180_000,
    hookTimeout: 3_600_000,
    pool: 'forks',
  },
});
