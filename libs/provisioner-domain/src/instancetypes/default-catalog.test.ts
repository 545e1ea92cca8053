import { describe, expect, it } from 'vitest';
import { allocatable } from './allocatable.js';
import { defaultCatalog } from './default-catalog.js';

describe('defaultCatalog (kwok-shaped)', () => {
  const catalog = defaultCatalog();
  const byName = new Map(catalog.map((t) => [t.name, t]));

  it('has 12 sizes × 3 families × 2 OS × 2 arch, uniquely named', () => {
    expect(catalog).toHaveLength(144);
    expect(byName.size).toBe(144);
  });

  it.each([
    ['c-1x-amd64-linux', 1, 2, 16, 0.027],
    ['s-4x-arm64-windows', 4, 16, 64, 0.116],
    ['m-256x-amd64-linux', 256, 2048, 1024, 8.448],
    ['c-64x-arm64-linux', 64, 128, 1024, 1.728],
  ])('%s: %i vCPU, %i GiB, %i pods, on-demand %f USD/h', (name, cpu, gib, pods, price) => {
    const t = byName.get(name);
    expect(t).toBeDefined();
    if (!t) return;
    expect(t.capacity).toEqual({ cpu: cpu * 1000, memory: gib * 2 ** 30, pods, 'ephemeral-storage': 20 * 2 ** 30 });
    expect(allocatable(t)).toEqual({ cpu: cpu * 1000 - 100, memory: gib * 2 ** 30 - 10 * 2 ** 20, pods, 'ephemeral-storage': 20 * 2 ** 30 });
    expect(t.offerings).toHaveLength(8);
    for (const o of t.offerings) {
      expect(o.available).toBe(true);
      expect(o.pricePerHour).toBeCloseTo(o.capacityType === 'spot' ? price * 0.7 : price, 9);
    }
    expect(new Set(t.offerings.map((o) => o.zone))).toEqual(new Set(['test-zone-a', 'test-zone-b', 'test-zone-c', 'test-zone-d']));
  });

  it('labels like the kwok provider', () => {
    expect(byName.get('s-8x-arm64-linux')?.labels).toEqual({
      'node.kubernetes.io/instance-type': 's-8x-arm64-linux',
      'kubernetes.io/arch': 'arm64',
      'kubernetes.io/os': 'linux',
      'karpenter.kwok.sh/instance-family': 's',
      'karpenter.kwok.sh/instance-size': '8',
      'karpenter.kwok.sh/instance-cpu': '8',
      'karpenter.kwok.sh/instance-memory': '32Gi',
    });
  });

  it('returns a fresh array', () => {
    expect(defaultCatalog()).not.toBe(catalog);
    expect(defaultCatalog()).toEqual(catalog);
  });
});
