import { run, onPath } from './exec.js';
import type { Log } from './log.js';

/** A command the tool needs and the Debian package that provides it. */
export interface HostRequirement {
  command: string;
  debianPackage: string;
}

/** Host commands needed at run time: openssl (certificates). Go itself is checked in go-build.ts. */
export const hostRequirements: readonly HostRequirement[] = [{ command: 'openssl', debianPackage: 'openssl' }];

/** Error thrown when a required host command is missing and cannot be installed. */
export class HostDependencyError extends Error {
  readonly code = 'HostDependency' as const;
}

let aptUpdated = false;

/**
 * Makes sure every `requirements[].command` is on PATH. Missing ones are installed with
 * `apt-get update` (once per process) + `apt-get install -y --no-install-recommends`, which needs
 * root and a Debian-family host. Resolves when all are present; throws {@link HostDependencyError}
 * when something is missing and cannot be installed here.
 */
export async function ensureHostCommands(
  log: Log,
  requirements: readonly HostRequirement[] = hostRequirements,
): Promise<void> {
  const missing = requirements.filter((r) => !onPath(r.command));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((r) => r.debianPackage))];
  const names = missing.map((r) => r.command).join(', ');
  if (!onPath('apt-get')) throw new HostDependencyError(`missing ${names}; install Debian packages ${packages.join(' ')} (no apt-get here)`);
  if (process.getuid?.() !== 0) throw new HostDependencyError(`missing ${names}; run as root or: apt-get install ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log(`apt-get update (to install ${packages.join(' ')})`);
    await run(['apt-get', 'update'], { env });
    aptUpdated = true;
  }
  log(`apt-get install ${packages.join(' ')}`);
  await run(['apt-get', 'install', '-y', '--no-install-recommends', ...packages], { env });
  const still = missing.filter((r) => !onPath(r.command));
  if (still.length > 0) throw new HostDependencyError(`still missing after apt-get install: ${still.map((r) => r.command).join(', ')}`);
}
