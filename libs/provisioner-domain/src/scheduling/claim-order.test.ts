import { describe, expect, it } from 'vitest';
import { ClaimOrder } from './claim-order.js';

describe('ClaimOrder', () => {
  it('iterates fewest first, then by arrival in that count', () => {
    const order = new ClaimOrder<string>();
    order.add('a', 0);
    order.add('b', 0);
    order.add('c', 2);
    expect([...order]).toEqual(['a', 'b', 'c']);
    order.move('a', 0, 1);
    expect([...order]).toEqual(['b', 'a', 'c']);
    order.move('b', 0, 2);
    expect([...order]).toEqual(['a', 'c', 'b']);
    order.remove('c', 2);
    expect([...order]).toEqual(['a', 'b']);
    expect(order.size).toBe(2);
  });
  it('ignores removing what is not there', () => {
    const order = new ClaimOrder<string>();
    order.add('a', 1);
    order.remove('a', 3);
    order.remove('z', 1);
    expect([...order]).toEqual(['a']);
  });
});
