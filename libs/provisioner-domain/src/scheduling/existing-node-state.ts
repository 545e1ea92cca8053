import type { Pod, Taint } from '../core/types.js';
import { HostPortUsage, podHostPorts } from './host-ports.js';
import { podRequests } from './pod-requests.js';
import { fitsWithin, subtractInto, type ResourceIndex } from './resource-vector.js';
import type { TopologyCandidate, TopologyNode } from './topology/topology.js';
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

  constructor(node: ExistingNode, index: ResourceIndex, startupTaints: readonly Taint[]) {
    this.node = node;
    this.labels = normalizeNodeLabels(node.labels);
    this.taints = node.initialized ? node.taints : node.taints.filter((t) => !isEphemeralTaint(t) && !startupTaints.some((s) => sameTaint(s, t)));
    this.free = index.vector(node.allocatable);
    this.hostPorts = new HostPortUsage();
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

  place(pod: Pod, requests: Float64Array): void {
    subtractInto(this.free, requests);
    this.placed.push(pod);
  }
}
