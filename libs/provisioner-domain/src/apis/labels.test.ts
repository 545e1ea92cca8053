import { describe, expect, it } from 'vitest';
import { labelDomain, NODECLAIM_REQUIREMENT_RESTRICTIONS, normalizeLabelKey, restrictedLabelReason } from './labels.js';

describe('restrictedLabelReason', () => {
  it.each([
    ['kubernetes.io/arch', undefined],
    ['beta.kubernetes.io/arch', undefined],
    ['topology.kubernetes.io/zone', undefined],
    ['node.kubernetes.io/instance-type', undefined],
    ['node.kubernetes.io/anything', undefined],
    ['node-restriction.kubernetes.io/team', undefined],
    ['kops.k8s.io/instancegroup', undefined],
    ['karpenter.sh/capacity-type', undefined],
    ['karpenter.k8s.aws/instance-family', undefined],
    ['example.com/team', undefined],
    ['team', undefined],
    ['kubernetes.io/hostname', 'label domain "kubernetes.io" is restricted'],
    ['kubernetes.io/team', 'label domain "kubernetes.io" is restricted'],
    ['foo.k8s.io/bar', 'label domain "k8s.io" is restricted'],
    ['karpenter.sh/foo', 'label domain "karpenter.sh" is restricted'],
    ['karpenter.sh/nodepool', 'label "karpenter.sh/nodepool" is restricted'],
    ['karpenter.k8s.aws/ec2nodeclass', 'label domain "karpenter.k8s.aws" is restricted'],
  ])('%s', (key, reason) => {
    const got = restrictedLabelReason(key);
    if (reason === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('restrictedLabelReason for NodeClaim requirement keys (as the NodeClaim CRD of Karpenter has them)', () => {
  it.each([
    ['karpenter.sh/nodepool', undefined],
    ['karpenter.sh/capacity-type', undefined],
    ['node.kubernetes.io/instance-type', undefined],
    ['example.com/team', undefined],
    ['karpenter.sh/foo', 'label domain "karpenter.sh" is restricted'],
    ['kubernetes.io/hostname', 'label domain "kubernetes.io" is restricted'],
    ['karpenter.k8s.aws/ec2nodeclass', 'label domain "karpenter.k8s.aws" is restricted'],
  ])('%s', (key, reason) => {
    const got = restrictedLabelReason(key, NODECLAIM_REQUIREMENT_RESTRICTIONS);
    if (reason === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });
});

describe('normalizeLabelKey and labelDomain', () => {
  it.each([
    ['beta.kubernetes.io/arch', 'kubernetes.io/arch'],
    ['beta.kubernetes.io/os', 'kubernetes.io/os'],
    ['beta.kubernetes.io/instance-type', 'node.kubernetes.io/instance-type'],
    ['failure-domain.beta.kubernetes.io/zone', 'topology.kubernetes.io/zone'],
    ['failure-domain.beta.kubernetes.io/region', 'topology.kubernetes.io/region'],
    ['example.com/x', 'example.com/x'],
  ])('%s → %s', (key, normal) => expect(normalizeLabelKey(key)).toBe(normal));

  it('takes the domain before the first slash, or the whole key (as the CRD CEL does)', () => {
    expect(labelDomain('a.b/c/d')).toBe('a.b');
    expect(labelDomain('team')).toBe('team');
  });
});
