import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { catalogPricesAsOf, safeParseInstanceTypeCatalog } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANNOTATION_GENERATED_AT, ANNOTATION_PRICE_SOURCE, ANNOTATION_SOURCE, indicativeSpotPrice, renderAwsCatalog } from './catalog.js';

const shippedPath = join(dirname(fileURLToPath(import.meta.url)), '../../../../cli/catalogs/aws.yaml');
const MIB = 2 ** 20;

const info = (name: string, vcpus: number, memoryMiB: number, extra: Partial<InstanceTypeInfo> = {}): InstanceTypeInfo => ({
  InstanceType: name as InstanceTypeInfo['InstanceType'],
  VCpuInfo: { DefaultVCpus: vcpus },
  MemoryInfo: { SizeInMiB: memoryMiB },
  ProcessorInfo: { SupportedArchitectures: ['x86_64'], Manufacturer: 'Intel' },
  SupportedUsageClasses: ['on-demand', 'spot'],
  NetworkInfo: { MaximumNetworkInterfaces: 3, Ipv4AddressesPerInterface: 10, NetworkCards: [{ BaselineBandwidthInGbps: 0.75 }] },
  ...extra,
});

describe('the shipped AWS catalog (apps/cli/catalogs/aws.yaml)', () => {
  const doc = parse(readFileSync(shippedPath, 'utf8')) as { metadata: { annotations: Record<string, string> } };

  it('loads as an InstanceTypeCatalog and records its source and dates', () => {
    const parsed = safeParseInstanceTypeCatalog(doc);
    expect(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.issues.slice(0, 3))).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.instanceTypes.length).toBeGreaterThanOrEqual(40);
    expect(catalogPricesAsOf(doc)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.metadata.annotations[ANNOTATION_SOURCE]).toMatch(/EC2/);
    expect(doc.metadata.annotations[ANNOTATION_PRICE_SOURCE]).toMatch(/on-demand/);
    expect(Number.isNaN(Date.parse(doc.metadata.annotations[ANNOTATION_GENERATED_AT] ?? ''))).toBe(false);
    const m5 = parsed.instanceTypes.find((t) => t.name === 'm5.large');
    expect(m5?.capacity).toMatchObject({ cpu: 2000, memory: 7577 * MIB, pods: 29 });
    expect(m5?.offerings.find((o) => o.zone === 'us-west-2a' && o.capacityType === 'on-demand')?.pricePerHour).toBe(0.096);
  });
});

describe('renderAwsCatalog (the output of gen:aws-catalog)', () => {
  const text = renderAwsCatalog({
    regions: [
      { region: 'us-west-2', infos: [info('m5.xlarge', 4, 16384), info('m5.large', 2, 8192), info('m5.metal', 96, 393216), info('c5.large', 2, 4096), info('x9.large', 2, 4096)], zones: new Map([['m5.large', ['us-west-2b', 'us-west-2a']], ['m5.xlarge', ['us-west-2a']], ['m5.metal', ['us-west-2a']], ['c5.large', ['us-west-2a']], ['x9.large', ['us-west-2a']]]) },
    ],
    families: ['m5', 'c5'],
    onDemandPrice: (_, type) => ({ 'm5.large': 0.096, 'm5.xlarge': 0.192, 'm5.metal': 4.608 })[type],
    spotPrice: (_, __, zone, od) => indicativeSpotPrice(zone, od),
    source: 'test discovery',
    priceSource: 'test prices',
    pricesAsOf: '2026-01-19',
    generatedAt: '2026-12-06T19:00:00.000Z',
  });
  const doc = parse(text) as unknown;
  const parsed = safeParseInstanceTypeCatalog(doc);

  it('is a valid catalog document with the generation annotations', () => {
    expect(parsed.ok, JSON.stringify(parsed.ok ? [] : parsed.issues)).toBe(true);
    expect(catalogPricesAsOf(doc)).toBe('2026-01-19');
    expect(text).toContain(`${ANNOTATION_GENERATED_AT}: "2026-12-06T19:00:00.000Z"`);
  });

  it('keeps the asked families without metal sizes, priced types only, sizes ascending; zones sorted, spot as a fraction of on-demand', () => {
    if (!parsed.ok) throw new Error('not ok');
    // c5.large has no on-demand price and so no indicative spot price either: left out.
    expect(parsed.instanceTypes.map((t) => t.name)).toEqual(['m5.large', 'm5.xlarge']);
    const m5 = parsed.instanceTypes[0];
    expect(m5?.offerings.map((o) => `${o.zone} ${o.capacityType} ${o.pricePerHour}`)).toEqual(['us-west-2a on-demand 0.096', 'us-west-2a spot 0.0355', 'us-west-2b on-demand 0.096', 'us-west-2b spot 0.0374']);
    expect(m5?.labels).toMatchObject({ 'karpenter.k8s.aws/instance-family': 'm5', 'karpenter.k8s.aws/instance-cpu-manufacturer': 'intel', 'karpenter.k8s.aws/instance-network-bandwidth': '750' });
    expect(m5?.capacity).toMatchObject({ cpu: 2000, memory: (8192 - 615) * MIB, pods: 29, 'ephemeral-storage': 20 * 2 ** 30 });
  });
});
