/**
 * Regenerates the shipped offline AWS catalog (apps/cli/catalogs/aws.yaml) from the controller's discovery code:
 *
 *   npm run gen:aws-catalog -w @karpenter-ts/controller                      # against the EC2 emulator (moto), started here
 *   npm run gen:aws-catalog -w @karpenter-ts/controller -- --account         # against your AWS account (SDK default credentials)
 *   ... -- --regions us-east-1,us-west-2 --families m5,c5,r5,m6g,g5 --out FILE --spot ec2|indicative
 *
 * Types, zones and labels come from DescribeInstanceTypes + DescribeInstanceTypeOfferings of each region; on-demand
 * prices from the shipped table (src/cloudprovider/aws/on-demand-prices.json; refresh it first with gen:aws-prices);
 * spot prices from DescribeSpotPriceHistory (`--spot ec2`, the default with --account) or as a fixed fraction of
 * on-demand per zone (`--spot indicative`, the default with the emulator, whose spot history is a placeholder).
 * The file records its source and dates in its annotations. Exit 0 on success, 1 on failure (a sentence on stderr).
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EC2Client } from '@aws-sdk/client-ec2';
import { emulatorClientConfig, startAwsEmulator, type AwsEmulator } from '@karpenter-ts/local-cluster/aws-emulator';
import { indicativeSpotPrice, renderAwsCatalog, type RegionDiscovery } from '../src/cloudprovider/aws/catalog.js';
import { describeAllInstanceTypes, describeZoneOfferings } from '../src/cloudprovider/aws/instancetype-discovery.js';
import { STATIC_ON_DEMAND_PRICES, staticOnDemandPrices } from '../src/cloudprovider/aws/on-demand-prices.js';
import { describeSpotPrices, spotPriceKey } from '../src/cloudprovider/aws/spot-prices.js';

const repo = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({
  options: {
    account: { type: 'boolean', default: false },
    endpoint: { type: 'string' },
    regions: { type: 'string', default: 'us-east-1,us-west-2' },
    families: { type: 'string', default: 'm5,c5,r5,m6g,g5' },
    spot: { type: 'string' },
    out: { type: 'string', default: join(repo, 'apps/cli/catalogs/aws.yaml') },
  },
});

async function main(): Promise<void> {
  const regions = (values.regions ?? '').split(',').filter(Boolean);
  const families = (values.families ?? '').split(',').filter(Boolean);
  let emulator: AwsEmulator | undefined;
  let endpoint = values.endpoint;
  if (!values.account && !endpoint) {
    emulator = await startAwsEmulator();
    endpoint = emulator.endpoint;
  }
  const spotMode = values.spot ?? (values.account ? 'ec2' : 'indicative');
  if (spotMode !== 'ec2' && spotMode !== 'indicative') throw new Error(`--spot must be ec2 or indicative, not "${spotMode}"`);
  try {
    const discovered: RegionDiscovery[] = [];
    const spot = new Map<string, Map<string, number>>();
    for (const region of regions) {
      const ec2 = new EC2Client(endpoint ? { ...emulatorClientConfig, region, endpoint } : { region });
      try {
        const [infos, zones] = await Promise.all([describeAllInstanceTypes(ec2), describeZoneOfferings(ec2)]);
        discovered.push({ region, infos, zones });
        if (spotMode === 'ec2') spot.set(region, await describeSpotPrices(ec2));
      } finally {
        ec2.destroy();
      }
    }
    const onDemand = new Map(regions.map((r) => [r, staticOnDemandPrices(r).pricePerHour]));
    const pricesAsOf = STATIC_ON_DEMAND_PRICES.pricesAsOf ?? STATIC_ON_DEMAND_PRICES.generatedAt.slice(0, 10);
    const text = renderAwsCatalog({
      regions: discovered,
      families,
      onDemandPrice: (region, type) => onDemand.get(region)?.get(type),
      spotPrice: (region, type, zone, od) => (spotMode === 'ec2' ? spot.get(region)?.get(spotPriceKey(type, zone)) : indicativeSpotPrice(zone, od)),
      source: emulator ? `EC2 emulator moto ${emulator.version} (${regions.join(', ')})` : endpoint ? `EC2 API at ${endpoint} (${regions.join(', ')})` : `Amazon EC2 API of the account (${regions.join(', ')})`,
      priceSource: `on-demand: Linux list prices of the shipped table, as of ${pricesAsOf}; spot: ${spotMode === 'ec2' ? 'DescribeSpotPriceHistory at generation time' : 'a fixed fraction (0.37-0.43) of on-demand per zone'}`,
      pricesAsOf,
      generatedAt: new Date().toISOString(),
    });
    writeFileSync(values.out ?? '', text);
    process.stdout.write(`wrote ${values.out} (${(text.match(/^ {2}- name: /gm) ?? []).length} types of ${families.join(', ')} in ${regions.join(', ')})\n`);
  } finally {
    await emulator?.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gen:aws-catalog failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
