import { EC2Client } from '@aws-sdk/client-ec2';
import { emulatorClientConfig } from '@karpenter-ts/local-cluster/aws-emulator';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { discoverInstanceTypes, type DiscoveredInstanceTypes } from './instancetype-discovery.js';

const MIB = 2 ** 20;

describe('instance-type discovery against the EC2 emulator (moto)', () => {
  let ec2: EC2Client;
  let found: DiscoveredInstanceTypes;
  beforeAll(async () => {
    ec2 = new EC2Client({ ...emulatorClientConfig, endpoint: inject('awsEmulatorEndpoint') });
    found = await discoverInstanceTypes({ ec2, priceOf: (name) => (name === 'm5.large' ? 0.096 : undefined) });
  });
  afterAll(() => ec2?.destroy());

  it('maps the region catalog (700+ types) with zonal offerings', () => {
    expect(found.describedCount).toBeGreaterThan(700);
    expect(found.instanceTypes.length).toBeGreaterThan(700);
    const m5 = found.instanceTypes.find((t) => t.name === 'm5.large');
    expect(m5?.offerings.filter((o) => o.capacityType === 'on-demand').map((o) => o.zone)).toEqual(expect.arrayContaining(['us-east-1a', 'us-east-1b']));
    expect(m5?.offerings.every((o) => o.pricePerHour === 0.096 && o.available)).toBe(true);
  });

  it.each([
    ['m5.large', { cpu: 2000, memory: (8192 - 615) * MIB, pods: 29 }, { category: 'm', family: 'm5', generation: '5', size: 'large', arch: 'amd64' }],
    ['c6g.xlarge', { cpu: 4000, memory: (8192 - 615) * MIB, pods: 58 }, { category: 'c', family: 'c6g', generation: '6', size: 'xlarge', arch: 'arm64' }],
    ['r5.2xlarge', { cpu: 8000, memory: (65536 - 4916) * MIB, pods: 58 }, { category: 'r', family: 'r5', generation: '5', size: '2xlarge', arch: 'amd64' }],
  ])('%s maps with Karpenter labels and capacity', (name, capacity, l) => {
    const t = found.instanceTypes.find((x) => x.name === name);
    expect(t?.capacity).toMatchObject(capacity);
    expect(t?.labels).toMatchObject({
      'kubernetes.io/arch': l.arch,
      'karpenter.k8s.aws/instance-category': l.category,
      'karpenter.k8s.aws/instance-family': l.family,
      'karpenter.k8s.aws/instance-generation': l.generation,
      'karpenter.k8s.aws/instance-size': l.size,
    });
  });

  it('GPU types carry nvidia.com/gpu capacity and gpu labels', () => {
    const g5 = found.instanceTypes.find((t) => t.name === 'g5.xlarge');
    expect(g5?.capacity['nvidia.com/gpu']).toBe(1);
    expect(g5?.labels['karpenter.k8s.aws/instance-gpu-manufacturer']).toBe('nvidia');
  });
});
