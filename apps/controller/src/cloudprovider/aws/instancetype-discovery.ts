/**
 * Instance-type discovery for a region: DescribeInstanceTypes (all pages) and DescribeInstanceTypeOfferings
 * (LocationType availability-zone), mapped to domain InstanceTypes with one offering per zone × capacity type.
 * Prices come from the caller (`priceOf`); an offering without a known price is listed with pricePerHour NaN
 * and available false, so the scheduler never picks a type whose cost it cannot compare.
 */
import { DescribeInstanceTypeOfferingsCommand, DescribeInstanceTypesCommand, type EC2Client, type InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { CapacityType, InstanceType, Offering } from '@karpenter-ts/provisioner-domain';
import { mapInstanceType, type MapInstanceTypeOptions } from './instancetype-mapping.js';

/** Options of {@link discoverInstanceTypes}. */
export interface DiscoverInstanceTypesOptions extends MapInstanceTypeOptions {
  ec2: Pick<EC2Client, 'send'>;
  /** Price per hour in USD of a type in a zone for a capacity type, or undefined when unknown. */
  priceOf?: (instanceType: string, zone: string, capacityType: CapacityType) => number | undefined;
}

/** What {@link discoverInstanceTypes} found: the mapped types and the raw count (some may not map). */
export interface DiscoveredInstanceTypes {
  instanceTypes: InstanceType[];
  describedCount: number;
}

/** Every type EC2 describes in the client's region (pages of 100). Errors: the SDK's, with the request id. */
export async function describeAllInstanceTypes(ec2: Pick<EC2Client, 'send'>): Promise<InstanceTypeInfo[]> {
  const all: InstanceTypeInfo[] = [];
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstanceTypesCommand({ MaxResults: 100, ...(token ? { NextToken: token } : {}) }));
    all.push(...(page.InstanceTypes ?? []));
    token = page.NextToken;
  } while (token);
  return all;
}

/** Zones each type is offered in (type name → zone names), from DescribeInstanceTypeOfferings by availability zone. */
export async function describeZoneOfferings(ec2: Pick<EC2Client, 'send'>): Promise<Map<string, string[]>> {
  const zones = new Map<string, string[]>();
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
    token = page.NextToken;
    for (const o of page.InstanceTypeOfferings ?? []) {
      if (o.InstanceType === undefined || o.Location === undefined) continue;
      const list = zones.get(o.InstanceType) ?? [];
      list.push(o.Location);
      zones.set(o.InstanceType, list);
    }
  } while (token);
  return zones;
}

/**
 * Discovers and maps the region's instance types. Types offered in no zone are dropped; spot is offered where
 * the type's SupportedUsageClasses include spot.
 */
export async function discoverInstanceTypes(options: DiscoverInstanceTypesOptions): Promise<DiscoveredInstanceTypes> {
  const [infos, zones] = await Promise.all([describeAllInstanceTypes(options.ec2), describeZoneOfferings(options.ec2)]);
  const instanceTypes: InstanceType[] = [];
  for (const info of infos) {
    const name = info.InstanceType;
    if (name === undefined) continue;
    const typeZones = [...new Set(zones.get(name) ?? [])].sort();
    if (typeZones.length === 0) continue;
    const capacityTypes: CapacityType[] = info.SupportedUsageClasses?.includes('spot') === true ? ['on-demand', 'spot'] : ['on-demand'];
    const offerings: Offering[] = typeZones.flatMap((zone) =>
      capacityTypes.map((capacityType) => {
        const price = options.priceOf?.(name, zone, capacityType);
        return { zone, capacityType, pricePerHour: price ?? Number.NaN, available: price !== undefined };
      }),
    );
    const mapped = mapInstanceType(info, offerings, options);
    if (mapped !== undefined) instanceTypes.push(mapped);
  }
  return { instanceTypes, describedCount: infos.length };
}
