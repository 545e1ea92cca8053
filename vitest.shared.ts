/**
 * One vitest configuration shape for every project, so that `npm test` can sum all suites.
 *
 * `projectTestConfig({ project, kind })` returns a vitest config: `unit` runs `src/** /*.test.ts` except
 * `*.e2e.test.ts`; `e2e` runs only `*.e2e.test.ts` (real control plane, real processes), one file at a time.
 * When `KTS_TEST_REPORT_DIR` is set (by tools/scripts/src/test.ts), a JSON report is also written there as
 * `<project>.<kind>.json`, which the test command adds up into its closing `N passed, N failed` line.
 */
import path from 'node:path';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

export interface ProjectTestConfigOptions {
  /** Project name, used for the report file name. */
  project: string;
  kind: 'unit' | 'e2e';
  /** Globs relative to the project root; defaults per kind. */
  include?: string[];
  /** Per-test timeout in milliseconds; defaults 10 s for unit, 10 min for e2e. */
  testTimeoutMs?: number;
  /** jsdom for React components; node otherwise. */
  environment?: 'node' | 'jsdom';
  setupFiles?: string[];
  /** Vitest globalSetup files (run once per vitest run), e.g. the AWS emulator's. */
  globalSetup?: string[];
}

export function projectTestConfig(options: ProjectTestConfigOptions): ViteUserConfig {
  const reportDir = process.env['KTS_TEST_REPORT_DIR'];
  const isE2e = options.kind === 'e2e';
  const include = options.include ?? (isE2e ? ['src/**/*.e2e.test.ts', '*.e2e.test.ts', '**/*.e2e.test.ts'] : ['src/**/*.test.ts', 'src/**/*.test.tsx']);
  const reporters: (string | [string, Record<string, unknown>])[] = ['default'];
  if (reportDir) reporters.push(['json', { outputFile: path.join(reportDir, `${options.project}.${options.kind}.json`) }]);
  return defineConfig({
    test: {
      include,
      exclude: ['**/node_modules/**', '**/dist/**', ...(isE2e ? [] : ['**/*.e2e.test.ts'])],
      environment: options.environment ?? 'node',
      testTimeout: options.testTimeoutMs ?? (isE2e ? 600_000 : 10_000),
      hookTimeout: isE2e ? 1_800_000 : 10_000,
      fileParallelism: !isE2e,
      setupFiles: options.setupFiles ?? [],
      globalSetup: options.globalSetup ?? [],
      reporters,
    },
  });
}
