import { describe, expect, it } from 'vitest';
import { buildPodInfo, type PodInfo } from './pod-info.js';
import { effectiveNodeRequirements, effectiveTolerations, effectiveTopologyTerms, initialPreferences, relax, type PodPreferences } from './preferences.js';
import { testPod } from './test-fixtures.js';
import { NamespaceResolver } from './topology/topology-term.js';
import { VolumeTopology } from './volume-topology.js';

const term = (key: string) => ({ topologyKey: key, labelSelector: { matchLabels: { app: 'x' } } });
const everything = buildPodInfo(
  testPod('p', {
    labels: { app: 'x' },
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
            { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
          ],
        },
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 1, preference: { matchExpressions: [{ key: 'light', operator: 'Exists' }] } },
          { weight: 9, preference: { matchExpressions: [{ key: 'heavy', operator: 'Exists' }] } },
        ],
      },
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('kubernetes.io/hostname') }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('topology.kubernetes.io/zone') }] },
    },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } } }],
  }),
  new NamespaceResolver([]),
  new VolumeTopology({}),
);

function steps(info: PodInfo, start: PodPreferences): string[] {
  const out: string[] = [];
  let p: PodPreferences | undefined = start;
  while (p) {
    const next = relax(info, p);
    if (!next) break;
    out.push(next.relaxed);
    p = next.preferences;
  }
  return out;
}

describe('preference relaxation (Karpenter order)', () => {
  it('relaxes one step at a time', () => {
    expect(steps(everything, initialPreferences(everything, 'Respect'))).toEqual([
      'required node affinity term',
      'preferred pod affinity',
      'preferred pod anti-affinity',
      'preferred node affinity',
      'preferred node affinity',
      'ScheduleAnyway topology spread',
      'PreferNoSchedule taints',
    ]);
  });

  it('starts with everything enforced, heaviest preferred term first', () => {
    const p = initialPreferences(everything, 'Respect');
    expect(effectiveNodeRequirements(everything, p).describe()).toBe('heavy Exists, zone In [a]');
    expect(effectiveTopologyTerms(everything, p).map((t) => t.description)).toEqual([
      'topology spread on topology.kubernetes.io/zone (maxSkew 1, ScheduleAnyway)',
      'preferred pod affinity on kubernetes.io/hostname',
      'preferred pod anti-affinity on topology.kubernetes.io/zone',
    ]);
    expect(effectiveTolerations(everything, p)).toEqual([]);
  });

  it('ends with only the last required term and PreferNoSchedule tolerated', () => {
    let p = initialPreferences(everything, 'Respect');
    for (let next = relax(everything, p); next; next = relax(everything, p)) p = next.preferences;
    expect(effectiveNodeRequirements(everything, p).describe()).toBe('zone In [b]');
    expect(effectiveTopologyTerms(everything, p)).toEqual([]);
    expect(effectiveTolerations(everything, p)).toEqual([{ operator: 'Exists', effect: 'PreferNoSchedule' }]);
  });

  it('Ignore drops preferences up front', () => {
    const p = initialPreferences(everything, 'Ignore');
    expect(effectiveNodeRequirements(everything, p).describe()).toBe('zone In [a]');
    expect(effectiveTopologyTerms(everything, p)).toEqual([]);
    expect(steps(everything, p)).toEqual(['required node affinity term', 'PreferNoSchedule taints']);
  });
});
