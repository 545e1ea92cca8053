import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateCosts, allocateNode, OPENCOST_DEFAULT_UNIT_RATES, resourcePrices, type CostNode } from './allocation.js';

const GiB = 1024 ** 3;
/** Equal to the cent: the amounts differ by less than half a cent (rounding each to whole cents could split a pair straddling a half cent). */
const expectToTheCent = (actual: number, expected: number): void => expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThan(0.005);
/** Rates where 1 core costs as much as 1 GiB: easy numbers. */
const equalRates = { cpuCorePerHour: 1, memoryGiBPerHour: 1, gpuPerHour: 1 };

function node(name: string, pricePerHour: number, cores: number, gib: number, pods: CostNode['pods'], nodePool?: string, gpus = 0): CostNode {
  return {
    name,
    pricePerHour,
    allocatable: { cpu: cores * 1000, memory: gib * GiB, pods: 110, ...(gpus ? { 'nvidia.com/gpu': gpus } : {}) },
    pods,
    ...(nodePool ? { nodePool } : {}),
  };
}
const pod = (key: string, team: string, millicores: number, gib: number, gpus = 0): CostNode['pods'][number] => ({
  key,
  team,
  requests: { cpu: millicores, memory: gib * GiB, pods: 1, ...(gpus ? { 'nvidia.com/gpu': gpus } : {}) },
});

describe('resourcePrices (OpenCost spec Appendix A: the node price split by a ratio of unit rates)', () => {
  it('splits the price in the ratio of unit rates x amounts, summing to the price', () => {
    const prices = resourcePrices({ pricePerHour: 0.8, allocatable: { cpu: 4000, memory: 4 * GiB } }, equalRates);
    expect(prices['cpu']).toBeCloseTo(0.4, 12);
    expect(prices['memory']).toBeCloseTo(0.4, 12);
  });
  it('keeps the spec example ratio: GPU 30, CPU 30, RAM 10 on a $35 node gives 15 / 15 / 5', () => {
    const prices = resourcePrices(
      { pricePerHour: 35, allocatable: { cpu: 1000, memory: GiB, 'nvidia.com/gpu': 1 } },
      { cpuCorePerHour: 30, memoryGiBPerHour: 10, gpuPerHour: 30 },
    );
    expect(prices).toEqual({ cpu: 15, memory: 5, 'nvidia.com/gpu': 15 });
  });
  it('uses OpenCost default rates unless told otherwise', () => {
    const prices = resourcePrices({ pricePerHour: 1, allocatable: { cpu: 1000, memory: GiB } });
    const r = OPENCOST_DEFAULT_UNIT_RATES;
    expect(prices['cpu']).toBeCloseTo(r.cpuCorePerHour / (r.cpuCorePerHour + r.memoryGiBPerHour), 12);
  });
});

describe('allocateNode (workload cost = request x unit rate per resource)', () => {
  it('charges a pod its requests at the node unit rates', () => {
    const costs = allocateNode(node('n', 0.8, 4, 4, [pod('a/x', 'a', 1000, 2)]), equalRates);
    // cpu 0.4 * 1/4 + memory 0.4 * 2/4
    expect(costs['a/x']).toBeCloseTo(0.3, 12);
  });
  it('shares an over-committed resource by request, never above the node price', () => {
    const costs = allocateNode(node('n', 1, 2, 2, [pod('a/x', 'a', 2000, 2), pod('b/y', 'b', 2000, 2)]), equalRates);
    expect(costs['a/x']).toBeCloseTo(0.5, 12);
    expect(costs['b/y']).toBeCloseTo(0.5, 12);
  });
  it('charges nothing for a pod without requests', () => {
    expect(allocateNode(node('n', 1, 2, 2, [{ key: 'a/x', team: 'a', requests: { pods: 1 } }]), equalRates)['a/x']).toBe(0);
  });
});

