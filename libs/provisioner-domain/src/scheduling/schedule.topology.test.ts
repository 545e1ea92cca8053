import { describe, expect, it } from 'vitest';
import type { Pod, PodAffinityTerm, TopologySpreadConstraint } from '../core/types.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { SchedulingResult, SchedulingSnapshot } from './types.js';

const ZONES = ['z-a', 'z-b', 'z-c'];
const types = [testInstanceType('m', 4, 16, { zones: ZONES, capacityTypes: ['spot', 'on-demand'] }), testInstanceType('xl', 16, 64, { zones: ZONES, capacityTypes: ['spot', 'on-demand'] })];

function run(pods: Pod[], extra: Partial<SchedulingSnapshot> = {}): SchedulingResult {
  return schedule({ pods, existingNodes: [], nodePools: [testNodePool('default')], instanceTypes: { default: types }, ...extra });
}

function zoneCounts(result: SchedulingResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of result.nodeClaims) out[c.launch.zone] = (out[c.launch.zone] ?? 0) + c.pods.length;
  return out;
}

const spread = (key: string, maxSkew = 1, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey: key,
  whenUnsatisfiable: 'DoNotSchedule',
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const web = (i: number, extra: Parameters<typeof testPod>[1] = {}): Pod => testPod(`web-${i}`, { cpu: '100m', labels: { app: 'web' }, ...extra });
const term = (key: string, labels: Record<string, string> = { app: 'web' }): PodAffinityTerm => ({ topologyKey: key, labelSelector: { matchLabels: labels } });

describe('topology spread', () => {
  it('spreads across zones within maxSkew', () => {
    const result = run(Array.from({ length: 6 }, (_, i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone')] })));
    expect(result.unschedulable).toEqual([]);
    expect(zoneCounts(result)).toEqual({ 'z-a': 2, 'z-b': 2, 'z-c': 2 });
  });

  it('spreads across hostnames: one pod per node with maxSkew 1', () => {
    const result = run(Array.from({ length: 4 }, (_, i) => web(i, { topologySpreadConstraints: [spread('kubernetes.io/hostname')] })));
    expect(result.nodeClaims.map((c) => c.pods.length)).toEqual([1, 1, 1, 1]);
  });

  it('spreads across capacity types', () => {
    const result = run(Array.from({ length: 4 }, (_, i) => web(i, { topologySpreadConstraints: [spread('karpenter.sh/capacity-type')] })));
    const byType: Record<string, number> = {};
    for (const c of result.nodeClaims) byType[c.launch.capacityType] = (byType[c.launch.capacityType] ?? 0) + c.pods.length;
    expect(byType).toEqual({ spot: 2, 'on-demand': 2 });
  });

  it('counts existing pods', () => {
    const existing = [
      testExistingNode('n-a', { labels: { 'topology.kubernetes.io/zone': 'z-a' }, pods: [web(90), web(91)] }),
      testExistingNode('n-b', { cpu: 0.1, labels: { 'topology.kubernetes.io/zone': 'z-b' }, pods: [web(92)] }),
    ];
    const result = run(
      Array.from({ length: 3 }, (_, i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone')] })),
      { existingNodes: existing },
    );
    // z-a 2, z-b 1 (full), z-c 0: the new pods go to z-c, z-c, then z-b.
    expect(zoneCounts(result)).toEqual({ 'z-c': 2, 'z-b': 1 });
  });

  it('respects the pod node affinity when counting domains (nodeAffinityPolicy Honor)', () => {
    const pods = Array.from({ length: 4 }, (_, i) =>
      web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone')], nodeSelector: {}, affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a', 'z-b'] }] }] } } } }),
    );
    expect(zoneCounts(run(pods))).toEqual({ 'z-a': 2, 'z-b': 2 });
  });

  it.each<['Honor' | 'Ignore', number]>([
    ['Ignore', 2],
    ['Honor', 4],
  ])('nodeTaintsPolicy %s decides whether a tainted pool’s zone counts as a domain', (policy, scheduled) => {
    const tainted = testNodePool('tainted', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] });
    const plain = testNodePool('plain');
    const pods = Array.from({ length: 4 }, (_, i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, { nodeTaintsPolicy: policy })] }));
    const result = run(pods, {
      nodePools: [tainted, plain],
      instanceTypes: { tainted: [testInstanceType('c', 4, 16, { zones: ['z-c'] })], plain: [testInstanceType('ab', 4, 16, { zones: ['z-a', 'z-b'] })] },
    });
    expect(result.nodeClaims.flatMap((c) => c.pods)).toHaveLength(scheduled);
  });

  it('with minDomains, the global minimum is 0 until enough domains are used', () => {
    const np = testNodePool('default', { requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a'] }] });
    const pods = Array.from({ length: 3 }, (_, i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, { minDomains: 2 })] }));
    const result = run(pods, { nodePools: [np] });
    expect(result.nodeClaims.flatMap((c) => c.pods)).toHaveLength(1);
    expect(result.unschedulable).toHaveLength(2);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/topology spread on topology\.kubernetes\.io\/zone/);
  });

  it('relaxes ScheduleAnyway spreads instead of failing', () => {
    const np = testNodePool('default', { requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a'] }] });
    const pods = Array.from({ length: 3 }, (_, i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone', 1, { minDomains: 2, whenUnsatisfiable: 'ScheduleAnyway' })] }));
    expect(run(pods, { nodePools: [np] }).unschedulable).toEqual([]);
  });

  it('matchLabelKeys narrows the selector to the pod’s own value', () => {
    const pods = [0, 1, 2, 3].map((i) =>
      testPod(`p${i}`, { cpu: '100m', labels: { app: 'web', rev: i < 2 ? 'v1' : 'v2' }, topologySpreadConstraints: [spread('kubernetes.io/hostname', 1, { matchLabelKeys: ['rev'] })] }),
    );
    // Each revision spreads on its own: 2 nodes suffice (one v1 and one v2 pod per node).
    expect(run(pods).nodeClaims).toHaveLength(2);
  });
});

describe('pod affinity', () => {
  it('co-locates with a selected pod in the same zone', () => {
    const db = testExistingNode('db-node', { cpu: 0.2, labels: { 'topology.kubernetes.io/zone': 'z-b' }, pods: [testPod('db', { labels: { app: 'db' }, cpu: '100m' })] });
    const pods = [testPod('api', { cpu: '1', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('topology.kubernetes.io/zone', { app: 'db' })] } } })];
    const result = run(pods, { existingNodes: [db] });
    expect(result.nodeClaims[0]?.launch.zone).toBe('z-b');
  });

  it('fails when nothing matches and the pod does not select itself', () => {
    const result = run([testPod('api', { cpu: '1', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('topology.kubernetes.io/zone', { app: 'db' })] } } })]);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/pod affinity on topology\.kubernetes\.io\/zone: no allowed domain has a matching pod/);
  });

  it('self-affinity puts the whole group in one zone', () => {
    const pods = Array.from({ length: 5 }, (_, i) => web(i, { cpu: '3', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('topology.kubernetes.io/zone')] } } }));
    const result = run(pods);
    expect(Object.keys(zoneCounts(result))).toHaveLength(1);
    expect(result.unschedulable).toEqual([]);
  });

  it('hostname self-affinity packs onto one node', () => {
    const pods = Array.from({ length: 3 }, (_, i) => web(i, { cpu: '1', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('kubernetes.io/hostname')] } } }));
    expect(run(pods).nodeClaims).toHaveLength(1);
  });

  it('selects across namespaces with a namespace selector', () => {
    const db = testExistingNode('db-node', { cpu: 0.2, labels: { 'topology.kubernetes.io/zone': 'z-c' }, pods: [testPod('db', { namespace: 'data', labels: { app: 'db' }, cpu: '100m' })] });
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...term('topology.kubernetes.io/zone', { app: 'db' }), namespaceSelector: { matchLabels: { tier: 'data' } } }] } };
    const result = run([testPod('api', { cpu: '1', namespace: 'web', affinity })], {
      existingNodes: [db],
      namespaces: [{ metadata: { name: 'data', labels: { tier: 'data' } } }, { metadata: { name: 'web' } }],
    });
    expect(result.nodeClaims[0]?.launch.zone).toBe('z-c');
  });
});

