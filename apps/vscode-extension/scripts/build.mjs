/**
 * `npm run build -w karpenter-ts-vscode`: bundles the extension with esbuild.
 * - src/extension.ts → dist/extension.cjs (CommonJS, Node; `vscode` external): what VS Code loads;
 * - src/server-main.ts → dist/server.cjs: the karpenter-ts language server process the client starts over IPC;
 * - src/webview/preview.ts → media/dist/preview.js (IIFE, browser): the preview page script;
 * - docs/rules.md (repository) → dist/rules.md: the page each diagnostic's code links to, shipped in the .vsix.
 * With `--tests`, also the extension-host mocha suites test/suite/{index,installed-index,extension.test,installed.test}.ts
 * → out/test/suite/*.cjs.
 */
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const withTests = process.argv.includes('--tests');
const node = {
  absWorkingDir: appDir,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  minify: true,
  keepNames: true,
  external: ['vscode'],
  // ES modules bundled to CommonJS: `import.meta.url` becomes the bundle's own file URL.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  // The extension records when its bundle started evaluating, so activation figures can split load from activate().
  build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.cjs', banner: { js: `globalThis.__karpenterTsBundleStart = performance.now(); ${node.banner.js}` }, footer: { js: 'globalThis.__karpenterTsBundleEnd = performance.now();' } }),
  build({ ...node, entryPoints: ['src/server-main.ts'], outfile: 'dist/server.cjs' }),
  build({ absWorkingDir: appDir, entryPoints: ['src/webview/preview.ts'], outfile: 'media/dist/preview.js', bundle: true, platform: 'browser', format: 'iife', target: 'es2022', legalComments: 'none', logLevel: 'warning', minify: true }),
  ...(withTests
    ? ['index', 'installed-index', 'bench-index', 'extension.test', 'installed.test', 'bench.test'].map((name) =>
        build({ ...node, entryPoints: [`test/suite/${name}.ts`], outfile: `out/test/suite/${name}.cjs`, external: ['vscode', 'mocha'] }),
      )
    : []),
]);

// The rule docs travel with the extension, so a diagnostic's code link opens offline and from an installed .vsix.
mkdirSync(join(appDir, 'dist'), { recursive: true });
copyFileSync(join(appDir, '..', '..', 'docs', 'rules.md'), join(appDir, 'dist', 'rules.md'));
