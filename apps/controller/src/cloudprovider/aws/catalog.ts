/**
 * The offline AWS instance-type catalog (`apps/cli/catalogs/aws.yaml`, read by `simulate`/`validate --catalog
 * aws` and the language server): an `InstanceTypeCatalog` document (docs/catalog.md) rendered from what this
 * provider discovers (DescribeInstanceTypes + DescribeInstanceTypeOfferings, mapped as for launches) and priced
 * from the shipped on-demand table. `scripts/gen-aws-catalog.ts` runs it against the emulator or an account.
 */
import type { InstanceTypeInfo } from '@aws-sdk/client-ec2';
import { formatQuantity } from '@karpenter-ts/provisioner-domain';
import { mapInstanceType } from './instancetype-mapping.js';

/** One region's discovery answer. */
export interface RegionDiscovery {
  region: string;
  infos: readonly InstanceTypeInfo[];
  /** type name → zones offering it */
  zones: ReadonlyMap<string, readonly string[]>;
}

export interface AwsCatalogInput {
  regions: readonly RegionDiscovery[];
  /** Families kept (`m5`, `g5`); metal sizes are left out. */
  families: readonly string[];
  /** On-demand USD per hour; undefined = the type is not offered on-demand in that region. */
  onDemandPrice: (region: string, instanceType: string) => number | undefined;
  /** Spot USD per hour in a zone; undefined = no spot offering there. */
  spotPrice: (region: string, instanceType: string, zone: string, onDemandPricePerHour: number | undefined) => number | undefined;
  /** Where the types came from, e.g. `EC2 emulator moto 5.2.5` (annotation karpenter-ts.io/source). */
  source: string;
  /** How prices were obtained (annotation karpenter-ts.io/price-source). */
  priceSource: string;
  /** Date of the prices, `YYYY-MM-DD` (annotation karpenter-ts.io/prices-as-of, shown by the CLI). */
  pricesAsOf: string;
  /** When the file was generated, ISO 8601 (annotation karpenter-ts.io/generated-at). */
  generatedAt: string;
  /** The root volume's size as ephemeral-storage capacity (AL2023 default 20Gi). */
  ephemeralStorage?: string;
}

/** Annotation names the generated catalog carries, besides karpenter-ts.io/prices-as-of. */
export const ANNOTATION_SOURCE = 'karpenter-ts.io/source';
export const ANNOTATION_PRICE_SOURCE = 'karpenter-ts.io/price-source';
export const ANNOTATION_GENERATED_AT = 'karpenter-ts.io/generated-at';

const MIB = 2 ** 20;
const q = (value: string): string => JSON.stringify(value);

/**
 * Spot price as a fixed fraction of on-demand per zone (what the shipped catalog calls indicative): 0.37..0.43,
 * the same fraction for every type of a zone. For emulator runs, whose spot history is a placeholder.
 */
export function indicativeSpotPrice(zone: string, onDemandPricePerHour: number | undefined): number | undefined {
  if (onDemandPricePerHour === undefined) return undefined;
  const fraction = INDICATIVE_SPOT_FRACTION[zone] ?? 0.4;
  return Math.round(onDemandPricePerHour * fraction * 10_000) / 10_000;
}
const INDICATIVE_SPOT_FRACTION: Readonly<Record<string, number>> = {
  'us-east-1a': 0.38,
  'us-east-1b': 0.4,
  'us-east-1c': 0.41,
  'us-east-1d': 0.39,
  'us-east-1e': 0.4,
  'us-east-1f': 0.42,
  'us-west-2a': 0.37,
  'us-west-2b': 0.39,
  'us-west-2c': 0.4,
  'us-west-2d': 0.43,
};

const sizeOrder = (name: string): number => {
  const size = name.split('.')[1] ?? '';
  const named: Record<string, number> = { nano: 0.125, micro: 0.25, small: 0.5, medium: 1, large: 2, xlarge: 4 };
  return named[size] ?? Number(/^(\d+)xlarge$/.exec(size)?.[1] ?? 1e6) * 4;
};

/**
 * The catalog document as YAML text: a header comment, then one entry per kept type (families in the given
 * order, sizes ascending) with its labels, capacity (cpu, memory less the VM overhead, ENI-limited pods,
 * GPUs, ephemeral-storage) and one offering per region zone × capacity type that has a price. No `overhead`:
 * readers apply Karpenter's default kube-reserved and eviction threshold.
 */
