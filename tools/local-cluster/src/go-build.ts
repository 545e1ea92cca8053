import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { run, findOnPath } from './exec.js';
import type { Log } from './log.js';
import { goCacheDirs } from './paths.js';

/** One `main` package to build and the file name it gets in the output directory. */
export interface GoTarget {
  pkg: string;
  binary: string;
}

/** Inputs of {@link goBuild}. */
export interface GoBuildSpec {
  /** Shown in progress lines, e.g. "k8s v1.35.4". */
  label: string;
  /** Directory holding the go.mod/go.sum that pin every dependency. */
  moduleDir: string;
  targets: readonly GoTarget[];
  /** Value of `-ldflags` (version stamps, `-s -w`). */
  ldflags: string;
  tags: readonly string[];
  /** Directory that receives the binaries (created; existing files with the same names are replaced). */
  outDir: string;
  log: Log;
  /** Interval between "compiled N packages" lines in milliseconds. Default 15000. */
  progressIntervalMs?: number;
}

/** Error thrown when no usable Go toolchain is installed. */
export class GoToolchainError extends Error {
  readonly code = 'GoToolchain' as const;
}

/** Minimum Go release for the pinned modules (kwok v0.8.0 declares `go 1.26.0`). */
export const minimumGo = [1, 26] as const;

/**
 * Environment for every `go` command of this tool: caches under the karpenter-ts cache root,
 * `GOTOOLCHAIN=local` (never download a toolchain), static binaries, writable module cache.
 */
export function goEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const { gomodcache, gocache } = goCacheDirs();
  const goflags = [base['GOFLAGS'] ?? '', '-modcacherw'].join(' ').trim();
  return { ...base, GOMODCACHE: gomodcache, GOCACHE: gocache, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: goflags, GOWORK: 'off' };
}

/** Returns the installed Go version (e.g. "go1.26.8"); throws {@link GoToolchainError} if absent or older than {@link minimumGo}. */
export async function checkGo(): Promise<string> {
  if (findOnPath('go') === undefined) {
    throw new GoToolchainError(`Go ${minimumGo.join('.')}+ is required to build the local control plane, and 'go' is not on PATH`);
  }
  const { stdout } = await run(['go', 'env', 'GOVERSION'], { env: goEnv() });
  const version = stdout.trim();
  const match = /^go(\d+)\.(\d+)/.exec(version);
  const [major, minor] = [Number(match?.[1] ?? 0), Number(match?.[2] ?? 0)];
  if (major < minimumGo[0] || (major === minimumGo[0] && minor < minimumGo[1])) {
    throw new GoToolchainError(`Go ${minimumGo.join('.')}+ is required, found ${version || 'unknown'}`);
  }
  return version;
}

/** The file name `go build -o dir/` gives a main package (last element, skipping a /vN suffix). */
export function defaultExecName(pkg: string): string {
  const parts = pkg.split('/');
  const last = parts.at(-1) ?? pkg;
  return /^v\d+$/.test(last) && parts.length > 1 ? (parts.at(-2) ?? last) : last;
}

/**
 * Builds `spec.targets` with one `go build` (so shared packages compile once) into `spec.outDir`,
 * printing progress through `spec.log`: module resolution, then a count of compiled packages
 * every `progressIntervalMs`. Resolves when every binary is in place; throws
 * {@link CommandFailedError} (from exec.ts) with the tail of Go's output on failure.
 */
export async function goBuild(spec: GoBuildSpec): Promise<void> {
  const env = goEnv();
  const pkgs = spec.targets.map((t) => t.pkg);
  const started = Date.now();
  const elapsed = (): string => `${Math.round((Date.now() - started) / 1000)}s`;
  spec.log(`${spec.label}: resolving ${pkgs.length} packages' dependencies (downloads modules on first use)`);
  const listed = await run(['go', 'list', '-deps', '-tags', spec.tags.join(','), ...pkgs], { cwd: spec.moduleDir, env });
  const total = listed.stdout.split('\n').filter((l) => l !== '').length;
  spec.log(`${spec.label}: compiling up to ${total} packages (cached ones are skipped; a cold build of everything takes about 10 min on 2 cores)`);
  let compiled = 0;
  let last = '';
  const timer = setInterval(() => {
    spec.log(`${spec.label}: ${compiled}/${total} packages compiled, ${elapsed()} elapsed${compiled > 0 ? ` (last: ${last})` : ''}`);
  }, spec.progressIntervalMs ?? 15_000);
  timer.unref();
  const tmpOut = `${spec.outDir}.tmp-${process.pid}`;
  await rm(tmpOut, { recursive: true, force: true });
  await mkdir(tmpOut, { recursive: true });
  try {
    await run(
      ['go', 'build', '-v', '-trimpath', '-tags', spec.tags.join(','), '-ldflags', spec.ldflags, '-o', `${tmpOut}/`, ...pkgs],
      {
        cwd: spec.moduleDir,
        env,
        onStderrLine: (line) => {
          if (/^[\w.~-]+(\/[\w.~+-]+)*$/.test(line)) {
            compiled += 1;
            last = line;
          }
        },
      },
    );
  } finally {
    clearInterval(timer);
  }
  await mkdir(spec.outDir, { recursive: true });
  for (const target of spec.targets) {
    await rename(join(tmpOut, defaultExecName(target.pkg)), join(spec.outDir, target.binary));
  }
  await rm(tmpOut, { recursive: true, force: true });
  spec.log(`${spec.label}: built ${spec.targets.map((t) => t.binary).join(', ')} in ${elapsed()}`);
}
