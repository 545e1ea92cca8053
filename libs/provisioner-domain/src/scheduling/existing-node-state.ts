import type { Pod, Taint } from '../core/types.js';
import { HostPortUsage, podHostPorts, type HostPort } from './host-ports.js';
import { podRequests } from './pod-requests.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { fitsWithin, subtractInto, type ResourceIndex } from './resource-vector.js';
import type { TopologyCandidate, TopologyNode, TopologyPod } from './topology/topology.js';
import type { RequirementConflict } from './requirements.js';
import { Requirements } from './requirements.js';
import type { ExistingNode } from './types.js';
import { isEphemeralTaint, sameTaint } from './taints.js';
import { normalizeNodeLabels } from './well-known-labels.js';

/**
 * What the pods of one node take and show to topology: each pod's requests (in pod order), every host port they
 * bind, each pod as topology counts it, and which pods own a required pod anti-affinity term.
 */
export interface PodsUsage {
  requests: readonly ResourceList[];
  hostPorts: readonly HostPort[];
  topologyPods: readonly TopologyPod[];
  /** Per pod (in pod order): whether it has a required pod anti-affinity term; `undefined` when none has. */
  requiredAntiAffinity: readonly boolean[] | undefined;
}

/**
 * Usage per pods array, so that rounds over the same nodes (consolidation simulates one cluster many times) read
 * each node's pods once. Keyed by the array: a node whose pods change gets a new array (`ExistingNode.pods` is
 * read-only, and pods are values, see `podRequests`); a WeakMap, so an entry goes with its array.
 */
const usageByPods = new WeakMap<readonly Pod[], PodsUsage>();

/** @throws QuantityParseError on a malformed pod quantity (nothing is remembered then). */
export function podsUsage(pods: readonly Pod[]): PodsUsage {
  const known = usageByPods.get(pods);
  if (known) return known;
  const requests: ResourceList[] = [];
  const hostPorts: HostPort[] = [];
  const topologyPods: TopologyPod[] = [];
  const anti: boolean[] = [];
  let anyAnti = false;
  for (const pod of pods) {
    requests.push(podRequests(pod));
    for (const port of podHostPorts(pod)) hostPorts.push(port);
    topologyPods.push({ namespace: pod.metadata.namespace ?? 'default', labels: pod.metadata.labels ?? {} });
    const has = (pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.length ?? 0) > 0;
    anti.push(has);
    anyAnti ||= has;
  }
  const usage: PodsUsage = { requests, hostPorts, topologyPods, requiredAntiAffinity: anyAnti ? anti : undefined };
  usageByPods.set(pods, usage);
  return usage;
}

/**
 * An existing node (or in-flight NodeClaim) during one round: free resources after its pods, host ports in use,
 * the taints that constrain scheduling (a node that is not initialized yet ignores its ephemeral taints and its
 * NodePool's startup taints, as Karpenter does), and the pods placed on it this round.
 */
export class ExistingNodeState implements TopologyNode {
  readonly node: ExistingNode;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  /** allocatable − requests of pods already there − pods placed this round. */
  readonly free: Float64Array;
  readonly hostPorts: HostPortUsage;
  readonly placed: Pod[] = [];
  /** What the pods already there take (shared between rounds; read only). */
  readonly usage: PodsUsage;
  /** An in-flight NodeClaim's requirements ∩ its labels, narrowed by every pod placed on it; `undefined` for a registered node. */
  private requirements: Requirements | undefined;

  constructor(node: ExistingNode, index: ResourceIndex, startupTaints: readonly Taint[]) {
    this.node = node;
    this.labels = normalizeNodeLabels(node.labels);
    this.taints = node.initialized ? node.taints : node.taints.filter((t) => !isEphemeralTaint(t) && !startupTaints.some((s) => sameTaint(s, t)));
    this.free = index.vector(node.allocatable);
    this.requirements = node.requirements ? Requirements.fromNodeSelectorRequirements(node.requirements).intersect(Requirements.fromLabels(this.labels)) : undefined;
    this.usage = podsUsage(node.pods);
    for (const requests of this.usage.requests) index.subtractList(this.free, requests);
    this.hostPorts = new HostPortUsage(this.usage.hostPorts);
  }

  get topologyTaints(): readonly Taint[] {
    return this.taints;
  }

  topologyCandidate(): TopologyCandidate {
    return { kind: 'node', labels: this.labels };
  }

  fits(requests: Float64Array): boolean {
    return fitsWithin(requests, this.free);
  }

  /**
   * Whether a pod with these node requirements may go here: a registered node's labels must satisfy them
   * (kube-scheduler's rule); an in-flight NodeClaim's requirements must be compatible with them (every key the
   * pod requires is constrained by the NodeClaim and some value satisfies both; Karpenter's `Compatible`).
   * Returns the first conflict, else `undefined`.
   */
  admits(podRequirements: Requirements): RequirementConflict | undefined {
    if (!this.requirements) return podRequirements.matchLabels(this.labels);
    return this.requirements.compatible(podRequirements, () => false);
  }

  /** Places the pod; an in-flight NodeClaim's requirements narrow to what the pod needs. */
  place(pod: Pod, requests: Float64Array, podRequirements?: Requirements): void {
    subtractInto(this.free, requests);
    this.placed.push(pod);
    if (this.requirements && podRequirements) this.requirements = this.requirements.intersect(podRequirements);
  }
}
