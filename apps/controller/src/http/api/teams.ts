import { UNASSIGNED_TEAM } from '@karpenter-ts/capacity-api';
import type { Namespace, Pod } from '@karpenter-ts/provisioner-domain';
import type { ResolvedNodePool } from '../../state/nodepools.js';

/**
 * The team of a pod: the value of `teamLabelKey` on its namespace, `unassigned` when the namespace has no
 * such label (or is not in the cache).
 */
export function teamOfPod(pod: Pod, namespaceOf: (name: string) => Namespace | undefined, teamLabelKey: string): string {
  const team = namespaceOf(pod.metadata.namespace ?? 'default')?.metadata.labels?.[teamLabelKey];
  return team !== undefined && team !== '' ? team : UNASSIGNED_TEAM;
}

/** The team a NodePool is dedicated to: `teamLabelKey` in its `spec.template.metadata.labels`, else undefined (shared). */
export function teamOfNodePool(pool: ResolvedNodePool, teamLabelKey: string): string | undefined {
  const team = pool.nodePool.spec.template.metadata?.labels?.[teamLabelKey];
  return team !== undefined && team !== '' ? team : undefined;
}
