import { InsufficientCapacityError, NodeClaimNotFoundError, NodeClassNotReadyError, toResourceList, type EC2NodeClass, type InstanceType, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../testing/fake-clock.js';
import { awsError, fakeAwsClients, type FakeAwsHandler } from '../../testing/fake-aws.js';
import { UnavailableOfferings } from '../unavailable-offerings.js';
import { AwsCloudProvider } from './aws.js';
import { MAX_FLEET_OVERRIDES } from './fleet.js';

const ZONES = ['us-west-2a', 'us-west-2b'];

function type(name: string, pricePerHour: number, arch = 'amd64', capacityTypes: ('spot' | 'on-demand')[] = ['on-demand']): InstanceType {
  return {
    name,
    labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux' },
    capacity: toResourceList({ cpu: '2', memory: '8Gi', pods: '29' }),
    overhead: { kubeReserved: toResourceList({ cpu: '70m' }), systemReserved: {}, evictionThreshold: toResourceList({ memory: '100Mi' }) },
    offerings: ZONES.flatMap((zone) => capacityTypes.map((capacityType) => ({ zone, capacityType, pricePerHour: capacityType === 'spot' ? pricePerHour / 3 : pricePerHour, available: true }))),
  };
}

const readyNodeClass: EC2NodeClass = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default' },
  spec: { subnetSelectorTerms: [{ id: 'subnet-a' }], securityGroupSelectorTerms: [{ id: 'sg-1' }], amiSelectorTerms: [{ alias: 'al2023@latest' }], role: 'r', tags: { team: 'payments' } },
  status: {
    subnets: [
      { id: 'subnet-a', zone: 'us-west-2a' },
      { id: 'subnet-b', zone: 'us-west-2b' },
    ],
    securityGroups: [{ id: 'sg-1' }],
    amis: [{ id: 'ami-x86', requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
    instanceProfile: 'demo_profile',
    conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  },
};

const claim = (requirements: NodeClaim['spec']['requirements'] = []): NodeClaim => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name: 'default-abc12', labels: { 'karpenter.sh/nodepool': 'default' } },
  spec: { requirements, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
});

/** A fleet that launches the first override's instance unless `errors` says otherwise. */
const fleet =
  (errors: (o: { InstanceType: string; SubnetId: string }) => string | undefined = () => undefined): FakeAwsHandler =>
  (input) => {
    const overrides = (input['LaunchTemplateConfigs'] as { Overrides: { InstanceType: string; SubnetId: string; AvailabilityZone: string }[] }[]).flatMap((c) => c.Overrides);
    const failed = overrides.filter((o) => errors(o));
    const ok = overrides.find((o) => !errors(o));
    return {
      Errors: failed.map((o) => ({ ErrorCode: errors(o), ErrorMessage: 'no capacity', LaunchTemplateAndOverrides: { Overrides: o } })),
      Instances: ok ? [{ InstanceIds: ['i-0123456789abcdef0'], InstanceType: ok.InstanceType, Lifecycle: 'on-demand', LaunchTemplateAndOverrides: { Overrides: ok } }] : [],
    };
  };

function provider(handlers: Record<string, FakeAwsHandler>, types: InstanceType[], nodeClass: EC2NodeClass | undefined = readyNodeClass) {
  const fake = fakeAwsClients({
    DescribeLaunchTemplates: () => {
      throw awsError('InvalidLaunchTemplateName.NotFoundException');
    },
    CreateLaunchTemplate: (input) => ({ LaunchTemplate: { LaunchTemplateId: 'lt-1', LaunchTemplateName: input['LaunchTemplateName'] } }),
    ...handlers,
  });
  const clock = new FakeClock();
  const unavailableOfferings = new UnavailableOfferings({ clock });
  const p = new AwsCloudProvider({
    clients: fake.clients,
    clusterName: 'demo',
    clusterEndpoint: 'https://api.demo.example',
    clusterCABundle: 'Q0E=',
    instanceTypes: { instanceTypes: async () => types },
    nodeClass: () => nodeClass,
    clock,
    unavailableOfferings,
  });
  return { fake, clock, p };
}

