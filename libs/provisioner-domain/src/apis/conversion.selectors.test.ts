import { describe, expect, it } from 'vitest';
import { ec2NodeClassSpecSchema } from './ec2nodeclass.js';
import { amiSelectorToTerms, idOrTagSelectorToTerms } from './conversion.selectors.js';

const codes = (r: { findings: { code: string }[] }) => r.findings.map((f) => f.code);

describe('AMI selectors map to v1 terms', () => {
  it.each([
    ['aws::ids to one id term per id', { 'aws::ids': 'ami-1, ami-2' }, [{ id: 'ami-1' }, { id: 'ami-2' }]],
    ['aws-ids (older spelling) to id terms', { 'aws-ids': 'ami-1' }, [{ id: 'ami-1' }]],
    ['aws::name to name', { 'aws::name': 'my-ami-*' }, [{ name: 'my-ami-*' }]],
    ['aws::owners to one owner per term, with the name', { 'aws::name': 'my-ami', 'aws::owners': 'self,amazon' }, [{ name: 'my-ami', owner: 'self' }, { name: 'my-ami', owner: 'amazon' }]],
    ['other keys to tags', { team: 'a', Name: 'golden' }, [{ tags: { team: 'a', Name: 'golden' } }]],
    ['name, owner and tags in one term', { 'aws::name': 'n', 'aws::owners': '123456789012', env: 'prod' }, [{ name: 'n', owner: '123456789012', tags: { env: 'prod' } }]],
    ['comma-separated tag values to one term per alternative', { env: 'prod,stage' }, [{ tags: { env: 'prod' } }, { tags: { env: 'stage' } }]],
    ['an owner alone to name "*" with that owner', { 'aws::owners': 'self' }, [{ name: '*', owner: 'self' }]],
  ])('%s', (_name, selector, terms) => {
    const r = amiSelectorToTerms(selector);
    expect(r.terms).toEqual(terms);
    expect(ec2NodeClassSpecSchema.safeParse({ subnetSelectorTerms: [{ id: 'subnet-1' }], securityGroupSelectorTerms: [{ id: 'sg-1' }], amiFamily: 'AL2023', role: 'r', amiSelectorTerms: terms }).success).toBe(true);
  });

  it('ids with other filters keep the ids alone and say which filters were dropped (never a tags term beside them, which would widen the selection)', () => {
    const r = amiSelectorToTerms({ 'aws::ids': 'ami-1', 'aws::owners': 'self', team: 'a' });
    expect(r.terms).toEqual([{ id: 'ami-1' }]);
    expect(r.findings.map((f) => [f.code, f.key])).toEqual([
      ['conversion-selector-filter-dropped', 'aws::owners'],
      ['conversion-selector-filter-dropped', 'team'],
    ]);
  });

  it('more than 30 combinations is reported', () => {
    expect(codes(amiSelectorToTerms({ a: '1,2,3,4,5,6', b: '1,2,3,4,5,6' }))).toContain('conversion-selector-too-many-terms');
  });
});

describe('subnet and security group selectors map to v1 terms', () => {
  it.each([
    ['aws-ids to id terms', { 'aws-ids': 'subnet-1,subnet-2' }, [{ id: 'subnet-1' }, { id: 'subnet-2' }]],
    ['aws::ids to id terms', { 'aws::ids': 'subnet-1' }, [{ id: 'subnet-1' }]],
    ['tags to one tags term', { 'karpenter.sh/discovery': 'demo', tier: 'private' }, [{ tags: { 'karpenter.sh/discovery': 'demo', tier: 'private' } }]],
    ['comma-separated alternatives to one term each', { Name: 'a,b' }, [{ tags: { Name: 'a' } }, { tags: { Name: 'b' } }]],
  ])('%s', (_name, selector, terms) => {
    expect(idOrTagSelectorToTerms(selector, 'subnetSelectorTerms').terms).toEqual(terms);
  });

  it('ids with tags keep the ids alone, with a warning per dropped tag', () => {
    const r = idOrTagSelectorToTerms({ 'aws-ids': 'sg-1', team: 'a' }, 'securityGroupSelectorTerms');
    expect(r.terms).toEqual([{ id: 'sg-1' }]);
    expect(r.findings.map((f) => [f.code, f.key])).toEqual([['conversion-selector-filter-dropped', 'team']]);
  });
});
