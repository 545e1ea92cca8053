import { describe, expect, it } from 'vitest';
import type { InstanceType } from '../../instancetypes/types.js';
import { validate } from './validate.js';
import { defaultCatalog } from '../../instancetypes/default-catalog.js';

const NODEPOOL = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: default
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements:
        - key: karpenter.sh/capacity-type
          operator: In
          values: [CAPACITY]
`;
const np = (capacity = 'spot', extra = '') => NODEPOOL.replace('CAPACITY', capacity) + extra;

const it2x: InstanceType = {
  name: 'c-2x',
  labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' },
  capacity: { cpu: 2000, memory: 4 * 1024 ** 3, pods: 20 },
  overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
  offerings: [{ zone: 'zone-a', capacityType: 'on-demand', pricePerHour: 0.08, available: true }],
};

const summary = (text: string, options = {}) => validate(text, options).issues.map((i) => `${i.line}:${i.column} ${i.severity} ${i.code} ${i.path}`);

describe('validate', () => {
  it('accepts a valid NodePool with no issues', () => {
    expect(validate(np()).issues).toEqual([]);
    expect(validate(np()).ok).toBe(true);
  });

  it.each([
    ['misspelt capacity type', np('spto'), ['12:20 warning unknown-label-value spec.template.spec.requirements[0].values[0]']],
    ['In without values (error at values)', np().replace('values: [spot]', 'values: []'), ['12:19 error requirement-in-without-values spec.template.spec.requirements[0].values']],
    ['unknown field on its key', np().replace('  template:', '  wieght: 1\n  template:'), ['6:3 error unknown-field spec.wieght']],
    ['missing field on the parent', np().replace(/      nodeClassRef.*\n/, ''), ['8:7 error required spec.template.spec.nodeClassRef']],
    ['bad type', np().replace('name: default\nspec', 'name: default\n  labels: 5\nspec'), ['5:11 error invalid-type metadata.labels']],
    ['YAML syntax', 'a: [1,\n', ['2:1 error yaml-syntax ']],
    ['duplicate key', 'apiVersion: v1\napiVersion: v1\n', ['2:1 error duplicate-key ']],
    ['not a mapping', '- a\n- b\n', ['1:1 error not-an-object ']],
    ['retired version', np().replace('karpenter.sh/v1', 'karpenter.sh/v1beta1'), ['1:13 error unsupported-api-version apiVersion']],
    ['unknown kind', 'apiVersion: karpenter.sh/v1\nkind: NodeGroup\nmetadata: {name: x}\n', ['2:7 error unknown-kind kind']],
    ['other kinds are skipped', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', []],
    ['missing name', np().replace('  name: default\n', '  labels: {}\n'), ['4:3 error required metadata.name']],
  ])('%s', (_name, text, expected) => {
    expect(summary(text)).toEqual(expected);
  });

  it('reports every document of a multi-document file with its index', () => {
    const r = validate(`${np('spto')}---\n${np().replace('values: [spot]', 'values: []')}`);
    expect(r.issues.map((i) => [i.document, i.code])).toEqual([
      [0, 'unknown-label-value'],
      [1, 'requirement-in-without-values'],
    ]);
  });

  it('names the fix: did you mean', () => {
    const [issue] = validate(np('spto')).issues;
    expect(issue?.message).toContain("capacity type 'spto' is not offered; did you mean 'spot'?");
    const [enumIssue] = validate(np().replace('template:', 'disruption: {consolidationPolicy: WhenEmty, consolidateAfter: 1m}\n  template:')).issues;
    expect(enumIssue?.message).toContain('did you mean "WhenEmpty"?');
  });

  it('carries the replacement as data (suggestion) for editors, and none when nothing is near', () => {
    expect(validate(np('spto')).issues.map((i) => i.suggestion)).toEqual(['spot']);
    expect(validate(np('spto'), { catalog: defaultCatalog() }).issues.filter((i) => i.code === 'unknown-label-value').map((i) => i.suggestion)).toEqual(['spot']);
    expect(validate(np('zzzzzzzz')).issues.map((i) => [i.code, i.suggestion])).toEqual([['unknown-label-value', undefined]]);
    const issuesOf = (text: string) => validate(text).issues.map((i) => [i.code, i.suggestion]);
    expect(issuesOf(np().replace('template:', 'disruption: {consolidationPolcy: WhenEmpty, consolidateAfter: 1m}\n  template:'))).toEqual([['unknown-field', 'consolidationPolicy']]);
    expect(issuesOf(np().replace('template:', 'disruption: {consolidationPolicy: WhenUnderutilized, consolidateAfter: 1m}\n  template:'))).toEqual([['invalid-value', 'WhenEmptyOrUnderutilized']]);
    expect(issuesOf(np().replace('kind: NodePool', 'kind: NodePol'))).toEqual([['unknown-kind', 'NodePool']]);
  });

  it('messages do not contradict themselves: a comparison value is "non-negative", never "positive", since 0 is accepted', () => {
    const gt = (value: string) => np().replace('karpenter.sh/capacity-type\n          operator: In\n          values: [spot]', `example.com/n\n          operator: Gt\n          values: ["${value}"]`);
    expect(validate(gt('0')).ok).toBe(true);
    const [issue] = validate(gt('x')).issues;
    expect(issue?.code).toBe('requirement-comparison-value');
    expect(issue?.message).toContain('non-negative');
    expect(issue?.message).not.toMatch(/\bpositive\b/);
    const provisioner = 'apiVersion: karpenter.sh/v1alpha5\nkind: Provisioner\nmetadata: {name: p}\nspec:\n  requirements: [{key: example.com/n, operator: Lt, values: [x]}]\n';
    const [old] = validate(provisioner).issues;
    expect(old?.code).toBe('requirement-comparison-value');
    expect(old?.message).not.toMatch(/\bpositive\b/);
  });

  it('a missing metadata is reported once, as the missing name', () => {
    expect(summary(np().replace('metadata:\n  name: default\n', ''))).toEqual(['1:1 error required metadata.name']);
  });

  describe('semantic warnings', () => {
    it('requirements that leave no instance type of the catalog', () => {
      expect(summary(np('spot'), { catalog: [it2x] })).toEqual([
        '10:9 warning no-instance-types spec.template.spec.requirements',
        '12:20 warning unknown-label-value spec.template.spec.requirements[0].values[0]',
      ]);
      expect(summary(np('on-demand'), { catalog: [it2x] })).toEqual([]);
    });

    it('limits below the smallest allowed type', () => {
      expect(summary(np('on-demand', '  limits: {cpu: 1}\n'), { catalog: [it2x] })).toEqual(['13:17 warning limits-unreachable spec.limits.cpu']);
      expect(summary(np('on-demand', '  limits: {cpu: 2}\n'), { catalog: [it2x] })).toEqual([]);
    });

    it('an InstanceTypeCatalog document in the file is used', () => {
      const catalog = `---\napiVersion: karpenter-ts.io/v1alpha1\nkind: InstanceTypeCatalog\ninstanceTypes:\n  - name: c-2x\n    capacity: {cpu: "2", memory: 4Gi}\n    offerings: [{zone: a, capacityType: on-demand, price: 0.1}]\n`;
      expect(summary(np('spot') + catalog).map((s) => s.split(' ')[2])).toEqual(['no-instance-types', 'unknown-label-value']);
    });

    it('a pool no pending pod could use', () => {
      const pod = `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  nodeSelector: {karpenter.sh/capacity-type: on-demand}\n  containers: [{name: c}]\n`;
      expect(summary(np('spot') + pod).map((s) => s.split(' ')[2])).toEqual(['no-pod-matches']);
      expect(summary(np('on-demand') + pod)).toEqual([]);
    });

    it('two pools with equal weight that both match', () => {
      const two = np() + '---\n' + np().replace('name: default', 'name: other');
      expect(summary(two).map((s) => s.split(' ')[2])).toEqual(['equal-weight-overlap']);
      expect(summary(np() + '---\n' + np('on-demand').replace('name: default', 'name: other'))).toEqual([]);
    });

    it('deprecated beta labels and pre-v1 APIs are info', () => {
      const beta = np().replace('karpenter.sh/capacity-type', 'beta.kubernetes.io/arch').replace('[spot]', '[amd64]');
      expect(summary(beta)).toEqual(['10:16 info deprecated-label spec.template.spec.requirements[0].key']);
    });
  });
});

describe('validate: renamed values and case slips', () => {
  it.each([
    ['WhenUnderutilized', '"WhenUnderutilized" was renamed to "WhenEmptyOrUnderutilized" in karpenter.sh/v1'],
    ['whenempty', 'did you mean "WhenEmpty"?'],
  ])('%s', (value, expected) => {
    const text = `apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {name: a}\nspec:\n  disruption: {consolidationPolicy: ${value}, consolidateAfter: 1m}\n  template:\n    spec:\n      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: a}\n      requirements: []\n`;
    expect(validate(text).issues.map((i) => i.message).join('\n')).toContain(expected);
  });
});
