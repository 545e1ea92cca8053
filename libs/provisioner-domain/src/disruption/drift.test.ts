import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { NodePool } from '../apis/nodepool.js';
import type { InstanceType } from '../instancetypes/types.js';
import { canonicalJson, detectDrift, needsHashRestamp, NODEPOOL_HASH_VERSION, nodePoolHashAnnotations, nodePoolTemplateHash } from './drift.js';
import { managed, pool } from './test-fixtures.js';

/** The fixture pool with template labels, taints and requirements. */
function poolWith(o: { labels?: Record<string, string>; taints?: { key: string; value?: string; effect: 'NoSchedule' | 'NoExecute' }[]; requirements?: NodePool['spec']['template']['spec']['requirements']; weight?: number; expireAfter?: string } = {}): NodePool {
  const base = pool();
  return {
    ...base,
    spec: {
      ...base.spec,
      ...(o.weight ? { weight: o.weight } : {}),
      template: {
        ...(o.labels ? { metadata: { labels: o.labels } } : {}),
        spec: {
          ...base.spec.template.spec,
          ...(o.taints ? { taints: o.taints } : {}),
          ...(o.requirements ? { requirements: o.requirements } : {}),
          ...(o.expireAfter ? { expireAfter: o.expireAfter } : {}),
        },
      },
    },
  };
}

/** A launched NodeClaim stamped from `stampedFrom` (hash annotations), labelled `labels`. */
function claimOf(stampedFrom: NodePool | undefined, labels: Record<string, string> = {}, version = NODEPOOL_HASH_VERSION): NodeClaim {
  const claim = managed('n1').nodeClaim;
  const annotations = stampedFrom ? { ...nodePoolHashAnnotations(stampedFrom), 'karpenter.sh/nodepool-hash-version': version } : {};
  return { ...claim, metadata: { ...claim.metadata, annotations, labels: { ...claim.metadata.labels, ...labels } } };
}

const typeLabels = { 'node.kubernetes.io/instance-type': 'c-2x', 'topology.kubernetes.io/zone': 'z-a', 'karpenter.sh/capacity-type': 'on-demand' };
const instanceType = (name: string, offerings: { zone: string; capacityType: 'on-demand' | 'spot'; available?: boolean }[]): InstanceType =>
  ({
    name,
    labels: {},
    capacity: {},
    overhead: { kubeReserved: {}, systemReserved: {}, evictionThreshold: {} },
    offerings: offerings.map((o) => ({ pricePerHour: 0.1, available: true, ...o })),
  }) as unknown as InstanceType;

describe('nodePoolTemplateHash', () => {
  it('ignores requirements and behavioural fields (weight, limits, disruption), counts labels, taints, expireAfter', () => {
    const base = nodePoolTemplateHash(poolWith());
    expect(nodePoolTemplateHash(poolWith({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }))).toBe(base);
    expect(nodePoolTemplateHash(poolWith({ weight: 50 }))).toBe(base);
    expect(nodePoolTemplateHash(pool('default', { consolidateAfter: '5m' }))).toBe(base);
    expect(nodePoolTemplateHash(poolWith({ expireAfter: '720h' }))).toBe(base); // the default, written out
    expect(nodePoolTemplateHash(poolWith({ labels: {} }))).toBe(base); // empty counts as absent
    expect(nodePoolTemplateHash(poolWith({ labels: { team: 'a' } }))).not.toBe(base);
    expect(nodePoolTemplateHash(poolWith({ taints: [{ key: 'k', effect: 'NoSchedule' }] }))).not.toBe(base);
    expect(nodePoolTemplateHash(poolWith({ expireAfter: '24h' }))).not.toBe(base);
    expect(base).toMatch(/^[0-9]+$/);
  });

  it('is stable under key order and taint order (property)', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.stringMatching(/^[a-z0-9]{0,4}$/)), { selector: (e) => e[0], maxLength: 6 });
    const taints = fc.uniqueArray(fc.record({ key: fc.stringMatching(/^[a-z]{1,5}$/), effect: fc.constantFrom('NoSchedule' as const, 'NoExecute' as const) }), { selector: (t) => t.key, maxLength: 4 });
    fc.assert(
      fc.property(entries, taints, fc.infiniteStream(fc.double()), (labelEntries, taintList, noise) => {
        const shuffle = <T>(list: readonly T[]): T[] => list.map((x) => ({ x, k: noise.next().value as number })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const a = poolWith({ labels: Object.fromEntries(labelEntries), taints: taintList });
        const b = poolWith({ labels: Object.fromEntries(shuffle(labelEntries)), taints: shuffle(taintList) });
        // The same object with its own keys in reverse order.
        const reversed = JSON.parse(JSON.stringify(b, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v))) as NodePool;
        expect(nodePoolTemplateHash(b)).toBe(nodePoolTemplateHash(a));
        expect(nodePoolTemplateHash(reversed)).toBe(nodePoolTemplateHash(a));
      }),
    );
  });

  it('canonicalJson drops empty values and sorts keys and set members', () => {
    expect(canonicalJson({ b: [2, 1, 2], a: '', c: { d: null } })).toBe('{"b":[1,2]}');
  });
});

