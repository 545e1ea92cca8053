import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Budget } from '../apis/nodepool.js';
import type { Pod, PodDisruptionBudget } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import { applyDisruption } from './apply.js';
import { describeUnfit } from './consolidation.js';
import { disrupt } from './disrupt.js';
import { isReschedulable, podName } from './pods.js';
import { HOUR, managed, pod, pool, T0 } from './test-fixtures.js';
import type { DisruptionInput, DisruptionNodeInput } from './types.js';

const GI = 2 ** 30;
/** c-Nx: N vCPU, 2N GiB, 0.027 $/h per vCPU on-demand (spot 0.7x), zones a and b. */
function type(cpus: number): InstanceType {
  const price = 0.027 * cpus;
  return {
    name: `c-${cpus}x`,
    labels: { 'node.kubernetes.io/instance-type': `c-${cpus}x`, 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
    capacity: { cpu: cpus * 1000, memory: 2 * cpus * GI, pods: 110 },
    overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
    offerings: ['zone-a', 'zone-b'].flatMap((zone) => [
      { zone, capacityType: 'on-demand' as const, pricePerHour: price, available: true },
      { zone, capacityType: 'spot' as const, pricePerHour: price * 0.7, available: true },
    ]),
  };
}
const TYPES = [1, 2, 4, 8, 16].map(type);
const onDemandPool = (budgets: Budget[] = [{ nodes: '100%' }], policy: 'WhenEmpty' | 'WhenEmptyOrUnderutilized' = 'WhenEmptyOrUnderutilized') => {
  const p = pool('default', { consolidationPolicy: policy, consolidateAfter: '30s', budgets });
  p.spec.template.spec.requirements = [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }];
  return p;
};

/** A pod owned by a ReplicaSet with requests. */
function work(name: string, cpu: string, o: { labels?: Record<string, string>; annotations?: Record<string, string>; owner?: string | null } = {}): Pod {
  const p = pod(name, { ...(o.owner === null ? {} : { owner: o.owner ?? 'ReplicaSet' }), ...(o.annotations ? { annotations: o.annotations } : {}) });
  return { ...p, metadata: { ...p.metadata, labels: o.labels ?? { app: name } }, spec: { ...p.spec, containers: [{ name: 'c', resources: { requests: { cpu, memory: '256Mi' } } }] } };
}

/** A managed node of type c-Nx with pods, its Node reporting the type's allocatable. */
function node(name: string, cpus: number, pods: Pod[], o: Parameters<typeof managed>[1] & { capacityType?: 'spot' | 'on-demand'; drifted?: string } = {}): DisruptionNodeInput {
  const m = managed(name, { ...o, pods: pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: name } })) });
  const labels = { 'karpenter.sh/nodepool': 'default', 'node.kubernetes.io/instance-type': `c-${cpus}x`, 'topology.kubernetes.io/zone': 'zone-a', 'karpenter.sh/capacity-type': o.capacityType ?? 'on-demand', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' };
  return {
    ...m,
    nodeClaim: { ...m.nodeClaim, metadata: { ...m.nodeClaim.metadata, labels } },
    ...(m.node ? { node: { ...m.node, metadata: { ...m.node.metadata, labels }, status: { ...m.node.status, allocatable: { cpu: String(cpus), memory: `${2 * cpus}Gi`, pods: '110' } } } } : {}),
    ...(o.drifted ? { drifted: { reason: o.drifted } } : {}),
  };
}

const plan = (nodes: DisruptionNodeInput[], extra: Partial<DisruptionInput> = {}) =>
  disrupt({ nowMs: T0 + HOUR, nodePools: [onDemandPool()], nodes, instanceTypes: { default: TYPES }, ...extra });
const why = (d: ReturnType<typeof disrupt>, n: string) => d.explanations.find((e) => e.node === n);

