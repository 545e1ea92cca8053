import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../instancetypes/default-catalog.js';
import type { InstanceType } from '../instancetypes/types.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { SchedulingSnapshot } from './types.js';

const small = testInstanceType('small', 2, 4);
const medium = testInstanceType('medium', 4, 8);
const large = testInstanceType('large', 8, 16);
const catalog = [small, medium, large];

function snapshot(partial: Partial<SchedulingSnapshot> & { types?: InstanceType[] }): SchedulingSnapshot {
  const nodePools = partial.nodePools ?? [testNodePool('default')];
  const types = partial.types ?? catalog;
  return {
    pods: [],
    existingNodes: [],
    instanceTypes: Object.fromEntries(nodePools.map((np) => [np.metadata.name ?? '', types])),
    ...partial,
    nodePools,
  };
}

const names = (pods: readonly { metadata: { name?: string } }[]): string[] => pods.map((p) => p.metadata.name ?? '');

describe('schedule: the seed story', () => {
  it('packs 10 x 1 CPU inflate pods onto the default catalog, none pending', () => {
    const pods = Array.from({ length: 10 }, (_, i) => testPod(`inflate-${i}`, { cpu: '1' }));
    const np = testNodePool('default', {
      requirements: [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
        { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      ],
    });
    const result = schedule(snapshot({ pods, nodePools: [np], types: defaultCatalog() }));
    expect(result.unschedulable).toEqual([]);
    expect(result.nodeClaims.flatMap((c) => c.pods)).toHaveLength(10);
    for (const claim of result.nodeClaims) {
      expect(claim.launch.capacityType).toBe('on-demand');
      expect(claim.instanceTypeOptions.every((n) => n.endsWith('-amd64-linux'))).toBe(true);
      expect(claim.labels?.['karpenter.sh/nodepool']).toBe('default');
      expect(claim.labels?.['kubernetes.io/arch']).toBe('amd64');
      expect(claim.labels?.['node.kubernetes.io/instance-type']).toBe(claim.launch.instanceType);
      expect(claim.labels?.['topology.kubernetes.io/zone']).toBe(claim.launch.zone);
      expect(claim.requirements.find((r) => r.key === 'kubernetes.io/hostname')).toBeUndefined();
      expect(claim.requirements.find((r) => r.key === 'node.kubernetes.io/instance-type')?.values).toEqual([...claim.instanceTypeOptions].sort());
    }
  });
});

describe('schedule: placement order', () => {
  it('prefers existing nodes, initialized first', () => {
    const result = schedule(
      snapshot({
        pods: [testPod('p', { cpu: '1' })],
        existingNodes: [testExistingNode('b-initialized'), testExistingNode('a-coming-up', { initialized: false })],
      }),
    );
    expect(result.nodeClaims).toEqual([]);
    expect(result.existingNodes).toEqual([{ name: 'b-initialized', pods: [expect.objectContaining({ metadata: expect.objectContaining({ name: 'p' }) })] }]);
  });

  it('skips nodes marked for deletion and full nodes', () => {
    const busy = testExistingNode('busy', { cpu: 1, pods: [testPod('running', { cpu: '800m' })] });
    const doomed = testExistingNode('doomed', { markedForDeletion: true });
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '500m' })], existingNodes: [busy, doomed] }));
    expect(result.existingNodes).toEqual([]);
    expect(result.nodeClaims).toHaveLength(1);
  });

  it('ignores ephemeral and startup taints of a node that is not initialized yet', () => {
    const inflight = testExistingNode('inflight', {
      initialized: false,
      nodePoolName: 'default',
      taints: [
        { key: 'karpenter.sh/unregistered', effect: 'NoExecute' },
        { key: 'example.com/agent-not-ready', effect: 'NoSchedule' },
      ],
    });
    const np = testNodePool('default', { startupTaints: [{ key: 'example.com/agent-not-ready', effect: 'NoSchedule' }] });
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], existingNodes: [inflight], nodePools: [np] }));
    expect(result.existingNodes.map((n) => n.name)).toEqual(['inflight']);
    const initialized = { ...inflight, initialized: true };
    expect(schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], existingNodes: [initialized], nodePools: [np] })).existingNodes).toEqual([]);
  });

  it('orders pods by CPU then memory descending, then creation time, then uid', () => {
    const pods = [
      testPod('small', { cpu: '100m' }),
      testPod('big-mem', { cpu: '1', memory: '2Gi' }),
      testPod('big-late', { cpu: '1', memory: '1Gi', created: '2024-01-02T00:00:00Z' }),
      testPod('big-early', { cpu: '1', memory: '1Gi', created: '2024-01-01T00:00:00Z' }),
    ];
    const result = schedule(snapshot({ pods, types: [large] }));
    expect(result.nodeClaims).toHaveLength(1);
    expect(names(result.nodeClaims[0]?.pods ?? [])).toEqual(['big-mem', 'big-early', 'big-late', 'small']);
  });

  it('keeps every instance type that fits and launches the cheapest', () => {
    const result = schedule(snapshot({ pods: [testPod('a', { cpu: '3' })] }));
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['medium', 'large']);
    expect(result.nodeClaims[0]?.launch).toMatchObject({ instanceType: 'medium', capacityType: 'on-demand', zone: 'zone-a' });
    expect(result.nodeClaims[0]?.launch.pricePerHour).toBeCloseTo(0.108, 9);
  });

  it('adds to planned NodeClaims, fewest pods first, narrowing types', () => {
    const pods = [testPod('a', { cpu: '3' }), testPod('b', { cpu: '3' }), testPod('c', { cpu: '1' })];
    const result = schedule(snapshot({ pods }));
    expect(result.nodeClaims).toHaveLength(1);
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['large']);
    expect(result.nodeClaims[0]?.requests).toEqual({ cpu: 7000, pods: 3 });
  });

  // Karpenter: NodePoolList.OrderByWeight (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go), called by
  // Provisioner.NewScheduler: weight descending, then equal weights by name descending (later in the alphabet first).
  it('tries NodePools of equal weight in Karpenter order: name descending, not file order nor alphabetical', () => {
    const pods = [testPod('p', { cpu: '1' })];
    // File order picks "middle", alphabetical picks "alpha", Karpenter picks "zeta".
    const pools = [testNodePool('middle'), testNodePool('alpha'), testNodePool('zeta')];
    expect(schedule(snapshot({ pods, nodePools: pools })).nodeClaims[0]?.nodePoolName).toBe('zeta');
    expect(schedule(snapshot({ pods, nodePools: pools.map((p) => ({ ...p, spec: { ...p.spec, weight: 5 } })) })).nodeClaims[0]?.nodePoolName).toBe('zeta');
    // A heavier pool wins whatever its name; unset weight counts as 0.
    expect(schedule(snapshot({ pods, nodePools: [...pools, testNodePool('aaa-heavy', { weight: 10 })] })).nodeClaims[0]?.nodePoolName).toBe('aaa-heavy');
    expect(schedule(snapshot({ pods, nodePools: [testNodePool('zz-unset'), testNodePool('aa-one', { weight: 1 })] })).nodeClaims[0]?.nodePoolName).toBe('aa-one');
  });
});

