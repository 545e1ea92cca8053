/**
 * Required vs defaulted fields, exactly as Karpenter v1's CRDs have them. The tables below are transcribed from
 * the upstream CRDs (kubernetes-sigs/karpenter pkg/apis/crds/karpenter.sh_{nodepools,nodeclaims}.yaml and
 * aws/karpenter-provider-aws pkg/apis/crds/karpenter.k8s.aws_ec2nodeclasses.yaml, `required:` lists and
 * `default:` values under `spec`). A field listed as required upstream but carrying a `default:` (budgets[].nodes)
 * is never reported missing by the API server, since defaulting runs before validation, so it is not required here.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { ec2NodeClassSchema } from '../ec2nodeclass.js';
import { nodeClaimSchema } from '../nodeclaim.js';
import { nodePoolSchema } from '../nodepool.js';
import { schemaAt } from './messages.js';
import { validate } from './validate.js';

type Def = { type: string; [k: string]: unknown };
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Required field paths below `schema` (`a.b[].c`), walking objects and array items. */
function requiredPaths(schema: z.ZodType, prefix: string): string[] {
  const out: string[] = [];
  const walk = (s: z.ZodType | undefined, path: string) => {
    let cur = s;
    while (cur) {
      const d = defOf(cur);
      if (d.type === 'optional' || d.type === 'default' || d.type === 'nullable') cur = d['innerType'] as z.ZodType;
      else if (d.type === 'pipe') cur = d['in'] as z.ZodType;
      else break;
    }
    if (!cur) return;
    const def = defOf(cur);
    if (def.type === 'array') walk(def['element'] as z.ZodType, `${path}[]`);
    if (def.type !== 'object') return;
    for (const [key, child] of Object.entries(def['shape'] as Record<string, z.ZodType>)) {
      const childPath = `${path}.${key}`;
      if (defOf(child).type !== 'optional') out.push(childPath);
      walk(child, childPath);
    }
  };
  walk(schema, prefix);
  return out.sort();
}

const defaultOf = (root: z.ZodType, path: (string | number)[]): unknown => {
  const s = schemaAt(root, path);
  return s ? (s.meta() as { default?: unknown } | undefined)?.default : undefined;
};

const TAINT = ['key', 'effect'];
const REQUIREMENT = ['key', 'operator'];
const REF = ['group', 'kind', 'name'];
const under = (base: string, fields: string[]) => fields.map((f) => `${base}.${f}`);

/** Upstream v1 `required:` entries under spec, minus those with a `default:`. */
const KARPENTER_V1_REQUIRED: Record<string, string[]> = {
  NodePool: [
    'spec.template',
    'spec.template.spec',
    'spec.template.spec.nodeClassRef',
    'spec.template.spec.requirements',
    ...under('spec.template.spec.taints[]', TAINT),
    ...under('spec.template.spec.startupTaints[]', TAINT),
    ...under('spec.template.spec.requirements[]', REQUIREMENT),
    ...under('spec.template.spec.nodeClassRef', REF),
    'spec.disruption.consolidateAfter',
  ],
  NodeClaim: [
    'spec.nodeClassRef',
    'spec.requirements',
    ...under('spec.taints[]', TAINT),
    ...under('spec.startupTaints[]', TAINT),
    ...under('spec.requirements[]', REQUIREMENT),
    ...under('spec.nodeClassRef', REF),
  ],
  EC2NodeClass: ['spec.amiSelectorTerms', 'spec.securityGroupSelectorTerms', 'spec.subnetSelectorTerms'],
};

/** Upstream v1 `default:` values under spec. */
const KARPENTER_V1_DEFAULTS: [string, z.ZodType, (string | number)[], unknown][] = [
  ['NodePool', nodePoolSchema, ['spec', 'disruption'], { consolidateAfter: '0s' }],
  ['NodePool', nodePoolSchema, ['spec', 'disruption', 'consolidationPolicy'], 'WhenEmptyOrUnderutilized'],
  ['NodePool', nodePoolSchema, ['spec', 'disruption', 'budgets'], [{ nodes: '10%' }]],
  ['NodePool', nodePoolSchema, ['spec', 'disruption', 'budgets', 0, 'nodes'], '10%'],
  ['NodePool', nodePoolSchema, ['spec', 'template', 'spec', 'expireAfter'], '720h'],
  ['NodeClaim', nodeClaimSchema, ['spec', 'expireAfter'], '720h'],
  ['EC2NodeClass', ec2NodeClassSchema, ['spec', 'metadataOptions'], { httpEndpoint: 'enabled', httpProtocolIPv6: 'disabled', httpPutResponseHopLimit: 1, httpTokens: 'required' }],
  ['EC2NodeClass', ec2NodeClassSchema, ['spec', 'metadataOptions', 'httpEndpoint'], 'enabled'],
  ['EC2NodeClass', ec2NodeClassSchema, ['spec', 'metadataOptions', 'httpProtocolIPv6'], 'disabled'],
  ['EC2NodeClass', ec2NodeClassSchema, ['spec', 'metadataOptions', 'httpPutResponseHopLimit'], 1],
  ['EC2NodeClass', ec2NodeClassSchema, ['spec', 'metadataOptions', 'httpTokens'], 'required'],
];

const SCHEMAS: Record<string, z.ZodType> = { NodePool: nodePoolSchema, NodeClaim: nodeClaimSchema, EC2NodeClass: ec2NodeClassSchema };

describe('required vs defaulted fields, exactly as Karpenter v1 CRDs', () => {
  it.each(Object.keys(KARPENTER_V1_REQUIRED))('%s: the required fields under spec are the CRD required fields without a default', (kind) => {
    const schema = schemaAt(SCHEMAS[kind]!, ['spec'])!;
    expect(requiredPaths(schema, 'spec')).toEqual([...KARPENTER_V1_REQUIRED[kind]!].sort());
  });

  it.each(KARPENTER_V1_DEFAULTS.map(([kind, schema, path, value]) => [`${kind} ${path.join('.')}`, schema, path, value] as const))(
    '%s is defaulted, with the CRD default',
    (_name, schema, path, value) => {
      expect(defaultOf(schema, path)).toEqual(value);
    },
  );

  it('fields the CRD defaults are not reported as required', () => {
    const text = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: a}
spec:
  disruption:
    consolidateAfter: 1m
    budgets: [{schedule: "0 9 * * *", duration: 8h}]
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: a}
      requirements: []
---
apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: a}
spec:
  role: r
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{id: subnet-1}]
  securityGroupSelectorTerms: [{id: sg-1}]
  metadataOptions: {}
`;
    expect(validate(text).issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('a field required inside an object the CRD defaults says the default applies only when the object is omitted', () => {
    const text = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: a}
spec:
  disruption: {consolidationPolicy: WhenEmpty}
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: a}
      requirements: []
`;
    const [issue] = validate(text).issues;
    expect(issue).toMatchObject({ code: 'required', path: 'spec.disruption.consolidateAfter' });
    expect(issue?.message).toContain('applies only when "disruption" is omitted');
    expect(issue?.message).toContain('consolidateAfter: "0s"');
    expect(validate(text.replace('  disruption: {consolidationPolicy: WhenEmpty}\n', '')).ok).toBe(true);
  });
});
