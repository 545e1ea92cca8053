/**
 * The AWS provider's instance types with prices (Karpenter AWS's instancetype + pricing providers): discovery
 * (DescribeInstanceTypes, DescribeInstanceTypeOfferings by zone) mapped to domain InstanceTypes, priced with
 * on-demand prices (Pricing API, else the shipped dated table) and spot prices (DescribeSpotPriceHistory),
 * cached in memory and read again by {@link AwsInstanceTypeProvider.refresh} (the `aws.instancetypes` controller
 * calls it every AWS_PRICE_REFRESH_PERIOD, 12 h by default).
 */
import type { EC2Client, InstanceTypeInfo } from '@aws-sdk/client-ec2';
import type { PricingClient } from '@aws-sdk/client-pricing';
import type { CapacityType, InstanceType, Offering } from '@karpenter-ts/provisioner-domain';
import { systemClock, type Clock } from '../../kube/clock.js';
import type { InstanceTypeSource } from './aws.js';
import type { AwsClients } from './clients.js';
import { describeAllInstanceTypes, describeZoneOfferings } from './instancetype-discovery.js';
import { mapInstanceType } from './instancetype-mapping.js';
import { describeOnDemandPrices, staticOnDemandPrices, STATIC_ON_DEMAND_PRICES, type OnDemandPrices, type StaticPriceTable } from './on-demand-prices.js';
import { describeSpotPrices, spotPriceKey } from './spot-prices.js';

export interface AwsInstanceTypeProviderOptions {
  /** `ec2` for discovery and spot prices; `pricing` for on-demand prices (absent = the static table only). */
  clients: Pick<AwsClients, 'ec2'> & { pricing?: Pick<PricingClient, 'send'> | undefined };
  /** The region (e.g. `us-west-2`); default the EC2 client's configured region. */
  region?: string | undefined;
  /** Karpenter's ISOLATED_VPC: never call the Pricing API (no VPC endpoint for it); use the static table. */
  isolatedVpc?: boolean;
  /** Fraction of memory the hypervisor keeps (VM_MEMORY_OVERHEAD_PERCENT), default 0.075. */
  vmMemoryOverheadPercent?: number;
  /** The shipped table by default; tests pass their own. */
  staticPrices?: StaticPriceTable;
  clock?: Clock;
  /** Told when a source fails and a fallback is used (the Pricing API unreachable, spot prices missing). */
  onWarning?: (message: string, error?: unknown) => void;
}

/** What one refresh found, for logs and figures. */
export interface InstanceTypeRefresh {
  region: string;
  /** Types EC2 described / types with at least one priced offering. */
  describedCount: number;
  offeredCount: number;
  offeringCount: number;
  onDemandSource: OnDemandPrices['source'];
  /** Date of the on-demand prices (the table's date, or the API answer's time). */
  onDemandAsOf: string;
  spotPriceCount: number;
  durationMs: number;
}

/**
 * Instance types of the region with priced offerings. An offering is listed only with a price: on-demand from
 * the Pricing API (types it does not price fall back to the static table), spot from the latest
 * DescribeSpotPriceHistory entry of its zone; a type with no priced offering is left out (the scheduler cannot
 * compare its cost). When a refresh fails, the previous catalog keeps being served; the first load throws.
 */
export class AwsInstanceTypeProvider implements InstanceTypeSource {
  private catalog: InstanceType[] | undefined;
  private loading: Promise<InstanceTypeRefresh> | undefined;
  private onDemand: OnDemandPrices | undefined;
  private lastRefresh: InstanceTypeRefresh | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: AwsInstanceTypeProviderOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The cached catalog; the first call loads it (concurrent callers share one load). */
  async instanceTypes(): Promise<readonly InstanceType[]> {
    if (this.catalog === undefined) await this.refresh();
    return this.catalog ?? [];
  }

  /** The last refresh's figures, undefined before the first. */
  get lastRefreshSummary(): InstanceTypeRefresh | undefined {
    return this.lastRefresh;
  }