describe('pod anti-affinity', () => {
  it('one pod per node on hostname', () => {
    const pods = Array.from({ length: 3 }, (_, i) => web(i, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('kubernetes.io/hostname')] } } }));
    expect(run(pods).nodeClaims.map((c) => c.pods.length)).toEqual([1, 1, 1]);
  });

  it('one pod per zone; the fourth cannot schedule', () => {
    const pods = Array.from({ length: 4 }, (_, i) => web(i, { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('topology.kubernetes.io/zone')] } } }));
    const result = run(pods);
    expect(Object.values(zoneCounts(result))).toEqual([1, 1, 1]);
    expect(result.unschedulable).toHaveLength(1);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/pod anti-affinity on topology\.kubernetes\.io\/zone/);
  });

  it('honours the anti-affinity of pods already running (symmetry)', () => {
    const guard = testPod('guard', { cpu: '100m', labels: { app: 'guard' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('kubernetes.io/hostname', { app: 'web' })] } } });
    const node = testExistingNode('n1', { pods: [guard] });
    const result = run([web(0)], { existingNodes: [node] });
    expect(result.existingNodes).toEqual([]);
    expect(result.nodeClaims).toHaveLength(1);
  });

  it('honours the anti-affinity of pods placed earlier in the round', () => {
    const guard = testPod('guard', { cpu: '2', labels: { app: 'guard' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('kubernetes.io/hostname', { app: 'web' })] } } });
    const result = run([guard, web(0)]);
    expect(result.nodeClaims).toHaveLength(2);
  });

  it('picks a zone the pod itself allows', () => {
    const pods = [web(0, { nodeSelector: { 'topology.kubernetes.io/zone': 'z-b' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('topology.kubernetes.io/zone')] } } })];
    const result = run(pods);
    expect(result.nodeClaims[0]?.launch.zone).toBe('z-b');
  });
});