describe('schedule: offerings and capacity types', () => {
  const typ = testInstanceType('t', 4, 8, { zones: ['z1', 'z2'], capacityTypes: ['spot', 'on-demand'] });
  it.each<[string, string[] | undefined, string]>([
    ['spot preferred when allowed', undefined, 'spot'],
    ['on-demand when only on-demand allowed', ['on-demand'], 'on-demand'],
    ['spot when only spot allowed', ['spot'], 'spot'],
  ])('%s', (_name, allowed, expected) => {
    const np = testNodePool('default', allowed ? { requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: allowed }] } : {});
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], nodePools: [np], types: [typ] }));
    expect(result.nodeClaims[0]?.launch.capacityType).toBe(expected);
  });

  it('prefers reserved capacity', () => {
    const reserved = testInstanceType('r', 4, 8, { capacityTypes: ['reserved', 'spot', 'on-demand'] });
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], types: [reserved] }));
    expect(result.nodeClaims[0]?.launch.capacityType).toBe('reserved');
  });

  it('never launches an unavailable offering', () => {
    const t: InstanceType = { ...typ, offerings: typ.offerings.map((o) => (o.capacityType === 'spot' ? { ...o, available: false } : o)) };
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], types: [t] }));
    expect(result.nodeClaims[0]?.launch.capacityType).toBe('on-demand');
  });

  it('honours a pod zone selector', () => {
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1', nodeSelector: { 'topology.kubernetes.io/zone': 'z2' } })], types: [typ] }));
    expect(result.nodeClaims[0]?.launch.zone).toBe('z2');
    expect(result.nodeClaims[0]?.labels?.['topology.kubernetes.io/zone']).toBe('z2');
  });
});

