import type { EC2NodeClass } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../kube/resources.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { fakeAwsClients, type FakeAwsHandler } from '../../testing/fake-aws.js';
import { LaunchTemplates } from './launch-templates.js';
import { NodeClassResolver } from './nodeclass-resolver.js';
import { ec2NodeClassStatus } from './nodeclass-status.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const nodeClass: EC2NodeClass = {
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default', generation: 1 },
  spec: { subnetSelectorTerms: [{ id: 'subnet-a' }], securityGroupSelectorTerms: [{ id: 'sg-1' }], amiSelectorTerms: [{ id: 'ami-1' }], amiFamily: 'AL2023', instanceProfile: 'p' },
};

const handlers = (subnets: unknown[]): Record<string, FakeAwsHandler> => ({
  DescribeSubnets: () => ({ Subnets: subnets }),
  DescribeSecurityGroups: () => ({ SecurityGroups: [{ GroupId: 'sg-1' }] }),
  DescribeImages: () => ({ Images: [{ ImageId: 'ami-1', Architecture: 'x86_64', CreationDate: '2026-01-01T00:00:00Z' }] }),
  DescribeLaunchTemplates: () => ({ LaunchTemplates: [{ LaunchTemplateId: 'lt-1', LaunchTemplateName: 'karpenter.k8s.aws/x' }] }),
  DeleteLaunchTemplate: () => ({}),
});

async function setup(subnets: unknown[]) {
  const fake = fakeAwsClients(handlers(subnets));
  t = await newTestContext({ ec2NodeClasses: [nodeClass] });
  const resolver = new NodeClassResolver({ clients: fake.clients, clusterName: 'demo', region: 'us-west-2', kubernetesVersion: async () => '1.35' });
  const controller = ec2NodeClassStatus(t.ctx, resolver, new LaunchTemplates(fake.clients, 'demo'));
  return { fake, controller, t };
}

describe('ec2nodeclass.status', () => {
  it('writes the resolved subnets, groups, AMIs, profile and Ready=True, then resolves again in 5 minutes', async () => {
    const { controller, t } = await setup([{ SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a', State: 'available' }]);
    expect(await controller.reconcile('default')).toEqual({ requeueAfterMs: 300_000 });
    await t.settle();
    const status = t.client.peek<EC2NodeClass>(resources.ec2NodeClasses, 'default')?.status;
    expect(status).toMatchObject({ subnets: [{ id: 'subnet-a', zone: 'us-west-2a' }], securityGroups: [{ id: 'sg-1' }], amis: [{ id: 'ami-1' }], instanceProfile: 'p' });
    expect(status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(t.events.map((e) => e.reason)).toEqual(['Ready']);
  });

  it('selectors matching no subnet: Ready=False SubnetsNotFound with a Warning event, looked at again in 1 minute', async () => {
    const { controller, t } = await setup([]);
    expect(await controller.reconcile('default')).toEqual({ requeueAfterMs: 60_000 });
    await t.settle();
    const ready = t.client.peek<EC2NodeClass>(resources.ec2NodeClasses, 'default')?.status?.conditions?.find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'SubnetsNotFound' });
    expect(t.events).toMatchObject([{ type: 'Warning', reason: 'SubnetsNotFound' }]);
  });

  it('deletes the launch templates of a node class that is gone', async () => {
    const { fake, controller, t } = await setup([]);
    await t.client.delete(resources.ec2NodeClasses, 'default');
    await t.settle();
    await controller.reconcile('default');
    expect(fake.calls.find((c) => c.operation === 'DescribeLaunchTemplates')?.input['Filters']).toEqual([
      { Name: 'tag:karpenter.k8s.aws/cluster', Values: ['demo'] },
      { Name: 'tag:karpenter.k8s.aws/ec2nodeclass', Values: ['default'] },
    ]);
    expect(fake.calls.filter((c) => c.operation === 'DeleteLaunchTemplate').map((c) => c.input)).toEqual([{ LaunchTemplateId: 'lt-1' }]);
  });
});
