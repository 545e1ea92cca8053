/**
 * Spot prices from EC2 DescribeSpotPriceHistory (Linux/UNIX, latest price per type and zone), the source
 * Karpenter's AWS provider reads for spot offerings.
 */
import { DescribeSpotPriceHistoryCommand, type EC2Client } from '@aws-sdk/client-ec2';

/** Key of {@link describeSpotPrices}' map: `<instance type>/<zone>`. */
export function spotPriceKey(instanceType: string, zone: string): string {
  return `${instanceType}/${zone}`;
}

/**
 * Latest spot price per hour in USD for every type and zone EC2 reports since `since` (default: now).
 * Entries with an unparsable price are skipped. Errors: the SDK's, with the request id.
 */
export async function describeSpotPrices(ec2: Pick<EC2Client, 'send'>, since: Date = new Date()): Promise<Map<string, number>> {
  const latest = new Map<string, { pricePerHour: number; at: number }>();
  let token: string | undefined;
  do {
    const page = await ec2.send(new DescribeSpotPriceHistoryCommand({ ProductDescriptions: ['Linux/UNIX'], StartTime: since, MaxResults: 1000, ...(token ? { NextToken: token } : {}) }));
    token = page.NextToken;
    for (const entry of page.SpotPriceHistory ?? []) {
      const pricePerHour = Number(entry.SpotPrice);
      if (entry.InstanceType === undefined || entry.AvailabilityZone === undefined || !Number.isFinite(pricePerHour)) continue;
      const key = spotPriceKey(entry.InstanceType, entry.AvailabilityZone);
      const at = entry.Timestamp?.getTime() ?? 0;
      if ((latest.get(key)?.at ?? -1) <= at) latest.set(key, { pricePerHour, at });
    }
  } while (token);
  return new Map([...latest].map(([key, value]) => [key, value.pricePerHour]));
}
