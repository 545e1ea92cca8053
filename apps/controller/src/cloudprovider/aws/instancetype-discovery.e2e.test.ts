import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { emulatorClientConfig } from '@karpenter-ts/local-cluster/aws-emulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { discoverInstanceTypes, type DiscoveredInstanceTypes } from './instancetype-discovery.js';
import { AwsInstanceTypeProvider } from './instancetype-provider.js';
import { STATIC_ON_DEMAND_PRICES } from './on-demand-prices.js';

const MIB = 2 ** 20;

describe('instance-type discovery against the EC2 emulator (moto)', () => {
  let ec2: EC2Client;
  let found: DiscoveredInstanceTypes;
  beforeAll(async () => {
    ec2 = new EC2Client({ ...emulatorClientConfig, endpoint: inject('awsEmulatorEndpoint') });
    found = await discoverInstanceTypes({ ec2, priceOf: (name) => (name === 'm5.large' ? 0.096 : undefined) });
  });
  afterAll(() => ec2?.destroy());

  it('maps the region catalog (700+ types) with zonal offerings', () => {
    expect(found.describedCount).toBeGreaterThan(700);
    expect(found.instanceTypes.length).toBeGreaterThan(700);
    const m5 = found.instanceTypes.find((t) => t.name === 'm5.large');
    expect(m5?.offerings.filter((o) => o.capacityType === 'on-demand').map((o) => o.zone)).toEqual(expect.arrayContaining(['us-east-1a', 'us-east-1b']));
    expect(m5?.offerings.every((o) => o.pricePerHour === 0.096 && o.available)).toBe(true);
  });

  it.each([
    ['m5.large', { cpu: 2000, memory: (8192 - 615) * MIB, pods: 29 }, { category: 'm', family: 'm5', generation: '5', size: 'large', arch: 'amd64' }],
    ['c6g.xlarge', { cpu: 4000, memory: (8192 - 615) * MIB, pods: 58 }, { category: 'c', family: 'c6g', generation: '6', size: 'xlarge', arch: 'arm64' }],
    ['r5.2xlarge', { cpu: 8000, memory: (65536 - 4916) * MIB, pods: 58 }, { category: 'r', family: 'r5', generation: '5', size: '2xlarge', arch: 'amd64' }],
  ])('%s maps with Karpenter labels and capacity', (name, capacity, l) => {
    const t = found.instanceTypes.find((x) => x.name === name);
    expect(t?.capacity).toMatchObject(capacity);
    expect(t?.labels).toMatchObject({
      'kubernetes.io/arch': l.arch,
      'karpenter.k8s.aws/instance-category': l.category,
      'karpenter.k8s.aws/instance-family': l.family,
      'karpenter.k8s.aws/instance-generation': l.generation,
      'karpenter.k8s.aws/instance-size': l.size,
    });
  });

  it('GPU types carry nvidia.com/gpu capacity and gpu labels', () => {
    const g5 = found.instanceTypes.find((t) => t.name === 'g5.xlarge');
    expect(g5?.capacity['nvidia.com/gpu']).toBe(1);
    expect(g5?.labels['karpenter.k8s.aws/instance-gpu-manufacturer']).toBe('nvidia');
  });

  it('the priced provider: moto has no Pricing API, so on-demand prices come from the shipped table; spot from DescribeSpotPriceHistory', async () => {
    const pricing = new PricingClient({ ...emulatorClientConfig, endpoint: inject('awsEmulatorEndpoint'), maxAttempts: 1 });
    const warnings: string[] = [];
    try {
      const provider = new AwsInstanceTypeProvider({ clients: { ec2, pricing }, region: 'us-east-1', onWarning: (m) => warnings.push(m) });
      const summary = await provider.refresh();
      process.stderr.write(`aws discovery + pricing against moto: ${JSON.stringify(summary)}\n`);
      expect(summary).toMatchObject({ region: 'us-east-1', onDemandSource: 'static-table', onDemandAsOf: STATIC_ON_DEMAND_PRICES.pricesAsOf });
      expect(summary.describedCount).toBeGreaterThan(700);
      expect(warnings.some((w) => w.includes('Pricing API is unreachable'))).toBe(true);
      const types = await provider.instanceTypes();
      // On-demand only for the types the table prices (spot wherever moto reports a spot price); every offering has a price.
      expect(types.length).toBe(summary.offeredCount);
      const onDemandTypes = types.filter((t) => t.offerings.some((o) => o.capacityType === 'on-demand')).map((t) => t.name);
      expect(onDemandTypes.length).toBeGreaterThan(150);
      expect(onDemandTypes.every((name) => Object.hasOwn(STATIC_ON_DEMAND_PRICES.regions['us-east-1'] ?? {}, name))).toBe(true);
      expect(types.flatMap((t) => t.offerings).every((o) => Number.isFinite(o.pricePerHour) && o.pricePerHour > 0 && o.available)).toBe(true);
      const m5 = types.find((t) => t.name === 'm5.large');
      expect(m5?.offerings.find((o) => o.capacityType === 'on-demand')?.pricePerHour).toBe(0.096);
      expect(m5?.offerings.some((o) => o.capacityType === 'spot')).toBe(true);
      expect(m5?.labels['karpenter.k8s.aws/instance-network-bandwidth']).toBe('750');
    } finally {
      pricing.destroy();
    }
  });
});
