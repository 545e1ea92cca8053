/**
 * Benchmark of AWS instance-type discovery (issue 13) against the EC2 emulator (moto, full us-east-1 list):
 * 1. discovery: DescribeInstanceTypes (all pages) + DescribeInstanceTypeOfferings by zone, wall time;
 * 2. mapping: EC2 InstanceTypeInfo → domain InstanceType for every described type, in process;
 * 3. memory: heap held by one copy of the mapped catalog (after GC when --expose-gc is available);
 * 4. discovery + pricing: AwsInstanceTypeProvider.refresh() (types, zones, spot price history, on-demand prices from
 *    the Pricing API, which moto has not got, so from the shipped table after the failed GetProducts), wall time.
 * Prints median and min/max; never passes or fails on time.
 *
 *   npx tsx bench/aws-discovery.bench.ts [--repeat 5]
 */
import { EC2Client } from '@aws-sdk/client-ec2';
import { PricingClient } from '@aws-sdk/client-pricing';
import { emulatorClientConfig, startAwsEmulator } from '@karpenter-ts/local-cluster/aws-emulator';
import type { InstanceType } from '@karpenter-ts/provisioner-domain';
import { describeAllInstanceTypes, describeZoneOfferings } from '../src/cloudprovider/aws/instancetype-discovery.js';
import { mapInstanceType } from '../src/cloudprovider/aws/instancetype-mapping.js';
import { AwsInstanceTypeProvider, type InstanceTypeRefresh } from '../src/cloudprovider/aws/instancetype-provider.js';

const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 5;

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  return `median ${median.toFixed(1)} ms (min ${sorted[0]?.toFixed(1)}, max ${sorted.at(-1)?.toFixed(1)}, n=${sorted.length})`;
}

const gc = (globalThis as { gc?: () => void }).gc;
const emulator = await startAwsEmulator();
const ec2 = new EC2Client({ ...emulatorClientConfig, endpoint: emulator.endpoint });
try {
  const discovery: number[] = [];
  let infos = await describeAllInstanceTypes(ec2);
  let zones = await describeZoneOfferings(ec2);
  for (let i = 0; i < REPEAT; i += 1) {
    const started = performance.now();
    [infos, zones] = await Promise.all([describeAllInstanceTypes(ec2), describeZoneOfferings(ec2)]);
    discovery.push(performance.now() - started);
  }
  const mapping: number[] = [];
  let mapped: InstanceType[] = [];
  for (let i = 0; i < REPEAT * 4; i += 1) {
    const started = performance.now();
    mapped = infos.flatMap((info) => {
      const offered = zones.get(info.InstanceType ?? '') ?? [];
      const t = mapInstanceType(
        info,
        offered.map((zone) => ({ zone, capacityType: 'on-demand' as const, pricePerHour: 0.1, available: true })),
      );
      return t === undefined ? [] : [t];
    });
    mapping.push(performance.now() - started);
  }
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const copy = mapped.map((t) => structuredClone(t)); // one more copy of the catalog: its heap is what a cache holds
  gc?.();
  const catalogBytes = process.memoryUsage().heapUsed - before;
  console.log(`aws instance-type discovery against moto ${emulator.version} (${infos.length} described, ${copy.length} mapped, ${zones.size} with zonal offerings)`);
  console.log(`  discovery (EC2 calls, all pages): ${stats(discovery)}`);
  console.log(`  mapping (in process):             ${stats(mapping)}`);
  console.log(`  mapped catalog heap:              ${(catalogBytes / 2 ** 20).toFixed(1)} MiB${gc === undefined ? ' (no --expose-gc: rough)' : ''}`);
  const pricing = new PricingClient({ ...emulatorClientConfig, endpoint: emulator.endpoint, maxAttempts: 1 });
  const refreshMs: number[] = [];
  let last: InstanceTypeRefresh | undefined;
  for (let i = 0; i < Math.max(1, Math.floor(REPEAT / 2)); i += 1) {
    const provider = new AwsInstanceTypeProvider({ clients: { ec2, pricing }, region: emulatorClientConfig.region });
    const started = performance.now();
    last = await provider.refresh();
    refreshMs.push(performance.now() - started);
  }
  pricing.destroy();
  console.log(`  discovery + pricing (refresh):    ${stats(refreshMs)}; ${last?.offeredCount} types offered, ${last?.offeringCount} offerings, ${last?.spotPriceCount} spot prices, on-demand from ${last?.onDemandSource}`);
} finally {
  ec2.destroy();
  await emulator.stop();
}
