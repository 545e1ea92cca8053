import { describe, expect, it } from 'vitest';
import { applyNodePoolDefaults } from './nodepool.defaults.js';
import { nodePoolSchema, type NodePool } from './nodepool.js';
import type { NodeSelectorRequirementWithMinValues, ObjectMeta, Taint } from '../core/types.js';

const base = (): NodePool => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodePool',
  metadata: { name: 'default' },
  spec: {
    template: {
      spec: {
        nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
        requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }],
      },
    },
  },
});

const codes = (np: unknown): string[] => {
  const r = nodePoolSchema.safeParse(np);
  return r.success ? [] : r.error.issues.map((i) => (i as { params?: { code?: string } }).params?.code ?? i.code);
};

describe('nodePoolSchema rules', () => {
  const mutate = (f: (np: NodePool) => void): NodePool => {
    const np = base();
    f(np);
    return np;
  };
  it.each([
    ['valid', mutate(() => {}), []],
    ['In without values', mutate((np) => (np.spec.template.spec.requirements[0]!.values = [])), ['requirement-in-without-values']],
    ['Gte with two values', mutate((np) => np.spec.template.spec.requirements.push({ key: 'example.com/n', operator: 'Gte', values: ['1', '2'] })), ['requirement-comparison-value']],
    ['Lt beyond int64', mutate((np) => np.spec.template.spec.requirements.push({ key: 'example.com/n', operator: 'Lt', values: ['99999999999999999999'] })), ['requirement-comparison-value']],
    ['minValues above values', mutate((np) => (np.spec.template.spec.requirements[0]!.minValues = 2)), ['requirement-min-values']],
    ['restricted key', mutate((np) => np.spec.template.spec.requirements.push({ key: 'karpenter.sh/foo', operator: 'Exists' })), ['restricted-label']],
    ['schedule without duration', mutate((np) => (np.spec.disruption = { consolidateAfter: '0s', budgets: [{ nodes: '1', schedule: '@daily' }] })), ['budget-schedule-without-duration']],
    ['static pool with weight', mutate((np) => Object.assign(np.spec, { replicas: 1, weight: 5 })), ['static-pool-weight']],
    ['static pool with cpu limit', mutate((np) => Object.assign(np.spec, { replicas: 1, limits: { cpu: 4 } })), ['static-pool-limits']],
    ['static pool with nodes limit', mutate((np) => Object.assign(np.spec, { replicas: 1, limits: { nodes: 4 } })), []],
    ['label map restricted key', mutate((np) => (np.spec.template.metadata = { labels: { 'kubernetes.io/hostname': 'a' } })), ['restricted-label', 'restricted-label']],
  ])('%s', (_name, np, expected) => {
    expect(codes(np)).toEqual(expected);
  });
});

describe('applyNodePoolDefaults', () => {
  it('applies the CRD defaults and keeps what is set', () => {
    const out = applyNodePoolDefaults(base());
    expect(out.spec.disruption).toEqual({ consolidateAfter: '0s', consolidationPolicy: 'WhenEmptyOrUnderutilized', budgets: [{ nodes: '10%' }] });
    expect(out.spec.template.spec.expireAfter).toBe('720h');
    expect(out.spec.weight).toBeUndefined();
    const custom = base();
    custom.spec.disruption = { consolidateAfter: '30s', consolidationPolicy: 'WhenEmpty', budgets: [{ schedule: '@daily', duration: '1h' }] };
    custom.spec.template.spec.expireAfter = 'Never';
    const out2 = applyNodePoolDefaults(custom);
    expect(out2.spec.disruption).toEqual({ consolidateAfter: '30s', consolidationPolicy: 'WhenEmpty', budgets: [{ schedule: '@daily', duration: '1h', nodes: '10%' }] });
    expect(out2.spec.template.spec.expireAfter).toBe('Never');
    expect(custom.spec.disruption.budgets?.[0]).not.toHaveProperty('nodes');
  });

  it('produces values assignable to the core shapes', () => {
    const np = applyNodePoolDefaults(base());
    const meta: ObjectMeta = np.metadata;
    const reqs: NodeSelectorRequirementWithMinValues[] = np.spec.template.spec.requirements;
    const taints: Taint[] = np.spec.template.spec.taints ?? [];
    expect([meta.name, reqs.length, taints.length]).toEqual(['default', 1, 0]);
  });
});
