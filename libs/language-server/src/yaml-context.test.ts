import { describe, expect, it } from 'vitest';
import { cursorContext } from './yaml-context.js';

const at = (textWithCursor: string) => {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const before = text.slice(0, offset).split('\n');
  return cursorContext(text, before.length - 1, before[before.length - 1]!.length);
};

describe('cursorContext', () => {
  const head = 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      requirements:\n';

  it('reads a field name being typed inside a mapping', () => {
    const c = at('apiVersion: karpenter.sh/v1\nkind: NodePool\nspec:\n  disruption:\n    consol|\n');
    expect(c).toMatchObject({ kind: 'NodePool', apiVersion: 'karpenter.sh/v1', mode: 'key', path: ['spec', 'disruption'], prefix: 'consol' });
  });

  it('reads a value with the requirement it belongs to', () => {
    const c = at(`${head}        - key: karpenter.sh/capacity-type\n          operator: |\n`);
    expect(c).toMatchObject({ mode: 'value', key: 'operator', path: ['spec', 'template', 'spec', 'requirements', 0, 'operator'], siblings: { key: 'karpenter.sh/capacity-type' } });
  });

  it('reads a block list item of values, with the requirement key from its siblings', () => {
    const c = at(`${head}        - key: topology.kubernetes.io/zone\n          operator: In\n          values:\n            - test-zone-|\n`);
    expect(c).toMatchObject({ mode: 'list-item', key: 'values', prefix: 'test-zone-', siblings: { key: 'topology.kubernetes.io/zone', operator: 'In' } });
    expect(c.path).toEqual(['spec', 'template', 'spec', 'requirements', 0, 'values']);
  });

  it('reads a flow list item', () => {
    const c = at(`${head}        - key: kubernetes.io/arch\n          operator: In\n          values: ["amd64", "ar|"]\n`);
    expect(c).toMatchObject({ mode: 'list-item', key: 'values', prefix: 'ar', siblings: { key: 'kubernetes.io/arch' } });
  });

  it('reads the document the cursor is in, in a multi-document file', () => {
    const c = at(`apiVersion: v1\nkind: ConfigMap\n---\napiVersion: karpenter.k8s.aws/v1\nkind: EC2NodeClass\nspec:\n  am|\n`);
    expect(c).toMatchObject({ kind: 'EC2NodeClass', mode: 'key', path: ['spec'], documentLines: [3, 7] });
  });

  it('reads a new key in a list of mappings', () => {
    const c = at(`${head}        - key: kubernetes.io/arch\n          op|\n`);
    expect(c).toMatchObject({ mode: 'key', path: ['spec', 'template', 'spec', 'requirements', 0], prefix: 'op' });
  });
});
