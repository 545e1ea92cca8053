import type { Taint, Toleration } from '../core/types.js';

/**
 * Whether one toleration tolerates one taint, exactly as Kubernetes `Toleration.ToleratesTaint`: an empty
 * effect matches every effect; an empty key matches every key (API validation only allows that with
 * `Exists`); `Exists` ignores the value; `Equal` (the default) needs the same value (absent = empty).
 */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  if (toleration.operator === 'Exists') return true;
  return (toleration.value ?? '') === (taint.value ?? '');
}

/** Whether any of the tolerations tolerates the taint. */
export function isTolerated(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  if (!tolerations) return false;
  for (const toleration of tolerations) if (toleratesTaint(toleration, taint)) return true;
  return false;
}

export interface TaintCheckOptions {
  /**
   * Treat `PreferNoSchedule` as soft (kube-scheduler's filter ignores it). Default false: Karpenter first
   * requires it to be tolerated too and only relaxes that as the last preference.
   */
  ignorePreferNoSchedule?: boolean;
}

/**
 * The first taint the tolerations do not tolerate, or `undefined` when the pod may schedule. Pass only the
 * taints that constrain scheduling: a NodePool's `startupTaints` and the ephemeral taints of nodes that are
 * still coming up (see `isEphemeralTaint`) need no toleration.
 */
export function firstUntoleratedTaint(
  tolerations: readonly Toleration[] | undefined,
  taints: readonly Taint[] | undefined,
  options: TaintCheckOptions = {},
): Taint | undefined {
  if (!taints) return undefined;
  for (const taint of taints) {
    if (options.ignorePreferNoSchedule && taint.effect === 'PreferNoSchedule') continue;
    if (!isTolerated(tolerations, taint)) return taint;
  }
  return undefined;
}

/** True when every taint is tolerated (see `firstUntoleratedTaint`). */
export function toleratesAll(tolerations: readonly Toleration[] | undefined, taints: readonly Taint[] | undefined, options: TaintCheckOptions = {}): boolean {
  return firstUntoleratedTaint(tolerations, taints, options) === undefined;
}

/**
 * Taints that a node carries only while it comes up (the kubelet's and cloud controller's not-ready taints and
 * Karpenter's `karpenter.sh/unregistered`); Karpenter schedules onto in-flight capacity regardless of them.
 */
export const EPHEMERAL_TAINT_KEYS: ReadonlySet<string> = new Set([
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.cloudprovider.kubernetes.io/uninitialized',
  'karpenter.sh/unregistered',
]);

export function isEphemeralTaint(taint: Taint): boolean {
  return EPHEMERAL_TAINT_KEYS.has(taint.key);
}

/** Same key, value and effect (how Kubernetes identifies a taint). */
export function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && (a.value ?? '') === (b.value ?? '') && a.effect === b.effect;
}

/** `key=value:Effect`, or `key:Effect` without a value, as kubectl prints taints. */
export function formatTaint(taint: Taint): string {
  return taint.value ? `${taint.key}=${taint.value}:${taint.effect}` : `${taint.key}:${taint.effect}`;
}
