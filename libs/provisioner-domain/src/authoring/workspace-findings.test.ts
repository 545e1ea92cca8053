import { describe, expect, it } from 'vitest';
import { validate } from '../apis/validate/validate.js';
import { defaultCatalog } from '../instancetypes/default-catalog.js';
import { validateInWorkspace, workspaceFindings } from './workspace-findings.js';

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

  it('validateInWorkspace: validate plus these findings in one pass, the file\'s own EC2NodeClasses counted', () => {
    const nodeClass = (name: string) => `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata:
  name: ${name}
spec:
  amiSelectorTerms: [{ alias: al2023@latest }]
  role: R
  subnetSelectorTerms: [{ tags: { a: b } }]
  securityGroupSelectorTerms: [{ tags: { a: b } }]
`;
    const bound = pool(`        - key: karpenter.kwok.sh/instance-cpu
          operator: Gt
          values: ["512"]`, 'other');
    const text = `${bound}---\n${nodeClass('mine')}`;
    // Without names: validate's own file-only check ("other" is not in this file) and the bound finding.
    const alone = validateInWorkspace(text, { catalog: defaultCatalog() });
    expect(alone.issues.map((i) => i.code).sort()).toEqual(['no-instance-types', 'nodeclass-missing', 'requirement-bound-outside-catalog']);
    expect(alone.issues.find((i) => i.code === 'nodeclass-missing')?.message).toContain('not in this file');
    expect(alone.issues.map((i) => i.line)).toEqual([...alone.issues.map((i) => i.line)].sort((a, b) => a - b));
    // With names: the workspace check replaces it, this file's "mine" included among the known ones.
    const inWorkspace = validateInWorkspace(text, { catalog: defaultCatalog(), nodeClassNames: new Set(['shared']) });
    const missing = inWorkspace.issues.filter((i) => i.code === 'nodeclass-missing');
    expect(missing.map((i) => i.message)).toEqual(['no EC2NodeClass "other" in the workspace (known: "shared", "mine"): the NodePool stays not ready until it exists; fix the name or add the EC2NodeClass']);
    expect(validateInWorkspace(text, { catalog: defaultCatalog(), nodeClassNames: new Set(['other']) }).issues.filter((i) => i.code === 'nodeclass-missing')).toEqual([]);
    // Same findings as the two calls it replaces.
    const report = validate(text, { catalog: defaultCatalog() });
    expect(alone.issues).toEqual([...report.issues, ...workspaceFindings(text, report, { catalog: defaultCatalog() })].sort((a, b) => a.line - b.line));
  });
});
