import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Where Debian's `chromium` package installs the browser the browser test drives. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for headless Debian Chromium on a build machine: no sandbox (root in CI), no GPU, no background
 * network (updates, sync, QUIC), and every host name except localhost resolved to nothing so the page
 * cannot reach the internet.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/**
 * Makes sure Debian Chromium is at {@link CHROMIUM_PATH}: when missing, installs the `chromium` package with
 * `apt-get update` + `apt-get install -y --no-install-recommends chromium` (needs root on a Debian host).
 * @throws Error naming the package to install when it is missing and cannot be installed here.
 */
export function ensureChromium(log: (line: string) => void = console.log): string {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  const hint = 'install the Debian package chromium (apt-get install chromium)';
  if (process.getuid?.() !== 0) throw new Error(`${CHROMIUM_PATH} is missing and this is not root: ${hint}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', 'chromium']]) {
    log(`apt-get ${args.join(' ')}`);
    const result = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${hint}`);
  }
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`apt-get installed chromium but ${CHROMIUM_PATH} is still missing`);
  return CHROMIUM_PATH;
}
