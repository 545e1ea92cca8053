import type { Pod, Taint } from '../core/types.js';
import { HostPortUsage } from './host-ports.js';
import type { NodeClaimTemplate } from './nodeclaim-template.js';
import type { NodePoolBudget } from './nodepool-limits.js';
import { addInto } from './resource-vector.js';
import type { Requirements } from './requirements.js';
import type { PodInfo } from './pod-info.js';
import type { TopologyCandidate, TopologyNode } from './topology/topology.js';
import type { TopologyTerm } from './topology/topology-term.js';
import { headroom, type TypeSlot } from './type-slots.js';

/** `hostname-placeholder-0001` for the first NodeClaim planned in a round (position 0). */
export function placeholderHostname(position: number): string {
  return `hostname-placeholder-${String(position + 1).padStart(4, '0')}`;
}

/** A NodePool as the round uses it: its template, typed slots, limits budget, and the hostnames it hands out. */
export interface TemplateState {
  readonly template: NodeClaimTemplate;
  readonly slots: readonly TypeSlot[];
  readonly budget: NodePoolBudget;
}

/**
 * A pod on a planned NodeClaim as it was placed: its round data, its requests as a vector of the round's index,
 * and the topology terms enforced when it was placed (required ones plus the preferences still respected).
 */
export interface ClaimMember {
  readonly info: PodInfo;
  readonly requests: Float64Array;
  readonly terms: readonly TopologyTerm[];
}

/**
 * A NodeClaim being planned this round (Karpenter's in-flight `NodeClaim` of its scheduler): requirements
 * narrowed by every pod added, the instance types that still fit all of them (with DaemonSet overhead), the
 * sum of their requests, host ports, and its limits reservation.
 */
export class PlannedClaim implements TopologyNode {
  readonly state: TemplateState;
  /** Unique placeholder for `kubernetes.io/hostname` (a hostname topology domain of its own). */
  hostname: string;
  /** Creation order in the round. */
  readonly seq: number;
  requirements: Requirements;
  slots: readonly TypeSlot[];
  /** Sum of the pods' requests (DaemonSet overhead is inside each slot's `available`). */
  readonly used: Float64Array;
  /** Max over slots of available − used. */
  headroom: Float64Array;
  readonly pods: Pod[] = [];
  /** The pods with what placed them, in placement order (parallel to `pods`). */
  readonly members: ClaimMember[] = [];
  readonly hostPorts: HostPortUsage;
  reservation: number[];

  constructor(args: {
    state: TemplateState;
    hostname: string;
    seq: number;
    requirements: Requirements;
    slots: readonly TypeSlot[];
    size: number;
    hostPorts: HostPortUsage;
    /** Pods whose fit with these requirements and slots was checked as a whole (the cost-aware packing pass). */
    members?: readonly ClaimMember[];
  }) {
    this.state = args.state;
    this.hostname = args.hostname;
    this.seq = args.seq;
    this.requirements = args.requirements;
    this.slots = args.slots;
    this.used = new Float64Array(args.size);
    this.hostPorts = args.hostPorts;
    for (const member of args.members ?? []) {
      addInto(this.used, member.requests);
      this.hostPorts.add(member.info.hostPorts);
      this.pods.push(member.info.pod);
      this.members.push(member);
    }
    this.headroom = headroom(args.slots, this.used, args.size);
    this.reservation = args.state.budget.reservationOf(args.slots);
    args.state.budget.reserve(undefined, this.reservation);
  }

  get topologyTaints(): readonly Taint[] {
    return this.state.template.taints;
  }

  topologyCandidate(): TopologyCandidate {
    return { kind: 'claim', requirements: this.requirements };
  }

  /** Adds a pod whose fit was checked: narrows requirements and slots, updates usage and the limits reservation. */
  commit(member: ClaimMember, requirements: Requirements, slots: readonly TypeSlot[]): void {
    this.requirements = requirements;
    addInto(this.used, member.requests);
    if (slots !== this.slots) {
      this.slots = slots;
      const reservation = this.state.budget.reservationOf(slots);
      this.state.budget.reserve(this.reservation, reservation);
      this.reservation = reservation;
    }
    this.headroom = headroom(this.slots, this.used, this.used.length);
    this.hostPorts.add(member.info.hostPorts);
    this.pods.push(member.info.pod);
    this.members.push(member);
  }
}