describe('detectDrift', () => {
  const stamped = poolWith({ labels: { team: 'a' } });

  it('is undefined while the NodeClaim matches its pool', () => {
    expect(detectDrift({ nodeClaim: claimOf(stamped, { team: 'a' }), nodePool: stamped })).toBeUndefined();
  });

  it('NodePoolDrifted when a template label changes', () => {
    const changed = poolWith({ labels: { team: 'b' } });
    expect(detectDrift({ nodeClaim: claimOf(stamped, { team: 'a' }), nodePool: changed })).toMatchObject({ reason: 'NodePoolDrifted' });
  });

  it('a changed hash version never drifts: the NodeClaim is re-stamped instead', () => {
    const changed = poolWith({ labels: { team: 'a' }, taints: [{ key: 'k', effect: 'NoSchedule' }] });
    const old = claimOf(stamped, { team: 'a' }, 'v3');
    expect(detectDrift({ nodeClaim: old, nodePool: changed })).toBeUndefined();
    expect(needsHashRestamp(old)).toBe(true);
    expect(needsHashRestamp(claimOf(undefined))).toBe(true);
    expect(needsHashRestamp(claimOf(stamped))).toBe(false);
  });

  it('a NodeClaim already Drifted is not re-stamped', () => {
    const old = claimOf(stamped, {}, 'v3');
    const drifted: NodeClaim = { ...old, status: { ...old.status, conditions: [{ type: 'Drifted', status: 'True', reason: 'NodePoolDrifted', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
    expect(needsHashRestamp(drifted)).toBe(false);
  });

  it('RequirementsDrifted when the node labels no longer satisfy the requirements (widening does not drift)', () => {
    const amd = poolWith({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] });
    const claim = claimOf(amd, { 'kubernetes.io/arch': 'amd64' });
    const arm = poolWith({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] });
    const both = poolWith({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] });
    expect(detectDrift({ nodeClaim: claim, nodePool: arm })).toMatchObject({ reason: 'RequirementsDrifted', message: expect.stringContaining('kubernetes.io/arch=amd64') });
    expect(detectDrift({ nodeClaim: claim, nodePool: both })).toBeUndefined();
  });

  it('reads labels from the Node when the NodeClaim lacks them', () => {
    const amd = poolWith({ requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] });
    const input = managed('n1');
    const node = { ...input.node!, metadata: { ...input.node!.metadata, labels: { 'kubernetes.io/arch': 'amd64' } } };
    expect(detectDrift({ nodeClaim: claimOf(amd), node, nodePool: amd })).toBeUndefined();
    expect(detectDrift({ nodeClaim: claimOf(amd), nodePool: amd })).toMatchObject({ reason: 'RequirementsDrifted' });
  });

  it('InstanceTypeNotFound when the type or its offering is gone; an unavailable offering still exists', () => {
    const claim = claimOf(stamped, { team: 'a', ...typeLabels });
    expect(detectDrift({ nodeClaim: claim, nodePool: stamped, instanceTypes: [instanceType('c-4x', [{ zone: 'z-a', capacityType: 'on-demand' }])] })).toMatchObject({ reason: 'InstanceTypeNotFound' });
    expect(detectDrift({ nodeClaim: claim, nodePool: stamped, instanceTypes: [instanceType('c-2x', [{ zone: 'z-b', capacityType: 'on-demand' }])] })).toMatchObject({
      reason: 'InstanceTypeNotFound',
      message: 'instance type c-2x has no offering on-demand in z-a any more',
    });
    expect(detectDrift({ nodeClaim: claim, nodePool: stamped, instanceTypes: [instanceType('c-2x', [{ zone: 'z-a', capacityType: 'on-demand', available: false }])] })).toBeUndefined();
  });

  it('CloudProviderDrifted last, with the provider\'s reason; static drift wins over it', () => {
    expect(detectDrift({ nodeClaim: claimOf(stamped, { team: 'a' }), nodePool: stamped, cloudProviderReason: 'AMIDrift' })).toEqual({ reason: 'CloudProviderDrifted', message: 'the cloud provider reports drift: AMIDrift' });
    expect(detectDrift({ nodeClaim: claimOf(stamped, { team: 'a' }), nodePool: poolWith({ labels: { team: 'b' } }), cloudProviderReason: 'AMIDrift' })).toMatchObject({ reason: 'NodePoolDrifted' });
  });
});
