import type { Condition } from '@karpenter-ts/provisioner-domain';

/** An object with metav1.Conditions in its status (NodeClaim, NodePool). */
export interface WithConditions {
  metadata: { generation?: number };
  status?: { conditions?: Condition[] } | undefined;
}

/** The status a condition has. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** A condition to set (see {@link setCondition}); `observedGeneration` and `lastTransitionTime` are filled in. */
export interface ConditionUpdate {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
}

export function findCondition(object: WithConditions, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(object: WithConditions, type: string): boolean {
  return findCondition(object, type)?.status === 'True';
}

/**
 * Returns `conditions` with `type` set to `status`/`reason`/`message`/`observedGeneration`. `lastTransitionTime`
 * changes only when the status does (metav1 semantics). Returns an equal copy when nothing changed.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: ConditionUpdate & { observedGeneration?: number },
  nowIso: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  if (
    previous &&
    previous.status === next.status &&
    previous.reason === next.reason &&
    (previous.message ?? '') === (next.message ?? '') &&
    previous.observedGeneration === next.observedGeneration
  ) {
    return list;
  }
  const condition: Condition = {
    type: next.type,
    status: next.status,
    reason: next.reason,
    message: next.message ?? '',
    lastTransitionTime: previous && previous.status === next.status ? previous.lastTransitionTime : nowIso,
    ...(next.observedGeneration === undefined ? {} : { observedGeneration: next.observedGeneration }),
  };
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}


/**
 * The root `Ready` condition of a set of dependent conditions, as Karpenter's (operatorpkg `ConditionSet`
 * `recomputeRootCondition`): True (reason `Ready`) when every dependent is True at the object's current
 * `generation`; otherwise False with reason `UnhealthyDependents` when any dependent is False at the current
 * generation, else Unknown with reason `ReconcilingDependents`; the message lists the unhealthy dependents,
 * most recent transition first: `NodeClassReady=False, ValidationSucceeded=Unknown`. A dependent that is
 * missing counts as Unknown.
 */
export function rootReadyCondition(
  conditions: readonly Condition[],
  dependents: readonly string[],
  generation: number | undefined,
): ConditionUpdate & { type: 'Ready'; message: string } {
  const unhealthy = dependents
    .map((type): Condition => conditions.find((c) => c.type === type) ?? { type, status: 'Unknown', lastTransitionTime: '' })
    .filter((c) => c.status !== 'True' || c.observedGeneration !== generation)
    .sort((a, b) => (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? ''));
  if (unhealthy.length === 0) return { type: 'Ready', status: 'True', reason: 'Ready', message: '' };
  const failed = unhealthy.some((c) => c.status === 'False' && c.observedGeneration === generation);
  return {
    type: 'Ready',
    status: failed ? 'False' : 'Unknown',
    reason: failed ? 'UnhealthyDependents' : 'ReconcilingDependents',
    message: unhealthy.map((c) => `${c.type}=${c.status}`).join(', '),
  };
}
