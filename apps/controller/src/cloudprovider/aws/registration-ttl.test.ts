import { toResourceList, type EC2NodeClass, type InstanceType, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeClaimLifecycle } from '../../controllers/nodeclaim/lifecycle/controller.js';
import { resources } from '../../kube/resources.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { awsError, fakeAwsClients } from '../../testing/fake-aws.js';
import { AwsCloudProvider } from './aws.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const m5: InstanceType = {
  name: 'm5.large',
  labels: { 'node.kubernetes.io/instance-type': 'm5.large', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
  capacity: toResourceList({ cpu: '2', memory: '7577Mi', pods: '29' }),
  overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
  offerings: [{ zone: 'us-west-2a', capacityType: 'on-demand', pricePerHour: 0.096, available: true }],
};
const nodeClass: EC2NodeClass = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default' },
  spec: { subnetSelectorTerms: [{ id: 'subnet-a' }], securityGroupSelectorTerms: [{ id: 'sg-1' }], amiSelectorTerms: [{ id: 'ami-1' }], amiFamily: 'AL2023', role: 'r' },
  status: {
    subnets: [{ id: 'subnet-a', zone: 'us-west-2a' }],
    securityGroups: [{ id: 'sg-1' }],
    amis: [{ id: 'ami-1', requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }],
    instanceProfile: 'p',
    conditions: [{ type: 'Ready', status: 'True', reason: 'Ready', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }],
  },
};

describe('AWS instance that never becomes a Node', () => {
  it('is terminated once its NodeClaim passes the registration TTL', async () => {
    let state = 'running';
    const fake = fakeAwsClients({
      DescribeLaunchTemplates: () => ({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1' }] }),
      CreateFleet: () => ({ Instances: [{ InstanceIds: ['i-1'], InstanceType: 'm5.large', Lifecycle: 'on-demand', LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large', SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a' } } }] }),
      TerminateInstances: () => {
        const previous = state;
        state = 'terminated';
        return { TerminatingInstances: [{ InstanceId: 'i-1', PreviousState: { Name: previous } }] };
      },
    });
    t = await newTestContext(
      { ec2NodeClasses: [nodeClass] },
      { cloudProvider: (_client, clock) => new AwsCloudProvider({ clients: fake.clients, clusterName: 'demo', clusterEndpoint: 'https://x', instanceTypes: { instanceTypes: async () => [m5] }, nodeClass: () => nodeClass, clock }) },
    );
    const claim: NodeClaim = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'default-a', labels: { 'karpenter.sh/nodepool': 'default' }, finalizers: ['karpenter.sh/termination'] },
      spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
    };
    await t.client.create(resources.nodeClaims, claim);
    await t.settle();
    const lifecycle = nodeClaimLifecycle(t.ctx);
    await lifecycle.reconcile('default-a');
    await t.settle();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'default-a')?.status?.providerID).toBe('aws:///us-west-2a/i-1');
    expect(fake.count('TerminateInstances')).toBe(0);
    await t.clock.advance(t.ctx.options.registrationTtlMs);
    await lifecycle.reconcile('default-a'); // TTL passed without a Node: the NodeClaim is deleted
    await t.settle();
    await lifecycle.reconcile('default-a'); // finalizer: the instance is terminated
    await t.settle();
    await lifecycle.reconcile('default-a'); // terminated: NotFound, the finalizer goes
    await t.settle();
    expect(fake.calls.filter((c) => c.operation === 'TerminateInstances').map((c) => c.input)).toContainEqual({ InstanceIds: ['i-1'] });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'default-a')).toBeUndefined();
  });
});

describe('AWS throttling that outlasts the SDK retries', () => {
  it('keeps the NodeClaim with Launched=False naming RequestLimitExceeded (the queue retries it with backoff), then launches once EC2 answers', async () => {
    let throttled = true;
    const fake = fakeAwsClients({
      DescribeLaunchTemplates: () => ({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1' }] }),
      CreateFleet: () => {
        if (throttled) throw awsError('RequestLimitExceeded', 'Request limit exceeded.');
        return { Instances: [{ InstanceIds: ['i-2'], InstanceType: 'm5.large', Lifecycle: 'on-demand', LaunchTemplateAndOverrides: { Overrides: { InstanceType: 'm5.large', SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a' } } }] };
      },
    });
    t = await newTestContext(
      { ec2NodeClasses: [nodeClass] },
      { cloudProvider: (_client, clock) => new AwsCloudProvider({ clients: fake.clients, clusterName: 'demo', clusterEndpoint: 'https://x', instanceTypes: { instanceTypes: async () => [m5] }, nodeClass: () => nodeClass, clock }) },
    );
    await t.client.create(resources.nodeClaims, {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'default-b', labels: { 'karpenter.sh/nodepool': 'default' }, finalizers: ['karpenter.sh/termination'] },
      spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
    } satisfies NodeClaim);
    await t.settle();
    const lifecycle = nodeClaimLifecycle(t.ctx);
    await expect(lifecycle.reconcile('default-b')).rejects.toThrow(/RequestLimitExceeded/);
    await t.settle();
    const failed = t.client.peek<NodeClaim>(resources.nodeClaims, 'default-b');
    expect(failed?.metadata.deletionTimestamp).toBeUndefined();
    expect(failed?.status?.conditions?.find((c) => c.type === 'Launched')).toMatchObject({ status: 'False', reason: 'LaunchFailed', message: expect.stringMatching(/CreateFleet failed: RequestLimitExceeded: Request limit exceeded\. \(request id req-error\)/) });
    throttled = false;
    await lifecycle.reconcile('default-b');
    await t.settle();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'default-b')?.status?.providerID).toBe('aws:///us-west-2a/i-2');
    expect(fake.count('CreateFleet')).toBe(2);
  });
});
