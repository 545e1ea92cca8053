import { homedir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of `tools/local-cluster/` (the package root), derived from this file's location. */
export const packageRoot: string = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Go module that builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl and etcd. */
export const k8sModuleDir: string = join(packageRoot, 'go');

/** Go module that builds kwok (separate: it needs newer k8s.io libraries). */
export const kwokModuleDir: string = join(packageRoot, 'go-kwok');

/** Go module that builds helm (helm.sh/helm/v4), used by the Helm chart tests of apps/controller. */
export const helmModuleDir: string = join(packageRoot, 'go-helm');

/** Directory of committed KWOK Stage YAMLs (copied from sigs.k8s.io/kwok kustomize/stage). */
export const stagesDir: string = join(packageRoot, 'stages');

/**
 * Root of every cache this tool writes: `${XDG_CACHE_HOME:-$HOME/.cache}/karpenter-ts`.
 * Reads the environment at call time so tests can redirect it.
 */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' ? xdg : join(env['HOME'] ?? homedir(), '.cache');
  return join(base, 'karpenter-ts');
}

/** Go module cache and build cache shared by every pinned version (content-addressed by Go). */
export function goCacheDirs(root: string = cacheRoot()): { gomodcache: string; gocache: string } {
  return { gomodcache: join(root, 'go', 'mod'), gocache: join(root, 'go', 'build') };
}
