import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureHostCommands } from './debian.js';
import { checkGo, goBuild, type GoTarget } from './go-build.js';
import { moduleKey, requiredVersion } from './gomod.js';
import { withLock } from './lock.js';
import { defaultLog, type Log } from './log.js';
import { cacheRoot, helmModuleDir, k8sModuleDir, kwokModuleDir } from './paths.js';

/** Absolute paths of the executables a local cluster runs. */
export interface BinPaths {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  kwok: string;
}

/** One pinned Go build: where it comes from and where its binaries go. */
interface BuildSet {
  label: string;
  moduleDir: string;
  version: string;
  targets: readonly GoTarget[];
  tags: readonly string[];
  /** ldflags without the build date, so the cache key does not change every run. */
  stableLdflags: string;
  ldflags: () => string;
  /** `${cacheRoot}/<name>-<version>-<hash of go.mod, go.sum, flags>` */
  dir: string;
}

function versionLdflags(gitVersion: string): string {
  const [, major = '', minor = ''] = /^v(\d+)\.(\d+)/.exec(gitVersion) ?? [];
  return ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']
    .flatMap((pkg) => [
      `-X ${pkg}.gitVersion=${gitVersion}`,
      `-X ${pkg}.gitMajor=${major}`,
      `-X ${pkg}.gitMinor=${minor}`,
      `-X ${pkg}.gitTreeState=clean`,
    ])
    .join(' ');
}

/**
 * Helm's version stamps, as its Makefile sets them for a release build (no git commit: built from the module).
 * `helm version` then prints `v4.3.2`.
 */
function helmLdflags(version: string): string {
  const pkg = 'helm.sh/helm/v4/internal/version';
  return `-s -w -X ${pkg}.version=${version} -X ${pkg}.metadata= -X ${pkg}.gitTreeState=clean`;
}

function helmBuildSet(root: string): BuildSet {
  const version = requiredVersion(helmModuleDir, 'helm.sh/helm/v4');
  const stable = helmLdflags(version);
  const tags: string[] = [];
  const key = moduleKey(helmModuleDir, [stable, ...tags]);
  return {
    label: `helm ${version}`,
    moduleDir: helmModuleDir,
    version,
    targets: [{ pkg: 'helm.sh/helm/v4/cmd/helm', binary: 'helm' }],
    tags,
    stableLdflags: stable,
    ldflags: () => stable,
    dir: join(root, `helm-${version}-${key}`),
  };
}

function buildSets(root: string): { k8s: BuildSet; kwok: BuildSet } {
  const k8sVersion = requiredVersion(k8sModuleDir, 'k8s.io/kubernetes');
  const k8sStable = `-s -w ${versionLdflags(k8sVersion)}`;
  const k8sTags = ['selinux', 'notest'];
  const k8sKey = moduleKey(k8sModuleDir, [k8sStable, ...k8sTags]);
  const kwokVersion = requiredVersion(kwokModuleDir, 'sigs.k8s.io/kwok');
  const kwokStable = '-s -w';
  const kwokKey = moduleKey(kwokModuleDir, [kwokStable]);
  return {
    k8s: {
      label: `k8s ${k8sVersion}`,
      moduleDir: k8sModuleDir,
      version: k8sVersion,
      targets: [
        { pkg: 'k8s.io/kubernetes/cmd/kube-apiserver', binary: 'kube-apiserver' },
        { pkg: 'k8s.io/kubernetes/cmd/kube-controller-manager', binary: 'kube-controller-manager' },
        { pkg: 'k8s.io/kubernetes/cmd/kube-scheduler', binary: 'kube-scheduler' },
        { pkg: 'k8s.io/kubernetes/cmd/kubectl', binary: 'kubectl' },
        { pkg: 'go.etcd.io/etcd/server/v3', binary: 'etcd' },
      ],
      tags: k8sTags,
      stableLdflags: k8sStable,
      ldflags: () => {
        const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        const stamps = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].map((p) => `-X ${p}.buildDate=${date}`);
        return [k8sStable, ...stamps].join(' ');
      },
      dir: join(root, `k8s-${k8sVersion}-${k8sKey}`),
    },
    kwok: {
      label: `kwok ${kwokVersion}`,
      moduleDir: kwokModuleDir,
      version: kwokVersion,
      targets: [{ pkg: 'sigs.k8s.io/kwok/cmd/kwok', binary: 'kwok' }],
      tags: [],
      stableLdflags: kwokStable,
      ldflags: () => kwokStable,
      dir: join(root, `kwok-${kwokVersion}-${kwokKey}`),
    },
  };
}