describe('domains a NodePool cannot reach', () => {
  it('spread never steers a NodeClaim to a zone its types do not offer', () => {
    const full = testExistingNode('n-c', { cpu: 0.05, labels: { 'topology.kubernetes.io/zone': 'z-c' } });
    const ab = [testInstanceType('m', 4, 16, { zones: ['z-a', 'z-b'] })];
    const pods = [0, 1, 2].map((i) => web(i, { topologySpreadConstraints: [spread('topology.kubernetes.io/zone')] }));
    const result = run(pods, { existingNodes: [full], instanceTypes: { default: ab } });
    // z-c is an eligible (empty) domain, so a third pod would exceed the skew: two schedule, in z-a and z-b.
    expect(zoneCounts(result)).toEqual({ 'z-a': 1, 'z-b': 1 });
    expect(result.unschedulable).toHaveLength(1);
  });

  it('names the zones a NodePool offers when a pod asks for another', () => {
    const result = run([web(0, { nodeSelector: { 'topology.kubernetes.io/zone': 'z-q' } })]);
    expect(result.unschedulable[0]?.nodePools['default']).toBe(
      'incompatible requirement topology.kubernetes.io/zone In [z-q]: the NodePool allows topology.kubernetes.io/zone In [z-a, z-b, z-c] (did you mean "z-a"?)',
    );
  });
});

describe('matchLabelKeys / mismatchLabelKeys (verified: spread, pod affinity, pod anti-affinity, existing pods)', () => {
  const anti = (t: PodAffinityTerm) => ({ podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [t] } });
  const withKeys = (t: PodAffinityTerm, keys: Partial<PodAffinityTerm>): PodAffinityTerm => ({ ...t, ...keys });
  const revPod = (i: number, rev: string | undefined, extra: Parameters<typeof testPod>[1]) => testPod(`p${i}`, { cpu: '100m', labels: { app: 'web', ...(rev ? { rev } : {}) }, ...extra });
  const byNode = (r: SchedulingResult) => r.nodeClaims.map((c) => c.pods.map((p) => p.metadata.name).join(',')).sort();

  it.each<[string, Pod[], string[]]>([
    [
      'spread: a key the pod lacks is ignored (all pods in one group)',
      [0, 1, 2, 3].map((i) => revPod(i, undefined, { topologySpreadConstraints: [spread('kubernetes.io/hostname', 1, { matchLabelKeys: ['rev'] })] })),
      ['p0', 'p1', 'p2', 'p3'],
    ],
    [
      'anti-affinity: matchLabelKeys repels only pods of the same revision',
      [0, 1, 2, 3].map((i) => revPod(i, i < 2 ? 'v1' : 'v2', { affinity: anti(withKeys(term('kubernetes.io/hostname'), { matchLabelKeys: ['rev'] })) })),
      ['p0,p2', 'p1,p3'],
    ],
    [
      'anti-affinity: mismatchLabelKeys keeps nodes exclusive per team',
      [0, 1, 2, 3].map((i) =>
        testPod(`p${i}`, {
          cpu: '100m',
          labels: { team: i % 2 === 0 ? 'a' : 'b' },
          affinity: anti({ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] }, mismatchLabelKeys: ['team'] }),
        }),
      ),
      ['p0,p2', 'p1,p3'],
    ],
  ])('%s', (_name, pods, expected) => {
    const result = run(pods);
    expect(result.unschedulable).toEqual([]);
    expect(byNode(result)).toEqual(expected);
  });

  it('pod affinity: matchLabelKeys follows the selected pod of the same tenant', () => {
    const db = (zone: string, tenant: string) =>
      testExistingNode(`db-${tenant}`, { cpu: 0.2, labels: { 'topology.kubernetes.io/zone': zone }, pods: [testPod(`db-${tenant}`, { labels: { app: 'db', tenant }, cpu: '100m' })] });
    const api = (tenant: string) =>
      testPod(`api-${tenant}`, { cpu: '1', labels: { tenant }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [withKeys(term('topology.kubernetes.io/zone', { app: 'db' }), { matchLabelKeys: ['tenant'] })] } } });
    const result = run([api('x'), api('y')], { existingNodes: [db('z-a', 'x'), db('z-c', 'y')] });
    expect(result.unschedulable).toEqual([]);
    expect(Object.fromEntries(result.nodeClaims.map((c) => [c.pods[0]?.metadata.name, c.launch.zone]))).toEqual({ 'api-x': 'z-a', 'api-y': 'z-c' });
  });

  it("an existing pod's anti-affinity with matchLabelKeys repels only pods with its value", () => {
    const guard = testPod('guard', { cpu: '100m', labels: { app: 'web', rev: 'v1' }, affinity: anti(withKeys(term('kubernetes.io/hostname'), { matchLabelKeys: ['rev'] })) });
    const existingNodes = [testExistingNode('n1', { pods: [guard] })];
    const result = run([revPod(0, 'v1', {}), revPod(1, 'v2', {})], { existingNodes });
    expect(result.existingNodes.map((n) => n.pods.map((p) => p.metadata.name))).toEqual([['p1']]);
    expect(result.nodeClaims.map((c) => c.pods.map((p) => p.metadata.name))).toEqual([['p0']]);
  });
});