describe('AwsCloudProvider.create', () => {
  it('sends ONE CreateFleet (instant, capacity 1, lowest-price on-demand, overrides cheapest first) with the tags, and reports providerID, type, zone and capacity type', async () => {
    const { fake, p } = provider({ CreateFleet: fleet() }, [type('m5.xlarge', 0.192), type('m5.large', 0.096), type('m6g.large', 0.077, 'arm64')]);
    const launched = await p.create(claim());
    expect(fake.calls.map((c) => c.operation)).toEqual(['DescribeLaunchTemplates', 'CreateLaunchTemplate', 'CreateFleet']);
    const input = fake.calls.at(-1)?.input ?? {};
    expect(input).toMatchObject({
      Type: 'instant',
      TargetCapacitySpecification: { TotalTargetCapacity: 1, DefaultTargetCapacityType: 'on-demand' },
      OnDemandOptions: { AllocationStrategy: 'lowest-price' },
    });
    const configs = input['LaunchTemplateConfigs'] as { LaunchTemplateSpecification: unknown; Overrides: unknown[] }[];
    // m6g (arm64) has no AMI among the node class's: left out.
    expect(configs).toEqual([
      {
        LaunchTemplateSpecification: { LaunchTemplateId: 'lt-1', Version: '$Latest' },
        Overrides: [
          { InstanceType: 'm5.large', SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a' },
          { InstanceType: 'm5.large', SubnetId: 'subnet-b', AvailabilityZone: 'us-west-2b' },
          { InstanceType: 'm5.xlarge', SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a' },
          { InstanceType: 'm5.xlarge', SubnetId: 'subnet-b', AvailabilityZone: 'us-west-2b' },
        ],
      },
    ]);
    const tags = Object.fromEntries(((input['TagSpecifications'] as { ResourceType: string; Tags: { Key: string; Value: string }[] }[])[0]?.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toEqual({
      'karpenter.sh/nodepool': 'default',
      'karpenter.sh/nodeclaim': 'default-abc12',
      'kubernetes.io/cluster/demo': 'owned',
      'karpenter.k8s.aws/ec2nodeclass': 'default',
      'eks:eks-cluster-name': 'demo',
      team: 'payments',
    });
    expect(launched.status?.providerID).toBe('aws:///us-west-2a/i-0123456789abcdef0');
    expect(launched.status?.imageID).toBe('ami-x86');
    expect(launched.metadata.labels).toMatchObject({ 'node.kubernetes.io/instance-type': 'm5.large', 'topology.kubernetes.io/zone': 'us-west-2a', 'karpenter.sh/capacity-type': 'on-demand' });
    // The launch template carries the AMI, profile, groups and AL2023 nodeadm user data.
    const lt = fake.calls.find((c) => c.operation === 'CreateLaunchTemplate')?.input as { LaunchTemplateName: string; LaunchTemplateData: { ImageId: string; UserData: string; IamInstanceProfile: unknown; SecurityGroupIds: string[] } };
    expect(lt.LaunchTemplateName).toMatch(/^karpenter\.k8s\.aws\/[0-9a-f]{32}$/);
    expect(lt.LaunchTemplateData).toMatchObject({ ImageId: 'ami-x86', IamInstanceProfile: { Name: 'demo_profile' }, SecurityGroupIds: ['sg-1'] });
    expect(Buffer.from(lt.LaunchTemplateData.UserData, 'base64').toString()).toContain('kind: NodeConfig');
    // A second launch reuses the template: one call.
    await p.create({ ...claim(), metadata: { ...claim().metadata, name: 'default-def34' } });
    expect(fake.calls.length).toBe(4);
  });

  it('launches spot with price-capacity-optimized when the requirements allow spot', async () => {
    const { fake, p } = provider({ CreateFleet: fleet() }, [type('m5.large', 0.096, 'amd64', ['spot', 'on-demand'])]);
    await p.create(claim([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] }]));
    expect(fake.calls.at(-1)?.input).toMatchObject({ TargetCapacitySpecification: { DefaultTargetCapacityType: 'spot' }, SpotOptions: { AllocationStrategy: 'price-capacity-optimized' } });
  });

  it('sends at most 60 overrides', async () => {
    const types = Array.from({ length: 50 }, (_, i) => type(`c${i}.large`, 0.1 + i / 100));
    const { fake, p } = provider({ CreateFleet: fleet() }, types);
    await p.create(claim());
    const overrides = (fake.calls.at(-1)?.input['LaunchTemplateConfigs'] as { Overrides: unknown[] }[]).flatMap((c) => c.Overrides);
    expect(overrides.length).toBe(MAX_FLEET_OVERRIDES);
  });

  it('capacity errors mark the offerings unavailable for 3 minutes: the next launch skips them, and they come back after', async () => {
    let ice = true;
    const { fake, clock, p } = provider({ CreateFleet: fleet((o) => (ice && o.InstanceType === 'm5.large' ? 'InsufficientInstanceCapacity' : undefined)) }, [type('m5.large', 0.096)]);
    const error = await p.create(claim()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InsufficientCapacityError);
    expect((error as InsufficientCapacityError).offerings).toEqual([
      { instanceType: 'm5.large', zone: 'us-west-2a', capacityType: 'on-demand' },
      { instanceType: 'm5.large', zone: 'us-west-2b', capacityType: 'on-demand' },
    ]);
    // Cached: no CreateFleet at all while the only offerings are unavailable.
    await expect(p.create(claim())).rejects.toBeInstanceOf(InsufficientCapacityError);
    expect(fake.count('CreateFleet')).toBe(1);
    const types = await p.getInstanceTypes({ spec: { template: { spec: { nodeClassRef: claim().spec.nodeClassRef } } } } as never);
    expect(types[0]?.offerings.every((o) => !o.available)).toBe(true);
    ice = false;
    await clock.advance(179_000);
    expect(p.unavailableOfferings.isUnavailable({ instanceType: 'm5.large', zone: 'us-west-2a', capacityType: 'on-demand' })).toBe(true);
    await clock.advance(1_000);
    await expect(p.create(claim())).resolves.toMatchObject({ status: { providerID: 'aws:///us-west-2a/i-0123456789abcdef0' } });
    expect(fake.count('CreateFleet')).toBe(2);
  });

  it('falls back within one fleet: an ICE for one type is cached while the other type launches', async () => {
    const { p } = provider({ CreateFleet: fleet((o) => (o.InstanceType === 'm5.large' ? 'InsufficientInstanceCapacity' : undefined)) }, [type('m5.large', 0.096), type('m5.xlarge', 0.192)]);
    const launched = await p.create(claim());
    expect(launched.metadata.labels?.['node.kubernetes.io/instance-type']).toBe('m5.xlarge');
    expect(p.unavailableOfferings.isUnavailable({ instanceType: 'm5.large', zone: 'us-west-2a', capacityType: 'on-demand' })).toBe(true);
  });

  it('other fleet errors are CreateErrors naming the AWS code and request id', async () => {
    const { p } = provider({ CreateFleet: fleet(() => 'InvalidParameterValue') }, [type('m5.large', 0.096)]);
    await expect(p.create(claim())).rejects.toThrow(/InvalidParameterValue.*request id req-3/);
    const thrown = provider({ CreateFleet: () => { throw awsError('UnauthorizedOperation', 'not allowed'); } }, [type('m5.large', 0.096)]);
    await expect(thrown.p.create(claim())).rejects.toThrow(/CreateFleet failed: UnauthorizedOperation: not allowed \(request id req-error\)/);
  });

  it('a node class that is not Ready: NodeClassNotReadyError with its reason, and no AWS call', async () => {
    const notReady = { ...readyNodeClass, status: { ...readyNodeClass.status, conditions: [{ type: 'Ready', status: 'False' as const, reason: 'SubnetsNotFound', message: 'no subnet', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
    const { fake, p } = provider({}, [type('m5.large', 0.096)], notReady);
    await expect(p.create(claim())).rejects.toThrow(NodeClassNotReadyError);
    await expect(p.create(claim())).rejects.toThrow(/SubnetsNotFound/);
    expect(fake.calls).toEqual([]);
    expect(p.nodeClassReadiness(notReady)).toEqual({ ready: false, reason: 'SubnetsNotFound', message: 'no subnet' });
  });
});

describe('AwsCloudProvider get, delete, list, isDrifted', () => {
  const instance = { InstanceId: 'i-1', InstanceType: 'm5.large', Placement: { AvailabilityZone: 'us-west-2a' }, ImageId: 'ami-x86', SubnetId: 'subnet-a', SecurityGroups: [{ GroupId: 'sg-1' }], State: { Name: 'running' }, Tags: [{ Key: 'karpenter.sh/nodeclaim', Value: 'default-abc12' }, { Key: 'karpenter.sh/nodepool', Value: 'default' }, { Key: 'karpenter.k8s.aws/ec2nodeclass', Value: 'default' }] };
  const launchedClaim: NodeClaim = { ...claim(), status: { providerID: 'aws:///us-west-2a/i-1' } };

  it('get describes by id; unknown or terminated is NodeClaimNotFound', async () => {
    const { p } = provider({ DescribeInstances: (input) => ((input['InstanceIds'] as string[])[0] === 'i-1' ? { Reservations: [{ Instances: [instance] }] } : { Reservations: [{ Instances: [{ ...instance, State: { Name: 'terminated' } }] }] }) }, []);
    await expect(p.get('aws:///us-west-2a/i-1')).resolves.toMatchObject({ metadata: { name: 'default-abc12', labels: { 'karpenter.sh/nodepool': 'default' } }, status: { providerID: 'aws:///us-west-2a/i-1' } });
    await expect(p.get('aws:///us-west-2a/i-2')).rejects.toBeInstanceOf(NodeClaimNotFoundError);
    const gone = provider({ DescribeInstances: () => { throw awsError('InvalidInstanceID.NotFound'); } }, []);
    await expect(gone.p.get('aws:///us-west-2a/i-3')).rejects.toBeInstanceOf(NodeClaimNotFoundError);
  });

  it('delete terminates; an already terminated instance is NodeClaimNotFound', async () => {
    let previous = 'running';
    const { fake, p } = provider({ TerminateInstances: () => ({ TerminatingInstances: [{ InstanceId: 'i-1', PreviousState: { Name: previous } }] }) }, []);
    await p.delete(launchedClaim);
    expect(fake.calls.at(-1)?.input).toEqual({ InstanceIds: ['i-1'] });
    previous = 'terminated';
    await expect(p.delete(launchedClaim)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
  });

  it('list filters by the cluster and nodepool tags, live states only', async () => {
    const { fake, p } = provider({ DescribeInstances: () => ({ Reservations: [{ Instances: [instance] }] }) }, []);
    expect((await p.list()).map((c) => c.status?.providerID)).toEqual(['aws:///us-west-2a/i-1']);
    expect(fake.calls[0]?.input['Filters']).toContainEqual({ Name: 'tag:kubernetes.io/cluster/demo', Values: ['owned'] });
  });

  it.each([
    ['nothing changed', {}, undefined],
    ['the AMI', { ImageId: 'ami-old' }, 'AMIDrift'],
    ['the subnet', { SubnetId: 'subnet-gone' }, 'SubnetDrift'],
    ['the security groups', { SecurityGroups: [{ GroupId: 'sg-old' }] }, 'SecurityGroupDrift'],
  ])('isDrifted when %s', async (_what, change, reason) => {
    const { p } = provider({ DescribeInstances: () => ({ Reservations: [{ Instances: [{ ...instance, ...change }] }] }) }, []);
    expect(await p.isDrifted(launchedClaim)).toBe(reason);
  });
});
