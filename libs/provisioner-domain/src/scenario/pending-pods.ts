/**
 * Pending pods as a person watching a cluster sees them: which pods wait for capacity, which NodePool could
 * serve each of them, and why each one waits, from the scheduling simulation and its explanations.
 */
import type { Pod } from '../core/types.js';
import { schedule } from '../scheduling/schedule.js';
import type { SchedulingOptions, SchedulingSnapshot } from '../scheduling/types.js';
import { formatRequests, podRef } from './format.js';
import { podRequests } from '../scheduling/pod-requests.js';

/** The owner a person names a pod by: its controller owner reference (`ReplicaSet/web-7d9f`), else `Pod/<name>`. */
export function podOwnerRef(pod: Pod): string {
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
  return owner ? `${owner.kind}/${owner.name}` : `Pod/${pod.metadata.name ?? ''}`;
}

/** One pending pod, explained. */
export interface PendingPodExplanation {
  pod: Pod;
  /** `namespace/name`. */
  ref: string;
  namespace: string;
  /** See `podOwnerRef`. */
  owner: string;
  /** The pod's effective requests as Kubernetes quantity text, `{cpu: "500m", memory: "1Gi"}` (init containers and overhead counted). */
  requests: Record<string, string>;
  /** The NodePool whose NodeClaim the simulation puts the pod on; `undefined` when no NodePool can serve it (or an existing node takes it). */
  nodePool?: string;
  /** The existing node the simulation puts the pod on, when one has room (kube-scheduler has not bound it yet). */
  existingNode?: string;
  /** One sentence: why the pod waits and what would serve it. */
  reason: string;
  /** Per NodePool name, the first constraint that excluded the pod (empty when a NodePool can serve it). */
  nodePools: Record<string, string>;
}

/**
 * Explains every pod of `snapshot.pods` (the caller passes the pending ones, see `scheduling/provisionable.ts` `isProvisionable`) with one
 * scheduling simulation: a pod the simulation places on a NodeClaim waits for that NodePool to launch a node
 * ("waits for a node: NodePool default can launch c6i.large (spot, us-east-1a) for it"); a pod placed on an
 * existing node waits for kube-scheduler; a pod nobody can take waits for a change, with the reason from the
 * domain's explanations and one reason per NodePool. Output in the snapshot's pod order. Pure.
 */
export function explainPendingPods(snapshot: SchedulingSnapshot, options: SchedulingOptions = {}): PendingPodExplanation[] {
  const result = schedule(snapshot, options);
  const byUid = new Map<string, Omit<PendingPodExplanation, 'pod' | 'ref' | 'namespace' | 'owner' | 'requests'>>();
  const key = (pod: Pod): string => pod.metadata.uid ?? podRef(pod);
  for (const claim of result.nodeClaims) {
    const l = claim.launch;
    const options = claim.instanceTypeOptions.length;
    const reason = `No existing node has room; NodePool ${claim.nodePoolName} can launch ${l.instanceType} (${l.capacityType}, ${l.zone}, $${l.pricePerHour.toFixed(4)}/h${options > 1 ? `, or ${options - 1} other type${options > 2 ? 's' : ''}` : ''}) for it.`;
    for (const pod of claim.pods) byUid.set(key(pod), { nodePool: claim.nodePoolName, reason, nodePools: {} });
  }
  for (const node of result.existingNodes) {
    for (const pod of node.pods) byUid.set(key(pod), { existingNode: node.name, reason: `Node ${node.name} has room for it; kube-scheduler has not bound it yet.`, nodePools: {} });
  }
  for (const u of result.unschedulable) byUid.set(key(u.pod), { reason: u.reason, nodePools: { ...u.nodePools } });
  return snapshot.pods.map((pod) => {
    let requests: Record<string, string>;
    try {
      requests = formatRequests(podRequests(pod));
    } catch {
      requests = {};
    }
    const found = byUid.get(key(pod)) ?? { reason: 'The simulation did not place it.', nodePools: {} };
    return { pod, ref: podRef(pod), namespace: pod.metadata.namespace ?? 'default', owner: podOwnerRef(pod), requests, ...found };
  });
}
