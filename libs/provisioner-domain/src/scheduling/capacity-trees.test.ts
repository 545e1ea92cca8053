import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeCapacityTree, RequestTree } from './capacity-trees.js';

const vector = fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 3, maxLength: 3 }).map((v) => Float64Array.from(v));
const covers = (have: Float64Array, need: Float64Array): boolean => need.every((n, i) => n <= 0 || (have[i] as number) >= n);

describe('FreeCapacityTree', () => {
  it('finds the first node from a position whose free room covers the request, as a scan would (growing, updated)', () => {
    fc.assert(
      fc.property(fc.array(vector, { minLength: 1, maxLength: 40 }), fc.array(fc.tuple(fc.nat(39), vector)), vector, fc.nat(40), (frees, updates, need, from) => {
        const tree = new FreeCapacityTree(3);
        const model = frees.map((f) => {
          tree.push(f);
          return f;
        });
        for (const [at, f] of updates) {
          if (at >= model.length) continue;
          tree.update(at, f);
          model[at] = f;
        }
        const scan = model.findIndex((f, i) => i >= from && covers(f, need));
        expect(tree.findFirst(need, from)).toBe(scan);
      }),
      { seed: 3, numRuns: 300 },
    );
  });
});

describe('RequestTree', () => {
  it('finds the first remaining pod from a position that fits the free room, as a scan would', () => {
    fc.assert(
      fc.property(fc.array(vector, { maxLength: 40 }), fc.array(fc.nat(39)), vector, fc.nat(40), (requests, removed, free, from) => {
        const tree = new RequestTree(3, requests);
        const gone = new Set(removed.filter((r) => r < requests.length));
        for (const r of gone) tree.remove(r);
        const scan = requests.findIndex((r, i) => i >= from && !gone.has(i) && covers(free, r));
        expect(tree.findFirst(free, from)).toBe(scan);
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});
