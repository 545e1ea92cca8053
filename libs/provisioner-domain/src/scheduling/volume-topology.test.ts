import { describe, expect, it } from 'vitest';
import type { NodeSelectorTerm, Pod } from '../core/types.js';
import { VolumeTopology } from './volume-topology.js';

function zoneTerm(zone: string): NodeSelectorTerm {
  return { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: [zone] }] };
}

const topology = new VolumeTopology({
  persistentVolumeClaims: [
    { metadata: { name: 'bound', namespace: 'app' }, spec: { volumeName: 'pv-a' } },
    { metadata: { name: 'wffc', namespace: 'app' }, spec: { storageClassName: 'zonal' } },
    { metadata: { name: 'immediate', namespace: 'app' }, spec: { storageClassName: 'fast' } },
    { metadata: { name: 'default-class', namespace: 'app' }, spec: {} },
    { metadata: { name: 'dangling', namespace: 'app' }, spec: { volumeName: 'missing' } },
    { metadata: { name: 'bound-ab', namespace: 'app' }, spec: { volumeName: 'pv-ab' } },
    { metadata: { name: 'bound-bc', namespace: 'app' }, spec: { volumeName: 'pv-bc' } },
    { metadata: { name: 'multi-class', namespace: 'app' }, spec: { storageClassName: 'multi' } },
  ],
  persistentVolumes: [
    {
      metadata: { name: 'pv-a' },
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a'] }] }] } } },
    },
    { metadata: { name: 'pv-ab' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [zoneTerm('z-a'), zoneTerm('z-b')] } } } },
    { metadata: { name: 'pv-bc' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [zoneTerm('z-b'), { matchExpressions: [{ key: 'disk', operator: 'In', values: ['nvme'] }] }] } } } },
  ],
  storageClasses: [
    { metadata: { name: 'zonal' }, provisioner: 'ebs', volumeBindingMode: 'WaitForFirstConsumer', allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z-a', 'z-b'] }] }] },
    { metadata: { name: 'fast' }, provisioner: 'ebs', volumeBindingMode: 'Immediate', allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z-c'] }] }] },
    {
      metadata: { name: 'std', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', values: ['z-b'] }] }],
    },
    {
      metadata: { name: 'multi' },
      provisioner: 'ebs',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z-c'] }] }, { matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z-b'] }] }],
    },
  ],
});

const pod = (...claims: string[]): Pod => ({
  metadata: { name: 'p', namespace: 'app' },
  spec: { containers: [], volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) },
});

describe('VolumeTopology', () => {
  // Alternatives are ORed (one per satisfiable combination of the volumes' terms), shown joined by ' | '.
  it.each<[string, Pod, string]>([
    ['no volumes', pod(), ''],
    ['bound PV node affinity', pod('bound'), 'topology.kubernetes.io/zone In [z-a]'],
    ['WaitForFirstConsumer allowed topologies', pod('wffc'), 'topology.kubernetes.io/zone In [z-a, z-b]'],
    ['Immediate imposes nothing', pod('immediate'), ''],
    ['default class, beta key normalised', pod('default-class'), 'topology.kubernetes.io/zone In [z-b]'],
    ['several volumes intersect', pod('bound', 'wffc'), 'topology.kubernetes.io/zone In [z-a]'],
    ['conflicting volumes leave nothing', pod('bound', 'default-class'), 'topology.kubernetes.io/zone In []'],
    ['every term of a bound PV is an alternative', pod('bound-ab'), 'topology.kubernetes.io/zone In [z-a] | topology.kubernetes.io/zone In [z-b]'],
    ['terms of two PVs: unsatisfiable combinations dropped', pod('bound-ab', 'bound-bc'), 'disk In [nvme], topology.kubernetes.io/zone In [z-a] | topology.kubernetes.io/zone In [z-b] | disk In [nvme], topology.kubernetes.io/zone In [z-b]'],
    ['a later PV term matching another volume', pod('bound-ab', 'default-class'), 'topology.kubernetes.io/zone In [z-b]'],
    ['every allowedTopologies term is an alternative', pod('multi-class'), 'topology.kubernetes.io/zone In [z-c] | topology.kubernetes.io/zone In [z-b]'],
    ['a later allowedTopologies term matching a bound PV', pod('multi-class', 'bound-ab'), 'topology.kubernetes.io/zone In [z-b]'],
  ])('%s', (_name, p, expected) => {
    const result = topology.requirementsFor(p);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.alternatives.map((a) => a.describe()).join(' | ')).toBe(expected);
  });

  it.each([
    ['missing claim', pod('nope'), 'persistentvolumeclaim "nope" not found'],
    ['missing volume', pod('dangling'), 'persistentvolume "missing" not found'],
  ])('%s is a reason', (_name, p, reason) => {
    expect(topology.requirementsFor(p)).toEqual({ ok: false, reason });
  });

  it('reads generic ephemeral volumes', () => {
    const p: Pod = { metadata: { name: 'p', namespace: 'app' }, spec: { containers: [], volumes: [{ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { storageClassName: 'zonal' } } } }] } };
    const result = topology.requirementsFor(p);
    expect(result.ok && result.alternatives.map((a) => a.describe())).toEqual(['topology.kubernetes.io/zone In [z-a, z-b]']);
  });
});
