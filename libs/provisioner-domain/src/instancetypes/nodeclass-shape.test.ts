import { describe, expect, it } from 'vitest';
import type { EC2NodeClass } from '../apis/index.js';
import { allocatable } from './allocatable.js';
import { defaultCatalog } from './default-catalog.js';
import { amiFamilyOf, ephemeralVolumeOf, shapeInstanceTypesByNodeClass } from './nodeclass-shape.js';

const GIB = 2 ** 30;
const MIB = 2 ** 20;
const nodeClass = (spec: Partial<EC2NodeClass['spec']>): EC2NodeClass =>
  ({
    apiVersion: 'karpenter.k8s.aws/v1',
    kind: 'EC2NodeClass',
    metadata: { name: 'nc' },
    spec: { role: 'r', subnetSelectorTerms: [{ tags: { a: 'b' } }], securityGroupSelectorTerms: [{ tags: { a: 'b' } }], amiSelectorTerms: [{ alias: 'al2023@latest' }], ...spec },
  }) as EC2NodeClass;
const c4 = defaultCatalog().filter((t) => t.name.startsWith('c-4x-amd64-'));

// aws/karpenter-provider-aws pkg/providers/amifamily (DefaultBlockDeviceMappings, EphemeralBlockDevice) and
// pkg/providers/instancetype (ephemeral-storage from the root volume; pods from maxPods/podsPerCore; kubelet reservations).
describe('EC2NodeClass: the AMI family fixes the operating system', () => {
  it('reads the family from amiFamily, else from an alias, else Custom', () => {
    expect(amiFamilyOf(nodeClass({ amiFamily: 'Bottlerocket' }))).toBe('Bottlerocket');
    expect(amiFamilyOf(nodeClass({ amiSelectorTerms: [{ alias: 'windows2022@latest' }] }))).toBe('Windows2022');
    expect(amiFamilyOf(nodeClass({ amiSelectorTerms: [{ id: 'ami-0123' }] }))).toBe('Custom');
  });
  it('a Linux AMI never yields a Windows node, and a Windows AMI never a Linux one', () => {
    expect(shapeInstanceTypesByNodeClass(c4, nodeClass({})).map((t) => t.name)).toEqual(['c-4x-amd64-linux']);
    expect(shapeInstanceTypesByNodeClass(c4, nodeClass({ amiSelectorTerms: [{ alias: 'windows2019@latest' }] })).map((t) => t.name)).toEqual(['c-4x-amd64-windows']);
  });
});

describe('EC2NodeClass: the root volume sets ephemeral-storage capacity', () => {
  it('uses the family default without blockDeviceMappings: 20Gi for AL2023 and Bottlerocket (data volume), 50Gi for Windows', () => {
    expect(ephemeralVolumeOf(nodeClass({}))).toMatchObject({ sizeBytes: 20 * GIB, deviceName: '/dev/xvda' });
    expect(ephemeralVolumeOf(nodeClass({ amiSelectorTerms: [{ alias: 'bottlerocket@latest' }] }))).toMatchObject({ sizeBytes: 20 * GIB, deviceName: '/dev/xvdb' });
    expect(ephemeralVolumeOf(nodeClass({ amiSelectorTerms: [{ alias: 'windows2022@latest' }] }))).toMatchObject({ sizeBytes: 50 * GIB, deviceName: '/dev/sda1' });
  });
  it('uses the rootVolume mapping, else the family device, else the last mapping', () => {
    const mappings = [
      { deviceName: '/dev/xvda', ebs: { volumeSize: '100Gi' } },
      { deviceName: '/dev/xvdz', ebs: { volumeSize: '300Gi' } },
    ];
    expect(ephemeralVolumeOf(nodeClass({ blockDeviceMappings: mappings })).sizeBytes).toBe(100 * GIB);
    expect(ephemeralVolumeOf(nodeClass({ blockDeviceMappings: [mappings[0] as never, { ...mappings[1], rootVolume: true }] })).sizeBytes).toBe(300 * GIB);
    expect(ephemeralVolumeOf(nodeClass({ amiSelectorTerms: [{ id: 'ami-1' }], amiFamily: 'Custom', blockDeviceMappings: mappings })).sizeBytes).toBe(300 * GIB);
  });
  it('sets the capacity of every type to that size', () => {
    const [linux] = shapeInstanceTypesByNodeClass(c4, nodeClass({ blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '80Gi' } }] }));
    expect(linux?.capacity['ephemeral-storage']).toBe(80 * GIB);
  });
});

describe('EC2NodeClass: kubelet settings change allocatable', () => {
  it('maxPods sets the pod capacity, podsPerCore caps it per vCPU (not on Bottlerocket)', () => {
    expect(shapeInstanceTypesByNodeClass(c4, nodeClass({ kubelet: { maxPods: 20 } }))[0]?.capacity['pods']).toBe(20);
    expect(shapeInstanceTypesByNodeClass(c4, nodeClass({ kubelet: { maxPods: 20, podsPerCore: 2 } }))[0]?.capacity['pods']).toBe(8);
    expect(shapeInstanceTypesByNodeClass(c4, nodeClass({ amiFamily: 'Bottlerocket', kubelet: { podsPerCore: 2 } }))[0]?.capacity['pods']).toBe(64);
  });
  it('kubeReserved, systemReserved and evictionHard/evictionSoft are taken off capacity', () => {
    const [t] = shapeInstanceTypesByNodeClass(
      c4,
      nodeClass({
        kubelet: {
          kubeReserved: { cpu: '200m', memory: '1Gi' },
          systemReserved: { cpu: '300m', 'ephemeral-storage': '1Gi', pid: '100' },
          evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '10%' },
          evictionSoft: { 'memory.available': '1Gi' },
        },
      }),
    );
    expect(allocatable(t as never)).toMatchObject({ cpu: 4000 - 200 - 300, memory: 8 * GIB - GIB - GIB, 'ephemeral-storage': 20 * GIB - GIB - 2 * GIB });
    expect(t?.overhead.kubeReserved).toEqual({ cpu: 200, memory: GIB });
    expect(t?.overhead.evictionThreshold).toEqual({ memory: GIB, 'ephemeral-storage': 2 * GIB });
  });
  it('keeps the catalog\'s reservations for resources the kubelet settings do not name', () => {
    const [t] = shapeInstanceTypesByNodeClass(c4, nodeClass({ kubelet: { kubeReserved: { memory: '1Gi' } } }));
    expect(t?.overhead.kubeReserved).toEqual({ cpu: 100, memory: GIB });
    expect(shapeInstanceTypesByNodeClass(c4, undefined)[0]?.overhead.kubeReserved).toEqual({ cpu: 100, memory: 10 * MIB });
  });
});
