import { EC2Client } from '@aws-sdk/client-ec2';
import { emulatorClientConfig } from '@karpenter-ts/local-cluster/aws-emulator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { describeSpotPrices, spotPriceKey } from './spot-prices.js';

describe('spot prices against the EC2 emulator (moto)', () => {
  const ec2 = new EC2Client({ ...emulatorClientConfig, endpoint: inject('awsEmulatorEndpoint') });
  afterAll(() => ec2.destroy());

  // moto answers a placeholder price (0.00001) for every type and zone; real prices come from EC2.
  it('reads DescribeSpotPriceHistory into a price per type and zone', async () => {
    const prices = await describeSpotPrices(ec2);
    expect(prices.size).toBeGreaterThan(0);
    for (const [key, price] of prices) {
      expect(key).toMatch(/^[a-z0-9-]+\.[a-z0-9-]+\/[a-z]{2}-[a-z]+-\d[a-z]$/);
      expect(price).toBeGreaterThan(0);
    }
    expect(spotPriceKey('m5.large', 'us-east-1a')).toBe('m5.large/us-east-1a');
  });
});
