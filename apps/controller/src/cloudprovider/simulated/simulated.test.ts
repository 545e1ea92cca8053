import { CreateError, InsufficientCapacityError, NodeClaimNotFoundError, defaultCatalog, type EC2NodeClass, type Node, type NodeClaim, type NodePool } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { resources } from '../../kube/resources.js';
import { FakeClock } from '../../testing/fake-clock.js';
import { FakeKubeClient } from '../../testing/fake-kube.js';
import { nodePool } from '../../testing/builders.js';
import { NO_MANAGED_NODE_CLASSES, isManagedNodeClass, nodeClassSupportOf } from '../nodeclass.js';
import { SimulatedCloudProvider } from './simulated.js';

const claim = (name: string, requirements: NodeClaim['spec']['requirements'], labels: Record<string, string> = {}): NodeClaim => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name, labels: { 'karpenter.sh/nodepool': 'default', ...labels } },
  spec: { requirements, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
});

describe('SimulatedCloudProvider', () => {
  it.each([
    {
      name: 'cheapest allowed offering: spot beats on-demand when both are allowed',
      requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In' as const, values: ['c-4x-amd64-linux', 'm-4x-amd64-linux'] }],
      expected: { type: 'c-4x-amd64-linux', capacityType: 'spot' },
    },
    {
      name: 'capacity type and zone narrowed by requirements',
      requirements: [
        { key: 'node.kubernetes.io/instance-type', operator: 'In' as const, values: ['s-8x-arm64-linux'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In' as const, values: ['on-demand'] },
        { key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: ['test-zone-c'] },
      ],
      expected: { type: 's-8x-arm64-linux', capacityType: 'on-demand', zone: 'test-zone-c' },
    },
    {
      name: 'requirements on type labels (arch, os, cpu) select among the whole catalog',
      requirements: [
        { key: 'kubernetes.io/arch', operator: 'In' as const, values: ['arm64'] },
        { key: 'kubernetes.io/os', operator: 'In' as const, values: ['windows'] },
        { key: 'karpenter.kwok.sh/instance-cpu', operator: 'Gt' as const, values: ['31'] },
      ],
      expected: { type: 'c-32x-arm64-windows', capacityType: 'spot' },
    },
  ])('$name', async ({ requirements, expected }) => {
    const client = new FakeKubeClient();
    const provider = new SimulatedCloudProvider({ client });
    const launched = await provider.create(claim('default-x', requirements, { team: 'a' }));
    expect(launched.metadata.labels).toMatchObject({ 'node.kubernetes.io/instance-type': expected.type, 'karpenter.sh/capacity-type': expected.capacityType, ...(expected.zone ? { 'topology.kubernetes.io/zone': expected.zone } : {}) });
    expect(launched.status?.providerID).toBe('kwok://default-x');
    const node = client.peek<Node>(resources.nodes, 'default-x');
    expect(node?.metadata.annotations).toEqual({ 'kwok.x-k8s.io/node': 'fake' });
    expect(node?.metadata.labels).toMatchObject({ 'kwok.x-k8s.io/node': 'fake', 'kubernetes.io/hostname': 'default-x', 'karpenter.sh/nodepool': 'default', team: 'a', 'node.kubernetes.io/instance-type': expected.type });
    expect(node?.spec?.taints).toEqual([{ key: 'karpenter.sh/unregistered', effect: 'NoExecute' }]);
    expect(node?.status?.capacity).toBeDefined();
    expect(launched.status?.allocatable).toEqual(node?.status?.allocatable);
  });

  it('shapes its types by the EC2NodeClass the NodePool and NodeClaim reference: AMI family OS, root volume, kubelet', async () => {
    const nodeClass = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name: 'default' },
      spec: {
        role: 'r',
        amiSelectorTerms: [{ alias: 'al2023@latest' }],
        subnetSelectorTerms: [{ tags: { a: 'b' } }],
        securityGroupSelectorTerms: [{ tags: { a: 'b' } }],
        blockDeviceMappings: [{ deviceName: '/dev/xvda', ebs: { volumeSize: '80Gi' } }],
        kubelet: { maxPods: 12, kubeReserved: { cpu: '400m' } },
      },
    } as EC2NodeClass;
    const client = new FakeKubeClient();
    const provider = new SimulatedCloudProvider({ client, nodeClass: (ref) => (ref.name === 'default' ? nodeClass : undefined) });
    const pool = { spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } } } } as NodePool;
    const types = await provider.getInstanceTypes(pool);
    expect(types.every((t) => t.labels['kubernetes.io/os'] === 'linux')).toBe(true);
    expect(types[0]?.capacity).toMatchObject({ 'ephemeral-storage': 80 * 2 ** 30, pods: 12 });
    // A Windows NodeClaim cannot launch on a Linux AMI family.
    await expect(provider.create(claim('win', [{ key: 'kubernetes.io/os', operator: 'In', values: ['windows'] }]))).rejects.toBeInstanceOf(InsufficientCapacityError);
    await provider.create(claim('lin', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-4x-amd64-linux'] }]));
    expect(client.peek<Node>(resources.nodes, 'lin')?.status?.allocatable).toMatchObject({ cpu: '3600m', pods: '12', 'ephemeral-storage': '80Gi' });
  });

  it('throws InsufficientCapacityError when no available offering matches', async () => {
    const catalog = defaultCatalog().map((it) => ({ ...it, offerings: it.offerings.map((o) => ({ ...o, available: false })) }));
    const provider = new SimulatedCloudProvider({ client: new FakeKubeClient(), instanceTypes: catalog });
    await expect(provider.create(claim('x', []))).rejects.toBeInstanceOf(InsufficientCapacityError);
    const none = new SimulatedCloudProvider({ client: new FakeKubeClient() });
    await expect(none.create(claim('y', [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['nope'] }]))).rejects.toBeInstanceOf(InsufficientCapacityError);
  });

  it('create is idempotent for an existing node, delete removes it, and a gone instance is NodeClaimNotFound', async () => {
    const client = new FakeKubeClient();
    const provider = new SimulatedCloudProvider({ client });
    const c = claim('z', []);
    await provider.create(c);
    const again = await provider.create(c);
    expect(again.status?.providerID).toBe('kwok://z');
    expect((await provider.list()).map((x) => x.metadata.name)).toEqual(['z']);
    await provider.delete(again);
    expect(client.peek(resources.nodes, 'z')).toBeUndefined();
    await expect(provider.delete(again)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
    await expect(provider.get('kwok://z')).rejects.toBeInstanceOf(NodeClaimNotFoundError);
  });

  it('manages EC2NodeClass only; an existing one is ready unless its status says Ready=False', () => {
    const provider = new SimulatedCloudProvider({ client: new FakeKubeClient() });
    expect(nodeClassSupportOf(provider)).toBe(provider);
    expect(isManagedNodeClass(provider, { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' })).toBe(true);
    expect(isManagedNodeClass(provider, { group: 'karpenter.kwok.sh', kind: 'KWOKNodeClass' })).toBe(false);
    const nodeClass = { apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass', metadata: { name: 'default' } };
    expect(provider.nodeClassReadiness(nodeClass)).toEqual({ ready: true });
    const cond = (status: 'True' | 'False' | 'Unknown') => ({ ...nodeClass, status: { conditions: [{ type: 'Ready', status, reason: 'AMIsNotFound', message: 'no AMI', lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
    expect(provider.nodeClassReadiness(cond('Unknown'))).toEqual({ ready: true });
    expect(provider.nodeClassReadiness(cond('False'))).toEqual({ ready: false, reason: 'AMIsNotFound', message: 'no AMI' });
    // A provider that declares nothing manages no node class kind.
    const bare = { name: 'bare', create: provider.create.bind(provider), delete: provider.delete.bind(provider), get: provider.get.bind(provider), list: provider.list.bind(provider), getInstanceTypes: provider.getInstanceTypes.bind(provider), isDrifted: provider.isDrifted.bind(provider) };
    expect(nodeClassSupportOf(bare)).toBe(NO_MANAGED_NODE_CLASSES);
  });

  describe('knobs for a slow or failing cloud', () => {
    const c4 = [{ key: 'node.kubernetes.io/instance-type', operator: 'In' as const, values: ['c-4x-amd64-linux'] }];

    it('fails the first N creates with a CreateError, then launches', async () => {
      const client = new FakeKubeClient();
      const provider = new SimulatedCloudProvider({ client, failures: { firstCreates: 2 } });
      await expect(provider.create(claim('a', c4))).rejects.toBeInstanceOf(CreateError);
      await expect(provider.create(claim('a', c4))).rejects.toThrow(/simulated launch failure \(create call 2\)/);
      expect(client.peek(resources.nodes, 'a')).toBeUndefined();
      expect((await provider.create(claim('a', c4))).status?.providerID).toBe('kwok://a');
    });

    it('fails a seeded share of creates: the same seed gives the same failures', async () => {
      const outcomes = async (seed: number): Promise<boolean[]> => {
        const instanceTypes = defaultCatalog().filter((it) => it.name === 'c-4x-amd64-linux');
        const provider = new SimulatedCloudProvider({ client: new FakeKubeClient(), instanceTypes, failures: { rate: 0.5, seed } });
        const out: boolean[] = [];
        for (let i = 0; i < 40; i++) out.push(await provider.create(claim(`n${i}`, c4)).then(() => true, () => false));
        return out;
      };
      const first = await outcomes(7);
      expect(await outcomes(7)).toEqual(first);
      expect(first.filter((ok) => !ok).length).toBeGreaterThan(8);
      expect(first.filter((ok) => ok).length).toBeGreaterThan(8);
    });

    it('a capacity error marks the offering unavailable for 3 minutes: getInstanceTypes reports it and create avoids it', async () => {
      const clock = new FakeClock();
      const provider = new SimulatedCloudProvider({ client: new FakeKubeClient(), clock, failures: { firstCreates: 1, kind: 'insufficient-capacity' } });
      const error = await provider.create(claim('a', c4)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InsufficientCapacityError);
      const failed = (error as InsufficientCapacityError).offerings[0];
      expect(failed).toEqual({ instanceType: 'c-4x-amd64-linux', zone: expect.any(String), capacityType: 'spot' });
      const offering = (await provider.getInstanceTypes(nodePool())).find((it) => it.name === 'c-4x-amd64-linux')?.offerings.find((o) => o.zone === failed?.zone && o.capacityType === 'spot');
      expect(offering?.available).toBe(false);
      const launched = await provider.create(claim('a', c4));
      expect([launched.metadata.labels?.['topology.kubernetes.io/zone'], launched.metadata.labels?.['karpenter.sh/capacity-type']]).not.toEqual([failed?.zone, 'spot']);
      await clock.advance(180_000);
      expect((await provider.getInstanceTypes(nodePool())).every((it) => it.offerings.every((o) => o.available))).toBe(true);
    });

    it('delays the launch, then boots the instance: its Node (run by KWOK) registers only after the ready delay', async () => {
      const clock = new FakeClock();
      const client = new FakeKubeClient();
      client.now = () => clock.now();
      const provider = new SimulatedCloudProvider({ client, clock, launchDelayMs: 10_000, readyDelayMs: 30_000 });
      let launched: NodeClaim | undefined;
      void provider.create(claim('slow', c4)).then((c) => (launched = c));
      await clock.advance(9_000);
      expect(launched).toBeUndefined();
      await clock.advance(1_000);
      expect(launched?.status?.providerID).toBe('kwok://slow');
      // Booting: the instance exists, its Node does not yet.
      expect(client.peek(resources.nodes, 'slow')).toBeUndefined();
      expect((await provider.get('kwok://slow')).metadata.name).toBe('slow');
      expect((await provider.list()).map((i) => [i.metadata.name, i.metadata.creationTimestamp])).toEqual([['slow', new Date(clock.now()).toISOString()]]);
      await clock.advance(30_000);
      expect(client.peek<Node>(resources.nodes, 'slow')?.metadata.annotations).toEqual({ 'kwok.x-k8s.io/node': 'fake' });
      expect(await provider.list()).toHaveLength(1);
    });

    it('deleting a booting instance cancels its boot', async () => {
      const clock = new FakeClock();
      const client = new FakeKubeClient();
      const provider = new SimulatedCloudProvider({ client, clock, readyDelayMs: 30_000 });
      const launched = await provider.create(claim('doomed', c4));
      await provider.delete(launched);
      await expect(provider.delete(launched)).rejects.toBeInstanceOf(NodeClaimNotFoundError);
      await expect(provider.get('kwok://doomed')).rejects.toBeInstanceOf(NodeClaimNotFoundError);
      await clock.advance(60_000);
      expect(client.peek(resources.nodes, 'doomed')).toBeUndefined();
    });
  });
});
