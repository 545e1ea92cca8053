// Lint for every project. The rule that matters most: the pure domain library imports no I/O client,
// no UI framework and no Node built-in (DESIGN.md §2 module boundaries), enforced by Nx tags.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'stream', 'url',
  'util', 'events', 'worker_threads', 'process', 'timers', 'timers/*', 'dns', 'zlib',
];

export default [
  { ignores: ['**/vitest*.config.ts', '**/node_modules/**', '**/dist/**', '**/.nx/**', '**/out/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          // Domain tests use the testing lib (builders, plan validator), which depends on the domain: a test-only cycle.
          ignoredCircularDependencies: [['@karpenter-ts/provisioner-domain', '@karpenter-ts/provisioner-domain-testing']],
          depConstraints: [
            {
              sourceTag: 'scope:domain',
              onlyDependOnLibsWithTags: ['scope:domain'],
              bannedExternalImports: ['@kubernetes/client-node', '@aws-sdk/*', 'vscode', 'react', 'react-dom', ...nodeBuiltins],
            },
            { sourceTag: '*', onlyDependOnLibsWithTags: ['*'] },
          ],
        },
      ],
    },
  },
  {
    // Belt and braces for the domain library: also a plain ESLint rule, so the ban holds even if Nx tags change.
    files: ['libs/provisioner-domain/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@kubernetes/client-node', '@aws-sdk/*', 'vscode', 'react', 'react-dom', ...nodeBuiltins], message: 'libs/provisioner-domain is pure: no I/O clients, UI frameworks or Node built-ins (DESIGN.md §2).' },
          ],
        },
      ],
    },
  },
];
