import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { VolumeTopology } from './volume-topology.js';

const topology = new VolumeTopology({
  persistentVolumeClaims: [
    { metadata: { name: 'bound', namespace: 'app' }, spec: { volumeName: 'pv-a' } },
    { metadata: { name: 'wffc', namespace: 'app' }, spec: { storageClassName: 'zonal' } },
    { metadata: { name: 'immediate', namespace: 'app' }, spec: { storageClassName: 'fast' } },
    { metadata: { name: 'default-class', namespace: 'app' }, spec: {} },
    { metadata: { name: 'dangling', namespace: 'app' }, spec: { volumeName: 'missing' } },
  ],
  persistentVolumes: [
    {
      metadata: { name: 'pv-a' },
      spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a'] }] }] } } },
    },
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
  ],
});

const pod = (...claims: string[]): Pod => ({
  metadata: { name: 'p', namespace: 'app' },
  spec: { containers: [], volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) },
});

describe('VolumeTopology', () => {
  it.each<[string, Pod, string]>([
    ['no volumes', pod(), ''],
    ['bound PV node affinity', pod('bound'), 'topology.kubernetes.io/zone In [z-a]'],
    ['WaitForFirstConsumer allowed topologies', pod('wffc'), 'topology.kubernetes.io/zone In [z-a, z-b]'],
    ['Immediate imposes nothing', pod('immediate'), ''],
    ['default class, beta key normalised', pod('default-class'), 'topology.kubernetes.io/zone In [z-b]'],
    ['several volumes intersect', pod('bound', 'wffc'), 'topology.kubernetes.io/zone In [z-a]'],
    ['conflicting volumes leave nothing', pod('bound', 'default-class'), 'topology.kubernetes.io/zone In []'],
  ])('%s', (_name, p, expected) => {
    const result = topology.requirementsFor(p);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.requirements.describe()).toBe(expected);
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
    expect(result.ok && result.requirements.describe()).toBe('topology.kubernetes.io/zone In [z-a, z-b]');
  });
});