export function renderAwsCatalog(input: AwsCatalogInput): string {
  const families = new Set(input.families);
  const byName = new Map<string, { info: InstanceTypeInfo; offerings: string[] }>();
  for (const { region, infos, zones } of input.regions) {
    for (const info of infos) {
      const name = info.InstanceType ?? '';
      const [family = '', size = ''] = name.split('.');
      if (!families.has(family) || size.startsWith('metal')) continue;
      const onDemand = input.onDemandPrice(region, name);
      const entry = byName.get(name) ?? { info, offerings: [] };
      for (const zone of [...new Set(zones.get(name) ?? [])].sort()) {
        if (onDemand !== undefined) entry.offerings.push(`{zone: ${zone}, capacityType: on-demand, price: ${onDemand}}`);
        const spot = info.SupportedUsageClasses?.includes('spot') === true ? input.spotPrice(region, name, zone, onDemand) : undefined;
        if (spot !== undefined) entry.offerings.push(`{zone: ${zone}, capacityType: spot, price: ${spot}}`);
      }
      if (entry.offerings.length > 0) byName.set(name, entry);
    }
  }
  const familyIndex = new Map(input.families.map((f, i) => [f, i]));
  const names = [...byName.keys()].sort((a, b) => (familyIndex.get(a.split('.')[0] ?? '') ?? 0) - (familyIndex.get(b.split('.')[0] ?? '') ?? 0) || sizeOrder(a) - sizeOrder(b) || a.localeCompare(b));
  const regions = input.regions.map((r) => r.region).join(' and ');
  const lines = [
    `# Instance types of Amazon EC2 for \`karpenter-ts --catalog aws\` (or --catalog apps/cli/catalogs/aws.yaml), so that`,
    `# EKS manifests (m5.large, us-west-2a, karpenter.k8s.aws/instance-family) simulate offline.`,
    `#`,
    `# GENERATED by \`npm run gen:aws-catalog -w @karpenter-ts/controller\` on ${input.generatedAt.slice(0, 10)}; do not edit by hand.`,
    `# Types: ${input.source}, mapped by the controller's own discovery code (apps/controller/src/cloudprovider/aws):`,
    `# memory is the EC2 size less the 7.5% VM overhead, pods the ENI-limited count of the VPC CNI`,
    `# (ENIs x (IPv4 per ENI - 1) + 2), ephemeral-storage the ${input.ephemeralStorage ?? '20Gi'} root volume of the AL2023 AMI family.`,
    `# No \`overhead\` is given, so each type gets Karpenter's default kube-reserved and eviction threshold for its`,
    `# size (see docs/catalog.md). Prices are USD per hour and INDICATIVE (${input.priceSource}).`,
    `# They are not a quote; refresh them, or write your own catalog (docs/catalog.md), before drawing cost conclusions.`,
    `apiVersion: karpenter-ts.io/v1alpha1`,
    `kind: InstanceTypeCatalog`,
    `metadata:`,
    `  name: aws`,
    `  annotations:`,
    `    karpenter-ts.io/prices-as-of: ${q(input.pricesAsOf)}`,
    `    karpenter-ts.io/description: ${q(`Amazon EC2 ${input.families.join(', ')} in ${regions}; prices indicative`)}`,
    `    ${ANNOTATION_SOURCE}: ${q(input.source)}`,
    `    ${ANNOTATION_PRICE_SOURCE}: ${q(input.priceSource)}`,
    `    ${ANNOTATION_GENERATED_AT}: ${q(input.generatedAt)}`,
    `instanceTypes:`,
  ];
  for (const name of names) {
    const { info, offerings } = byName.get(name) ?? { info: {}, offerings: [] };
    const mapped = mapInstanceType(info, []);
    if (mapped === undefined) continue;
    const labels = Object.entries(mapped.labels).filter(([k]) => k !== 'node.kubernetes.io/instance-type');
    const capacity: [string, string][] = [];
    for (const [resource, amount] of Object.entries(mapped.capacity)) {
      capacity.push([resource, resource === 'memory' ? `${amount / MIB}Mi` : formatQuantity(resource, amount)]);
    }
    capacity.push(['ephemeral-storage', input.ephemeralStorage ?? '20Gi']);
    lines.push(`  - name: ${name}`);
    lines.push(`    labels: {${labels.map(([k, v]) => `${k}: ${q(v)}`).join(', ')}}`);
    lines.push(`    capacity: {${capacity.map(([k, v]) => `${k}: ${/^\d+$/.test(v) ? q(v) : v}`).join(', ')}}`);
    lines.push(`    offerings:`);
    for (const offering of offerings) lines.push(`      - ${offering}`);
  }
  return `${lines.join('\n')}\n`;
}
