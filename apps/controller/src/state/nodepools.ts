import {
  applyNodePoolDefaults,
  provisionerToNodePool,
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
    });
  }
  for (const p of provisioners) {
    const name = p.metadata.name;
    if (p.metadata.deletionTimestamp || !name) continue;
    if (byName.has(name)) {
      conflicts.push(name);
      continue;
    }
    byName.set(name, { name, nodePool: applyNodePoolDefaults(provisionerToNodePool(p).nodePool), source: 'Provisioner', owner: ownerOf(p) });
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
