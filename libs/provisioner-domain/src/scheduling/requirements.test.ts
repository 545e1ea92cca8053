import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { podMatchesNodeLabels, preferredNodeAffinityTerms, requiredNodeAffinityTerms, strictPodRequirements } from './pod-requirements.js';
import { Requirements } from './requirements.js';
import { normalizeNodeLabels, ALLOW_UNDEFINED_LABELS } from './well-known-labels.js';

const wellKnown = (key: string): boolean => ALLOW_UNDEFINED_LABELS.has(key);

describe('Requirements', () => {
  it('ANDs same-key entries and normalises beta keys', () => {
    const reqs = Requirements.fromNodeSelectorRequirements([
      { key: 'beta.kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] },
      { key: 'kubernetes.io/arch', operator: 'NotIn', values: ['arm64'] },
      { key: 'failure-domain.beta.kubernetes.io/zone', operator: 'In', values: ['z1'] },
    ]);
    expect(reqs.describe()).toBe('kubernetes.io/arch In [amd64], topology.kubernetes.io/zone In [z1]');
  });

  it('treats a malformed entry as matching nothing', () => {
    const reqs = Requirements.fromNodeSelectorRequirements([{ key: 'cpu', operator: 'Gt', values: ['many'] }]);
    expect(reqs.get('cpu')?.isUnsatisfiable()).toBe(true);
  });

  it('returns itself when an intersection narrows nothing', () => {
    const a = Requirements.fromLabels({ team: 'a', env: 'prod' });
    expect(a.intersect(Requirements.fromNodeSelectorRequirements([{ key: 'team', operator: 'In', values: ['a', 'b'] }]))).toBe(a);
    expect(a.intersect(Requirements.EMPTY)).toBe(a);
    expect(a.intersect(Requirements.fromLabels({ zone: 'x' })).size).toBe(3);
  });

  it.each<[string, Requirements, Requirements, string | undefined]>([
    ['pod within pool', Requirements.fromLabels({ team: 'a' }), Requirements.fromLabels({ team: 'a' }), undefined],
    ['different value', Requirements.fromLabels({ team: 'a' }), Requirements.fromLabels({ team: 'b' }), 'no-intersection:team'],
    ['custom label undefined on the pool', Requirements.EMPTY, Requirements.fromLabels({ team: 'b' }), 'undefined-label:team'],
    ['well-known label undefined on the pool', Requirements.EMPTY, Requirements.fromLabels({ 'kubernetes.io/arch': 'arm64' }), undefined],
    [
      'NotIn of an undefined custom label',
      Requirements.EMPTY,
      Requirements.fromNodeSelectorRequirements([{ key: 'team', operator: 'NotIn', values: ['x'] }]),
      undefined,
    ],
    [
      'DoesNotExist vs NotIn on both sides',
      Requirements.fromNodeSelectorRequirements([{ key: 'gpu', operator: 'NotIn', values: ['x'] }]),
      Requirements.fromNodeSelectorRequirements([{ key: 'gpu', operator: 'DoesNotExist' }]),
      undefined,
    ],
    [
      'Exists of an undefined custom label',
      Requirements.EMPTY,
      Requirements.fromNodeSelectorRequirements([{ key: 'gpu', operator: 'Exists' }]),
      'undefined-label:gpu',
    ],
  ])('compatible: %s', (_name, node, pod, expected) => {
    const conflict = node.compatible(pod, wellKnown);
    expect(conflict ? `${conflict.kind}:${conflict.key}` : undefined).toBe(expected);
  });

  it('intersects ignores keys only one side has', () => {
    expect(Requirements.fromLabels({ a: '1' }).intersects(Requirements.fromLabels({ b: '2' }))).toBeUndefined();
    expect(Requirements.fromLabels({ a: '1' }).intersects(Requirements.fromLabels({ a: '2' }))?.key).toBe('a');
  });

  it.each<[string, Requirements, Record<string, string>, string | undefined]>([
    ['In matches', Requirements.fromLabels({ a: '1' }), { a: '1' }, undefined],
    ['In needs the label', Requirements.fromLabels({ a: '1' }), {}, 'a'],
    ['NotIn matches absence', Requirements.fromNodeSelectorRequirements([{ key: 'a', operator: 'NotIn', values: ['1'] }]), {}, undefined],
    ['Gt compares integers', Requirements.fromNodeSelectorRequirements([{ key: 'cpu', operator: 'Gt', values: ['4'] }]), { cpu: '8' }, undefined],
    ['Gt fails below', Requirements.fromNodeSelectorRequirements([{ key: 'cpu', operator: 'Gt', values: ['4'] }]), { cpu: '4' }, 'cpu'],
  ])('matchLabels: %s', (_name, reqs, labels, key) => {
    expect(reqs.matchLabels(labels)?.key).toBe(key);
  });

  it('lists single-valued labels and round-trips to entries', () => {
    const reqs = Requirements.fromNodeSelectorRequirements([
      { key: 'b', operator: 'In', values: ['x'] },
      { key: 'a', operator: 'In', values: ['y', 'z'], minValues: 2 } as never,
    ]);
    expect(reqs.singleValueLabels()).toEqual({ b: 'x' });
    expect(reqs.toNodeSelectorRequirements()).toEqual([
      { key: 'a', operator: 'In', values: ['y', 'z'], minValues: 2 },
      { key: 'b', operator: 'In', values: ['x'] },
    ]);
  });
});

describe('pod node selection', () => {
  const pod: Pod = {
    metadata: { name: 'p' },
    spec: {
      containers: [{ name: 'c' }],
      nodeSelector: { 'beta.kubernetes.io/os': 'linux' },
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['a'] }] },
              { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['b'] }] },
            ],
          },
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 1, preference: { matchExpressions: [{ key: 'x', operator: 'In', values: ['1'] }] } },
            { weight: 50, preference: { matchExpressions: [{ key: 'y', operator: 'In', values: ['2'] }] } },
          ],
        },
      },
    },
  };

  it('uses nodeSelector AND the first required term', () => {
    expect(strictPodRequirements(pod).describe()).toBe('kubernetes.io/os In [linux], topology.kubernetes.io/zone In [a]');
    expect(requiredNodeAffinityTerms(pod)).toHaveLength(2);
  });

  it('orders preferred terms heaviest first', () => {
    expect(preferredNodeAffinityTerms(pod).map((t) => t.weight)).toEqual([50, 1]);
  });

  it.each([
    [{ 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'b' }, true],
    [{ 'beta.kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'a' }, true],
    [{ 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': 'c' }, false],
    [{ 'kubernetes.io/os': 'windows', 'topology.kubernetes.io/zone': 'a' }, false],
  ])('matches existing node labels %j: %s (terms ORed)', (labels, expected) => {
    expect(podMatchesNodeLabels(pod, normalizeNodeLabels(labels))).toBe(expected);
  });
});
