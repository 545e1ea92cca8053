import { describe, expect, it } from 'vitest';
import { validatePlan } from '@karpenter-ts/provisioner-domain-testing';
import type { DaemonSet, NodeSelectorRequirementWithMinValues, Pod } from '../core/types.js';
import { defaultCatalog } from '../instancetypes/default-catalog.js';
import { schedule } from './schedule.js';
import { testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { PackingMode, SchedulingResult, SchedulingSnapshot } from './types.js';

const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const ON_DEMAND_AMD64_LINUX: NodeSelectorRequirementWithMinValues[] = [
  { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
  { key: 'kubernetes.io/os', operator: 'In', values: ['linux'] },
  { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
];

function snapshot(pods: Pod[], opts: { requirements?: NodeSelectorRequirementWithMinValues[]; limits?: Record<string, string>; daemonSets?: DaemonSet[] } = {}): SchedulingSnapshot {
  const np = testNodePool('default', { requirements: opts.requirements ?? ON_DEMAND_AMD64_LINUX, ...(opts.limits ? { limits: opts.limits } : {}) });
  return { pods, existingNodes: [], nodePools: [np], instanceTypes: { default: defaultCatalog() }, ...(opts.daemonSets ? { daemonSets: opts.daemonSets } : {}) };
}

function both(s: SchedulingSnapshot): Record<PackingMode, SchedulingResult> {
  return { karpenter: schedule(s, { packing: 'karpenter' }), cost: schedule(s, { packing: 'cost' }) };
}

const price = (r: SchedulingResult): number => r.nodeClaims.reduce((sum, c) => sum + c.launch.pricePerHour, 0);
const shape = (r: SchedulingResult): string[] => r.nodeClaims.map((c) => `${c.launch.instanceType}:${c.pods.length}`);
const pods = (n: number, cpu: string, extra: (i: number) => Partial<Pod['spec']> & { labels?: Record<string, string> } = () => ({})): Pod[] =>
  Array.from({ length: n }, (_, i) => {
    const { labels, ...spec } = extra(i);
    return testPod(`p-${String(i).padStart(2, '0')}`, { cpu, ...(labels ? { labels } : {}), ...spec });
  });

describe('cost-aware packing', () => {
  it.each([
    {
      name: '10 × 1 CPU: Karpenter fills one c-16x, cost packs c-8x + c-4x',
      s: snapshot(pods(10, '1')),
      karpenter: ['c-16x-amd64-linux:10'],
      cost: ['c-8x-amd64-linux:7', 'c-4x-amd64-linux:3'],
      prices: [0.432, 0.324],
    },
    {
      name: 'a NodePool limited to one node keeps the one claim',
      s: snapshot(pods(10, '1'), { limits: { nodes: '1' } }),
      karpenter: ['c-16x-amd64-linux:10'],
      cost: ['c-16x-amd64-linux:10'],
      prices: [0.432, 0.432],
    },
    {
      name: 'a cpu limit of 20 still admits the split: the first claim reserves 16, the second 4',
      s: snapshot(pods(10, '1'), { limits: { cpu: '20' } }),
      karpenter: ['c-16x-amd64-linux:10'],
      cost: ['c-8x-amd64-linux:7', 'c-4x-amd64-linux:3'],
      prices: [0.432, 0.324],
    },
    {
      name: 'a cpu limit of 16 refuses the split (16 + 4 reserved), so the plan stays',
      s: snapshot(pods(10, '1'), { limits: { cpu: '16' } }),
      karpenter: ['c-16x-amd64-linux:10'],
      cost: ['c-16x-amd64-linux:10'],
      prices: [0.432, 0.432],
    },
    {
      name: 'one pod: nothing cheaper than its cheapest fitting type',
      s: snapshot(pods(1, '3')),
      karpenter: ['c-4x-amd64-linux:1'],
      cost: ['c-4x-amd64-linux:1'],
      prices: [0.108, 0.108],
    },
  ])('$name', ({ s, karpenter, cost, prices }) => {
    const r = both(s);
    expect(shape(r.karpenter)).toEqual(karpenter);
    expect(shape(r.cost)).toEqual(cost);
    expect([price(r.karpenter), price(r.cost)].map((p) => Number(p.toFixed(6)))).toEqual(prices);
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('leaves the plan deep-equal to the Karpenter-style one when it cannot do better', () => {
    const s = snapshot(pods(1, '3'));
    expect(schedule(s)).toEqual(schedule(s, { packing: 'karpenter' }));
  });

  it('counts DaemonSet overhead on every new NodeClaim', () => {
    const agent: DaemonSet = {
      metadata: { name: 'agent', namespace: 'kube-system' },
      spec: { template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] } } },
    };
    const s = snapshot(pods(10, '1'), { daemonSets: [agent] });
    const r = both(s);
    expect(price(r.cost)).toBeLessThan(price(r.karpenter));
    for (const claim of r.cost.nodeClaims) {
      expect(claim.daemonSetOverhead).toEqual({ cpu: 500, pods: 1 });
      expect(claim.requests['cpu']).toBe(claim.pods.length * 1000 + 500);
    }
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('never puts two replicas with hostname anti-affinity on one NodeClaim', () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOST, labelSelector: { matchLabels: { app: 'db' } } }] } };
    const s = snapshot(pods(16, '1', (i) => (i % 4 === 0 ? { labels: { app: 'db' }, affinity: anti } : { labels: { app: 'web' } })));
    const r = both(s);
    expect(price(r.cost)).toBeLessThan(price(r.karpenter));
    for (const claim of r.cost.nodeClaims) expect(claim.pods.filter((p) => p.metadata.labels?.['app'] === 'db').length).toBeLessThanOrEqual(1);
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('keeps hostname topology spread within maxSkew whatever order the pods bind in', () => {
    const spread = [{ maxSkew: 1, topologyKey: HOST, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'api' } } }];
    const s = snapshot(pods(20, '1', (i) => (i < 4 ? { labels: { app: 'api' }, topologySpreadConstraints: spread } : { labels: { app: i % 2 ? 'api' : 'batch' } })));
    const r = both(s);
    // Karpenter's plan lets api pods join an owner's claim after it (kube-scheduler checks the arriving pod only);
    // re-packed claims hold at most maxSkew api pods next to an owner, in any binding order.
    expect(price(r.cost)).toBeLessThan(price(r.karpenter));
    for (const claim of r.cost.nodeClaims) {
      const owners = claim.pods.filter((p) => p.spec.topologySpreadConstraints);
      if (owners.length > 0) expect(claim.pods.filter((p) => p.metadata.labels?.['app'] === 'api').length).toBeLessThanOrEqual(1);
    }
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('never puts two pods binding the same host port on one NodeClaim', () => {
    const withPort = (i: number) => (i < 6 ? { containers: [{ name: 'c', resources: { requests: { cpu: '1' } }, ports: [{ containerPort: 80, hostPort: 8080 }] }] } : {});
    const s = snapshot(pods(14, '1', withPort));
    const r = both(s);
    expect(price(r.cost)).toBeLessThanOrEqual(price(r.karpenter));
    for (const claim of r.cost.nodeClaims) expect(claim.pods.filter((p) => p.spec.containers[0]?.ports).length).toBeLessThanOrEqual(1);
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('keeps every pod in the zone its topology spread chose', () => {
    const spread = [{ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 'z' } } }];
    const s = snapshot(pods(40, '1', () => ({ labels: { app: 'z' }, topologySpreadConstraints: spread })));
    const r = both(s);
    const zones = (res: SchedulingResult) => Object.fromEntries(res.nodeClaims.flatMap((c) => c.pods.map((p) => [p.metadata.name, c.launch.zone])));
    expect(price(r.cost)).toBeLessThan(price(r.karpenter));
    expect(zones(r.cost)).toEqual(zones(r.karpenter));
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('leaves NodeClaims holding a hostname pod-affinity owner as planned', () => {
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: HOST, labelSelector: { matchLabels: { app: 'cache' } } }] } };
    const s = snapshot(pods(10, '1', () => ({ labels: { app: 'cache' }, affinity })));
    const r = both(s);
    expect(shape(r.cost)).toEqual(shape(r.karpenter));
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('keeps minValues: every new NodeClaim still offers that many instance types', () => {
    const s = snapshot(pods(10, '1'), { requirements: [...ON_DEMAND_AMD64_LINUX, { key: 'node.kubernetes.io/instance-type', operator: 'Exists', minValues: 4 }] });
    const r = both(s);
    expect(price(r.cost)).toBeLessThanOrEqual(price(r.karpenter));
    for (const claim of r.cost.nodeClaims) expect(claim.instanceTypeOptions.length).toBeGreaterThanOrEqual(4);
  });

  it('picks types with the best price per unit of the resource that binds, mixing shapes', () => {
    const cpuHeavy = testInstanceType('cpu-8', 8, 8, { price: 0.2 });
    const memHeavy = testInstanceType('mem-8', 8, 64, { price: 0.3 });
    const big = testInstanceType('big-32', 32, 128, { price: 1.2 });
    const mixed = [...pods(6, '3', () => ({ containers: [{ name: 'c', resources: { requests: { cpu: '3', memory: '1Gi' } } }] })), ...pods(6, '500m', () => ({ containers: [{ name: 'c', resources: { requests: { cpu: '500m', memory: '20Gi' } } }] })).map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `m-${i}`, uid: `uid-m-${i}` } }))];
    const s: SchedulingSnapshot = { pods: mixed, existingNodes: [], nodePools: [testNodePool('default')], instanceTypes: { default: [cpuHeavy, memHeavy, big] } };
    const r = both(s);
    expect(shape(r.karpenter)).toEqual(['big-32:12']);
    expect(price(r.cost)).toBeLessThan(price(r.karpenter));
    expect(r.cost.nodeClaims.map((c) => c.launch.instanceType).sort()).toEqual(['cpu-8', 'mem-8', 'mem-8']);
    expect(price(r.cost)).toBeCloseTo(0.8, 9);
    expect(validatePlan(s, r.cost)).toEqual([]);
  });

  it('is deterministic and numbers placeholder hostnames by position', () => {
    const s = snapshot(pods(30, '700m'));
    const a = schedule(s);
    expect(JSON.parse(JSON.stringify(schedule(JSON.parse(JSON.stringify(s)) as SchedulingSnapshot)))).toEqual(JSON.parse(JSON.stringify(a)));
    expect(a.nodeClaims.map((c) => c.hostname)).toEqual(a.nodeClaims.map((_, i) => `hostname-placeholder-${String(i + 1).padStart(4, '0')}`));
    expect(a.nodeClaims.map((c) => c.labels?.[HOST])).toEqual(a.nodeClaims.map((c) => c.hostname));
  });
});
