/**
 * Why pending pods wait: the provisioner's own scheduling simulation (the domain's `schedule` over the
 * cluster state, as `controllers/provisioning/provisioner.ts` runs it) without creating anything. A pod the
 * simulation places on an existing node or an in-flight NodeClaim waits for that capacity; one placed on a
 * new NodeClaim waits for the next provisioning round; one left unschedulable carries the per-NodePool
 * reasons the provisioner also reports in its FailedScheduling events.
 */
import type { PendingPod } from '@karpenter-ts/capacity-api';
import { formatRequests, podRequests, schedule, type InstanceType, type Namespace, type Pod, type ResourceList } from '@karpenter-ts/provisioner-domain';
import { readyPools } from '../../controllers/provisioning/provisioner.js';
import type { ClusterState } from '../../state/cluster.js';
import type { ResolvedNodePool } from '../../state/nodepools.js';
import { podKey } from '../../state/pods.js';
import { buildSchedulingSnapshot } from '../../state/snapshot.js';
import { teamOfPod } from './teams.js';

export interface PendingInput {
  state: ClusterState;
  pools: readonly ResolvedNodePool[];
  /** Instance types per NodePool name. */
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
  teamLabelKey: string;
}

/** Requests per cached pod object: informer caches replace an object on every change, never mutate it. */
const requestsByPod = new WeakMap<Pod, ResourceList>();

/**
 * A pod's requests as the scheduler counts them; `{pods: 1}` when a quantity does not parse. Memoised per
 * pod object (cached objects are immutable), so repeated API reads do not parse quantities again.
 */
export function safePodRequests(pod: Pod): ResourceList {
  let requests = requestsByPod.get(pod);
  if (requests === undefined) {
    try {
      requests = podRequests(pod);
    } catch {
      requests = { pods: 1 };
    }
    requestsByPod.set(pod, requests);
  }
  return requests;
}

/** Every pending pod with why it waits, ordered by namespace then name. */
export function explainPending(input: PendingInput): PendingPod[] {
  const pods = input.state.pendingPods();
  if (pods.length === 0) return [];
  const { pools, ignored } = readyPools(input.pools);
  const instanceTypes: Record<string, readonly InstanceType[]> = {};
  for (const pool of pools) instanceTypes[pool.name] = input.instanceTypes[pool.name] ?? [];
  const snapshot = buildSchedulingSnapshot({ state: input.state, pods, pools, instanceTypes });
  const result = schedule(snapshot, {});
  const why = new Map<string, { reason: string; nodePools: Record<string, string>; nominatedTo?: string }>();
  for (const existing of result.existingNodes) {
    for (const pod of existing.pods) {
      why.set(podKey(pod), { reason: `fits on ${existing.name}, which is not ready yet; waiting for it`, nodePools: {}, nominatedTo: existing.name });
    }
  }
  for (const claim of result.nodeClaims) {
    const offer = claim.instanceTypeOptions[0];
    for (const pod of claim.pods) {
      why.set(podKey(pod), {
        reason: `a new node of NodePool "${claim.nodePoolName}"${offer ? ` (${offer})` : ''} fits it; the provisioner launches it in its next round`,
        nodePools: {},
      });
    }
  }
  const notTried = ignored.map(({ name, reason }) => [name, `not considered, the NodePool is not ready: ${reason}`] as const);
  for (const u of result.unschedulable) {
    why.set(podKey(u.pod), { reason: u.reason, nodePools: { ...u.nodePools, ...Object.fromEntries(notTried) } });
  }
  const namespaceOf = (name: string): Namespace | undefined => input.state.namespace(name);
  return pods
    .map((pod): PendingPod => {
      const found = why.get(podKey(pod)) ?? { reason: 'waiting for the next provisioning round', nodePools: {} };
      const created = pod.metadata.creationTimestamp;
      return {
        namespace: pod.metadata.namespace ?? 'default',
        name: pod.metadata.name ?? '',
        team: teamOfPod(pod, namespaceOf, input.teamLabelKey),
        requests: formatRequests(safePodRequests(pod)),
        ...(created ? { createdAt: String(created) } : {}),
        reason: found.reason,
        nodePools: found.nodePools,
        ...(found.nominatedTo ? { nominatedTo: found.nominatedTo } : {}),
      };
    })
    .sort((a, b) => (a.namespace === b.namespace ? cmp(a.name, b.name) : cmp(a.namespace, b.namespace)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
