import { describe, expect, it } from 'vitest';
import { nodePoolSchema } from './nodepool.js';
import { ec2NodeClassSchema } from './ec2nodeclass.js';
import { awsNodeTemplateToEC2NodeClass, provisionerToNodePool } from './conversion.js';
import type { Provisioner } from './provisioner.js';
import type { AWSNodeTemplate } from './awsnodetemplate.js';

const provisioner = (spec: Provisioner['spec']): Provisioner => ({ apiVersion: 'karpenter.sh/v1alpha5', kind: 'Provisioner', metadata: { name: 'default' }, spec });
const codes = (ws: { code: string }[]) => ws.map((w) => w.code);

describe('provisionerToNodePool', () => {
  it('converts the seed Provisioner: WhenEmpty after 30s, inline provider to an EC2NodeClass', () => {
    const r = provisionerToNodePool(
      provisioner({
        requirements: [
          { key: 'kubernetes.io/arch', operator: 'In', values: ['arm64', 'amd64'] },
          { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot', 'on-demand'] },
        ],
        provider: { instanceProfile: 'KarpenterNodeInstanceProfile' },
        ttlSecondsAfterEmpty: 30,
      }),
    );
    expect(r.nodePool.spec.disruption).toEqual({ consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s' });
    expect(r.nodePool.spec.template.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
    expect(r.nodePool.spec.template.spec.expireAfter).toBe('Never');
    expect(r.nodeClass?.spec.instanceProfile).toBe('KarpenterNodeInstanceProfile');
    expect(r.nodeClass?.spec.amiSelectorTerms).toEqual([{ alias: 'al2@latest' }]);
    expect(nodePoolSchema.safeParse(r.nodePool).success).toBe(true);
    expect(ec2NodeClassSchema.safeParse(r.nodeClass).success).toBe(true);
    expect(codes(r.warnings)).toContain('conversion-expire-after-never');
  });

  it.each([
    ['ttlSecondsAfterEmpty', { ttlSecondsAfterEmpty: 120 }, { consolidationPolicy: 'WhenEmpty', consolidateAfter: '120s' }],
    ['consolidation.enabled', { consolidation: { enabled: true } }, { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '0s' }],
    ['neither', {}, { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: 'Never' }],
  ])('disruption from %s', (_n, spec, disruption) => {
    expect(provisionerToNodePool(provisioner({ ...spec, providerRef: { name: 'x' } })).nodePool.spec.disruption).toEqual(disruption);
  });

  it('maps ttlSecondsUntilExpired, limits, weight, labels, taints and providerRef', () => {
    const template: AWSNodeTemplate = {
      apiVersion: 'karpenter.k8s.aws/v1alpha1',
      kind: 'AWSNodeTemplate',
      metadata: { name: 'tmpl' },
      spec: { subnetSelector: { 'aws-ids': 'subnet-1,subnet-2', team: 'a' }, securityGroupSelector: { 'karpenter.sh/discovery': 'demo' }, amiFamily: 'Bottlerocket', launchTemplate: undefined },
    };
    const r = provisionerToNodePool(
      provisioner({
        providerRef: { name: 'tmpl' },
        ttlSecondsUntilExpired: 86400,
        limits: { resources: { cpu: '100' } },
        weight: 7,
        labels: { team: 'a' },
        taints: [{ key: 'example.com/t', effect: 'NoSchedule' }],
        kubeletConfiguration: { maxPods: 50, containerRuntime: 'containerd' },
      }),
      { nodeTemplates: [template] },
    );
    expect(r.nodePool.spec.template.spec.expireAfter).toBe('24h');
    expect(r.nodePool.spec.limits).toEqual({ cpu: '100' });
    expect(r.nodePool.spec.weight).toBe(7);
    expect(r.nodePool.spec.template.metadata?.labels).toEqual({ team: 'a' });
    expect(r.nodePool.spec.template.spec.nodeClassRef.name).toBe('tmpl');
    // ids with another filter: the ids alone (a tags term beside them would widen the selection).
    expect(r.nodeClass?.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-1' }, { id: 'subnet-2' }]);
    expect(r.warnings.find((w) => w.code === 'conversion-selector-filter-dropped')?.path).toBe('spec.subnetSelector.team');
    expect(r.nodeClass?.spec.amiSelectorTerms).toEqual([{ alias: 'bottlerocket@latest' }]);
    expect(r.nodeClass?.spec.kubelet).toEqual({ maxPods: 50 });
    expect(codes(r.warnings)).toEqual(expect.arrayContaining(['conversion-container-runtime-dropped', 'conversion-kubelet-moved']));
    expect(ec2NodeClassSchema.safeParse(r.nodeClass).success).toBe(true);
  });

  it('warns when the referenced AWSNodeTemplate is missing and for launch templates', () => {
    expect(codes(provisionerToNodePool(provisioner({ providerRef: { name: 'gone' } }), { nodeTemplates: [] }).warnings)).toContain('conversion-node-template-missing');
    const r = provisionerToNodePool(provisioner({ provider: { launchTemplate: 'lt', subnetSelector: { a: 'b' } } }));
    expect(codes(r.warnings)).toContain('conversion-launch-template-dropped');
  });

  it('AMI selectors map to v1 terms: aws::ids to id, aws::name to name, aws::owners to owner, only other keys to tags', () => {
    const template = (amiSelector: Record<string, string>): AWSNodeTemplate => ({
      apiVersion: 'karpenter.k8s.aws/v1alpha1',
      kind: 'AWSNodeTemplate',
      metadata: { name: 't' },
      spec: { amiFamily: 'AL2', amiSelector, subnetSelector: { 'aws::ids': 'subnet-9' }, securityGroupSelector: { 'aws-ids': 'sg-9' }, instanceProfile: 'p' },
    });
    const ids = awsNodeTemplateToEC2NodeClass(template({ 'aws::ids': 'ami-1,ami-2' }));
    expect(ids.spec.amiSelectorTerms).toEqual([{ id: 'ami-1' }, { id: 'ami-2' }]);
    expect(ids.spec.subnetSelectorTerms).toEqual([{ id: 'subnet-9' }]);
    expect(ids.spec.securityGroupSelectorTerms).toEqual([{ id: 'sg-9' }]);
    const named = awsNodeTemplateToEC2NodeClass(template({ 'aws::name': 'golden-*', 'aws::owners': '123456789012', team: 'a' }));
    expect(named.spec.amiSelectorTerms).toEqual([{ name: 'golden-*', owner: '123456789012', tags: { team: 'a' } }]);
    expect(named.spec.amiFamily).toBe('AL2');
    expect(ec2NodeClassSchema.safeParse(named).success).toBe(true);
  });
});
