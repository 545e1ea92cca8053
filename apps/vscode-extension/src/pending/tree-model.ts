/**
 * The "Pending Pods" tree as data: pending pods grouped by the NodePool that could serve them (or "No NodePool
 * can serve these"), then by namespace/owner. Which pods are pending and why they wait come from the domain
 * (`isProvisionable`, `explainPendingPods`); this file only arranges them.
 */
import { defaultCatalog, explainPendingPods, isProvisionable, type InstanceType, type NodePool, type PendingPodExplanation, type Pod } from '@karpenter-ts/provisioner-domain';

export interface PendingTreeNode {
  kind: 'nodePool' | 'owner' | 'pod';
  /** Stable across refreshes (VS Code keeps expansion state by id). */
  id: string;
  label: string;
  description: string;
  tooltip: string;
  children: PendingTreeNode[];
  /** For pods: the sentence "Copy Reason" copies. */
  reason?: string;
}

export const NO_NODEPOOL_LABEL = 'No NodePool can serve these';
export const EXISTING_NODE_LABEL = 'An existing node has room';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function podNode(e: PendingPodExplanation, groupId: string): PendingTreeNode {
  const requests = Object.entries(e.requests)
    .filter(([k]) => k !== 'pods')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const perPool = Object.entries(e.nodePools).map(([np, why]) => `\n• ${np}: ${why}`).join('');
  return {
    kind: 'pod',
    id: `${groupId}/pod/${e.ref}`,
    label: e.pod.metadata.name ?? e.ref,
    description: requests === '' ? 'no requests' : requests,
    tooltip: `${e.ref} (${e.owner})\nRequests: ${requests || 'none'}\n${e.reason}${perPool}`,
    children: [],
    reason: `${e.ref}: ${e.reason}${perPool}`,
  };
}

/**
 * Groups explanations into the tree: NodePool groups by name, then "An existing node has room", then "No NodePool
 * can serve these" last; inside, one node per `namespace/owner` (sorted), then pods by name.
 */
export function pendingTree(explanations: readonly PendingPodExplanation[]): PendingTreeNode[] {
  const groups = new Map<string, { label: string; order: number; items: PendingPodExplanation[] }>();
  for (const e of explanations) {
    const [key, label, order] = e.nodePool !== undefined ? [`np:${e.nodePool}`, `NodePool ${e.nodePool}`, 0] : e.existingNode !== undefined ? ['existing', EXISTING_NODE_LABEL, 1] : ['none', NO_NODEPOOL_LABEL, 2];
    const group = groups.get(key) ?? { label, order, items: [] };
    group.items.push(e);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([ka, a], [kb, b]) => a.order - b.order || (ka < kb ? -1 : 1))
    .map(([key, group]) => {
      const owners = new Map<string, PendingPodExplanation[]>();
      for (const e of group.items) owners.set(`${e.namespace}/${e.owner}`, [...(owners.get(`${e.namespace}/${e.owner}`) ?? []), e]);
      const groupId = `group/${key}`;
      return {
        kind: 'nodePool' as const,
        id: groupId,
        label: group.label,
        description: plural(group.items.length, 'pod'),
        tooltip: `${group.label}: ${plural(group.items.length, 'pending pod')}`,
        children: [...owners.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([owner, items]) => ({
            kind: 'owner' as const,
            id: `${groupId}/owner/${owner}`,
            label: owner,
            description: plural(items.length, 'pod'),
            tooltip: owner,
            children: items.map((e) => podNode(e, groupId)).sort((a, b) => (a.label < b.label ? -1 : 1)),
          })),
      };
    });
}

/**
 * The tree for a cluster's pods and NodePools: the provisionable pods (see `isProvisionable`) explained against
 * the NodePools, each offered `instanceTypes` (default: the simulated default catalog).
 */
export function pendingTreeOf(pods: readonly Pod[], nodePools: readonly NodePool[], instanceTypes: readonly InstanceType[] = defaultCatalog()): PendingTreeNode[] {
  const pending = pods.filter(isProvisionable);
  if (pending.length === 0) return [];
  const explanations = explainPendingPods({
    pods: pending,
    existingNodes: [],
    nodePools,
    instanceTypes: Object.fromEntries(nodePools.map((np) => [np.metadata.name ?? '', instanceTypes])),
  });
  return pendingTree(explanations);
}