  /**
   * Reads instance types, zones and prices again and replaces the cache. One refresh at a time: a call during
   * a refresh waits for it. Errors: the EC2 discovery's AwsApiError (the cache is kept); price sources fall back.
   */
  refresh(): Promise<InstanceTypeRefresh> {
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  private async load(): Promise<InstanceTypeRefresh> {
    const started = this.clock.now();
    const ec2 = this.options.clients.ec2;
    const region = this.options.region || (await regionOf(ec2));
    const [infos, zones, onDemand, spot] = await Promise.all([
      describeAllInstanceTypes(ec2),
      describeZoneOfferings(ec2),
      this.onDemandPrices(region),
      describeSpotPrices(ec2).catch((error: unknown) => {
        this.options.onWarning?.('spot prices are unavailable (DescribeSpotPriceHistory failed); spot offerings are left out until the next refresh', error);
        return new Map<string, number>();
      }),
    ]);
    const catalog = priceCatalog({ infos, zones, onDemand: onDemand.pricePerHour, spot, vmMemoryOverheadPercent: this.options.vmMemoryOverheadPercent });
    this.catalog = catalog;
    this.onDemand = onDemand;
    this.lastRefresh = {
      region,
      describedCount: infos.length,
      offeredCount: catalog.length,
      offeringCount: catalog.reduce((n, t) => n + t.offerings.length, 0),
      onDemandSource: onDemand.source,
      onDemandAsOf: onDemand.asOf,
      spotPriceCount: spot.size,
      durationMs: this.clock.now() - started,
    };
    return this.lastRefresh;
  }

  /** Pricing API answer merged over the static table; the previous answer or the table when the API fails. */
  private async onDemandPrices(region: string): Promise<OnDemandPrices> {
    const table = staticOnDemandPrices(region, this.options.staticPrices ?? STATIC_ON_DEMAND_PRICES);
    const pricing = this.options.clients.pricing;
    if (this.options.isolatedVpc || pricing === undefined) return this.onDemand ?? table;
    try {
      const live = await describeOnDemandPrices(pricing, region, () => new Date(this.clock.now()));
      return { ...live, pricePerHour: new Map([...table.pricePerHour, ...live.pricePerHour]) };
    } catch (error) {
      const fallback = this.onDemand ?? table;
      this.options.onWarning?.(
        fallback.source === 'static-table'
          ? `the AWS Pricing API is unreachable; on-demand prices come from the shipped table (prices as of ${fallback.asOf}, ${fallback.pricePerHour.size} types in ${region}) until the next refresh`
          : `the AWS Pricing API is unreachable; keeping the on-demand prices of ${fallback.asOf}`,
        error,
      );
      return fallback;
    }
  }
}

async function regionOf(ec2: Pick<EC2Client, 'send'>): Promise<string> {
  const region = await (ec2 as Partial<EC2Client>).config?.region?.();
  if (!region) throw new Error('the AWS region is unknown: set AWS_REGION (chart value settings.awsRegion)');
  return region;
}

/**
 * Pure: mapped instance types with one offering per zone × capacity type that has a price. Spot is offered in
 * a zone only for types whose SupportedUsageClasses include spot and that have a spot price there.
 */
export function priceCatalog(input: {
  infos: readonly InstanceTypeInfo[];
  zones: ReadonlyMap<string, readonly string[]>;
  onDemand: ReadonlyMap<string, number>;
  spot: ReadonlyMap<string, number>;
  vmMemoryOverheadPercent?: number | undefined;
}): InstanceType[] {
  const out: InstanceType[] = [];
  for (const info of input.infos) {
    const name = info.InstanceType;
    if (name === undefined) continue;
    const onDemandPrice = input.onDemand.get(name);
    const spotAllowed = info.SupportedUsageClasses?.includes('spot') === true;
    const offerings: Offering[] = [];
    for (const zone of [...new Set(input.zones.get(name) ?? [])].sort()) {
      if (onDemandPrice !== undefined) offerings.push({ zone, capacityType: 'on-demand', pricePerHour: onDemandPrice, available: true });
      const spotPrice = spotAllowed ? input.spot.get(spotPriceKey(name, zone)) : undefined;
      if (spotPrice !== undefined) offerings.push({ zone, capacityType: 'spot' as CapacityType, pricePerHour: spotPrice, available: true });
    }
    if (offerings.length === 0) continue;
    const mapped = mapInstanceType(info, offerings, input.vmMemoryOverheadPercent === undefined ? {} : { vmMemoryOverheadPercent: input.vmMemoryOverheadPercent });
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}
