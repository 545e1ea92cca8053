import { describe, expect, it } from 'vitest';
import { renderNodeSummary } from './summary.js';

describe('renderNodeSummary', () => {
  it('says so when nothing was launched', () => {
    expect(renderNodeSummary([])).toBe('no nodes launched by karpenter-ts');
  });

  it('aligns columns and totals pods and price', () => {
    const text = renderNodeSummary([
      { name: 'default-abc', instanceType: 'c-8x-amd64-linux', zone: 'test-zone-a', capacityType: 'on-demand', pods: 7, pricePerHour: 0.216 },
      { name: 'default-xyz', instanceType: 'c-4x-amd64-linux', zone: 'test-zone-b', capacityType: 'on-demand', pods: 3, pricePerHour: undefined },
    ]);
    expect(text.split('\n')).toEqual([
      'NODE              INSTANCE TYPE     ZONE         CAPACITY TYPE  PODS  $/H',
      'default-abc       c-8x-amd64-linux  test-zone-a  on-demand      7     0.2160',
      'default-xyz       c-4x-amd64-linux  test-zone-b  on-demand      3     ?',
      'total: 2 node(s)                                                10    0.2160',
    ]);
  });
});
