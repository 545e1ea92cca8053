import { describe, expect, it } from 'vitest';
import { catalogCoverageFindings, describeCatalog, foldZones, isCatalogDefinedKey } from './catalog-coverage.js';
import { defaultCatalog } from './default-catalog.js';
import type { InstanceType } from './types.js';

const m5large: InstanceType = {
  name: 'm5.large',
  labels: { 'node.kubernetes.io/instance-type': 'm5.large', 'kubernetes.io/arch': 'amd64', 'karpenter.k8s.aws/instance-family': 'm5' },
  capacity: { cpu: 2000 },
  overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
  offerings: [
    { zone: 'us-west-2a', capacityType: 'on-demand', pricePerHour: 0.096, available: true },
    { zone: 'us-west-2b', capacityType: 'spot', pricePerHour: 0.04, available: true },
  ],
};

describe('describeCatalog', () => {
  it('says the built-in catalog is simulated and has no AWS types', () => {
    expect(describeCatalog({ name: 'built-in simulated' }, defaultCatalog())).toBe('built-in simulated, 144 types in test-zone-a..d; no AWS types');
  });
  it('names a file catalog with its price date', () => {
    expect(describeCatalog({ name: 'aws.yaml', pricesAsOf: '2026-12-01' }, [m5large])).toBe('aws.yaml (prices as of 2026-12-01, indicative), 1 type in us-west-2a, us-west-2b');
  });
  it.each([
    [['us-east-1c', 'us-east-1a', 'us-east-1b', 'us-west-2a'], 'us-east-1a..c, us-west-2a'],
    [['a', 'b'], 'a, b'],
    [['zone-1', 'zone-2', 'zone-3'], 'zone-1, zone-2, zone-3'],
  ])('folds zones %j', (zones, expected) => {
    expect(foldZones(zones)).toBe(expected);
  });
});

describe('catalogCoverageFindings', () => {
  it('warns about a capacity type no offering has, with the nearest value', () => {
    const findings = catalogCoverageFindings([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'spto'] }], [m5large], 'aws.yaml');
    expect(findings).toEqual([
      { code: 'unknown-label-value', requirementIndex: 0, valueIndex: 1, message: "capacity type 'spto' is not offered by the catalog (aws.yaml); did you mean 'spot'? (offered: on-demand, spot)", suggestion: 'spot' },
    ]);
  });
  it('suggests the right case', () => {
    expect(catalogCoverageFindings([{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['Spot'] }], [m5large], 'x')[0]?.message).toContain("did you mean 'spot'?");
  });
  it('says when EKS values meet the built-in catalog', () => {
    const findings = catalogCoverageFindings(
      [
        { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['m5.large'] },
        { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['us-west-2a'] },
        { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['p5'] },
        { key: 'team', operator: 'In', values: ['a'] },
      ],
      defaultCatalog(),
      'built-in simulated',
    );
    expect(findings.map((f) => [f.code, f.requirementIndex])).toEqual([
      ['unknown-label-value', 0],
      ['unknown-label-value', 1],
      ['label-not-in-catalog', 2],
    ]);
    expect(findings[1]?.message).toBe("zone 'us-west-2a' is not offered by the catalog (built-in simulated) (offered: test-zone-a, test-zone-b, test-zone-c, test-zone-d)");
    expect(findings[2]?.message).toContain('no instance type of the catalog (built-in simulated) has the label karpenter.k8s.aws/instance-family');
  });
  it('accepts what the catalog has and ignores Exists, Gt and custom labels', () => {
    expect(
      catalogCoverageFindings(
        [
          { key: 'karpenter.k8s.aws/instance-family', operator: 'In', values: ['m5'] },
          { key: 'topology.kubernetes.io/zone', operator: 'NotIn', values: ['us-west-2b'] },
          { key: 'kubernetes.io/arch', operator: 'Exists' },
          { key: 'example.com/team', operator: 'In', values: ['x'] },
        ],
        [m5large],
        'aws.yaml',
      ),
    ).toEqual([]);
    expect(isCatalogDefinedKey('beta.kubernetes.io/arch')).toBe(true);
    expect(isCatalogDefinedKey('example.com/team')).toBe(false);
  });
});