const markerName = 'complete.json';

function isComplete(set: BuildSet): boolean {
  return existsSync(join(set.dir, markerName)) && set.targets.every((t) => existsSync(join(set.dir, 'bin', t.binary)));
}

async function ensureSet(set: BuildSet, log: Log): Promise<void> {
  if (isComplete(set)) return;
  await mkdir(set.dir, { recursive: true });
  await withLock(join(set.dir, 'build.lock'), log, async () => {
    if (isComplete(set)) return; // another process finished while we waited
    const go = await checkGo();
    log(`${set.label}: building with ${go} into ${set.dir}/bin (first use of this version)`);
    await goBuild({ label: set.label, moduleDir: set.moduleDir, targets: set.targets, tags: set.tags, ldflags: set.ldflags(), outDir: join(set.dir, 'bin'), log });
    const marker = { version: set.version, go, builtAt: new Date().toISOString(), ldflags: set.stableLdflags, tags: set.tags };
    await writeFile(join(set.dir, markerName), `${JSON.stringify(marker, null, 2)}\n`);
  });
}

/** Options of {@link ensureBinaries}. */
export interface EnsureBinariesOptions {
  /** Progress lines (what is being installed/built and how far along). Default: stderr. */
  log?: Log;
}

/**
 * Returns the paths of the pinned control-plane binaries, building them first when missing.
 * Binaries live in `${XDG_CACHE_HOME:-~/.cache}/karpenter-ts/{k8s,kwok}-<version>-<hash>/bin/`,
 * keyed by a hash of go.mod + go.sum + build flags, so a warm call only hashes two files and stats
 * six (~1 ms). A cold call installs missing Debian packages (openssl), needs Go 1.26+ on PATH, and
 * compiles for about 6 minutes on 2 cores (k8s ~4.5 min, kwok ~1.2 min, plus module downloads),
 * printing progress through `log`. Concurrent callers (other processes) wait on a per-version lock
 * instead of building twice.
 * Throws HostDependencyError, GoToolchainError or CommandFailedError (with Go's output) on failure.
 */
export async function ensureBinaries(options: EnsureBinariesOptions = {}): Promise<BinPaths> {
  const log = options.log ?? defaultLog;
  await ensureHostCommands(log);
  const { k8s, kwok } = buildSets(cacheRoot());
  await ensureSet(k8s, log);
  await ensureSet(kwok, log);
  const k8sBin = join(k8s.dir, 'bin');
  return {
    kubeApiserver: join(k8sBin, 'kube-apiserver'),
    kubeControllerManager: join(k8sBin, 'kube-controller-manager'),
    kubeScheduler: join(k8sBin, 'kube-scheduler'),
    kubectl: join(k8sBin, 'kubectl'),
    etcd: join(k8sBin, 'etcd'),
    kwok: join(kwok.dir, 'bin', 'kwok'),
  };
}

/**
 * Returns the path of the pinned `helm` executable, building it first when missing: Helm from its Go module
 * `helm.sh/helm/v4` (pinned by `go-helm/go.mod`), cached like the control plane under
 * `${XDG_CACHE_HOME:-~/.cache}/karpenter-ts/helm-<version>-<hash of go.mod, go.sum, flags>/bin/helm`.
 * A warm call hashes two files and stats two (~1 ms); a cold one compiles for about 5 minutes on 2 cores.
 * Throws GoToolchainError or CommandFailedError (with Go's output) on failure.
 */
export async function ensureHelm(options: EnsureBinariesOptions = {}): Promise<string> {
  const log = options.log ?? defaultLog;
  const helm = helmBuildSet(cacheRoot());
  await ensureSet(helm, log);
  return join(helm.dir, 'bin', 'helm');
}

/** Versions pinned by the committed go.mod files, e.g. `{ kubernetes: 'v1.35.4', kwok: 'v0.8.0' }`. */
export function pinnedVersions(): { kubernetes: string; kwok: string; etcd: string; helm: string } {
  return {
    helm: requiredVersion(helmModuleDir, 'helm.sh/helm/v4'),
    kubernetes: requiredVersion(k8sModuleDir, 'k8s.io/kubernetes'),
    kwok: requiredVersion(kwokModuleDir, 'sigs.k8s.io/kwok'),
    etcd: requiredVersion(k8sModuleDir, 'go.etcd.io/etcd/server/v3'),
  };
}
