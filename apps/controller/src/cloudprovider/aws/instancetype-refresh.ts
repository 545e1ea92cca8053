import type { Registration } from '../../controllers/manager.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../controllers/types.js';
import type { AwsInstanceTypeProvider } from './instancetype-provider.js';

export interface InstanceTypeRefreshOptions {
  /** Time between refreshes, ms (setting AWS_PRICE_REFRESH_PERIOD, default 12 h as Karpenter AWS's pricing controller). */
  periodMs: number;
  /** Export karpenter_cloudprovider_instance_type_offering_price_estimate (setting AWS_OFFERING_PRICE_METRICS, off by default: one series per type × zone × capacity type). */
  offeringPriceMetrics: boolean;
}

/**
 * `aws.instancetypes` (Karpenter AWS's pricing and instance-type refresh controllers): reads the region's
 * instance types, on-demand and spot prices again every `periodMs`, logs where the prices came from, and (when
 * enabled) sets one price gauge per offering. A failed refresh keeps the previous catalog and is retried with
 * the manager's backoff.
 */
export function instanceTypeRefresh(ctx: ControllerContext, provider: AwsInstanceTypeProvider, options: InstanceTypeRefreshOptions): Controller {
  const log = ctx.log.child({ controller: 'aws.instancetypes' });
  return {
    name: 'aws.instancetypes',
    async reconcile(): Promise<ReconcileResult | void> {
      const summary = await provider.refresh();
      log.info(summary, 'refreshed instance types and prices');
      if (options.offeringPriceMetrics) {
        const gauge = ctx.metrics.instanceTypeOfferingPriceEstimate;
        gauge.reset();
        for (const type of await provider.instanceTypes()) {
          for (const o of type.offerings) gauge.set({ instance_type: type.name, capacity_type: o.capacityType, zone: o.zone }, o.pricePerHour);
        }
      }
      return { requeueAfterMs: options.periodMs };
    },
  };
}

/** The registration of {@link instanceTypeRefresh}: one worker, one key, started at once. */
export function instanceTypeRefreshRegistration(ctx: ControllerContext, provider: AwsInstanceTypeProvider, options: InstanceTypeRefreshOptions): Registration {
  return {
    controller: instanceTypeRefresh(ctx, provider, options),
    concurrency: 1,
    watch: (enqueue) => {
      enqueue('instancetypes');
      return () => undefined;
    },
  };
}
