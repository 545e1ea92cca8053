import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fakeAwsClients } from '../../testing/fake-aws.js';
import { PricingClient } from '@aws-sdk/client-pricing';
import { createPricingClient, describeOnDemandPrices, parsePriceListItem, priceTableDocument, pricingApiRegion, STATIC_ON_DEMAND_PRICES, staticOnDemandPrices } from './on-demand-prices.js';
import { AwsInstanceTypeProvider } from './instancetype-provider.js';

/** A PriceList entry as GetProducts returns it (trimmed to the fields the parser reads). */
const priceItem = (instanceType: string, usd: string): string =>
  JSON.stringify({ product: { attributes: { instanceType } }, terms: { OnDemand: { 'SKU.JRTCKXETXF': { priceDimensions: { 'SKU.JRTCKXETXF.6YS6EN2CT7': { unit: 'Hrs', pricePerUnit: { USD: usd } } } } } } });

/** A loopback port with nothing listening (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the shipped on-demand price table', () => {
  it('is dated, names its source, and prices the common families of us-east-1 and us-west-2', () => {
    expect(STATIC_ON_DEMAND_PRICES.source).toMatch(/Pricing API/);
    expect(Number.isNaN(Date.parse(STATIC_ON_DEMAND_PRICES.generatedAt))).toBe(false);
    for (const region of ['us-east-1', 'us-west-2']) {
      const prices = staticOnDemandPrices(region).pricePerHour;
      for (const family of ['m5', 'm6i', 'm7i', 'c5', 'c6i', 'c7i', 'r5', 'r6i', 't3', 'm6g', 'g5']) expect(prices.get(`${family}.xlarge`), `${region} ${family}.xlarge`).toBeGreaterThan(0);
      expect(prices.get('m5.large')).toBe(0.096);
    }
    expect(staticOnDemandPrices('eu-west-1').pricePerHour.size).toBe(0);
  });
});

describe('Pricing API answers', () => {
  it('parses the hourly on-demand USD price of a PriceList entry; skips zero prices and other shapes', () => {
    expect(parsePriceListItem(priceItem('m5.large', '0.0960000000'))).toEqual(['m5.large', 0.096]);
    expect(parsePriceListItem(priceItem('m5.large', '0.0000000000'))).toBeUndefined();
    expect(parsePriceListItem('{"product":{}}')).toBeUndefined();
    expect(parsePriceListItem('not json')).toBeUndefined();
  });

  it('pages through GetProducts with the Linux/shared/on-demand filters of the region', async () => {
    const pages = [
      { PriceList: [priceItem('m5.large', '0.096')], NextToken: 'p2' },
      { PriceList: [priceItem('c5.large', '0.085')] },
    ];
    const fake = fakeAwsClients({ GetProducts: () => pages.shift() });
    const prices = await describeOnDemandPrices(fake.clients.ec2 as never, 'us-west-2', () => new Date('2026-12-06T12:00:00Z'));
    expect([...prices.pricePerHour]).toEqual([['m5.large', 0.096], ['c5.large', 0.085]]);
    expect(prices).toMatchObject({ source: 'pricing-api', asOf: '2026-12-06T12:00:00.000Z' });
    expect(fake.calls[0]?.input['Filters']).toEqual(expect.arrayContaining([{ Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-west-2' }, { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' }]));
    expect(fake.calls[1]?.input['NextToken']).toBe('p2');
  });

  it('asks the Pricing API region that serves the cluster region', () => {
    expect(pricingApiRegion('us-west-2')).toBe('us-east-1');
    expect(pricingApiRegion('eu-west-1')).toBe('eu-central-1');
    expect(pricingApiRegion('ap-southeast-2')).toBe('ap-south-1');
    expect(pricingApiRegion('cn-north-1')).toBe('cn-northwest-1');
  });
});

describe('on-demand price fallback with a real, unreachable Pricing endpoint', () => {
  it('describeOnDemandPrices fails with an error naming GetProducts', async () => {
    const pricing = createPricingClient('us-east-1', `http://127.0.0.1:${await closedPort()}`);
    try {
      await expect(describeOnDemandPrices(pricing, 'us-east-1')).rejects.toThrow(/GetProducts failed/);
    } finally {
      pricing.destroy();
    }
  });

  it('the provider prices on-demand offerings from the shipped table and says so', async () => {
    const pricing = createPricingClient('us-east-1', `http://127.0.0.1:${await closedPort()}`);
    const warnings: string[] = [];
    const fake = fakeAwsClients({
      DescribeInstanceTypes: () => ({
        InstanceTypes: [
          { InstanceType: 'm5.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, SupportedUsageClasses: ['on-demand', 'spot'], NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10 } },
          { InstanceType: 'zz9.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 8192 }, SupportedUsageClasses: ['on-demand'] },
        ],
      }),
      DescribeInstanceTypeOfferings: () => ({ InstanceTypeOfferings: ['us-east-1a', 'us-east-1b'].flatMap((Location) => ['m5.large', 'zz9.large'].map((InstanceType) => ({ InstanceType, Location }))) }),
      DescribeSpotPriceHistory: () => ({ SpotPriceHistory: [{ InstanceType: 'm5.large', AvailabilityZone: 'us-east-1a', SpotPrice: '0.0365', Timestamp: new Date() }] }),
    });
    try {
      const provider = new AwsInstanceTypeProvider({ clients: { ec2: fake.clients.ec2, pricing }, region: 'us-east-1', onWarning: (m) => warnings.push(m) });
      const summary = await provider.refresh();
      expect(summary).toMatchObject({ onDemandSource: 'static-table', onDemandAsOf: STATIC_ON_DEMAND_PRICES.pricesAsOf, describedCount: 2, offeredCount: 1 });
      expect(warnings.join('\n')).toMatch(/Pricing API is unreachable; on-demand prices come from the shipped table/);
      const [m5] = await provider.instanceTypes();
      expect(m5?.name).toBe('m5.large');
      // zz9.large has no price anywhere: not offered. m5.large: on-demand in both zones, spot only where EC2 priced it.
      expect(m5?.offerings).toEqual([
        { zone: 'us-east-1a', capacityType: 'on-demand', pricePerHour: 0.096, available: true },
        { zone: 'us-east-1a', capacityType: 'spot', pricePerHour: 0.0365, available: true },
        { zone: 'us-east-1b', capacityType: 'on-demand', pricePerHour: 0.096, available: true },
      ]);
    } finally {
      pricing.destroy();
    }
  });
});

/** A local HTTP server answering the Pricing API's GetProducts (JSON 1.1) with two pages. */
async function pricingServer(): Promise<{ server: Server; endpoint: string; targets: string[] }> {
  const targets: string[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      targets.push(String(req.headers['x-amz-target']));
      const input = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { NextToken?: string };
      res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(input.NextToken ? { FormatVersion: 'aws_v1', PriceList: [priceItem('m5.large', '0.1')] } : { FormatVersion: 'aws_v1', PriceList: [priceItem('zz9.large', '0.5')], NextToken: 'page-2' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as { port: number }).port}`, targets };
}

describe('on-demand prices from a Pricing API answer over HTTP (real SDK client)', () => {
  it('reads every page; the API price wins over the table, types it does not price keep the table price', async () => {
    const { server, endpoint, targets } = await pricingServer();
    const pricing = new PricingClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'y' }, maxAttempts: 1 });
    try {
      const live = await describeOnDemandPrices(pricing, 'us-east-1');
      expect([...live.pricePerHour]).toEqual([['zz9.large', 0.5], ['m5.large', 0.1]]);
      expect(targets).toEqual(['AWSPriceListService.GetProducts', 'AWSPriceListService.GetProducts']);
      const fake = fakeAwsClients({
        DescribeInstanceTypes: () => ({ InstanceTypes: ['m5.large', 'c5.large'].map((InstanceType) => ({ InstanceType, VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 4096 }, SupportedUsageClasses: ['on-demand'] })) }),
        DescribeInstanceTypeOfferings: () => ({ InstanceTypeOfferings: [{ InstanceType: 'm5.large', Location: 'us-east-1a' }, { InstanceType: 'c5.large', Location: 'us-east-1a' }] }),
        DescribeSpotPriceHistory: () => ({ SpotPriceHistory: [] }),
      });
      const provider = new AwsInstanceTypeProvider({ clients: { ec2: fake.clients.ec2, pricing }, region: 'us-east-1' });
      expect(await provider.refresh()).toMatchObject({ onDemandSource: 'pricing-api', offeredCount: 2 });
      const types = await provider.instanceTypes();
      expect(Object.fromEntries(types.map((t) => [t.name, t.offerings[0]?.pricePerHour]))).toEqual({ 'm5.large': 0.1, 'c5.large': 0.085 });
    } finally {
      pricing.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('gen:aws-prices writes a table the schema accepts, only the families asked for, dated', () => {
    const table = priceTableDocument(new Map([['us-west-2', new Map([['m5.large', 0.096], ['x2.large', 1], ['c5.large', 0.085]])]]), { families: ['m5', 'c5'], generatedAt: '2026-12-06T20:00:00.000Z', source: 'AWS Pricing API GetProducts' });
    expect(table).toEqual({ source: 'AWS Pricing API GetProducts', generatedAt: '2026-12-06T20:00:00.000Z', pricesAsOf: '2026-12-06', currency: 'USD', unit: 'pricePerHour', regions: { 'us-west-2': { 'c5.large': 0.085, 'm5.large': 0.096 } } });
  });
});

describe('ISOLATED_VPC', () => {
  it('never calls the Pricing API: on-demand prices come from the shipped table, without a warning', async () => {
    let pricingCalls = 0;
    const pricing = { send: async () => (pricingCalls++, {}) } as unknown as Pick<PricingClient, 'send'>;
    const warnings: string[] = [];
    const fake = fakeAwsClients({
      DescribeInstanceTypes: () => ({ InstanceTypes: [{ InstanceType: 'c6i.large', VCpuInfo: { DefaultVCpus: 2 }, MemoryInfo: { SizeInMiB: 4096 }, SupportedUsageClasses: ['on-demand'] }] }),
      DescribeInstanceTypeOfferings: () => ({ InstanceTypeOfferings: [{ InstanceType: 'c6i.large', Location: 'us-west-2a' }] }),
      DescribeSpotPriceHistory: () => ({ SpotPriceHistory: [] }),
    });
    const provider = new AwsInstanceTypeProvider({ clients: { ec2: fake.clients.ec2, pricing }, region: 'us-west-2', isolatedVpc: true, onWarning: (m) => warnings.push(m) });
    expect(await provider.refresh()).toMatchObject({ onDemandSource: 'static-table', offeredCount: 1 });
    expect((await provider.instanceTypes())[0]?.offerings).toEqual([{ zone: 'us-west-2a', capacityType: 'on-demand', pricePerHour: 0.085, available: true }]);
    expect(pricingCalls).toBe(0);
    expect(warnings).toEqual([]);
  });
});
