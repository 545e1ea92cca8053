import { describe, expect, it } from 'vitest';
import { fieldDoc } from './field-docs.js';

describe('fieldDoc', () => {
  it('documents a NodePool field with its unit and the schema default', () => {
    const d = fieldDoc('karpenter.sh/v1', 'NodePool', ['spec', 'template', 'spec', 'expireAfter']);
    expect(d?.doc).toContain('replaces it');
    expect(d?.unit).toContain('Never');
    expect(d?.default).toBe('720h');
    expect(fieldDoc('karpenter.sh/v1', 'NodePool', ['spec', 'disruption', 'consolidationPolicy'])?.default).toBe('WhenEmptyOrUnderutilized');
  });

  it('matches list items by any index and knows fields shared by every kind', () => {
    expect(fieldDoc('karpenter.sh/v1', 'NodePool', ['spec', 'template', 'spec', 'requirements', 3, 'operator'])?.doc).toContain('Gt');
    expect(fieldDoc('karpenter.k8s.aws/v1', 'EC2NodeClass', ['metadata', 'name'])?.doc).toContain('name');
    expect(fieldDoc('karpenter.k8s.aws/v1', 'EC2NodeClass', ['metadataOptions', 'httpTokens'])).toBeUndefined();
  });
});
