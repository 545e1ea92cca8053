import type { InstanceType, Offering } from '../instancetypes/types.js';
import { CAPACITY_TYPE_PREFERENCE } from '../instancetypes/offerings.js';
import type { Requirements } from './requirements.js';
import { LABEL_CAPACITY_TYPE, LABEL_TOPOLOGY_ZONE } from './well-known-labels.js';

/** True when the offering is available and its zone and capacity type are allowed by the requirements. */
export function offeringAllowed(offering: Offering, requirements: Requirements): boolean {
  return offeringFilter(requirements)(offering);
}

/** `offeringAllowed` with the requirement lookups done once, for loops over many offerings. */
export function offeringFilter(requirements: Requirements): (offering: Offering) => boolean {
  const zone = requirements.get(LABEL_TOPOLOGY_ZONE);
  const capacityType = requirements.get(LABEL_CAPACITY_TYPE);
  return (o) => o.available && (!zone || zone.has(o.zone)) && (!capacityType || capacityType.has(o.capacityType));
}

/** The available offerings of the type that the requirements allow. */
export function allowedOfferings(instanceType: InstanceType, requirements: Requirements): Offering[] {
  return instanceType.offerings.filter((o) => offeringAllowed(o, requirements));
}

/**
 * Whether an instance type can satisfy the requirements (Karpenter's `Intersects` with the type's own
 * requirements plus an available, allowed offering): every requirement on a label the type carries allows the
 * type's value; keys the type does not carry are not the type's business (they come from the NodePool's
 * labels); zone and capacity type are checked jointly through the offerings.
 * `labels` must be the type's labels with normalised keys.
 */
export function instanceTypeCompatible(
  instanceType: InstanceType,
  labels: Readonly<Record<string, string>>,
  requirements: Requirements,
  allowed: (offering: Offering) => boolean = offeringFilter(requirements),
): boolean {
  for (const req of requirements) {
    const value = labels[req.key];
    if (value !== undefined && !req.has(value)) return false;
  }
  for (const o of instanceType.offerings) if (allowed(o)) return true;
  return false;
}

/**
 * The offering a launch would pick among several instance types: the most preferred capacity type that has an
 * allowed available offering (reserved, then spot, then on-demand), then the lowest price, ties by zone then
 * instance type name order given. `undefined` when there is none.
 */
export function launchOffering(
  instanceTypes: readonly InstanceType[],
  requirements: Requirements,
): { instanceType: InstanceType; offering: Offering } | undefined {
  let best: { instanceType: InstanceType; offering: Offering } | undefined;
  const allowed = offeringFilter(requirements);
  for (const instanceType of instanceTypes) {
    for (const offering of instanceType.offerings) {
      if (!allowed(offering)) continue;
      if (!best || betterOffering(offering, best.offering)) best = { instanceType, offering };
    }
  }
  return best;
}

function betterOffering(a: Offering, b: Offering): boolean {
  const pa = CAPACITY_TYPE_PREFERENCE[a.capacityType];
  const pb = CAPACITY_TYPE_PREFERENCE[b.capacityType];
  if (pa !== pb) return pa < pb;
  if (a.pricePerHour !== b.pricePerHour) return a.pricePerHour < b.pricePerHour;
  return a.zone < b.zone;
}

/** The lowest price of an allowed, available offering of the type (USD/h), `Infinity` when none. */
export function cheapestAllowedPrice(instanceType: InstanceType, requirements: Requirements, allowed: (offering: Offering) => boolean = offeringFilter(requirements)): number {
  let best = Number.POSITIVE_INFINITY;
  for (const o of instanceType.offerings) if (o.pricePerHour < best && allowed(o)) best = o.pricePerHour;
  return best;
}