describe('consolidation', () => {
  it('single-node delete: the pods of an underused node fit on another', () => {
    const d = plan([node('big', 4, [work('a', '3')]), node('small', 2, [work('b', '500m')])], { options: { maxConsolidationSimulations: 0 } });
    expect(d.commands).toEqual([expect.objectContaining({ method: 'single-node-consolidation', decision: 'delete', nodeClaims: ['small'], reason: 'underutilized', replacements: [] })]);
    expect(d.commands[0]?.movedPods).toEqual([{ pod: 'default/b', to: 'big' }]);
    expect(d.commands[0]?.pricePerHourBefore).toBeCloseTo(0.054);
    expect(why(d, 'big')).toMatchObject({ disrupted: false, code: 'ReplacementNotCheaper', reason: 'replacement not cheaper: c-4x $0.108/h vs $0.108/h' });
  });

  it('single-node replace: one strictly cheaper NodeClaim', () => {
    const d = plan([node('big', 16, [work('a', '1500m')])]);
    const [command] = d.commands;
    expect(command).toMatchObject({ method: 'single-node-consolidation', decision: 'replace', nodeClaims: ['big'] });
    expect(command?.replacements?.[0]?.launch.instanceType).toBe('c-2x');
    expect(command?.pricePerHourAfter).toBeLessThan(command?.pricePerHourBefore ?? 0);
  });

  it('pods that fit nowhere, with numbers', () => {
    expect(describeUnfit(work('y', '3'), [{ cpu: 1500, memory: GI }, { cpu: 500, memory: 4 * GI }])).toBe('default/y needs 3 CPU, largest free 1.5');
    expect(describeUnfit(work('y', '100m'), [{ cpu: 1500, memory: 2 ** 27 }])).toBe('default/y needs 256Mi memory, largest free 128Mi');
  });

  it('multi-node: the longest prefix of underused nodes whose pods fit on the rest is deleted at once', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => node(n, 4, [work(`${n}-a`, '1')]));
    const d = plan(nodes);
    expect(d.commands[0]).toMatchObject({ method: 'multi-node-consolidation', decision: 'delete', nodeClaims: ['n1', 'n2'] });
    expect(d.commands[0]?.movedPods).toEqual([
      { pod: 'default/n1-a', to: 'n3' },
      { pod: 'default/n2-a', to: 'n3' },
    ]);
    expect(d.pricePerHourAfter).toBeLessThan(d.pricePerHourBefore ?? 0);
  });

  it('multi-node: when the whole group can go, one simulation decides it', () => {
    const keeper = node('big', 16, [work('keep', '1', { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } })]);
    const d = plan([keeper, ...['n1', 'n2', 'n3', 'n4'].map((n) => node(n, 4, [work(`${n}-a`, '1')]))]);
    expect(d.commands).toEqual([expect.objectContaining({ method: 'multi-node-consolidation', decision: 'delete', nodeClaims: ['n1', 'n2', 'n3', 'n4'] })]);
    expect(d.simulations).toBe(1);
  });

  it.each<[string, DisruptionNodeInput[], Partial<DisruptionInput>, string, RegExp]>([
    ['do-not-disrupt pod', [node('x', 8, [work('x', '1', { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } })])], {}, 'DoNotDisruptPod', /^pod default\/x has karpenter.sh\/do-not-disrupt$/],
    ['bare pod', [node('x', 8, [work('x', '1', { owner: null })])], {}, 'Uncontrolled', /pod default\/x has no controller/],
    [
      'PDB at zero',
      [node('x', 8, [work('x', '1', { labels: { app: 'web' } })])],
      { podDisruptionBudgets: [{ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'web' } }, minAvailable: 1 } } as PodDisruptionBudget] },
      'PDBBlocks',
      /^PodDisruptionBudget default\/web allows 0 disruptions/,
    ],
    ['budget 0 for Underutilized', [node('x', 8, [work('x', '1')])], { nodePools: [onDemandPool([{ nodes: '0', reasons: ['Underutilized'], schedule: '0 0 * * *', duration: '17h' }])] }, 'BudgetExhausted', /allows 0 of 1 nodes for reason Underutilized until 17:00 UTC/],
    ['WhenEmpty', [node('x', 8, [work('x', '1')])], { nodePools: [onDemandPool(undefined, 'WhenEmpty')] }, 'PolicyWhenEmpty', /consolidationPolicy WhenEmpty/],
    ['consolidateAfter', [node('x', 8, [work('x', '1')], { lastPodEventMs: T0 + HOUR - 10_000 })], {}, 'ConsolidateAfterNotElapsed', /consolidateAfter 30s/],
    ['spot to spot off', [node('x', 8, [work('x', '1')], { capacityType: 'spot' })], { nodePools: [pool('default', { consolidationPolicy: 'WhenEmptyOrUnderutilized', budgets: [{ nodes: '100%' }] })] }, 'SpotToSpotDisabled', /spot-to-spot consolidation is off/],
    [
      'spot to spot with too few options',
      [node('x', 8, [work('x', '1')], { capacityType: 'spot' })],
      { nodePools: [pool('default', { consolidationPolicy: 'WhenEmptyOrUnderutilized', budgets: [{ nodes: '100%' }] })], options: { spotToSpotConsolidation: true } },
      'TooFewSpotOptions',
      /needs 15 cheaper spot instance types, found 3/,
    ],
  ])('not disrupted: %s', (_name, nodes, extra, code, reason) => {
    const d = plan(nodes, extra);
    expect(d.commands).toEqual([]);
    expect(why(d, 'x')).toMatchObject({ disrupted: false, code });
    expect(why(d, 'x')?.reason).toMatch(reason);
  });

  it('drift: a drifted node is replaced whatever the policy, within the Drifted budget', () => {
    const d = plan([node('old', 4, [work('a', '3')], { drifted: 'NodePoolDrifted' }), node('old2', 4, [work('b', '3')], { drifted: 'NodePoolDrifted' })], {
      nodePools: [onDemandPool([{ nodes: '1', reasons: ['Drifted'] }, { nodes: '100%' }], 'WhenEmpty')],
    });
    expect(d.commands).toEqual([expect.objectContaining({ method: 'drift', reason: 'drifted', decision: 'replace', driftReason: 'NodePoolDrifted' })]);
    expect(d.blocked).toEqual([expect.objectContaining({ code: 'BudgetExhausted', reason: expect.stringMatching(/^drifted, but budget of NodePool "default" allows 1 of 2 nodes for reason Drifted/) })]);
  });
});

