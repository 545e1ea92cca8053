/**
 * `npm run build -w @karpenter-ts/controller`: bundles src/main.ts and every dependency into one ES module,
 * dist/main.mjs (+ dist/main.mjs.map) and the simulation worker dist/simulate-worker.mjs, run as `node dist/main.mjs` by the Helm chart and, on request, by the
 * start harness (KARPENTER_TS_CONTROLLER_BUNDLE=1). Running the bundle instead of `tsx src/main.ts` saves the
 * TypeScript loader (its hooks thread and transpile cache) and the resolution of hundreds of module files:
 * about 130 MB of RSS at 1,000 pods (DESIGN §6).
 */
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const common = {
  absWorkingDir: appDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};
// The POST /api/v1/simulate worker thread (src/http/api/simulate.ts loads it next to main.mjs).
await build({ ...common, entryPoints: ['src/http/api/simulate-worker.ts'], outfile: 'dist/simulate-worker.mjs' });

await build({
  absWorkingDir: appDir,
  entryPoints: ['src/main.ts'],
  outfile: 'dist/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // CommonJS dependencies bundled into an ES module still call require() for Node built-ins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
});
