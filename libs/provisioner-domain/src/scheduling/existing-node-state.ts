import type { Pod, Taint } from '../core/types.js';
import { HostPortUsage, podHostPorts } from './host-ports.js';
import { podRequests } from './pod-requests.js';
import { fitsWithin, subtractInto, type ResourceIndex } from './resource-vector.js';
import type { TopologyCandidate, TopologyNode } from './topology/topology.js';
import type { RequirementConflict } from './requirements.js';
import { Requirements } from './requirements.js';
import type { ExistingNode } from './types.js';
import { isEphemeralTaint, sameTaint } from './taints.js';
import { normalizeNodeLabels } from './well-known-labels.js';

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
  /** An in-flight NodeClaim's requirements ∩ its labels, narrowed by every pod placed on it; `undefined` for a registered node. */
  private requirements: Requirements | undefined;

  constructor(node: ExistingNode, index: ResourceIndex, startupTaints: readonly Taint[]) {
    this.node = node;
    this.labels = normalizeNodeLabels(node.labels);
    this.taints = node.initialized ? node.taints : node.taints.filter((t) => !isEphemeralTaint(t) && !startupTaints.some((s) => sameTaint(s, t)));
    this.free = index.vector(node.allocatable);
    this.hostPorts = new HostPortUsage();
    this.requirements = node.requirements ? Requirements.fromNodeSelectorRequirements(node.requirements).intersect(Requirements.fromLabels(this.labels)) : undefined;
    for (const pod of node.pods) {
      subtractInto(this.free, index.vector(podRequests(pod)));
      this.hostPorts.add(podHostPorts(pod));
    }
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
