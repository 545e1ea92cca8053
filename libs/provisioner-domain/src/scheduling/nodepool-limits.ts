import type { ResourceList } from '../quantity/resourcelist.js';
import type { ResourceIndex } from './resource-vector.js';
import type { TypeSlot } from './type-slots.js';

/** The pseudo-resource of NodePool limits that counts nodes. */
export const NODES_LIMIT = 'nodes';

/**
 * What is left of one NodePool's `spec.limits` during a round. Karpenter counts the capacity of the pool's
 * nodes against its limits; a planned NodeClaim reserves, per limited resource, the largest capacity among its
 * instance-type options (whichever is launched stays within it) plus one node, and the reservation shrinks as
 * the options narrow. New NodeClaims only keep options whose capacity fits what is left, so a round never
 * plans past a limit (unlike Karpenter, which can overshoot `nodes` within one batch).
 */
export class NodePoolBudget {
  /** Limited resources as [position in the round's index, limit] pairs; position -1 for resources nobody uses. */
  private readonly limited: { name: string; position: number; limit: number }[] = [];
  private readonly nodesLimit: number | undefined;
  /** Usage per limited resource (same order as `limited`), existing nodes + reservations. */
  private readonly used: number[];
  private nodesUsed = 0;

  constructor(limits: ResourceList | undefined, index: ResourceIndex, existingUsage: ResourceList, existingNodes: number) {
    for (const name of Object.keys(limits ?? {}).sort()) {
      if (name === NODES_LIMIT) continue;
      this.limited.push({ name, position: index.position(name) ?? -1, limit: limits?.[name] ?? 0 });
    }
    this.nodesLimit = limits?.[NODES_LIMIT];
    this.used = this.limited.map((l) => existingUsage[l.name] ?? 0);
    this.nodesUsed = existingNodes;
  }

  get unlimited(): boolean {
    return this.limited.length === 0 && this.nodesLimit === undefined;
  }

  /** The first limit a new node would exceed even before choosing a type (`nodes`, or a resource already at its limit). */
  exhausted(): { resource: string; limit: number; inUse: number } | undefined {
    if (this.nodesLimit !== undefined && this.nodesUsed + 1 > this.nodesLimit) return { resource: NODES_LIMIT, limit: this.nodesLimit, inUse: this.nodesUsed };
    for (let i = 0; i < this.limited.length; i++) {
      const l = this.limited[i];
      if (l && (this.used[i] ?? 0) >= l.limit) return { resource: l.name, limit: l.limit, inUse: this.used[i] ?? 0 };
    }
    return undefined;
  }

  /** True when a node of this slot's capacity fits in what is left. */
  admits(slot: TypeSlot): boolean {
    for (let i = 0; i < this.limited.length; i++) {
      const l = this.limited[i];
      if (!l) continue;
      const cap = l.position < 0 ? 0 : (slot.capacity[l.position] as number);
      if ((this.used[i] ?? 0) + cap > l.limit) return false;
    }
    return true;
  }

  /** The limit that rules out the slot, for explanations. */
  blockingLimit(slot: TypeSlot): { resource: string; limit: number; inUse: number } | undefined {
    for (let i = 0; i < this.limited.length; i++) {
      const l = this.limited[i];
      if (!l) continue;
      const cap = l.position < 0 ? 0 : (slot.capacity[l.position] as number);
      if ((this.used[i] ?? 0) + cap > l.limit) return { resource: l.name, limit: l.limit, inUse: this.used[i] ?? 0 };
    }
    return undefined;
  }

  /** A claim's reservation: per limited resource the largest capacity among its slots. */
  reservationOf(slots: readonly TypeSlot[]): number[] {
    return this.limited.map((l) => {
      let max = 0;
      if (l.position >= 0) for (const s of slots) max = Math.max(max, s.capacity[l.position] as number);
      return max;
    });
  }

  /** Gives back a claim's reservation and its node (the claim is dropped from the plan). */
  release(reservation: readonly number[]): void {
    for (let i = 0; i < this.limited.length; i++) this.used[i] = (this.used[i] ?? 0) - (reservation[i] ?? 0);
    this.nodesUsed -= 1;
  }

  /** The current usage, to `restore` when a tentative change of the plan is abandoned. */
  checkpoint(): { used: number[]; nodes: number } {
    return { used: [...this.used], nodes: this.nodesUsed };
  }

  restore(state: { used: readonly number[]; nodes: number }): void {
    for (let i = 0; i < this.used.length; i++) this.used[i] = state.used[i] ?? 0;
    this.nodesUsed = state.nodes;
  }

  /** Replaces a claim's reservation (`before` undefined for a new claim, which also takes a node). */
  reserve(before: readonly number[] | undefined, after: readonly number[]): void {
    for (let i = 0; i < this.limited.length; i++) this.used[i] = (this.used[i] ?? 0) - (before?.[i] ?? 0) + (after[i] ?? 0);
    if (!before) this.nodesUsed += 1;
  }
}
