import {
  applyNodePoolDefaults,
  provisionerToNodePool,
  type Condition,
  type NodePool,
  type OwnerReference,
  type Provisioner,
} from '@karpenter-ts/provisioner-domain';

/** A NodePool the controller provisions for, whichever API object it came from. */
export interface ResolvedNodePool {
  name: string;
  /** karpenter.sh/v1 NodePool with Karpenter's defaults applied (a Provisioner converted first). */
  nodePool: NodePool;
  source: 'NodePool' | 'Provisioner';
  /** Owner reference NodeClaims of this pool carry (the NodePool or the Provisioner). */
  owner: OwnerReference;
  /** `status.conditions` of the source object (ValidationSucceeded, NodeClassReady, Ready; see nodepool.readiness). */
  conditions: readonly Condition[];
}

/**
 * The pools to provision for: every NodePool (defaults applied) and every v1alpha5 Provisioner converted with
 * the domain's `provisionerToNodePool` (ttlSecondsAfterEmpty N → WhenEmpty + consolidateAfter Ns). Objects
 * being deleted are left out. When a NodePool and a Provisioner share a name, the NodePool wins and the
 * Provisioner is reported in `conflicts`.
 */
export function resolveNodePools(nodePools: readonly NodePool[], provisioners: readonly Provisioner[]): { pools: ResolvedNodePool[]; conflicts: string[] } {
  const byName = new Map<string, ResolvedNodePool>();
  const conflicts: string[] = [];
  for (const np of nodePools) {
    if (np.metadata.deletionTimestamp || !np.metadata.name) continue;
    byName.set(np.metadata.name, {
      name: np.metadata.name,
      nodePool: applyNodePoolDefaults(np),
      source: 'NodePool',
      owner: ownerOf(np),
      conditions: np.status?.conditions ?? [],
    });
  }
  for (const p of provisioners) {
    const name = p.metadata.name;
    if (p.metadata.deletionTimestamp || !name) continue;
    if (byName.has(name)) {
      conflicts.push(name);
      continue;
    }
    byName.set(name, { name, nodePool: applyNodePoolDefaults(provisionerToNodePool(p).nodePool), source: 'Provisioner', owner: ownerOf(p), conditions: p.status?.conditions ?? [] });
  }
  return { pools: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), conflicts };
}

function ownerOf(object: NodePool | Provisioner): OwnerReference {
  return {
    apiVersion: object.apiVersion,
    kind: object.kind,
    name: object.metadata.name ?? '',
    uid: object.metadata.uid ?? '',
    blockOwnerDeletion: true,
  };
}

/**
 * The conditions a NodePool's `Ready` depends on, as Karpenter's `NodePool.StatusConditions()`:
 * `ValidationSucceeded` and `NodeClassReady` (written by nodepool.readiness).
 */
export const NODEPOOL_READY_DEPENDENTS = ['ValidationSucceeded', 'NodeClassReady'] as const;

/**
 * Why the provisioner skips `pool` (Karpenter's "ignoring nodepool, not ready"), or `undefined` when its
 * `Ready` condition is True. The text names each condition that is not True with its reason and message,
 * e.g. `NodeClassReady=False (NodeClassNotFound: EC2NodeClass "default" not found on cluster: ...)`.
 */
export function poolNotReadyReason(pool: ResolvedNodePool): string | undefined {
  const ready = pool.conditions.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  if (!ready) return 'no Ready condition yet (nodepool.readiness has not reconciled it)';
  const describe = (c: Condition): string => `${c.type}=${c.status}${c.reason || c.message ? ` (${[c.reason, c.message].filter(Boolean).join(': ')})` : ''}`;
  const failing = pool.conditions.filter((c) => (NODEPOOL_READY_DEPENDENTS as readonly string[]).includes(c.type) && c.status !== 'True');
  return (failing.length > 0 ? failing : [ready]).map(describe).join(', ');
}