describe('consolidation properties', () => {
  const clusterArb = fc.array(fc.record({ cpus: fc.constantFrom(2, 4, 8), pods: fc.array(fc.constantFrom('250m', '500m', '1', '1500m'), { maxLength: 4 }) }), { minLength: 1, maxLength: 7 });
  const budgetArb = fc.constantFrom('1', '2', '50%', '100%');

  it('a command never leaves a pod of its candidates without a place and never exceeds a budget; passes reach a fixed point', () => {
    fc.assert(
      fc.property(clusterArb, budgetArb, (shape, budget) => {
        const nodes = shape.map((s, i) => node(`n${i}`, s.cpus, s.pods.map((cpu, j) => work(`p${i}-${j}`, cpu))));
        let input: DisruptionInput = { nowMs: T0 + HOUR, nodePools: [onDemandPool([{ nodes: budget }])], nodes, instanceTypes: { default: TYPES } };
        for (let pass = 0; pass < 12; pass++) {
          const d = disrupt(input);
          if (d.commands.length === 0) return;
          const limit = Math.ceil(budget.endsWith('%') ? (Number(budget.slice(0, -1)) * input.nodes.length) / 100 : Number(budget));
          expect(d.commands.flatMap((c) => c.nodeClaims).length).toBeLessThanOrEqual(limit);
          for (const c of d.commands) {
            const moved = new Set((c.movedPods ?? []).map((m) => m.pod));
            for (const claim of c.nodeClaims) {
              for (const p of input.nodes.find((n) => n.nodeClaim.metadata.name === claim)?.pods.filter(isReschedulable) ?? []) expect(moved.has(podName(p))).toBe(true);
            }
          }
          expect(d.pricePerHourAfter ?? 0).toBeLessThanOrEqual((d.pricePerHourBefore ?? 0) + 1e-9);
          // Later passes run once consolidateAfter has elapsed for the nodes that changed.
          input = { ...applyDisruption(input, d), nowMs: input.nowMs + HOUR };
        }
        throw new Error('no fixed point after 12 passes');
      }),
      { numRuns: 40, seed: 12 },
    );
  });
});
