import { LABEL_CAPACITY_TYPE, LABEL_TOPOLOGY_ZONE, Requirements, type InstanceType, type NodeClaim, type Offering } from '@karpenter-ts/provisioner-domain';
import type { OfferingKey } from '../unavailable-offerings.js';
import type { ResolvedAmi, ResolvedSubnet } from './nodeclass-resolver.js';

/** Most overrides one CreateFleet request carries (Karpenter AWS's `maxInstanceTypes`). */
export const MAX_FLEET_OVERRIDES = 60;

/** An instance type with the offerings a NodeClaim may launch now. */
export interface LaunchCandidate {
  instanceType: InstanceType;
  offerings: Offering[];
}

/** One override of a fleet request: an instance type in a subnet, launched from an AMI's template. */
export interface FleetOverride {
  instanceType: string;
  subnetId: string;
  zone: string;
  amiId: string;
  pricePerHour: number;
}

/**
 * The offerings of `instanceTypes` that `nodeClaim`'s requirements allow, in zones with a subnet, split into
 * what may launch now (`candidates`: available and not in the unavailable-offerings cache) and what was
 * considered (`tried`, for the InsufficientCapacityError). Pure.
 */
export function launchCandidates(
  nodeClaim: NodeClaim,
  instanceTypes: readonly InstanceType[],
  zonesWithSubnets: ReadonlySet<string>,
  isUnavailable: (o: OfferingKey) => boolean,
): { candidates: LaunchCandidate[]; tried: OfferingKey[] } {
  const reqs = Requirements.fromNodeSelectorRequirements(nodeClaim.spec.requirements);
  // The type's own labels are checked once per type; an offering adds only its zone and capacity type (a single
  // value each, so "intersects" is "the requirement allows the value").
  const typeReqs = reqs.without(LABEL_TOPOLOGY_ZONE).without(LABEL_CAPACITY_TYPE);
  const zoneReq = reqs.get(LABEL_TOPOLOGY_ZONE);
  const capacityTypeReq = reqs.get(LABEL_CAPACITY_TYPE);
  const candidates: LaunchCandidate[] = [];
  const tried: OfferingKey[] = [];
  for (const instanceType of instanceTypes) {
    const typeLabels = { ...instanceType.labels };
    delete typeLabels[LABEL_TOPOLOGY_ZONE];
    delete typeLabels[LABEL_CAPACITY_TYPE];
    if (Requirements.fromLabels(typeLabels).intersects(typeReqs) !== undefined) continue;
    const offerings: Offering[] = [];
    for (const offering of instanceType.offerings) {
      if (!zonesWithSubnets.has(offering.zone)) continue;
      if (zoneReq && !zoneReq.allows(offering.zone)) continue;
      if (capacityTypeReq && !capacityTypeReq.allows(offering.capacityType)) continue;
      const key = { instanceType: instanceType.name, zone: offering.zone, capacityType: offering.capacityType };
      tried.push(key);
      if (offering.available && !isUnavailable(key)) offerings.push(offering);
    }
    if (offerings.length > 0) candidates.push({ instanceType, offerings });
  }
  return { candidates, tried };
}

/**
 * The capacity type to launch (Karpenter AWS's `getCapacityType`): `spot` when any candidate offers spot (the
 * requirements allowed it), else `on-demand`. Reserved offerings are launched as on-demand.
 */
export function chooseCapacityType(candidates: readonly LaunchCandidate[]): 'spot' | 'on-demand' {
  return candidates.some((c) => c.offerings.some((o) => o.capacityType === 'spot')) ? 'spot' : 'on-demand';
}

/**
 * The fleet overrides for one launch: for each candidate instance type (cheapest offering of `capacityType`
 * first) and each of its zones, the zone's subnet with the most free addresses and the newest AMI whose
 * requirements the type meets (e.g. `kubernetes.io/arch`); at most {@link MAX_FLEET_OVERRIDES}. Types no AMI
 * fits are left out. Pure.
 */
export function fleetOverrides(
  candidates: readonly LaunchCandidate[],
  capacityType: 'spot' | 'on-demand',
  subnets: readonly ResolvedSubnet[],
  amis: readonly ResolvedAmi[],
): FleetOverride[] {
  const subnetOfZone = new Map<string, ResolvedSubnet>();
  for (const s of subnets) {
    const best = subnetOfZone.get(s.zone);
    if (!best || s.availableIpAddressCount > best.availableIpAddressCount) subnetOfZone.set(s.zone, s);
  }
  const wanted = (o: Offering): boolean => (capacityType === 'spot' ? o.capacityType === 'spot' : o.capacityType !== 'spot');
  const out: FleetOverride[] = [];
  for (const c of candidates) {
    const ami = amis.find((a) => a.requirements.every((r) => c.instanceType.labels[r.key] === undefined || r.values.includes(c.instanceType.labels[r.key] ?? '')));
    if (!ami) continue;
    for (const o of c.offerings) {
      const subnet = subnetOfZone.get(o.zone);
      if (!wanted(o) || !subnet) continue;
      out.push({ instanceType: c.instanceType.name, subnetId: subnet.id, zone: o.zone, amiId: ami.id, pricePerHour: o.pricePerHour });
    }
  }
  out.sort((a, b) => a.pricePerHour - b.pricePerHour || a.instanceType.localeCompare(b.instanceType) || a.zone.localeCompare(b.zone));
  return out.slice(0, MAX_FLEET_OVERRIDES);
}
