import { CreateFleetCommand, DescribeInstancesCommand, TerminateInstancesCommand, type CreateFleetCommandOutput, type FleetLaunchTemplateConfigRequest, type Instance } from '@aws-sdk/client-ec2';
import {
  CreateError,
  InsufficientCapacityError,
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  NodeClaimNotFoundError,
  NodeClassNotReadyError,
  allocatable,
  amiFamilyOf,
  formatResourceList,
  shapeInstanceTypesByNodeClass,
  type CloudProvider,
  type EC2NodeClass,
  type InstanceType,
  type NodeClaim,
  type NodeClassReference,
  type NodePool,
} from '@karpenter-ts/provisioner-domain';
import { systemClock, type Clock } from '../../kube/clock.js';
import type { NodeClassKind, NodeClassObject, NodeClassReadiness, NodeClassSupport } from '../nodeclass.js';
import { UnavailableOfferings, type OfferingKey } from '../unavailable-offerings.js';
import type { AwsClients } from './clients.js';
import type { EmulatedKubelet } from './emulated-kubelet.js';
import { AwsApiError, awsErrorCode, awsRequestId, call, isCapacityErrorCode, isNotFoundError } from './errors.js';
import { chooseCapacityType, fleetOverrides, launchCandidates, type FleetOverride } from './fleet.js';
import { instanceIdOf, isLive, providerIdOf } from './instances.js';
import { launchTemplateData } from './launch-template-data.js';
import { LaunchTemplates } from './launch-templates.js';
import type { ResolvedNodeClass } from './nodeclass-resolver.js';
import { TAG_EC2NODECLASS, TAG_EKS_CLUSTER_NAME, TAG_NODECLAIM, TAG_NODEPOOL, clusterTag, fromAwsTags, toAwsTags } from './tags.js';
import { renderUserData } from './userdata.js';

/** Where the AWS provider gets the region's instance types (discovery + pricing, or a fixed catalog in tests). */
export interface InstanceTypeSource {
  /** Every instance type of the region with its offerings (zone × capacity type, price, availability). */
  instanceTypes(): Promise<readonly InstanceType[]>;
}

export interface AwsCloudProviderOptions {
  clients: AwsClients;
  clusterName: string;
  /** API server URL written into user data. */
  clusterEndpoint: string;
  /** Base64 PEM of the cluster CA for user data; empty when unknown. */
  clusterCABundle?: string;
  instanceTypes: InstanceTypeSource;
  /** The EC2NodeClass a reference names (the controller's informer cache). */
  nodeClass: (ref: NodeClassReference) => EC2NodeClass | undefined;
  clock?: Clock;
  /** The ICE cache; default a new one on `clock`. */
  unavailableOfferings?: UnavailableOfferings;
  /** Tests and local runs: creates the Node of each launched instance (AWS_EMULATED_KUBELET). */
  kubelet?: EmulatedKubelet;
}

