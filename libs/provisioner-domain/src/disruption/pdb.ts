/**
 * PodDisruptionBudgets as the disruption planner reads them: how many more pods each allows to be evicted now,
 * and the first PDB that blocks a node (Karpenter's `pdb.Limits.CanEvictPods`).
 */
import type { Pod, PodDisruptionBudget } from '../core/types.js';
import { compileSelector, type CompiledSelector } from '../scheduling/label-selector.js';
import { isActivePod, podName } from './pods.js';

/** One PDB with the number of evictions it allows now. */
export interface PdbAllowance {
  pdb: PodDisruptionBudget;
  /** `namespace/name`. */
  name: string;
  /** Evictions allowed now: `status.disruptionsAllowed` when the PDB has a status, else computed from the pods. */
  disruptionsAllowed: number;
}

const nameOf = (pdb: PodDisruptionBudget): string => `${pdb.metadata.namespace ?? 'default'}/${pdb.metadata.name ?? ''}`;

/** `3`, or `50%` of `total` rounded up (Kubernetes rounds PDB percentages up). */
function scaled(value: number | string, total: number): number {
  if (typeof value === 'number') return value;
  const percent = /^([0-9]+)%$/.exec(value);
  if (percent) return Math.ceil((Number(percent[1]) * total) / 100);
  return /^[0-9]+$/.test(value) ? Number(value) : 0;
}

const isHealthy = (pod: Pod): boolean => isActivePod(pod) && (pod.status?.phase === undefined || pod.status.phase === 'Running');

/**
 * The PDBs of a cluster with what they allow now. With a `status` (from the API server's disruption
 * controller) its `disruptionsAllowed` is used as is; without (a scenario's PDB), it is computed as the
 * disruption controller would from `pods` (every pod of the cluster): expected = active pods the selector picks
 * in the PDB's namespace, healthy = those Running (or without a phase); `minAvailable` allows
 * `healthy - minAvailable`, `maxUnavailable` allows `maxUnavailable - (expected - healthy)`, never below 0
 * (percentages of expected, rounded up). A PDB without a selector selects nothing; `{}` selects every pod of
 * its namespace.
 */
export class PdbIndex {
  private readonly entries: { allowance: PdbAllowance; selector: CompiledSelector; namespace: string }[] = [];

  constructor(pdbs: readonly PodDisruptionBudget[], pods: readonly Pod[]) {
    for (const pdb of pdbs) {
      if (!pdb.spec.selector) continue;
      const namespace = pdb.metadata.namespace ?? 'default';
      const selector = compileSelector(pdb.spec.selector);
      let disruptionsAllowed = pdb.status?.disruptionsAllowed;
      if (disruptionsAllowed === undefined) {
        const selected = pods.filter((p) => (p.metadata.namespace ?? 'default') === namespace && isActivePod(p) && selector.matches(p.metadata.labels ?? {}));
        const expected = selected.length;
        const healthy = selected.filter(isHealthy).length;
        if (pdb.spec.maxUnavailable !== undefined) disruptionsAllowed = scaled(pdb.spec.maxUnavailable, expected) - (expected - healthy);
        else if (pdb.spec.minAvailable !== undefined) disruptionsAllowed = healthy - scaled(pdb.spec.minAvailable, expected);
        else disruptionsAllowed = 0;
      }
      this.entries.push({ allowance: { pdb, name: nameOf(pdb), disruptionsAllowed: Math.max(0, disruptionsAllowed) }, selector, namespace });
    }
  }

  /** The PDBs that select the pod. */
  selecting(pod: Pod): PdbAllowance[] {
    const namespace = pod.metadata.namespace ?? 'default';
    const labels = pod.metadata.labels ?? {};
    return this.entries.filter((e) => e.namespace === namespace && e.selector.matches(labels)).map((e) => e.allowance);
  }

  /**
   * Why evicting these pods is refused now, or `undefined`: the first pod selected by a PDB that allows no
   * disruption, or by more than one PDB (the Eviction API refuses those), as a sentence naming both.
   */
  blocking(pods: readonly Pod[]): string | undefined {
    if (this.entries.length === 0) return undefined;
    for (const pod of pods) {
      const selecting = this.selecting(pod);
      if (selecting.length > 1) return `pod ${podName(pod)} is selected by more than one PodDisruptionBudget (${selecting.map((s) => s.name).join(', ')}), which the Eviction API refuses`;
      const zero = selecting.find((s) => s.disruptionsAllowed === 0);
      if (zero) return `PodDisruptionBudget ${zero.name} allows 0 disruptions (pod ${podName(pod)})`;
    }
    return undefined;
  }
}
