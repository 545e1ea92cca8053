/**
 * `npm run e2e -w karpenter-ts-vscode` (the `e2e` stage of `npm test`): the extension in a real VS Code.
 * 1. installs code-server's VS Code + Node 24 into the karpenter-ts cache (scripts/setup-code-server.sh; apt-get
 *    installs chromium and libkrb5-dev when missing) and builds the bundles and the extension-host suites;
 * 2. starts a local control plane (@karpenter-ts/local-cluster), installs Karpenter's CRDs and applies
 *    test/fixtures/cluster-pending.yaml: a NodePool and two pods kube-scheduler leaves pending;
 * 3. runs test/suite/extension.test.ts inside code-server's extension host through @vscode/test-electron's
 *    `runTests` with scripts/code-shim as the "VS Code executable"; its screenshot is written to
 *    tmp/test-artifacts/vscode-extension/screenshot.png (repo root), and to docs/screenshot.png with KTS_UPDATE_DOCS_SCREENSHOT=1;
 * 4. packages the .vsix with @vscode/vsce, installs it into a fresh code-server and runs installed.test.ts.
 * Exits non-zero when anything fails. Folders of each run are kept under the cache only when it fails.
 */
import { startCluster, waitFor, type LocalCluster } from '@karpenter-ts/local-cluster';
import { runTests } from '@vscode/test-electron';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..', '..');
const artifactDir = join(repoRoot, 'tmp', 'test-artifacts', 'vscode-extension');
const codeShim = join(appDir, 'scripts', 'code-shim');
const fixtures = join(appDir, 'test', 'fixtures');

function step(message: string): void {
  console.log(`[vscode-extension e2e] ${message}`);
}

function kubectl(cluster: LocalCluster, args: string[], input?: string): string {
  return execFileSync(cluster.kubectl, ['--kubeconfig', cluster.adminKubeconfig, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) });
}

async function startPendingCluster(): Promise<LocalCluster> {
  const cluster = await startCluster({ log: (line) => step(`cluster: ${line}`) });
  kubectl(cluster, ['apply', '--server-side', '-f', join(repoRoot, 'apps', 'controller', 'chart', 'crds')]);
  kubectl(cluster, ['wait', '--for', 'condition=Established', '--timeout', '60s', '-f', join(repoRoot, 'apps', 'controller', 'chart', 'crds')]);
  kubectl(cluster, ['apply', '-f', join(fixtures, 'cluster-pending.yaml')]);
  await waitFor(
    () => {
      const pods = JSON.parse(kubectl(cluster, ['get', 'pods', '-n', 'default', '-o', 'json'])) as { items: { status?: { conditions?: { type: string; reason?: string }[] } }[] };
      return pods.items.length === 2 && pods.items.every((p) => p.status?.conditions?.some((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable'));
    },
    { description: 'both fixture pods reported Unschedulable by kube-scheduler', timeoutMs: 60_000, intervalMs: 200 },
  );
  return cluster;
}

function workspace(kubeconfig: string, screenshotPath: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kts-vscode-ws-'));
  for (const f of ['broken-nodepool.yaml', 'completion.yaml', 'provisioner.yaml', 'preview-nodepool.yaml', 'edited-default.yaml', 'cluster-ref.yaml']) cpSync(join(fixtures, f), join(dir, f));
  mkdirSync(join(dir, '.vscode'));
  writeFileSync(join(dir, '.vscode', 'settings.json'), JSON.stringify({ 'karpenterTs.kubeconfig': kubeconfig, 'karpenterTs.previewDebounceMs': 100 }, null, 2));
  writeFileSync(
    join(dir, 'karpenter-ts-e2e.json'),
    JSON.stringify({ screenshotPath, pendingPods: [{ ref: 'default/web', nodePool: 'default' }, { ref: 'default/arm-job', nodePool: '' }] }, null, 2),
  );
  return dir;
}

async function main(): Promise<number> {
  step('installing code-server (cached after the first run)');
  const setup = spawnSync(join(appDir, 'scripts', 'setup-code-server.sh'), { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (setup.status !== 0) throw new Error('scripts/setup-code-server.sh failed (see above)');
  step('building the extension, the language server bundle, the webview script and the suites');
  execFileSync(process.execPath, [join(appDir, 'scripts', 'build.mjs'), '--tests'], { stdio: 'inherit' });
  mkdirSync(artifactDir, { recursive: true });
  const screenshotPath = join(artifactDir, 'screenshot.png');
  rmSync(screenshotPath, { force: true });
  rmSync(`${screenshotPath}.done`, { force: true });

  const cluster = await startPendingCluster();
  let ws = '';
  let failed = false;
  try {
    ws = workspace(cluster.adminKubeconfig, screenshotPath);
    step('running the suite in the real extension host');
    await runTests({
      vscodeExecutablePath: codeShim,
      extensionDevelopmentPath: appDir,
      extensionTestsPath: join(appDir, 'out', 'test', 'suite', 'index.cjs'),
      launchArgs: [ws],
    });
    // The README's picture is refreshed on request only, so a test run leaves the checkout unchanged.
    if (process.env['KTS_UPDATE_DOCS_SCREENSHOT'] === '1') {
      copyFileSync(screenshotPath, join(appDir, 'docs', 'screenshot.png'));
      step(`screenshot: ${screenshotPath} (copied to apps/vscode-extension/docs/screenshot.png)`);
    } else {
      step(`screenshot: ${screenshotPath} (KTS_UPDATE_DOCS_SCREENSHOT=1 also refreshes apps/vscode-extension/docs/screenshot.png)`);
    }
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    await cluster.stop({ keepWorkDir: failed });
  }

  step('packaging the .vsix and running it installed');
  const vsix = join(artifactDir, 'karpenter-ts-vscode.vsix');
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: appDir, stdio: 'inherit' });
  const wsInstalled = workspace(join(ws, 'no-such-kubeconfig'), screenshotPath);
  await runTests({
    vscodeExecutablePath: codeShim,
    extensionDevelopmentPath: join(appDir, 'test', 'installed-host'),
    extensionTestsPath: join(appDir, 'out', 'test', 'suite', 'installed-index.cjs'),
    launchArgs: [wsInstalled],
    extensionTestsEnv: { INSTALL_VSIX: vsix },
  });
  rmSync(ws, { recursive: true, force: true });
  rmSync(wsInstalled, { recursive: true, force: true });
  step(`ok; .vsix at ${vsix}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`[vscode-extension e2e] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
