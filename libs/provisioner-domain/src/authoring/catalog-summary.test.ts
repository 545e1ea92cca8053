import { describe, expect, it } from 'vitest';
import { defaultCatalog } from '../instancetypes/default-catalog.js';
import { allowedInstanceTypes, sortedCatalogLabelValues, summarizeCatalog } from './catalog-summary.js';

const catalog = defaultCatalog();

describe('sortedCatalogLabelValues', () => {
  it('lists zones and capacity types from offerings and sorts numeric labels numerically', () => {
    const values = sortedCatalogLabelValues(catalog);
    expect(values.get('topology.kubernetes.io/zone')).toEqual(['test-zone-a', 'test-zone-b', 'test-zone-c', 'test-zone-d']);
    expect(values.get('karpenter.sh/capacity-type')).toEqual(['on-demand', 'spot']);
    expect(values.get('karpenter.kwok.sh/instance-cpu')?.slice(0, 4)).toEqual(['1', '2', '4', '8']);
  });
});

describe('allowedInstanceTypes', () => {
  it('filters by type labels and by offering zone and capacity type, ignoring keys the catalog does not define', () => {
    const allowed = allowedInstanceTypes(
      [
        { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] },
        { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] },
        { key: 'team', operator: 'In', values: ['a'] },
      ],
      catalog,
    );
    expect(allowed).toHaveLength(72);
    expect(allowed.every((a) => a.instanceType.labels['kubernetes.io/arch'] === 'arm64' && a.offerings.every((o) => o.capacityType === 'spot'))).toBe(true);
  });
});

describe('summarizeCatalog', () => {
  it('gives the count, price range and the nodes of the largest type the limits allow', () => {
    const s = summarizeCatalog([{ key: 'karpenter.kwok.sh/instance-cpu', operator: 'Lt', values: ['5'] }, { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }], catalog, { cpu: '100', memory: '1000Gi' });
    expect(s.instanceTypeCount).toBe(36);
    expect(s.minPricePerHour).toBeCloseTo(0.027);
    expect(s.largest?.name).toBe('m-4x-amd64-linux');
    expect(s.maxNodesOfLargest).toBe(25); // 100 cpu / 4 = 25; memory 1000Gi / 32Gi = 31
    expect(s.maxPricePerHour).toBeCloseTo(0.132);
  });

  it('reports zero types and no prices when nothing is left', () => {
    expect(summarizeCatalog([{ key: 'kubernetes.io/arch', operator: 'In', values: ['s390x'] }], catalog)).toEqual({ instanceTypeCount: 0 });
  });
});