/** The node class kind the AWS provider manages. */
export const EC2_NODE_CLASS_KIND: NodeClassKind = { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' };

/**
 * The CloudProvider for AWS EC2 (Karpenter AWS's `cloudprovider.CloudProvider`), on the AWS SDK v3.
 *
 * - `create`: reads the NodeClaim's EC2NodeClass (its status as the `ec2nodeclass.status` controller resolved it;
 *   NodeClassNotReadyError when it is not Ready), keeps the offerings the requirements allow in zones with a
 *   subnet and outside the unavailable-offerings cache, chooses spot when allowed else on-demand, ensures one
 *   launch template per AMI, and sends ONE CreateFleet of type `instant` with target capacity 1, at most 60
 *   overrides (instance type × subnet), spot `price-capacity-optimized` / on-demand `lowest-price`, tagging
 *   instance and volumes with karpenter.sh/nodepool, karpenter.sh/nodeclaim, kubernetes.io/cluster/NAME=owned,
 *   karpenter.k8s.aws/ec2nodeclass, eks:eks-cluster-name and the node class's tags. Capacity errors the fleet
 *   reports (InsufficientInstanceCapacity, MaxSpotInstanceCountExceeded, VcpuLimitExceeded,
 *   UnfulfillableCapacity, ...) mark those offerings unavailable for 3 minutes; with no instance launched that
 *   is an InsufficientCapacityError, anything else a CreateError naming the AWS code and request id.
 * - `get` / `list` / `delete`: DescribeInstances by id, or by the cluster and nodepool tags; TerminateInstances.
 *   An instance that is unknown, shutting down or terminated is a NodeClaimNotFoundError.
 * - `isDrifted`: `AMIDrift`, `SubnetDrift` or `SecurityGroupDrift` when the instance's image, subnet or security
 *   groups are no longer among its node class's resolved ones.
 */
export class AwsCloudProvider implements CloudProvider, NodeClassSupport {
  readonly name = 'aws';
  readonly supportedNodeClasses: readonly NodeClassKind[] = [EC2_NODE_CLASS_KIND];
  readonly unavailableOfferings: UnavailableOfferings;
  readonly launchTemplates: LaunchTemplates;
  private readonly clients: AwsClients;
  private readonly options: AwsCloudProviderOptions;
  private readonly shaped = new Map<string, { catalog: readonly InstanceType[]; spec: string; types: InstanceType[] }>();

  constructor(options: AwsCloudProviderOptions) {
    this.options = options;
    this.clients = options.clients;
    this.unavailableOfferings = options.unavailableOfferings ?? new UnavailableOfferings({ clock: options.clock ?? systemClock });
    this.launchTemplates = new LaunchTemplates(options.clients, options.clusterName);
  }

  async getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]> {
    const ref = nodePool.spec.template.spec.nodeClassRef;
    return this.unavailableOfferings.apply(await this.shapedInstanceTypes(ref ? this.options.nodeClass(ref) : undefined));
  }

  /**
   * The catalog shaped by a node class (OS, root volume, kubelet settings), computed once per catalog refresh and
   * node class spec: a launch or a provisioning round over a full region's catalog then costs no re-shaping.
   * One entry per node class name; a new catalog or spec replaces it.
   */
  private async shapedInstanceTypes(nodeClass: EC2NodeClass | undefined): Promise<InstanceType[]> {
    const catalog = await this.options.instanceTypes.instanceTypes();
    if (!nodeClass) return [...catalog];
    const name = nodeClass.metadata.name ?? '';
    const spec = JSON.stringify(nodeClass.spec);
    const cached = this.shaped.get(name);
    if (cached?.catalog === catalog && cached.spec === spec) return cached.types;
    const types = shapeInstanceTypesByNodeClass(catalog, nodeClass);
    this.shaped.set(name, { catalog, spec, types });
    return types;
  }

  nodeClassReadiness(nodeClass: NodeClassObject): NodeClassReadiness {
    const ready = nodeClass.status?.conditions?.find((c) => c.type === 'Ready');
    if (!ready) return { ready: false, reason: 'NodeClassNotReady', message: 'not resolved yet (no Ready condition in its status)' };
    if (ready.status !== 'True') return { ready: false, reason: ready.reason || 'NodeClassNotReady', message: ready.message ?? '' };
    return { ready: true };
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const claimName = nodeClaim.metadata.name ?? '';
    const ref = nodeClaim.spec.nodeClassRef;
    const nodeClass = this.options.nodeClass(ref);
    if (!nodeClass) throw new NodeClassNotReadyError(`EC2NodeClass "${ref.name}" not found: create it, or point the NodePool's nodeClassRef at one that exists`);
    const readiness = this.nodeClassReadiness(nodeClass as NodeClassObject);
    if (!readiness.ready) throw new NodeClassNotReadyError(`EC2NodeClass "${ref.name}" is not ready: ${readiness.reason}${readiness.message ? `: ${readiness.message}` : ''}`);
    const resolved = resolvedOf(nodeClass);
    const types = await this.shapedInstanceTypes(nodeClass);
    const zones = new Set(resolved.subnets.map((s) => s.zone));
    const { candidates, tried } = launchCandidates(nodeClaim, types, zones, (o) => this.unavailableOfferings.isUnavailable(o));
    if (candidates.length === 0) throw new InsufficientCapacityError(`no available offering of EC2NodeClass "${ref.name}" matches the requirements of NodeClaim ${claimName}`, tried);
    const capacityType = chooseCapacityType(candidates);
    const overrides = fleetOverrides(candidates, capacityType, resolved.subnets, resolved.amis);
    if (overrides.length === 0) throw new CreateError(`no AMI of EC2NodeClass "${ref.name}" fits the instance types NodeClaim ${claimName} allows (check the AMIs' architectures)`, 'AMINotFound');
    const configs = await this.launchTemplateConfigs(nodeClaim, nodeClass, resolved, overrides);
    const tags = {
      ...(nodeClass.spec.tags ?? {}),
      [TAG_NODEPOOL]: nodeClaim.metadata.labels?.[LABEL_NODEPOOL] ?? '',
      [TAG_NODECLAIM]: claimName,
      [clusterTag(this.options.clusterName)]: 'owned',
      [TAG_EC2NODECLASS]: nodeClass.metadata.name ?? '',
      [TAG_EKS_CLUSTER_NAME]: this.options.clusterName,
    };
    let out: CreateFleetCommandOutput;
    try {
      out = await this.clients.ec2.send(
        new CreateFleetCommand({
          Type: 'instant',
          TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: capacityType },
          ...(capacityType === 'spot' ? { SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } } : { OnDemandOptions: { AllocationStrategy: 'lowest-price' } }),
          LaunchTemplateConfigs: configs.map((c) => c.config),
          TagSpecifications: [
            { ResourceType: 'instance', Tags: toAwsTags(tags) },
            { ResourceType: 'volume', Tags: toAwsTags(tags) },
          ],
        }),
      );
    } catch (error) {
      const code = awsErrorCode(error);
      if (code === 'InvalidLaunchTemplateName.NotFoundException' || code === 'InvalidLaunchTemplateId.NotFound') for (const c of configs) this.launchTemplates.invalidate(c.name);
      if (isCapacityErrorCode(code)) {
        const offerings = overrides.map((o) => offeringOf(o, capacityType));
        this.unavailableOfferings.markUnavailable(...offerings);
        throw new InsufficientCapacityError(`CreateFleet for NodeClaim ${claimName}: ${code}${awsRequestId(error) ? ` (request id ${awsRequestId(error)})` : ''}`, offerings, { cause: error });
      }
      throw new CreateError(`launching NodeClaim ${claimName}: ${AwsApiError.from('CreateFleet', error).message}`, 'LaunchFailed', { cause: AwsApiError.from('CreateFleet', error) });
    }
    const failed: OfferingKey[] = [];
    for (const e of out.Errors ?? []) {
      if (!isCapacityErrorCode(e.ErrorCode)) continue;
      const o = e.LaunchTemplateAndOverrides?.Overrides;
      const match = overrides.find((x) => x.instanceType === o?.InstanceType && (x.subnetId === o?.SubnetId || x.zone === o?.AvailabilityZone));
      if (match) failed.push(offeringOf(match, capacityType));
    }
    if (failed.length > 0) this.unavailableOfferings.markUnavailable(...failed);
    const launched = out.Instances?.find((i) => (i.InstanceIds ?? []).length > 0);
    const instanceId = launched?.InstanceIds?.[0];
    if (!launched || !instanceId) {
      const errors = out.Errors ?? [];
      if (errors.length > 0 && errors.every((e) => isCapacityErrorCode(e.ErrorCode))) {
        throw new InsufficientCapacityError(`CreateFleet for NodeClaim ${claimName}: ${[...new Set(errors.map((e) => e.ErrorCode))].join(', ')}`, failed);
      }
      const first = errors.find((e) => !isCapacityErrorCode(e.ErrorCode));
      throw new CreateError(
        `launching NodeClaim ${claimName}: CreateFleet launched no instance: ${first?.ErrorCode ?? 'no error given'}: ${first?.ErrorMessage ?? ''}${out.$metadata.requestId ? ` (request id ${out.$metadata.requestId})` : ''}`,
        first?.ErrorCode ?? 'LaunchFailed',
      );
    }
    const o = launched.LaunchTemplateAndOverrides?.Overrides;
    const chosen = overrides.find((x) => x.instanceType === (launched.InstanceType ?? o?.InstanceType) && (!o?.SubnetId || x.subnetId === o.SubnetId)) ?? overrides[0];
    if (!chosen) throw new CreateError(`CreateFleet answered with an instance type that was not asked for: ${launched.InstanceType ?? ''}`, 'LaunchFailed');
    const zone = o?.AvailabilityZone ?? chosen.zone;
    const launchedCapacityType = launched.Lifecycle === 'spot' ? 'spot' : launched.Lifecycle === 'on-demand' ? 'on-demand' : capacityType;
    const instanceType = types.find((t) => t.name === chosen.instanceType);
    if (!instanceType) throw new CreateError(`instance type ${chosen.instanceType} vanished from the catalog during the launch`, 'LaunchFailed');
    const providerID = providerIdOf(zone, instanceId);
    if (this.options.kubelet) {
      const described = await this.describe(instanceId).catch(() => undefined);
      await this.options.kubelet.register(nodeClaim, {
        nodeName: described?.PrivateDnsName || instanceId,
        providerID,
        instanceType,
        zone,
        capacityType: launchedCapacityType,
      });
    }
    return {
      ...nodeClaim,
      metadata: {
        ...nodeClaim.metadata,
        labels: {
          ...(nodeClaim.metadata.labels ?? {}),
          ...instanceType.labels,
          [LABEL_INSTANCE_TYPE]: instanceType.name,
          [LABEL_TOPOLOGY_ZONE]: zone,
          [LABEL_CAPACITY_TYPE]: launchedCapacityType,
        },
      },
      status: {
        ...(nodeClaim.status ?? {}),
        providerID,
        imageID: chosen.amiId,
        capacity: formatResourceList(instanceType.capacity),
        allocatable: formatResourceList(allocatable(instanceType)),
      },
    };
  }

  /** One launch template config per AMI among the overrides, each template ensured (created on first use). */
  private async launchTemplateConfigs(
    nodeClaim: NodeClaim,
    nodeClass: EC2NodeClass,
    resolved: ResolvedNodeClass,
    overrides: readonly FleetOverride[],
  ): Promise<{ name: string; config: FleetLaunchTemplateConfigRequest }[]> {
    const byAmi = new Map<string, FleetOverride[]>();
    for (const o of overrides) byAmi.set(o.amiId, [...(byAmi.get(o.amiId) ?? []), o]);
    const userData = renderUserData({
      amiFamily: resolved.amiFamily,
      clusterName: this.options.clusterName,
      clusterEndpoint: this.options.clusterEndpoint,
      clusterCABundle: this.options.clusterCABundle ?? '',
      custom: nodeClass.spec.userData,
      labels: nodeClaim.metadata.labels ?? {},
      taints: [...(nodeClaim.spec.taints ?? []), ...(nodeClaim.spec.startupTaints ?? [])],
      kubelet: nodeClass.spec.kubelet,
      maxPods: nodeClass.spec.kubelet?.maxPods,
    });
    const out: { name: string; config: FleetLaunchTemplateConfigRequest }[] = [];
    for (const [amiId, list] of byAmi) {
      const template = await this.launchTemplates.ensure({
        nodeClassName: nodeClass.metadata.name ?? '',
        data: launchTemplateData(nodeClass, resolved, amiId, userData),
        ...(nodeClass.spec.tags ? { tags: nodeClass.spec.tags } : {}),
      });
      out.push({
        name: template.name,
        config: {
          LaunchTemplateSpecification: { LaunchTemplateId: template.id, Version: '$Latest' },
          Overrides: list.map((o) => ({ InstanceType: o.instanceType as never, SubnetId: o.subnetId, AvailabilityZone: o.zone })),
        },
      });
    }
    return out;
  }

  async get(providerID: string): Promise<NodeClaim> {
    const id = instanceIdOf(providerID);
    if (!id) throw new NodeClaimNotFoundError(`providerID ${providerID} is not an EC2 instance (expected aws:///<zone>/i-...)`);
    const instance = await this.describe(id);
    if (!instance || !isLive(instance)) throw new NodeClaimNotFoundError(`instance ${id} not found`);
    return this.asNodeClaim(instance);
  }

  async list(): Promise<NodeClaim[]> {
    const out: NodeClaim[] = [];
    let NextToken: string | undefined;
    do {
      const page = await call('DescribeInstances', () =>
        this.clients.ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: 'tag-key', Values: [TAG_NODEPOOL] },
              { Name: `tag:${clusterTag(this.options.clusterName)}`, Values: ['owned'] },
              { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
            ],
            ...(NextToken ? { NextToken } : {}),
          }),
        ),
      );
      for (const r of page.Reservations ?? []) for (const i of r.Instances ?? []) if (isLive(i)) out.push(this.asNodeClaim(i));
      NextToken = page.NextToken;
    } while (NextToken);
    return out;
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    let ids = [instanceIdOf(nodeClaim.status?.providerID)].filter((id): id is string => Boolean(id));
    if (ids.length === 0) {
      // Launched but its status never written: find the instance by the NodeClaim tag.
      const name = nodeClaim.metadata.name;
      if (name) ids = (await this.list()).filter((c) => c.metadata.name === name).map((c) => instanceIdOf(c.status?.providerID) ?? '').filter(Boolean);
      if (ids.length === 0) throw new NodeClaimNotFoundError(`no instance for NodeClaim ${name ?? ''}`);
    }
    try {
      const out = await this.clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: ids }));
      const states = (out.TerminatingInstances ?? []).map((t) => t.PreviousState?.Name ?? '');
      if (states.length > 0 && states.every((s) => s === 'terminated')) throw new NodeClaimNotFoundError(`instance ${ids.join(', ')} already terminated`);
    } catch (error) {
      if (error instanceof NodeClaimNotFoundError) throw error;
      if (isNotFoundError(error)) throw new NodeClaimNotFoundError(`instance ${ids.join(', ')} not found`, { cause: error });
      throw AwsApiError.from('TerminateInstances', error);
    }
  }

  async isDrifted(nodeClaim: NodeClaim): Promise<string | undefined> {
    const nodeClass = this.options.nodeClass(nodeClaim.spec.nodeClassRef);
    if (!nodeClass || !this.nodeClassReadiness(nodeClass as NodeClassObject).ready) return undefined;
    const id = instanceIdOf(nodeClaim.status?.providerID);
    if (!id) return undefined;
    const instance = await this.describe(id);
    if (!instance || !isLive(instance)) return undefined;
    const resolved = resolvedOf(nodeClass);
    if (instance.ImageId && !resolved.amis.some((a) => a.id === instance.ImageId)) return 'AMIDrift';
    if (instance.SubnetId && !resolved.subnets.some((s) => s.id === instance.SubnetId)) return 'SubnetDrift';
    const groups = (instance.SecurityGroups ?? []).map((g) => g.GroupId ?? '').sort();
    const wanted = resolved.securityGroups.map((g) => g.id).sort();
    if (groups.length > 0 && JSON.stringify(groups) !== JSON.stringify(wanted)) return 'SecurityGroupDrift';
    return undefined;
  }

  /** The instance with this id, or undefined when EC2 does not know it. */
  async describe(id: string): Promise<Instance | undefined> {
    try {
      const out = await this.clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
      return out.Reservations?.[0]?.Instances?.[0];
    } catch (error) {
      if (isNotFoundError(error)) return undefined;
      throw AwsApiError.from('DescribeInstances', error);
    }
  }

  /** An instance as a NodeClaim: name and NodePool from its tags, resolved labels, providerID, launch time. */
  private asNodeClaim(instance: Instance): NodeClaim {
    const tags = fromAwsTags(instance.Tags);
    const zone = instance.Placement?.AvailabilityZone ?? '';
    const labels: Record<string, string> = {
      [LABEL_INSTANCE_TYPE]: instance.InstanceType ?? '',
      [LABEL_TOPOLOGY_ZONE]: zone,
      [LABEL_CAPACITY_TYPE]: instance.InstanceLifecycle === 'spot' ? 'spot' : 'on-demand',
    };
    if (tags[TAG_NODEPOOL]) labels[LABEL_NODEPOOL] = tags[TAG_NODEPOOL];
    return {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: {
        name: tags[TAG_NODECLAIM] ?? instance.InstanceId ?? '',
        labels,
        ...(instance.LaunchTime ? { creationTimestamp: new Date(instance.LaunchTime).toISOString() } : {}),
      },
      spec: { requirements: [], nodeClassRef: { ...EC2_NODE_CLASS_KIND, name: tags[TAG_EC2NODECLASS] ?? '' } },
      status: { providerID: providerIdOf(zone, instance.InstanceId ?? ''), ...(instance.ImageId ? { imageID: instance.ImageId } : {}) },
    };
  }
}

const offeringOf = (o: FleetOverride, capacityType: string): OfferingKey => ({ instanceType: o.instanceType, zone: o.zone, capacityType });

/** The resolved values an EC2NodeClass's status holds (written by `ec2nodeclass.status`). */
export function resolvedOf(nodeClass: EC2NodeClass): ResolvedNodeClass {
  const status = nodeClass.status ?? {};
  return {
    subnets: (status.subnets ?? []).map((s) => ({ id: s.id, zone: s.zone, ...(s.zoneID ? { zoneID: s.zoneID } : {}), availableIpAddressCount: 0 })),
    securityGroups: (status.securityGroups ?? []).map((g) => ({ id: g.id, ...(g.name ? { name: g.name } : {}) })),
    amis: (status.amis ?? []).map((a) => ({
      id: a.id,
      ...(a.name ? { name: a.name } : {}),
      creationDate: '',
      requirements: a.requirements.map((r) => ({ key: r.key, operator: 'In' as const, values: r.values ?? [] })),
    })),
    ...(status.instanceProfile ? { instanceProfile: status.instanceProfile } : {}),
    amiFamily: amiFamilyOf(nodeClass),
  };
}