describe('allocateCosts', () => {
  const nodes = [
    node('shared-1', 1, 4, 4, [pod('a/x', 'a', 1000, 1), pod('b/y', 'b', 2000, 2)], 'default'),
    node('payments-1', 0.5, 2, 2, [pod('p/z', 'payments', 1000, 1)], 'payments'),
  ];

  it('charges a dedicated NodePool idle to its team and reports shared idle as idle', () => {
    const r = allocateCosts({ nodes, dedicatedTeamByNodePool: { payments: 'payments' }, shareIdle: false, unitRates: equalRates });
    expect(r.teams['a']?.costPerHour).toBeCloseTo(0.25, 12);
    expect(r.teams['b']?.costPerHour).toBeCloseTo(0.5, 12);
    expect(r.teams['payments']).toMatchObject({ allocatedCostPerHour: 0.25, idleCostPerHour: 0.25, costPerHour: 0.5 });
    expect(r.idleCostPerHour).toBeCloseTo(0.25, 12);
    expect(r.nodePools['default']?.idleCostPerHour).toBeCloseTo(0.25, 12);
    expect(r.nodes[1]?.idleChargedTo).toBe('payments');
    expect(r.totalCostPerHour).toBe(1.5);
  });

  it('with shareIdle splits shared idle by the teams allocated cost on shared capacity', () => {
    const r = allocateCosts({ nodes, dedicatedTeamByNodePool: { payments: 'payments' }, shareIdle: true, unitRates: equalRates });
    expect(r.idleCostPerHour).toBe(0);
    expect(r.teams['a']?.sharedIdleCostPerHour).toBeCloseTo(0.25 / 3, 12);
    expect(r.teams['b']?.sharedIdleCostPerHour).toBeCloseTo(0.5 / 3, 12);
    expect(r.teams['payments']?.sharedIdleCostPerHour).toBe(0);
  });

  it('lists a team with a dedicated NodePool but no pods, charged its idle nodes', () => {
    const r = allocateCosts({ nodes: [node('gpu-1', 3, 8, 32, [], 'ml', 1)], dedicatedTeamByNodePool: { ml: 'ml' }, shareIdle: false });
    expect(r.teams['ml']).toMatchObject({ allocatedCostPerHour: 0, idleCostPerHour: 3, costPerHour: 3 });
    expect(r.idleCostPerHour).toBe(0);
  });

  it('keeps all shared idle as idle when no team has pods on shared capacity, even with shareIdle', () => {
    const r = allocateCosts({ nodes: [node('empty', 0.2, 2, 2, [], 'default')], dedicatedTeamByNodePool: {}, shareIdle: true });
    expect(r.idleCostPerHour).toBe(0.2);
  });

  it('reconciles to the cent: sum(teams) + idle = total = sum of node prices (property)', () => {
    const podArb = fc.record({
      team: fc.constantFrom('a', 'b', 'c', 'unassigned'),
      millicores: fc.integer({ min: 0, max: 8000 }),
      gib: fc.integer({ min: 0, max: 16 }),
      gpus: fc.integer({ min: 0, max: 2 }),
    });
    const nodeArb = fc.record({
      price: fc.double({ min: 0, max: 40, noNaN: true }),
      cores: fc.integer({ min: 1, max: 64 }),
      gib: fc.integer({ min: 1, max: 256 }),
      gpus: fc.integer({ min: 0, max: 8 }),
      pool: fc.constantFrom('default', 'a-pool', 'b-pool', undefined),
      pods: fc.array(podArb, { maxLength: 12 }),
    });
    fc.assert(
      fc.property(fc.array(nodeArb, { maxLength: 30 }), fc.boolean(), (specs, shareIdle) => {
        const input = specs.map((s, i) =>
          node(`n${i}`, s.price, s.cores, s.gib, s.pods.map((p, j) => pod(`ns/p${i}-${j}`, p.team, p.millicores, p.gib, p.gpus)), s.pool, s.gpus),
        );
        const r = allocateCosts({ nodes: input, dedicatedTeamByNodePool: { 'a-pool': 'a', 'b-pool': 'b' }, shareIdle });
        const prices = input.reduce((s, n) => s + n.pricePerHour, 0);
        const teams = Object.values(r.teams).reduce((s, t) => s + t.costPerHour, 0);
        // Rounded per figure as the API serves them (1e-6).
        const round = (n: number): number => Math.round(n * 1e6) / 1e6;
        const servedTeams = Object.values(r.teams).reduce((s, t) => s + round(t.costPerHour), 0);
        expectToTheCent(teams + r.idleCostPerHour, prices);
        // Unrounded, only floating-point noise separates them.
        expect(Math.abs(teams + r.idleCostPerHour - prices)).toBeLessThan(1e-9 * Math.max(1, prices));
        expectToTheCent(servedTeams + round(r.idleCostPerHour), round(r.totalCostPerHour));
        expectToTheCent(r.totalCostPerHour, prices);
        for (const n of r.nodes) {
          expect(n.allocatedCostPerHour).toBeLessThanOrEqual(n.pricePerHour + 1e-9);
          expect(n.idleCostPerHour).toBeGreaterThanOrEqual(0);
        }
      }),
      {
        numRuns: 200,
        // A subnormal workload cost once lost the shared idle to underflow ((idle * cost) / base): kept as a regression case.
        examples: [
          [
            [
              { price: 1e-9, cores: 1, gib: 1, gpus: 0, pool: 'default', pods: [] },
              { price: 5e-324, cores: 1, gib: 1, gpus: 1, pool: 'default', pods: [{ team: 'a', millicores: 0, gib: 0, gpus: 1 }] },
            ],
            true,
          ],
        ],
      },
    );
  });
});
