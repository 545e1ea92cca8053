import type { Registration } from '../../controllers/manager.js';
import type { ControllerContext } from '../../controllers/types.js';
import type { KubeClient } from '../../kube/client.js';
import type { Clock } from '../../kube/clock.js';
import type { Options } from '../../options.js';
import type { ClusterState } from '../../state/cluster.js';
import { UnavailableOfferings } from '../unavailable-offerings.js';
import { AwsCloudProvider, type InstanceTypeSource } from './aws.js';
import { createAwsClients, type AwsClients } from './clients.js';
import { EmulatedKubelet } from './emulated-kubelet.js';
import { AwsInstanceTypeProvider } from './instancetype-provider.js';
import { instanceTypeRefreshRegistration } from './instancetype-refresh.js';
import { interruptionRegistration } from './interruption.js';
import { NodeClassResolver } from './nodeclass-resolver.js';
import { ec2NodeClassStatusRegistration } from './nodeclass-status.js';

export { AwsCloudProvider, type InstanceTypeSource } from './aws.js';
export { createAwsClients, type AwsClients } from './clients.js';
export { AwsInstanceTypeProvider } from './instancetype-provider.js';

export interface AwsProviderDeps {
  options: Options;
  client: KubeClient;
  state: ClusterState;
  clock: Clock;
  /**
   * The region's instance types; default an {@link AwsInstanceTypeProvider} (discovery, Pricing API or the
   * shipped table, spot prices) refreshed by the `aws.instancetypes` controller every AWS_PRICE_REFRESH_PERIOD.
   */
  instanceTypes?: InstanceTypeSource;
  /** Told when a price source fails and a fallback is used. */
  onWarning?: (message: string, error?: unknown) => void;
  /** Default: SDK clients from the options (region, endpoint override), adaptive retries. */
  clients?: AwsClients;
  /** Kubernetes `major.minor`; default asked of the API server (GET /version) once. */
  kubernetesVersion?: () => Promise<string>;
}

/**
 * The AWS provider and its controllers (`ec2nodeclass.status`; `interruption` when INTERRUPTION_QUEUE is
 * set), wired from the controller options: region, endpoint override, cluster name, endpoint and CA, and the
 * emulated kubelet for tests and local runs.
 */
export function createAwsCloudProvider(deps: AwsProviderDeps): { cloudProvider: AwsCloudProvider; controllers: (ctx: ControllerContext) => Registration[] } {
  const { options, client, state, clock } = deps;
  const clients = deps.clients ?? createAwsClients({ region: options.awsRegion || undefined, endpoint: options.awsEndpointOverride || undefined });
  const unavailableOfferings = new UnavailableOfferings({ clock });
  const provider = deps.instanceTypes
    ? undefined
    : new AwsInstanceTypeProvider({
        clients,
        region: options.awsRegion || undefined,
        isolatedVpc: options.isolatedVpc,
        vmMemoryOverheadPercent: options.vmMemoryOverheadPercent,
        clock,
        ...(deps.onWarning ? { onWarning: deps.onWarning } : {}),
      });
  const cloudProvider = new AwsCloudProvider({
    clients,
    clusterName: options.clusterName,
    clusterEndpoint: options.clusterEndpoint,
    clusterCABundle: options.clusterCABundle,
    instanceTypes: deps.instanceTypes ?? (provider as AwsInstanceTypeProvider),
    nodeClass: (ref) => state.nodeClass(ref),
    clock,
    unavailableOfferings,
    ...(options.awsEmulatedKubelet ? { kubelet: new EmulatedKubelet(client) } : {}),
  });
  let version: Promise<string> | undefined;
  const kubernetesVersion =
    deps.kubernetesVersion ??
    (() =>
      (version ??= (async () => {
        const v = await (client as KubeClient & { serverVersion?: () => Promise<{ major: string; minor: string }> }).serverVersion?.();
        if (!v) throw new Error('the Kubernetes version is unknown (the client cannot ask the API server)');
        return `${v.major}.${v.minor.replace(/\D/g, '')}`;
      })().catch((error: unknown) => {
        version = undefined;
        throw error;
      })));
  const resolver = new NodeClassResolver({ clients, clusterName: options.clusterName, region: options.awsRegion, kubernetesVersion });
  return {
    cloudProvider,
    controllers: (ctx) => [
      ec2NodeClassStatusRegistration(ctx, resolver, cloudProvider.launchTemplates),
      ...(provider ? [instanceTypeRefreshRegistration(ctx, provider, { periodMs: options.awsPriceRefreshMs, offeringPriceMetrics: options.awsOfferingPriceMetrics })] : []),
      ...(options.interruptionQueue ? [interruptionRegistration(ctx, { clients, queue: options.interruptionQueue, unavailableOfferings })] : []),
    ],
  };
}
