import { describe, expect, it } from 'vitest';
import { validate } from '../apis/validate/validate.js';
import { defaultCatalog } from '../instancetypes/default-catalog.js';
import { workspaceFindings } from './workspace-findings.js';

const pool = (requirements: string, nodeClass = 'default') => `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: general
spec:
  template:
    spec:
      nodeClassRef:
        group: karpenter.k8s.aws
        kind: EC2NodeClass
        name: ${nodeClass}
      requirements:
${requirements}
`;

describe('workspaceFindings', () => {
  it('warns on a Gt bound above every catalog value, at the bound', () => {
    const text = pool(`        - key: karpenter.kwok.sh/instance-cpu
          operator: Gt
          values: ["512"]`);
    const issues = workspaceFindings(text, validate(text), { catalog: defaultCatalog() });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'requirement-bound-outside-catalog', severity: 'warning', line: 15, column: 20, path: 'spec.template.spec.requirements[0].values[0]' });
    expect(issues[0]?.message).toContain('from 1 to 256');
  });

  it('notes a Lt bound every value satisfies, and says nothing of a bound inside the range', () => {
    const wide = pool(`        - key: karpenter.kwok.sh/instance-cpu
          operator: Lt
          values: ["1000"]`);
    expect(workspaceFindings(wide, validate(wide), { catalog: defaultCatalog() }).map((i) => i.severity)).toEqual(['info']);
    const inside = pool(`        - key: karpenter.kwok.sh/instance-cpu
          operator: Lt
          values: ["16"]`);
    expect(workspaceFindings(inside, validate(inside), { catalog: defaultCatalog() })).toEqual([]);
  });

  it('warns when nodeClassRef names no EC2NodeClass known in the workspace', () => {
    const text = pool('        []', 'missing');
    const issues = workspaceFindings(text, validate(text), { nodeClassNames: new Set(['default']) });
    expect(issues).toMatchObject([{ code: 'nodeclass-missing', line: 11, path: 'spec.template.spec.nodeClassRef.name' }]);
    expect(workspaceFindings(text, validate(text), { nodeClassNames: new Set(['missing']) })).toEqual([]);
  });

  it('names where the known EC2NodeClasses come from', () => {
    const text = pool('        []', 'missing');
    expect(workspaceFindings(text, validate(text), { nodeClassNames: new Set(['default']) })[0]?.message).toMatch(/^no EC2NodeClass "missing" in the workspace \(known: "default"\)/);
    const scoped = workspaceFindings(text, validate(text), { nodeClassNames: new Set(['default']), nodeClassScope: 'the workspace or the cluster of context "kind"' });
    expect(scoped[0]?.message).toMatch(/^no EC2NodeClass "missing" in the workspace or the cluster of context "kind" \(known: "default"\)/);
  });
});
