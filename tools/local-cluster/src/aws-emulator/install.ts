import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../exec.js';
import { withLock } from '../lock.js';
import { defaultLog, type Log } from '../log.js';
import { cacheRoot } from '../paths.js';

/** The moto release the emulator runs; a new pin makes a new venv folder (the old one stays until removed). */
export const motoVersion = '5.2.5';

/** The pip requirement installed into the venv, also the content of its marker file. */
export const motoRequirement = `moto[server]==${motoVersion}`;

/** File whose content (== {@link motoRequirement}) says the venv is complete. */
const markerName = '.karpenter-ts-installed';

/** Paths inside an installed moto venv. */
export interface MotoInstall {
  /** The venv folder: `${cacheRoot}/moto-<version>`. */
  dir: string;
  /** The venv's python interpreter (runs launcher.py). */
  python: string;
  /** The venv's moto_server script. */
  motoServer: string;
}

/** Options of {@link ensureMoto}. */
export interface EnsureMotoOptions {
  /** Cache root; default `${XDG_CACHE_HOME:-~/.cache}/karpenter-ts`. */
  cacheDir?: string;
  /** Interpreter that creates the venv; default `$KTS_PYTHON` or `python3` on PATH. */
  python?: string;
  log?: Log;
}

/** Where the pinned moto venv lives (installed or not). */
export function motoInstallPaths(cacheDir: string = cacheRoot()): MotoInstall {
  const dir = join(cacheDir, `moto-${motoVersion}`);
  return { dir, python: join(dir, 'bin', 'python'), motoServer: join(dir, 'bin', 'moto_server') };
}

function installed(paths: MotoInstall): boolean {
  try {
    return readFileSync(join(paths.dir, markerName), 'utf8').trim() === motoRequirement && existsSync(paths.python);
  } catch {
    return false;
  }
}

/**
 * Makes sure `moto[server]` at {@link motoVersion} is installed in a Python venv under the cache
 * folder and returns its paths. A complete venv (marker file present) is reused in milliseconds;
 * otherwise the folder is rebuilt with `python3 -m venv` and `pip install` from PyPI under an
 * inter-process lock, so concurrent test runs build it once.
 * Throws CommandFailedError (with pip's output) when python3, venv or pip fail, for example
 * "No module named venv": install the Debian package python3-venv.
 */
export async function ensureMoto(options: EnsureMotoOptions = {}): Promise<MotoInstall> {
  const paths = motoInstallPaths(options.cacheDir ?? cacheRoot());
  if (installed(paths)) return paths;
  const log = options.log ?? defaultLog;
  const python = options.python ?? process.env['KTS_PYTHON'] ?? 'python3';
  await withLock(`${paths.dir}.lock`, log, async () => {
    if (installed(paths)) return;
    log(`installing ${motoRequirement} into ${paths.dir} (first use, about a minute)`);
    await rm(paths.dir, { recursive: true, force: true });
    await run([python, '-m', 'venv', paths.dir]);
    await run([join(paths.dir, 'bin', 'pip'), 'install', '--disable-pip-version-check', '--no-input', '--quiet', motoRequirement]);
    await writeFile(join(paths.dir, markerName), motoRequirement);
    log(`installed ${motoRequirement}`);
  });
  return paths;
}
