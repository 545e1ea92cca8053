import { defaultCatalog } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { UnavailableOfferings } from './unavailable-offerings.js';

describe('UnavailableOfferings', () => {
  it('reports marked offerings unavailable for 3 minutes, in isUnavailable and in the instance types it rewrites', async () => {
    const clock = new FakeClock();
    const cache = new UnavailableOfferings({ clock });
    const offering = { instanceType: 'c-4x-amd64-linux', zone: 'test-zone-a', capacityType: 'spot' };
    cache.markUnavailable(offering);
    expect(cache.isUnavailable(offering)).toBe(true);
    expect(cache.isUnavailable({ ...offering, zone: 'test-zone-b' })).toBe(false);
    const types = cache.apply(defaultCatalog());
    const c4 = types.find((it) => it.name === 'c-4x-amd64-linux');
    expect(c4?.offerings.filter((o) => !o.available)).toEqual([expect.objectContaining({ zone: 'test-zone-a', capacityType: 'spot' })]);
    expect(types.filter((it) => it.offerings.some((o) => !o.available))).toHaveLength(1);

    await clock.advance(179_000);
    expect(cache.isUnavailable(offering)).toBe(true);
    await clock.advance(1_000);
    expect(cache.isUnavailable(offering)).toBe(false);
    expect(cache.apply(defaultCatalog()).every((it) => it.offerings.every((o) => o.available))).toBe(true);
  });
});
