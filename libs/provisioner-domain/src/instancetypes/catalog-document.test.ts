import { describe, expect, it } from 'vitest';
import { CatalogDocumentError, formatCatalogPath, parseInstanceTypeCatalog, safeParseInstanceTypeCatalog } from './catalog-document.js';

const valid = {
  apiVersion: 'karpenter-ts.io/v1alpha1',
  kind: 'InstanceTypeCatalog',
  instanceTypes: [
    {
      name: 'c-2x',
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
      capacity: { cpu: '2', memory: '4Gi', pods: '20' },
      overhead: { kubeReserved: { cpu: '100m' }, systemReserved: {}, evictionThreshold: { memory: '100Mi' } },
      offerings: [{ zone: 'zone-a', capacityType: 'on-demand', price: 0.08, available: true }],
    },
    {
      name: 'gpu-nv',
      capacity: { cpu: 8, memory: '61Gi', 'nvidia.com/gpu': '1' },
      offerings: [{ zone: 'zone-a', capacityType: 'spot', price: 0.5 }],
    },
  ],
};

describe('parseInstanceTypeCatalog', () => {
  it('reads the docs/catalog.md document', () => {
    const [c2x, gpu] = parseInstanceTypeCatalog(valid);
    expect(c2x).toEqual({
      name: 'c-2x',
      labels: { 'node.kubernetes.io/instance-type': 'c-2x', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
      capacity: { cpu: 2000, memory: 4 * 2 ** 30, pods: 20 },
      overhead: { kubeReserved: { cpu: 100 }, systemReserved: {}, evictionThreshold: { memory: 100 * 2 ** 20 } },
      offerings: [{ zone: 'zone-a', capacityType: 'on-demand', pricePerHour: 0.08, available: true }],
    });
    expect(gpu?.capacity).toEqual({ cpu: 8000, memory: 61 * 2 ** 30, pods: 110, 'nvidia.com/gpu': 1 });
    expect(gpu?.offerings[0]?.available).toBe(true);
    // no overhead given: Karpenter's defaults for 8 vCPU and 110 pods
    expect(gpu?.overhead).toEqual({ kubeReserved: { cpu: 90, memory: 1465 * 2 ** 20 }, systemReserved: {}, evictionThreshold: { memory: 100 * 2 ** 20 } });
  });

  it.each<[string, unknown, [string, string][]]>([
    ['not a mapping', [], [['InvalidType', '(document)']]],
    ['wrong kind and version', { apiVersion: 'v1', kind: 'Pod', instanceTypes: [] }, [['InvalidApiVersion', 'apiVersion'], ['InvalidKind', 'kind']]],
    ['missing list', { apiVersion: 'karpenter-ts.io/v1alpha1', kind: 'InstanceTypeCatalog' }, [['Required', 'instanceTypes']]],
    [
      'every problem of every entry',
      {
        ...valid,
        instanceTypes: [
          { name: 'a', capacity: { cpu: '2 cores' }, offerings: [{ zone: 'z', capacityType: 'cheap', price: -1 }] },
          { capacity: {}, offerings: [], extra: 1 },
          { name: 'c-2x', labels: { x: 1 }, capacity: {}, offerings: [] },
        ],
      },
      [
        ['InvalidQuantity', 'instanceTypes[0].capacity.cpu'],
        ['InvalidCapacityType', 'instanceTypes[0].offerings[0].capacityType'],
        ['InvalidPrice', 'instanceTypes[0].offerings[0].price'],
        ['UnknownField', 'instanceTypes[1].extra'],
        ['Required', 'instanceTypes[1].name'],
        ['InvalidType', 'instanceTypes[2].labels.x'],
      ],
    ],
    [
      'duplicate names',
      { ...valid, instanceTypes: [valid.instanceTypes[0], valid.instanceTypes[0]] },
      [['DuplicateName', 'instanceTypes[1].name']],
    ],
  ])('%s', (_name, doc, expected) => {
    const result = safeParseInstanceTypeCatalog(doc);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.code, formatCatalogPath(i.path)])).toEqual(expected);
  });

  it('throws with all issues', () => {
    expect(() => parseInstanceTypeCatalog({ kind: 'InstanceTypeCatalog' })).toThrow(CatalogDocumentError);
    try {
      parseInstanceTypeCatalog({ kind: 'InstanceTypeCatalog' });
    } catch (error) {
      expect((error as CatalogDocumentError).issues).toHaveLength(2);
    }
  });
});