describe('schedule: requirements and taints', () => {
  it('labels from the template and single-valued requirements go on the node', () => {
    const np = testNodePool('default', { labels: { team: 'a' }, requirements: [{ key: 'example.com/tier', operator: 'In', values: ['gold'] }] });
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1', nodeSelector: { team: 'a' } })], nodePools: [np] }));
    expect(result.nodeClaims[0]?.labels).toMatchObject({ team: 'a', 'example.com/tier': 'gold', 'karpenter.sh/nodepool': 'default' });
  });

  it.each<[string, Parameters<typeof testPod>[1], RegExp]>([
    ['custom label the pool does not define', { nodeSelector: { team: 'b' } }, /label "team" does not have known values/],
    ['value outside the pool', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }, /incompatible requirement kubernetes\.io\/arch In \[arm64\]: the NodePool's instance types in the catalog offer kubernetes\.io\/arch In \[amd64\]/],
    ['too big for every type', { cpu: '16' }, /no instance type fits requests cpu=16, pods=1; the largest allowed type large has cpu=8, memory=16Gi, pods=110 available/],
    ['extended resource no type has', { cpu: '1', extra: { 'amd.com/gpu': '1' } }, /no instance type fits requests amd\.com\/gpu=1, cpu=1, pods=1/],
  ])('explains %s', (_name, opts, reason) => {
    const result = schedule(snapshot({ pods: [testPod('p', opts)] }));
    expect(result.nodeClaims).toEqual([]);
    expect(result.unschedulable).toHaveLength(1);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(reason);
    expect(result.unschedulable[0]?.reason).toContain('nodepool "default"');
  });

  it('suggests a near-miss label key', () => {
    const np = testNodePool('default', { labels: { team: 'a' } });
    const result = schedule(snapshot({ pods: [testPod('p', { nodeSelector: { taem: 'a' } })], nodePools: [np] }));
    expect(result.unschedulable[0]?.nodePools['default']).toContain('did you mean "team"?');
  });

  it('taints need tolerations, startup taints do not', () => {
    const np = testNodePool('gpu', { taints: [{ key: 'gpu', value: 'true', effect: 'NoSchedule' }], startupTaints: [{ key: 'init', effect: 'NoSchedule' }] });
    const untolerated = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], nodePools: [np] }));
    expect(untolerated.unschedulable[0]?.nodePools['gpu']).toBe('taint gpu=true:NoSchedule is not tolerated');
    const tolerated = schedule(snapshot({ pods: [testPod('p', { cpu: '1', tolerations: [{ key: 'gpu', operator: 'Exists' }] })], nodePools: [np] }));
    expect(tolerated.nodeClaims).toHaveLength(1);
  });

  it('explains per NodePool', () => {
    const pools = [testNodePool('gpu', { taints: [{ key: 'gpu', effect: 'NoSchedule' }] }), testNodePool('small', { limits: { cpu: '1' } })];
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '3' })], nodePools: pools }));
    expect(result.unschedulable[0]?.nodePools).toEqual({
      gpu: 'taint gpu:NoSchedule is not tolerated',
      small: expect.stringMatching(/cpu limit 1 vCPU reached/),
    });
  });
});

describe('schedule: limits', () => {
  it.each<[string, Record<string, string | number>, number, number]>([
    ['nodes limit counts planned claims', { nodes: 2 }, 2, 1],
    ['cpu limit counts the largest option', { cpu: '5' }, 2, 1],
  ])('%s', (_name, limits, claims, unschedulable) => {
    // Pods with hostname anti-affinity need one node each.
    const pods = [0, 1, 2].map((i) =>
      testPod(`p${i}`, {
        cpu: '1',
        labels: { app: 'x' },
        affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'x' } } }] } },
      }),
    );
    const result = schedule(snapshot({ pods, nodePools: [testNodePool('default', { limits })], types: [small] }));
    expect(result.nodeClaims).toHaveLength(claims);
    expect(result.unschedulable.length).toBeGreaterThanOrEqual(unschedulable);
  });

  it('counts existing nodes of the pool', () => {
    const existing = testExistingNode('n1', { nodePoolName: 'default', cpu: 2, capacity: { cpu: 2000 }, pods: [testPod('full', { cpu: '2' })] });
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], existingNodes: [existing], nodePools: [testNodePool('default', { limits: { cpu: '3' } })] }));
    expect(result.nodeClaims).toEqual([]);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/cpu limit 3 vCPU reached \(2 vCPU in use or planned\)/);
  });

  it('drops options that would exceed a limit', () => {
    const result = schedule(snapshot({ pods: [testPod('p', { cpu: '1' })], nodePools: [testNodePool('default', { limits: { cpu: '4' } })] }));
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['small', 'medium']);
  });
});

describe('schedule: determinism', () => {
  it('gives the same result for shuffled input', () => {
    const pods = Array.from({ length: 30 }, (_, i) => testPod(`p${i}`, { cpu: `${(i % 5) + 1}00m`, memory: `${(i % 3) + 1}Gi` }));
    const a = schedule(snapshot({ pods, types: defaultCatalog() }));
    const b = schedule(snapshot({ pods: [...pods].reverse(), types: defaultCatalog() }));
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
