import type { DaemonSet, Pod, Taint } from '../core/types.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { addResources } from '../quantity/resourcelist.js';
import { podHostPorts, type HostPort } from './host-ports.js';
import { podRequests } from './pod-requests.js';
import { requiredNodeAffinityTerms, nodeSelectorRequirements } from './pod-requirements.js';
import type { Requirements } from './requirements.js';
import { toleratesAll } from './taints.js';

/** A DaemonSet reduced to what the scheduler needs: its pod's requests, host ports and node selection. */
export interface DaemonSetPodInfo {
  name: string;
  pod: Pod;
  /** podRequests of the DaemonSet's pod (includes `pods: 1`). */
  requests: ResourceList;
  hostPorts: HostPort[];
  /** nodeSelector ∧ each required node-affinity term (terms ORed); a single entry when there are no terms. */
  alternatives: Requirements[];
}

/** Prepares DaemonSets once per round. @throws QuantityParseError on a malformed quantity. */
export function daemonSetPodInfos(daemonSets: readonly DaemonSet[] | undefined): DaemonSetPodInfo[] {
  return (daemonSets ?? []).map((ds) => {
    const pod: Pod = { metadata: { ...ds.spec.template.metadata, namespace: ds.metadata.namespace }, spec: ds.spec.template.spec };
    const selector = nodeSelectorRequirements(pod);
    const terms = requiredNodeAffinityTerms(pod);
    return {
      name: `${ds.metadata.namespace ?? 'default'}/${ds.metadata.name ?? ''}`,
      pod,
      requests: podRequests(pod),
      hostPorts: podHostPorts(pod),
      alternatives: terms.length === 0 ? [selector] : terms.map((t) => selector.intersect(t)),
    };
  });
}

/**
 * Whether a DaemonSet's pod would run on a node with these taints and requirements: every taint except
 * `PreferNoSchedule` tolerated (startup taints are not passed: they go away), and its node selection
 * compatible with the node's requirements (Karpenter's `Compatible` with undefined well-known labels allowed).
 */
export function daemonSetRunsOn(
  ds: DaemonSetPodInfo,
  taints: readonly Taint[],
  nodeRequirements: Requirements,
  allowUndefined: (key: string) => boolean,
): boolean {
  if (!toleratesAll(ds.pod.spec.tolerations, taints, { ignorePreferNoSchedule: true })) return false;
  return ds.alternatives.some((alt) => nodeRequirements.compatible(alt, allowUndefined) === undefined);
}

/** Total requests and host ports of the DaemonSets that would run on such a node. */
export function daemonSetOverhead(
  daemonSets: readonly DaemonSetPodInfo[],
  taints: readonly Taint[],
  nodeRequirements: Requirements,
  allowUndefined: (key: string) => boolean,
): { requests: ResourceList; hostPorts: HostPort[]; names: string[] } {
  let requests: ResourceList = {};
  const hostPorts: HostPort[] = [];
  const names: string[] = [];
  for (const ds of daemonSets) {
    if (!daemonSetRunsOn(ds, taints, nodeRequirements, allowUndefined)) continue;
    requests = addResources(requests, ds.requests);
    hostPorts.push(...ds.hostPorts);
    names.push(ds.name);
  }
  return { requests, hostPorts, names };
}
