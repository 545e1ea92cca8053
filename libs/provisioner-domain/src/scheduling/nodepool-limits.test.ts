import { describe, expect, it } from 'vitest';
import { NodePoolBudget } from './nodepool-limits.js';
import { ResourceIndex } from './resource-vector.js';
import type { TypeSlot } from './type-slots.js';

const index = new ResourceIndex();
index.register({ cpu: 0, memory: 0, pods: 0 });
const slot = (cpu: number): TypeSlot => ({ type: {} as TypeSlot['type'], available: index.vector({ cpu }), capacity: index.vector({ cpu, pods: 10 }) });

describe('NodePoolBudget', () => {
  it('is unlimited without limits', () => {
    const b = new NodePoolBudget(undefined, index, {}, 0);
    expect(b.unlimited).toBe(true);
    expect(b.exhausted()).toBeUndefined();
    expect(b.admits(slot(1_000_000))).toBe(true);
  });

  it('counts existing usage and reservations against resource limits', () => {
    const b = new NodePoolBudget({ cpu: 10_000 }, index, { cpu: 4000 }, 1);
    expect(b.admits(slot(6000))).toBe(true);
    expect(b.admits(slot(7000))).toBe(false);
    expect(b.blockingLimit(slot(7000))).toEqual({ resource: 'cpu', limit: 10_000, inUse: 4000 });
    const reservation = b.reservationOf([slot(2000), slot(6000)]);
    expect(reservation).toEqual([6000]);
    b.reserve(undefined, reservation);
    expect(b.admits(slot(1000))).toBe(false);
    expect(b.exhausted()).toEqual({ resource: 'cpu', limit: 10_000, inUse: 10_000 });
    b.reserve(reservation, b.reservationOf([slot(2000)]));
    expect(b.admits(slot(4000))).toBe(true);
  });

  it('counts nodes', () => {
    const b = new NodePoolBudget({ nodes: 2 }, index, {}, 1);
    expect(b.exhausted()).toBeUndefined();
    b.reserve(undefined, b.reservationOf([slot(1000)]));
    expect(b.exhausted()).toEqual({ resource: 'nodes', limit: 2, inUse: 2 });
  });

  it('a limit on a resource no type has never blocks', () => {
    const b = new NodePoolBudget({ 'nvidia.com/gpu': 1 }, index, {}, 0);
    expect(b.admits(slot(64_000))).toBe(true);
  });
});
