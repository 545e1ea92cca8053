import type { Toleration } from '../core/types.js';
import type { PodInfo } from './pod-info.js';
import { Requirements } from './requirements.js';
import type { TopologyTerm } from './topology/topology-term.js';

/**
 * Which of a pod's soft constraints are still treated as hard. Karpenter schedules with preferences as if they
 * were required and relaxes them one at a time when the pod does not fit (Karpenter's `Preferences.Relax`).
 */
export interface PodPreferences {
  /** Required node-affinity terms dropped from the front (the next term is used). */
  readonly droppedRequiredTerms: number;
  /** Preferred node-affinity terms dropped, heaviest first. */
  readonly droppedPreferredNodeTerms: number;
  readonly preferredAffinity: readonly TopologyTerm[];
  readonly preferredAntiAffinity: readonly TopologyTerm[];
  /** ScheduleAnyway spreads still enforced. */
  readonly scheduleAnywaySpreads: readonly TopologyTerm[];
  readonly toleratePreferNoSchedule: boolean;
}

export type PreferencePolicy = 'Respect' | 'Ignore';

/** The starting point: everything enforced (`Respect`), or every preference dropped up front (`Ignore`). */
export function initialPreferences(info: PodInfo, policy: PreferencePolicy): PodPreferences {
  const respect = policy === 'Respect';
  return {
    droppedRequiredTerms: 0,
    droppedPreferredNodeTerms: respect ? 0 : info.preferredNodeTerms.length,
    preferredAffinity: respect ? info.affinity.preferred : [],
    preferredAntiAffinity: respect ? info.antiAffinity.preferred : [],
    scheduleAnywaySpreads: respect ? info.spreads.filter((s) => s.preferred) : [],
    toleratePreferNoSchedule: false,
  };
}

/**
 * One relaxation step, in Karpenter's order: drop the first required node-affinity term (when another remains),
 * then the heaviest preferred pod affinity, the heaviest preferred pod anti-affinity, the heaviest preferred
 * node affinity, one ScheduleAnyway spread, and finally tolerate PreferNoSchedule taints. Returns the relaxed
 * preferences and what was relaxed, or `undefined` when nothing is left to relax.
 */
export function relax(info: PodInfo, p: PodPreferences): { preferences: PodPreferences; relaxed: string } | undefined {
  if (info.requiredTerms.length - p.droppedRequiredTerms > 1) {
    return { preferences: { ...p, droppedRequiredTerms: p.droppedRequiredTerms + 1 }, relaxed: 'required node affinity term' };
  }
  if (p.preferredAffinity.length > 0) return { preferences: { ...p, preferredAffinity: p.preferredAffinity.slice(1) }, relaxed: 'preferred pod affinity' };
  if (p.preferredAntiAffinity.length > 0) return { preferences: { ...p, preferredAntiAffinity: p.preferredAntiAffinity.slice(1) }, relaxed: 'preferred pod anti-affinity' };
  if (info.preferredNodeTerms.length > p.droppedPreferredNodeTerms) {
    return { preferences: { ...p, droppedPreferredNodeTerms: p.droppedPreferredNodeTerms + 1 }, relaxed: 'preferred node affinity' };
  }
  if (p.scheduleAnywaySpreads.length > 0) return { preferences: { ...p, scheduleAnywaySpreads: p.scheduleAnywaySpreads.slice(1) }, relaxed: 'ScheduleAnyway topology spread' };
  if (!p.toleratePreferNoSchedule) return { preferences: { ...p, toleratePreferNoSchedule: true }, relaxed: 'PreferNoSchedule taints' };
  return undefined;
}

/**
 * Node requirements under these preferences: nodeSelector ∧ current required term ∧ current preferred term ∧
 * `volume` (one of the alternatives of the pod's volume topology; none when omitted).
 */
export function effectiveNodeRequirements(info: PodInfo, p: PodPreferences, volume: Requirements = Requirements.EMPTY): Requirements {
  let reqs = info.nodeSelector;
  const term = info.requiredTerms[p.droppedRequiredTerms];
  if (term) reqs = reqs.intersect(term);
  const preferred = info.preferredNodeTerms[p.droppedPreferredNodeTerms];
  if (preferred) reqs = reqs.intersect(preferred.requirements);
  reqs = reqs.intersect(volume);
  return reqs === Requirements.EMPTY ? Requirements.EMPTY : reqs;
}

const TOLERATE_PREFER_NO_SCHEDULE: Toleration = { operator: 'Exists', effect: 'PreferNoSchedule' };

/** The pod's tolerations under these preferences. */
export function effectiveTolerations(info: PodInfo, p: PodPreferences): readonly Toleration[] {
  const own = info.pod.spec.tolerations ?? [];
  return p.toleratePreferNoSchedule ? [...own, TOLERATE_PREFER_NO_SCHEDULE] : own;
}

/** Topology terms enforced under these preferences. */
export function effectiveTopologyTerms(info: PodInfo, p: PodPreferences): TopologyTerm[] {
  return [
    ...info.spreads.filter((s) => !s.preferred),
    ...p.scheduleAnywaySpreads,
    ...info.affinity.required,
    ...p.preferredAffinity,
    ...info.antiAffinity.required,
    ...p.preferredAntiAffinity,
  ];
}
