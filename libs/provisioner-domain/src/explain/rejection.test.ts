import { describe, expect, it } from 'vitest';
import { nearMiss } from './near-miss.js';
import { describeRejection, type Rejection } from './rejection.js';

describe('describeRejection', () => {
  it.each<[Rejection, string]>([
    [{ kind: 'taint', taint: { key: 'gpu', value: 'true', effect: 'NoSchedule' } }, 'taint gpu=true:NoSchedule is not tolerated'],
    [
      { kind: 'requirement', key: 'team', wanted: 'team In [a]', undefinedLabel: true, suggestion: 'teams' },
      'label "team" does not have known values (did you mean "teams"?): the pod requires team In [a]',
    ],
    [
      { kind: 'requirement', key: 'kubernetes.io/arch', wanted: 'kubernetes.io/arch In [arm64]', allowed: 'kubernetes.io/arch In [amd64]', undefinedLabel: false },
      'incompatible requirement kubernetes.io/arch In [arm64]: the NodePool allows kubernetes.io/arch In [amd64]',
    ],
    [{ kind: 'requirement', key: 'zone', wanted: 'zone In [a]', actual: 'b', undefinedLabel: false }, 'incompatible requirement zone In [a]: the node has zone=b'],
    [{ kind: 'volume', reason: 'persistentvolumeclaim "x" not found' }, 'volume: persistentvolumeclaim "x" not found'],
    [{ kind: 'host-port', port: 'TCP/80' }, 'host port TCP/80 is already in use'],
    [{ kind: 'topology', constraint: 'c', reason: 'spread says no' }, 'spread says no'],
    [{ kind: 'no-instance-types', listed: 0 }, 'the cloud provider lists no instance types for this NodePool'],
    [{ kind: 'no-instance-types', listed: 3 }, 'no instance type of the catalog is compatible with the NodePool requirements (see the catalog line and its warnings)'],
    [{ kind: 'no-compatible-instance-type', requirements: 'kubernetes.io/arch In [s390x]' }, 'no instance type with an available offering satisfies kubernetes.io/arch In [s390x]'],
    [
      { kind: 'no-instance-type-fits', requests: { cpu: 9000, pods: 1 }, largest: { name: 'c-8x', available: { cpu: 7900, memory: 16 * 2 ** 30 }, daemonOverhead: { cpu: 100 } } },
      'no instance type fits requests cpu=9, pods=1; the largest allowed type c-8x has cpu=7900m, memory=16Gi available after DaemonSets (cpu=100m)',
    ],
    [{ kind: 'min-values', key: 'node.kubernetes.io/instance-type', minValues: 3, available: 1 }, 'requirement node.kubernetes.io/instance-type needs at least 3 distinct values among fitting instance types, only 1 remain'],
    [{ kind: 'limits', resource: 'cpu', limit: 10000, inUse: 9500 }, 'cpu limit 10 vCPU reached (9.5 vCPU in use or planned)'],
    [{ kind: 'limits', resource: 'nodes', limit: 2, inUse: 2 }, 'nodes limit 2 reached (2 nodes in use or planned)'],
    [{ kind: 'resources', requests: { cpu: 2000 }, free: { cpu: 1000 }, exceeded: ['cpu'] }, 'not enough cpu: requests cpu=2, free cpu=1'],
    [{ kind: 'marked-for-deletion' }, 'the node is being deleted'],
  ])('%j', (rejection, text) => {
    expect(describeRejection(rejection)).toBe(text);
  });
});

describe('nearMiss', () => {
  it.each<[string, string[], string | undefined]>([
    ['topology.kubernetes.io/zones', ['topology.kubernetes.io/zone', 'kubernetes.io/arch'], 'topology.kubernetes.io/zone'],
    ['taem', ['team', 'env'], 'team'],
    ['gpu', ['kubernetes.io/arch'], undefined],
    ['same', ['same'], undefined],
    ['us-east-1z', ['us-east-1a', 'us-east-1b'], 'us-east-1a'],
  ])('%s → %s', (word, known, expected) => {
    expect(nearMiss(word, known)).toBe(expected);
  });
});
