import type { CapacityType, InstanceType, Offering } from './types.js';

/** Launch preference among capacity types: reserved, then spot, then on-demand (lower is preferred). */
export const CAPACITY_TYPE_PREFERENCE: Readonly<Record<CapacityType, number>> = { reserved: 0, spot: 1, 'on-demand': 2 };

/** Offerings with capacity. */
export function availableOfferings(instanceType: InstanceType): Offering[] {
  return instanceType.offerings.filter((o) => o.available);
}

/** The lowest price among the available offerings accepted by `accept`, or `undefined` when none. */
export function cheapestOffering(offerings: readonly Offering[], accept: (offering: Offering) => boolean = () => true): Offering | undefined {
  let best: Offering | undefined;
  for (const o of offerings) {
    if (!o.available || !accept(o)) continue;
    if (!best || o.pricePerHour < best.pricePerHour || (o.pricePerHour === best.pricePerHour && compareOfferingKey(o, best) < 0)) best = o;
  }
  return best;
}

/** Deterministic tie-break between equally priced offerings: capacity-type preference, then zone name. */
export function compareOfferingKey(a: Offering, b: Offering): number {
  return CAPACITY_TYPE_PREFERENCE[a.capacityType] - CAPACITY_TYPE_PREFERENCE[b.capacityType] || (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0);
}
