import { afterEach, describe, expect, it } from 'vitest';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { fakeAwsClients } from '../../testing/fake-aws.js';
import { AwsInstanceTypeProvider } from './instancetype-provider.js';
import { instanceTypeRefresh } from './instancetype-refresh.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

function provider(): { provider: AwsInstanceTypeProvider; describeCalls: () => number } {
  const fake = fakeAwsClients({
    DescribeInstanceTypes: () => ({ InstanceTypes: [{ InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, SupportedUsageClasses: ['on-demand', 'spot'] }] }),
    DescribeInstanceTypeOfferings: () => ({ InstanceTypeOfferings: [{ InstanceType: 'm5.large', Location: 'us-west-2a' }] }),
    DescribeSpotPriceHistory: () => ({ SpotPriceHistory: [{ InstanceType: 'm5.large', AvailabilityZone: 'us-west-2a', SpotPrice: '0.0355', Timestamp: new Date() }] }),
  });
  // No Pricing client: on-demand prices from the shipped table.
  return { provider: new AwsInstanceTypeProvider({ clients: { ec2: fake.clients.ec2 }, region: 'us-west-2' }), describeCalls: () => fake.count('DescribeInstanceTypes') };
}

describe('aws.instancetypes', () => {
  it('refreshes every period; exports no offering price series unless AWS_OFFERING_PRICE_METRICS', async () => {
    t = await newTestContext({});
    const { provider: p, describeCalls } = provider();
    const result = await instanceTypeRefresh(t.ctx, p, { periodMs: 43_200_000, offeringPriceMetrics: false }).reconcile('instancetypes');
    expect(result).toEqual({ requeueAfterMs: 43_200_000 });
    expect(describeCalls()).toBe(1);
    expect((await t.ctx.metrics.instanceTypeOfferingPriceEstimate.get()).values).toEqual([]);
  });

  it('with AWS_OFFERING_PRICE_METRICS, one gauge per offering in USD per hour', async () => {
    t = await newTestContext({});
    const { provider: p } = provider();
    await instanceTypeRefresh(t.ctx, p, { periodMs: 1_000, offeringPriceMetrics: true }).reconcile('instancetypes');
    const values = (await t.ctx.metrics.instanceTypeOfferingPriceEstimate.get()).values.map((v) => ({ ...v.labels, value: v.value }));
    expect(values).toEqual([
      { instance_type: 'm5.large', capacity_type: 'on-demand', zone: 'us-west-2a', value: 0.096 },
      { instance_type: 'm5.large', capacity_type: 'spot', zone: 'us-west-2a', value: 0.0355 },
    ]);
  });
});
