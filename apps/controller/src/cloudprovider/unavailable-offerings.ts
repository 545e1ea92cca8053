import type { InstanceType } from '@karpenter-ts/provisioner-domain';
import { systemClock, type Clock } from '../kube/clock.js';

/** One offering: an instance type in a zone with a capacity type. */
export interface OfferingKey {
  instanceType: string;
  zone: string;
  capacityType: string;
}

/** How long an offering that failed with insufficient capacity stays unavailable, ms (Karpenter AWS: 3 min). */
export const UNAVAILABLE_OFFERINGS_TTL_MS = 180_000;

/**
 * The unavailable-offerings (ICE) cache the CloudProvider port promises, shared by every provider of this
 * process (Karpenter AWS's `cache.UnavailableOfferings`: `MarkUnavailable` on an InsufficientInstanceCapacity
 * answer, entries expire after 3 minutes, and `GetInstanceTypes` reports those offerings unavailable so the
 * scheduler plans around them). A provider marks the offerings a capacity error named; `apply` rewrites the
 * instance types it returns; `isUnavailable` lets `create` skip them. Expired entries are dropped as they are read.
 */
export class UnavailableOfferings {
  private readonly until = new Map<string, number>();
  private readonly clock: Clock;
  private readonly ttlMs: number;

  constructor(options: { clock?: Clock; ttlMs?: number } = {}) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? UNAVAILABLE_OFFERINGS_TTL_MS;
  }

  /** Marks offerings unavailable for the TTL (from now; marking again extends it). */
  markUnavailable(...offerings: readonly OfferingKey[]): void {
    const untilMs = this.clock.now() + this.ttlMs;
    for (const o of offerings) this.until.set(key(o), untilMs);
  }

  /** True while the offering's entry has not expired. */
  isUnavailable(offering: OfferingKey): boolean {
    const k = key(offering);
    const untilMs = this.until.get(k);
    if (untilMs === undefined) return false;
    if (untilMs > this.clock.now()) return true;
    this.until.delete(k);
    return false;
  }

  /** The instance types with every cached offering set `available: false` (a new array; inputs untouched). */
  apply(instanceTypes: readonly InstanceType[]): InstanceType[] {
    if (this.until.size === 0) return [...instanceTypes];
    return instanceTypes.map((it) => {
      if (!it.offerings.some((o) => o.available && this.isUnavailable({ instanceType: it.name, zone: o.zone, capacityType: o.capacityType }))) return it;
      return { ...it, offerings: it.offerings.map((o) => (o.available && this.isUnavailable({ instanceType: it.name, zone: o.zone, capacityType: o.capacityType }) ? { ...o, available: false } : o)) };
    });
  }
}

const key = (o: OfferingKey): string => `${o.instanceType}:${o.zone}:${o.capacityType}`;
