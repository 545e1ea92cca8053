import { describe, expect, it } from 'vitest';
import { convert, convertFiles, type ConvertFilesResult } from './convert.js';
import { validate } from './validate/validate.js';

const provisioner = (name: string, extra = '') => `apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata: {name: ${name}}
spec:
  providerRef: {name: shared}
  ttlSecondsAfterEmpty: 30
${extra}`;
const TEMPLATE = `apiVersion: karpenter.k8s.aws/v1alpha1
kind: AWSNodeTemplate
metadata: {name: shared}
spec:
  subnetSelector: {karpenter.sh/discovery: demo}
  securityGroupSelector: {karpenter.sh/discovery: demo}
  instanceProfile: KarpenterNodeInstanceProfile
`;

type Obj = { kind: string; metadata: { name: string }; spec: Record<string, unknown> & { template?: { spec: { nodeClassRef: { name: string }; expireAfter?: string } }; kubelet?: unknown } };
const ok = (r: ConvertFilesResult) => {
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { ...r, objects: r.objects as Obj[] };
};
const byKind = (objects: Obj[], kind: string) => objects.filter((o) => o.kind === kind);

describe('convert', () => {
  it('several files are all converted, with references resolved across files', () => {
    const r = ok(convertFiles([
      { file: 'provisioners.yaml', text: `${provisioner('a')}---\n${provisioner('b')}` },
      { file: 'templates.yaml', text: TEMPLATE },
    ]));
    expect(r.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['NodePool/a', 'NodePool/b', 'EC2NodeClass/shared']);
    expect(r.warnings.some((w) => w.code === 'conversion-node-class-missing')).toBe(false);
    expect(validate(r.yaml).ok).toBe(true);
  });

  it('Provisioners sharing one AWSNodeTemplate but differing in kubeletConfiguration get one EC2NodeClass per distinct setting', () => {
    const r = ok(convertFiles([{
      file: 'f.yaml',
      text: [
        provisioner('general', '  kubeletConfiguration: {maxPods: 110}\n'),
        provisioner('dense', '  kubeletConfiguration: {maxPods: 250, podsPerCore: 10}\n'),
        provisioner('general-2', '  kubeletConfiguration: {maxPods: 110}\n'),
        provisioner('plain'),
        TEMPLATE,
      ].join('---\n'),
    }]));
    const pools = byKind(r.objects, 'NodePool');
    const classes = byKind(r.objects, 'EC2NodeClass');
    expect(classes.map((c) => [c.metadata.name, c.spec.kubelet])).toEqual([
      ['shared-general', { maxPods: 110 }],
      ['shared-dense', { maxPods: 250, podsPerCore: 10 }],
      ['shared-plain', undefined],
    ]);
    expect(pools.map((p) => [p.metadata.name, p.spec.template?.spec.nodeClassRef.name])).toEqual([
      ['general', 'shared-general'],
      ['dense', 'shared-dense'],
      ['general-2', 'shared-general'],
      ['plain', 'shared-plain'],
    ]);
    const split = r.warnings.filter((w) => w.code === 'conversion-kubelet-split');
    expect(split).toHaveLength(1);
    expect(split[0]).toMatchObject({ file: 'f.yaml', document: 4 });
    expect(validate(r.yaml).ok).toBe(true);
  });

  it('Provisioners sharing one AWSNodeTemplate with the same kubeletConfiguration share its EC2NodeClass, which gets the settings', () => {
    const r = ok(convert([provisioner('a', '  kubeletConfiguration: {maxPods: 50}\n'), provisioner('b', '  kubeletConfiguration: {maxPods: 50}\n'), TEMPLATE].join('---\n')));
    expect(byKind(r.objects, 'EC2NodeClass').map((c) => [c.metadata.name, c.spec.kubelet])).toEqual([['shared', { maxPods: 50 }]]);
    expect(byKind(r.objects, 'NodePool').map((p) => p.spec.template?.spec.nodeClassRef.name)).toEqual(['shared', 'shared']);
  });

  it('warnings are reported once per cause (not once per referring document), with file and line', () => {
    const text = [provisioner('a'), provisioner('b'), provisioner('c'), TEMPLATE].join('---\n');
    const r = ok(convertFiles([{ file: 'f.yaml', text }]));
    const metadata = r.warnings.filter((w) => w.code === 'conversion-metadata-options');
    expect(metadata).toHaveLength(1);
    const templateLine = text.split('\n').indexOf('kind: AWSNodeTemplate') + 1;
    expect(metadata[0]).toMatchObject({ file: 'f.yaml', document: 3, line: templateLine + 3 });
    // A node class that is not in the input: one warning naming every pool that refers to it.
    const missing = ok(convert([provisioner('a'), provisioner('b')].join('---\n'))).warnings.filter((w) => w.code === 'conversion-node-class-missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]?.message).toContain('a, b');
    expect(missing[0]?.line).toBe(5);
  });

  describe('v1beta1', () => {
    const NODEPOOL = `apiVersion: karpenter.sh/v1beta1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {apiVersion: karpenter.k8s.aws/v1beta1, kind: EC2NodeClass, name: default}
      requirements: [{key: karpenter.sh/capacity-type, operator: In, values: [spot]}]
      kubelet: {maxPods: 58}
  disruption:
    consolidationPolicy: WhenUnderutilized
    expireAfter: 168h
    budgets: [{nodes: "20%"}]
`;
    const NODECLASS = `apiVersion: karpenter.k8s.aws/v1beta1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiFamily: AL2023
  role: KarpenterNodeRole
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
`;
    const NODECLAIM = `apiVersion: karpenter.sh/v1beta1
kind: NodeClaim
metadata: {name: default-abcde, labels: {karpenter.sh/nodepool: default}}
spec:
  nodeClassRef: {name: default}
  requirements: [{key: karpenter.sh/nodepool, operator: In, values: [default]}]
  kubelet: {maxPods: 58}
`;

    it('karpenter.sh/v1beta1 NodePool, NodeClaim and karpenter.k8s.aws/v1beta1 EC2NodeClass are read and converted to v1 with each meaning change noted', () => {
      const r = ok(convert([NODEPOOL, NODECLASS, NODECLAIM].join('---\n')));
      const [pool, nodeClass, claim] = r.objects;
      expect(pool).toMatchObject({
        apiVersion: 'karpenter.sh/v1',
        spec: {
          disruption: { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s', budgets: [{ nodes: '20%' }] },
          template: { spec: { expireAfter: '168h', nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } },
        },
      });
      expect(JSON.stringify(pool)).not.toContain('kubelet');
      expect(nodeClass).toMatchObject({
        apiVersion: 'karpenter.k8s.aws/v1',
        spec: { amiSelectorTerms: [{ alias: 'al2023@latest' }], kubelet: { maxPods: 58 } },
      });
      // No metadataOptions: both versions default the hop limit to 1, so nothing is written.
      expect(nodeClass?.spec['metadataOptions']).toBeUndefined();
      expect(nodeClass?.spec['amiFamily']).toBeUndefined();
      expect(claim).toMatchObject({ apiVersion: 'karpenter.sh/v1', spec: { expireAfter: '168h', nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } } });
      expect(JSON.stringify(claim)).not.toContain('kubelet');
      expect(r.warnings.map((w) => w.code)).toEqual(
        expect.arrayContaining([
          'conversion-consolidation-policy',
          'conversion-expire-after-moved',
          'conversion-expiration-forceful',
          'conversion-kubelet-moved',
          'conversion-ami-alias',
          'conversion-kubelet-dropped',
        ]),
      );
      expect(validate(r.yaml).ok).toBe(true);
    });

    it('v1beta1 NodePools sharing an EC2NodeClass but differing in kubelet get one EC2NodeClass each', () => {
      const other = NODEPOOL.replace('name: default}', 'name: batch}').replace('{maxPods: 58}', '{maxPods: 20}');
      const r = ok(convert([NODEPOOL, other, NODECLASS].join('---\n')));
      expect(byKind(r.objects, 'EC2NodeClass').map((c) => [c.metadata.name, c.spec.kubelet])).toEqual([
        ['default-default', { maxPods: 58 }],
        ['default-batch', { maxPods: 20 }],
      ]);
      expect(validate(r.yaml).ok).toBe(true);
    });

    it('WhenEmpty keeps its consolidateAfter; an Ubuntu node class becomes AL2 with its AMI terms', () => {
      const r = ok(convert([
        NODEPOOL.replace('consolidationPolicy: WhenUnderutilized', 'consolidationPolicy: WhenEmpty\n    consolidateAfter: 5m'),
        NODECLASS.replace('amiFamily: AL2023', 'amiFamily: Ubuntu\n  amiSelectorTerms: [{name: "ubuntu-eks/k8s_1.29/*", owner: "099720109477"}]'),
      ].join('---\n')));
      expect(r.objects[0]?.spec['disruption']).toMatchObject({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '5m' });
      expect(r.objects[1]?.spec).toMatchObject({ amiFamily: 'AL2', amiSelectorTerms: [{ name: 'ubuntu-eks/k8s_1.29/*', owner: '099720109477' }], blockDeviceMappings: [{ deviceName: '/dev/sda1', rootVolume: true }] });
      expect(r.warnings.map((w) => w.code)).toContain('conversion-ubuntu-to-al2');
      expect(validate(r.yaml).ok).toBe(true);
    });

    it('v1beta1 input with errors is refused, located', () => {
      const r = convert(NODEPOOL.replace('consolidationPolicy: WhenUnderutilized', 'consolidationPolicy: WhenUnderutilized\n    consolidateAfter: 5m'));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.issues.map((i) => [i.code, i.line])).toEqual([['consolidate-after-with-underutilized', 12]]);
    });
  });

  it('a v1 EC2NodeClass of the input receives the kubelet settings of the pools converted to point at it', () => {
    const v1Class = `apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: shared}
spec:
  role: KarpenterNodeRole
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
  securityGroupSelectorTerms: [{tags: {karpenter.sh/discovery: demo}}]
`;
    const r = ok(convert([provisioner('a', '  kubeletConfiguration: {maxPods: 50}\n'), v1Class].join('---\n')));
    expect(r.warnings.map((w) => w.code)).not.toContain('conversion-node-class-missing');
    expect(byKind(r.objects, 'EC2NodeClass').map((c) => [c.metadata.name, c.spec.kubelet])).toEqual([['shared', { maxPods: 50 }]]);
    const conflict = ok(convert([provisioner('a', '  kubeletConfiguration: {maxPods: 50}\n'), v1Class.replace('  role:', '  kubelet: {maxPods: 20}\n  role:')].join('---\n')));
    expect(byKind(conflict.objects, 'EC2NodeClass').map((c) => c.spec.kubelet)).toEqual([{ maxPods: 20 }]);
    expect(conflict.warnings.map((w) => w.code)).toContain('conversion-kubelet-conflict');
  });
});
