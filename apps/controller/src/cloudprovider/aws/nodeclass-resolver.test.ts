import type { EC2NodeClass } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { awsError, fakeAwsClients, type FakeAwsHandler } from '../../testing/fake-aws.js';
import { aliasParameters, parseAlias } from './ami-alias.js';
import { instanceProfileName, NodeClassResolver } from './nodeclass-resolver.js';

const nodeClass = (spec: Partial<EC2NodeClass['spec']> = {}): EC2NodeClass => ({
  apiVersion: 'karpenter.k8s.aws/v1',
  kind: 'EC2NodeClass',
  metadata: { name: 'default', generation: 1 },
  spec: {
    subnetSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'demo' } }],
    securityGroupSelectorTerms: [{ tags: { 'karpenter.sh/discovery': 'demo' } }],
    amiSelectorTerms: [{ alias: 'al2023@latest' }],
    role: 'KarpenterNodeRole-demo',
    ...spec,
  },
});

const found: Record<string, FakeAwsHandler> = {
  DescribeSubnets: () => ({
    Subnets: [
      { SubnetId: 'subnet-a', AvailabilityZone: 'us-west-2a', AvailabilityZoneId: 'usw2-az1', AvailableIpAddressCount: 10, State: 'available' },
      { SubnetId: 'subnet-b', AvailabilityZone: 'us-west-2b', AvailableIpAddressCount: 200, State: 'available' },
    ],
  }),
  DescribeSecurityGroups: () => ({ SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'nodes' }] }),
  GetParameter: (input) => ({ Parameter: { Value: String(input['Name']).includes('arm64') ? 'ami-arm' : 'ami-x86' } }),
  DescribeImages: () => ({
    Images: [
      { ImageId: 'ami-x86', Architecture: 'x86_64', Name: 'al2023-x86', CreationDate: '2026-11-01T00:00:00Z', State: 'available' },
      { ImageId: 'ami-arm', Architecture: 'arm64', Name: 'al2023-arm', CreationDate: '2026-11-02T00:00:00Z', State: 'available' },
    ],
  }),
  GetInstanceProfile: () => {
    throw awsError('NoSuchEntityException');
  },
  CreateInstanceProfile: () => ({}),
  AddRoleToInstanceProfile: () => ({}),
};

const resolver = (handlers: Record<string, FakeAwsHandler>) => {
  const fake = fakeAwsClients(handlers);
  return { fake, resolver: new NodeClassResolver({ clients: fake.clients, clusterName: 'demo', region: 'us-west-2', kubernetesVersion: async () => '1.35' }) };
};

describe('NodeClassResolver', () => {
  it('resolves subnets (most free addresses first), security groups, alias AMIs per architecture (newest first) and creates the instance profile for the role', async () => {
    const { fake, resolver: r } = resolver(found);
    const result = await r.resolve(nodeClass());
    expect(result.ready).toBe(true);
    expect(result.resolved.subnets.map((s) => s.id)).toEqual(['subnet-b', 'subnet-a']);
    expect(result.resolved.securityGroups).toEqual([{ id: 'sg-1', name: 'nodes' }]);
    expect(result.resolved.amis.map((a) => [a.id, a.requirements[0]?.values])).toEqual([
      ['ami-arm', ['arm64']],
      ['ami-x86', ['amd64']],
    ]);
    expect(result.resolved.amiFamily).toBe('AL2023');
    expect(fake.calls.filter((c) => c.operation === 'GetParameter').map((c) => c.input['Name'])).toEqual([
      '/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/x86_64/standard/recommended/image_id',
      '/aws/service/eks/optimized-ami/1.35/amazon-linux-2023/arm64/standard/recommended/image_id',
    ]);
    expect(fake.calls.find((c) => c.operation === 'DescribeSubnets')?.input['Filters']).toEqual([{ Name: 'tag:karpenter.sh/discovery', Values: ['demo'] }]);
    const profile = instanceProfileName('demo', 'us-west-2', 'default');
    expect(result.resolved.instanceProfile).toBe(profile);
    expect(fake.calls.find((c) => c.operation === 'AddRoleToInstanceProfile')?.input).toEqual({ InstanceProfileName: profile, RoleName: 'KarpenterNodeRole-demo' });
    expect(result.conditions.map((c) => `${c.type}=${c.status}`)).toEqual(['SubnetsReady=True', 'SecurityGroupsReady=True', 'AMIsReady=True', 'InstanceProfileReady=True', 'Ready=True']);
    // A second resolution does not touch IAM again.
    await r.resolve(nodeClass());
    expect(fake.count('CreateInstanceProfile')).toBe(1);
    expect(fake.count('GetInstanceProfile')).toBe(1);
  });

  it.each([
    ['subnets', { DescribeSubnets: () => ({ Subnets: [] }) }, 'SubnetsNotFound'],
    ['security groups', { DescribeSecurityGroups: () => ({ SecurityGroups: [] }) }, 'SecurityGroupsNotFound'],
    ['AMIs', { DescribeImages: () => ({ Images: [] }) }, 'AMINotFound'],
  ])('selectors matching no %s: Ready=False with reason %s', async (_what, override, reason) => {
    const { resolver: r } = resolver({ ...found, ...override });
    const result = await r.resolve(nodeClass());
    expect(result.ready).toBe(false);
    expect(result.conditions.at(-1)).toMatchObject({ type: 'Ready', status: 'False', reason });
  });

  it('selects by id, name and wildcard tags with EC2 filters, and uses a given instance profile without IAM calls', async () => {
    const { fake, resolver: r } = resolver(found);
    await r.resolve(
      nodeClass({
        subnetSelectorTerms: [{ id: 'subnet-a' }, { tags: { team: '*' } }],
        securityGroupSelectorTerms: [{ name: 'nodes' }],
        amiSelectorTerms: [{ name: 'my-ami-*' }],
        role: undefined,
        instanceProfile: 'given',
      }),
    );
    expect(fake.calls.filter((c) => c.operation === 'DescribeSubnets').map((c) => c.input['Filters'])).toEqual([[{ Name: 'subnet-id', Values: ['subnet-a'] }], [{ Name: 'tag-key', Values: ['team'] }]]);
    expect(fake.calls.find((c) => c.operation === 'DescribeSecurityGroups')?.input['Filters']).toEqual([{ Name: 'group-name', Values: ['nodes'] }]);
    expect(fake.calls.find((c) => c.operation === 'DescribeImages')?.input).toEqual({ Filters: [{ Name: 'name', Values: ['my-ami-*'] }], Owners: ['self', 'amazon'] });
    expect(fake.count('GetInstanceProfile')).toBe(0);
  });
});

describe('AMI aliases', () => {
  it('maps families and versions to the EKS SSM parameters', () => {
    expect(aliasParameters(parseAlias('bottlerocket@v1.30.0'), '1.35').map((p) => p.name)).toEqual([
      '/aws/service/bottlerocket/aws-k8s-1.35/x86_64/1.30.0/image_id',
      '/aws/service/bottlerocket/aws-k8s-1.35/arm64/1.30.0/image_id',
    ]);
    expect(aliasParameters(parseAlias('al2@latest'), '1.35')[1]?.name).toBe('/aws/service/eks/optimized-ami/1.35/amazon-linux-2-arm64/recommended/image_id');
    expect(() => aliasParameters(parseAlias('windows2022@latest'), '1.35')).toThrow(/alias family "windows2022" is not supported/);
  });
});
