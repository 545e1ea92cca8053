import type { Condition } from '@karpenter-ts/provisioner-domain';

/** An object with metav1.Conditions in its status (NodeClaim, NodePool). */
export interface WithConditions {
  metadata: { generation?: number };
  status?: { conditions?: Condition[] } | undefined;
}

export function findCondition(object: WithConditions, type: string): Condition | undefined {
  return object.status?.conditions?.find((c) => c.type === type);
}

export function isConditionTrue(object: WithConditions, type: string): boolean {
  return findCondition(object, type)?.status === 'True';
}

/**
 * Returns `conditions` with `type` set to `status`/`reason`/`message`. `lastTransitionTime` changes only
 * when the status does (metav1 semantics). Returns the same array when nothing changed.
 */
export function setCondition(
  conditions: readonly Condition[] | undefined,
  next: { type: string; status: 'True' | 'False' | 'Unknown'; reason: string; message?: string; observedGeneration?: number },
  nowIso: string,
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  if (previous && previous.status === next.status && previous.reason === next.reason && (previous.message ?? '') === (next.message ?? '')) {
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
