/**
 * Refreshes the shipped on-demand price table (src/cloudprovider/aws/on-demand-prices.json) from the AWS Pricing
 * API, with the SDK's default credentials (the caller needs pricing:GetProducts):
 *
 *   npm run gen:aws-prices -w @karpenter-ts/controller                                   # us-east-1 and us-west-2, all types
 *   npm run gen:aws-prices -w @karpenter-ts/controller -- --regions eu-west-1 --families m5,c5,r5
 *
 * The table is the fallback of the controller when the Pricing API is unreachable (or ISOLATED_VPC=true) and the
 * price source of `gen:aws-catalog`. Exit 0 on success; 1 with a sentence on stderr (no credentials, no network).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createPricingClient, describeOnDemandPrices, priceTableDocument } from '../src/cloudprovider/aws/on-demand-prices.js';

const { values } = parseArgs({
  options: {
    regions: { type: 'string', default: 'us-east-1,us-west-2' },
    families: { type: 'string', default: '' },
    endpoint: { type: 'string' },
    out: { type: 'string', default: join(dirname(fileURLToPath(import.meta.url)), '../src/cloudprovider/aws/on-demand-prices.json') },
  },
});

async function main(): Promise<void> {
  const regions = (values.regions ?? '').split(',').filter(Boolean);
  const prices = new Map<string, ReadonlyMap<string, number>>();
  for (const region of regions) {
    const client = createPricingClient(region, values.endpoint);
    try {
      prices.set(region, (await describeOnDemandPrices(client, region)).pricePerHour);
    } finally {
      client.destroy();
    }
  }
  const generatedAt = new Date().toISOString();
  const table = priceTableDocument(prices, {
    families: (values.families ?? '').split(',').filter(Boolean),
    generatedAt,
    source: `AWS Pricing API GetProducts (AmazonEC2; Linux, shared tenancy, no pre-installed software, capacity status Used, on-demand) for ${regions.join(', ')}, read ${generatedAt}`,
  });
  writeFileSync(values.out ?? '', `${JSON.stringify(table, null, 2)}\n`);
  process.stdout.write(`wrote ${values.out} (${Object.values(table.regions).reduce((n, r) => n + Object.keys(r).length, 0)} prices)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`gen:aws-prices failed: ${error instanceof Error ? error.message : String(error)}; the shipped table is unchanged\n`);
  process.exit(1);
});
