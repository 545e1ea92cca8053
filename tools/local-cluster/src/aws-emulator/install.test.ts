import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLog } from '../log.js';
import { ensureMoto, motoInstallPaths, motoRequirement } from './install.js';

describe('ensureMoto', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  it('keeps the cache layout moto-<version> with bin/python and bin/moto_server', () => {
    expect(motoInstallPaths('/c')).toEqual({ dir: '/c/moto-5.2.5', python: '/c/moto-5.2.5/bin/python', motoServer: '/c/moto-5.2.5/bin/moto_server' });
    expect(motoRequirement).toBe('moto[server]==5.2.5');
  });

  it('reuses a venv whose marker names the pinned requirement, without running python', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'kts-moto-'));
    dirs.push(cacheDir);
    const paths = motoInstallPaths(cacheDir);
    await mkdir(join(paths.dir, 'bin'), { recursive: true });
    await writeFile(paths.python, '');
    await writeFile(join(paths.dir, '.karpenter-ts-installed'), motoRequirement); // no newline, as older installs wrote it
    await expect(ensureMoto({ cacheDir, python: '/nonexistent/python3', log: silentLog })).resolves.toEqual(paths);
  });

  it('rebuilds a venv whose marker names another version, and says which command failed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'kts-moto-'));
    dirs.push(cacheDir);
    const paths = motoInstallPaths(cacheDir);
    await mkdir(join(paths.dir, 'bin'), { recursive: true });
    await writeFile(paths.python, '');
    await writeFile(join(paths.dir, '.karpenter-ts-installed'), 'moto[server]==5.0.0\n');
    await expect(ensureMoto({ cacheDir, python: '/nonexistent/python3', log: silentLog })).rejects.toThrow(/\/nonexistent\/python3 -m venv/);
  });
});
