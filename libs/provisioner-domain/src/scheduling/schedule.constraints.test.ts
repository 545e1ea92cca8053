import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { SchedulingResult, SchedulingSnapshot } from './types.js';

const ZONES = ['z-a', 'z-b'];
const small = testInstanceType('small', 2, 4, { zones: ZONES });
const large = testInstanceType('large', 8, 32, { zones: ZONES });
const armSmall = testInstanceType('arm-small', 2, 4, { zones: ZONES, labels: { 'kubernetes.io/arch': 'arm64' } });

function run(pods: Pod[], extra: Partial<SchedulingSnapshot> & { types?: InstanceType[] } = {}, options: Parameters<typeof schedule>[1] = {}): SchedulingResult {
  const { types, ...rest } = extra;
  const nodePools = rest.nodePools ?? [testNodePool('default')];
  return schedule(
    { pods, existingNodes: [], instanceTypes: Object.fromEntries(nodePools.map((np) => [np.metadata.name ?? '', types ?? [small, large, armSmall]])), ...rest, nodePools },
    options,
  );
}

const daemonSet = (name: string, cpu: string, extra: Partial<Pod['spec']> = {}): DaemonSet => ({
  metadata: { name, namespace: 'kube-system' },
  spec: { template: { metadata: { labels: { ds: name } }, spec: { containers: [{ name: 'd', resources: { requests: { cpu } } }], ...extra } } },
});

describe('DaemonSet overhead per instance type', () => {
  it('reserves room for DaemonSets on every option', () => {
    const result = run([testPod('p', { cpu: '1500m' })], { daemonSets: [daemonSet('logs', '600m')] });
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['large']);
    expect(result.nodeClaims[0]?.requests).toEqual({ cpu: 2100, pods: 2 });
    expect(result.nodeClaims[0]?.daemonSetOverhead).toEqual({ cpu: 600, pods: 1 });
  });

  it('counts only DaemonSets that tolerate the NodePool taints', () => {
    const np = testNodePool('default', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] });
    const pod = testPod('p', { cpu: '1500m', tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
    const tolerant = daemonSet('tolerant', '100m', { tolerations: [{ operator: 'Exists' }] });
    const result = run([pod], { nodePools: [np], daemonSets: [daemonSet('logs', '600m'), tolerant] });
    expect(result.nodeClaims[0]?.daemonSetOverhead).toEqual({ cpu: 100, pods: 1 });
    expect(result.nodeClaims[0]?.instanceTypeOptions).toContain('small');
  });

  it('counts a DaemonSet only on the types its node affinity selects', () => {
    const armOnly = daemonSet('arm-agent', '1', { nodeSelector: { 'kubernetes.io/arch': 'arm64' } });
    const result = run([testPod('p', { cpu: '1500m' })], { daemonSets: [armOnly] });
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['small', 'large']);
    const onArm = run([testPod('p', { cpu: '1500m', nodeSelector: { 'kubernetes.io/arch': 'arm64' } })], { daemonSets: [armOnly] });
    expect(onArm.unschedulable[0]?.nodePools['default']).toMatch(/after DaemonSets \(cpu=1, pods=1\)/);
  });

  it('counts limits-only and extended resources of DaemonSets', () => {
    const ds = daemonSet('gpu-agent', '0');
    const container = ds.spec.template.spec.containers[0];
    if (container) container.resources = { limits: { cpu: '500m', 'example.com/dongle': '1' } };
    const withDongle = testInstanceType('dongle', 2, 4, { zones: ZONES, extra: { 'example.com/dongle': 2 } });
    const result = run([testPod('p', { cpu: '1', extra: { 'example.com/dongle': '1' } })], { daemonSets: [ds], types: [withDongle] });
    expect(result.nodeClaims[0]?.requests).toEqual({ cpu: 1500, 'example.com/dongle': 2, pods: 2 });
  });
});

describe('extended resources', () => {
  it('fit like cpu and memory', () => {
    const gpu = testInstanceType('gpu', 8, 32, { zones: ZONES, extra: { 'nvidia.com/gpu': 2 } });
    const pods = [0, 1, 2].map((i) => testPod(`train-${i}`, { cpu: '1', extra: { 'nvidia.com/gpu': '1' } }));
    const result = run(pods, { types: [small, gpu] });
    expect(result.nodeClaims.map((c) => [c.launch.instanceType, c.pods.length])).toEqual([
      ['gpu', 2],
      ['gpu', 1],
    ]);
  });
});

describe('host ports', () => {
  it('two pods with the same host port need two nodes', () => {
    const pods = [0, 1].map((i) => testPod(`p${i}`, { cpu: '100m', containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] }));
    expect(run(pods).nodeClaims).toHaveLength(2);
  });

  it('different protocols share a port', () => {
    const pods = (['TCP', 'UDP'] as const).map((protocol, i) => testPod(`p${i}`, { cpu: '100m', containers: [{ name: 'c', ports: [{ containerPort: 53, hostPort: 53, protocol }] }] }));
    expect(run(pods).nodeClaims).toHaveLength(1);
  });

  it('collides with an existing pod and with a DaemonSet', () => {
    const hostPod = (name: string): Pod => testPod(name, { cpu: '100m', containers: [{ name: 'c', ports: [{ containerPort: 9100, hostPort: 9100 }] }] });
    const node = testExistingNode('n1', { pods: [hostPod('exporter')] });
    expect(run([hostPod('p')], { existingNodes: [node] }).existingNodes).toEqual([]);
    const ds = daemonSet('exporter', '10m', { containers: [{ name: 'd', ports: [{ containerPort: 9100, hostPort: 9100 }] }] });
    const result = run([hostPod('p')], { daemonSets: [ds] });
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/host port TCP\/9100 \(taken by a DaemonSet\)/);
  });
});

describe('volume topology', () => {
  const storage: Partial<SchedulingSnapshot> = {
    persistentVolumeClaims: [
      { metadata: { name: 'data', namespace: 'default' }, spec: { volumeName: 'pv-b' } },
      { metadata: { name: 'scratch', namespace: 'default' }, spec: { storageClassName: 'zonal-a' } },
    ],
    persistentVolumes: [
      { metadata: { name: 'pv-b' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-b'] }] }] } } } },
    ],
    storageClasses: [
      { metadata: { name: 'zonal-a' }, provisioner: 'ebs', volumeBindingMode: 'WaitForFirstConsumer', allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['z-a'] }] }] },
    ],
  };
  const withClaims = (...claims: string[]): Pod => ({ ...testPod('p', { cpu: '1' }), spec: { ...testPod('p', { cpu: '1' }).spec, volumes: claims.map((claimName, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName } })) } });

  it.each([
    ['bound volume pins the zone', ['data'], 'z-b'],
    ['WaitForFirstConsumer class limits the zone', ['scratch'], 'z-a'],
  ])('%s', (_name, claims, zone) => {
    expect(run([withClaims(...claims)], storage).nodeClaims[0]?.launch.zone).toBe(zone);
  });

  it('conflicting volumes leave the pod pending with a reason', () => {
    const result = run([withClaims('data', 'scratch')], storage);
    expect(result.nodeClaims).toEqual([]);
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/topology\.kubernetes\.io\/zone/);
  });

  it('a volume in a zone the NodePool does not offer is named as the cause', () => {
    const np = testNodePool('default', { requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z-a'] }] });
    const result = run([withClaims('data')], { ...storage, nodePools: [np] });
    expect(result.unschedulable[0]?.nodePools['default']).toBe('volume: its volumes need topology.kubernetes.io/zone In [z-b]; the NodePool allows topology.kubernetes.io/zone In [z-a]');
  });

  describe('a bound PV with several nodeSelectorTerms (ORed)', () => {
    const zone = (z: string) => ({ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: [z] }] });
    const multi = (terms: string[]): Partial<SchedulingSnapshot> => ({
      ...storage,
      persistentVolumeClaims: [...(storage.persistentVolumeClaims ?? []), { metadata: { name: 'multi', namespace: 'default' }, spec: { volumeName: 'pv-multi' } }],
      persistentVolumes: [...(storage.persistentVolumes ?? []), { metadata: { name: 'pv-multi' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: terms.map(zone) } } } }],
    });
    const inZoneB = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [zone('z-b')] } } };
    const podWith = (claims: string[], extra: Partial<Pod['spec']> = {}): Pod => {
      const p = withClaims(...claims);
      return { ...p, spec: { ...p.spec, ...extra } };
    };

    it.each<[string, string[], Pod, Partial<SchedulingSnapshot>, string]>([
      ['a later term is used when the first names no offered zone', ['z-nowhere', 'z-b'], podWith(['multi']), {}, 'new:z-b'],
      ['the term compatible with another volume is used', ['z-b', 'z-a'], podWith(['multi', 'scratch']), {}, 'new:z-a'],
      ["the term compatible with the pod's own node affinity is used", ['z-a', 'z-b'], podWith(['multi'], { affinity: inZoneB }), {}, 'new:z-b'],
      ['an existing node matching a later term is used before a new NodeClaim', ['z-a', 'z-b'], podWith(['multi']), { existingNodes: [testExistingNode('node-b', { labels: { 'topology.kubernetes.io/zone': 'z-b' } })] }, 'existing:node-b'],
    ])('%s', (_name, terms, pod, extra, expected) => {
      const result = run([pod], { ...multi(terms), ...extra });
      expect(result.unschedulable.map((u) => u.reason)).toEqual([]);
      const placed = result.existingNodes[0] ? `existing:${result.existingNodes[0].name}` : `new:${result.nodeClaims[0]?.launch.zone ?? ''}`;
      expect(placed).toBe(expected);
    });

    it('names every term when none is offered', () => {
      const result = run([podWith(['multi'])], multi(['z-c', 'z-d']));
      expect(result.unschedulable[0]?.nodePools['default']).toBe('volume: its volumes need topology.kubernetes.io/zone In [z-c] or topology.kubernetes.io/zone In [z-d]; the NodePool allows topology.kubernetes.io/zone In [z-a, z-b]');
    });
  });

  it('a missing claim is reported', () => {
    const result = run([withClaims('nope')], storage);
    expect(result.unschedulable[0]?.nodePools['default']).toBe('volume: persistentvolumeclaim "nope" not found');
  });
});

describe('matchFields (metadata.name) in required node affinity', () => {
  type Field = { key: string; operator: 'In' | 'NotIn'; values: string[] };
  const byName = (...terms: { fields?: Field[]; zone?: string }[]): Pod['spec']['affinity'] => ({
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: terms.map((t) => ({
          ...(t.fields ? { matchFields: t.fields } : {}),
          ...(t.zone ? { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: [t.zone] }] } : {}),
        })),
      },
    },
  });
  const name = (operator: 'In' | 'NotIn', node: string, key = 'metadata.name'): Field => ({ key, operator, values: [node] });
  const nodes = (cpuA = 4) => [testExistingNode('node-a', { cpu: cpuA }), testExistingNode('node-b')];

  it.each<[string, Pod['spec']['affinity'], ReturnType<typeof nodes>, string]>([
    ['In picks the named existing node', byName({ fields: [name('In', 'node-b')] }), nodes(), 'existing:node-b'],
    ['NotIn skips the named existing node', byName({ fields: [name('NotIn', 'node-a')] }), nodes(), 'existing:node-b'],
    ['NotIn allows a new NodeClaim (its generated name is not listed)', byName({ fields: [name('NotIn', 'node-a')] }), [testExistingNode('node-a')], 'new:z-a'],
    ['In a full node: the next term (by labels) is used for a new NodeClaim', byName({ fields: [name('In', 'node-a')] }, { zone: 'z-b' }), nodes(0), 'new:z-b'],
    ['fields and expressions of one term are ANDed', byName({ fields: [name('In', 'node-b')], zone: 'z-b' }), [testExistingNode('node-a', { labels: { 'topology.kubernetes.io/zone': 'z-b' } }), testExistingNode('node-b', { labels: { 'topology.kubernetes.io/zone': 'z-b' } })], 'existing:node-b'],
  ])('%s', (_name, affinity, existingNodes, expected) => {
    const result = run([testPod('p', { cpu: '1', affinity })], { existingNodes });
    expect(result.unschedulable.map((u) => u.reason)).toEqual([]);
    const placed = result.existingNodes[0] ? `existing:${result.existingNodes[0].name}` : `new:${result.nodeClaims[0]?.launch.zone ?? ''}`;
    expect(placed).toBe(expected);
  });

  it.each<[string, Pod['spec']['affinity'], string]>([
    ['In a node that is full', byName({ fields: [name('In', 'node-a')] }), 'metadata.name In [node-a]'],
    ['In a node that does not exist', byName({ fields: [name('In', 'node-z')] }), 'metadata.name In [node-z]'],
    ['a field other than metadata.name', byName({ fields: [name('In', 'node-b', 'metadata.uid')] }), 'metadata.uid In [node-b]'],
  ])('%s: unschedulable, and the reason says a new NodeClaim cannot match by name', (_name, affinity, fields) => {
    const result = run([testPod('p', { cpu: '1', affinity })], { existingNodes: nodes(0) });
    expect(result.nodeClaims).toEqual([]);
    expect(result.existingNodes).toEqual([]);
    expect(result.unschedulable[0]?.reason).toBe(
      `none of 2 existing nodes can take it, and its required node affinity selects nodes by name (matchFields ${fields}): a new NodeClaim's name is not known before launch, so no NodePool can launch a node for it`,
    );
    expect(result.unschedulable[0]?.nodePools['default']).toBe(
      `its required node affinity selects nodes by name (matchFields ${fields}); a new NodeClaim's name is not known before launch, so only existing nodes can match`,
    );
  });
});

describe('preferences', () => {
  const preferArm = { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In' as const, values: ['arm64'] }] } }] } };

  it('treats a preferred node affinity as required while it can be met', () => {
    expect(run([testPod('p', { cpu: '1', affinity: preferArm })]).nodeClaims[0]?.instanceTypeOptions).toEqual(['arm-small']);
  });

  it('relaxes it when it cannot', () => {
    const result = run([testPod('p', { cpu: '4', affinity: preferArm })]);
    expect(result.unschedulable).toEqual([]);
    expect(result.nodeClaims[0]?.instanceTypeOptions).toEqual(['large']);
  });

  it('ignores it under preferencePolicy Ignore', () => {
    expect(run([testPod('p', { cpu: '1', affinity: preferArm })], {}, { preferencePolicy: 'Ignore' }).nodeClaims[0]?.instanceTypeOptions).toEqual(['arm-small', 'small', 'large']);
  });

  it('tries required node-affinity terms in order', () => {
    const affinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: ['z-nowhere'] }] },
            { matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: ['z-b'] }] },
          ],
        },
      },
    };
    expect(run([testPod('p', { cpu: '1', affinity })]).nodeClaims[0]?.launch.zone).toBe('z-b');
  });

  it('tolerates PreferNoSchedule only as the last resort', () => {
    const soft = testNodePool('soft', { weight: 10, taints: [{ key: 'spot-only', effect: 'PreferNoSchedule' }] });
    const result = run([testPod('p', { cpu: '1' })], { nodePools: [soft, testNodePool('plain')] });
    expect(result.nodeClaims[0]?.nodePoolName).toBe('plain');
    const alone = run([testPod('p', { cpu: '1' })], { nodePools: [soft] });
    expect(alone.nodeClaims[0]?.nodePoolName).toBe('soft');
  });

  it('drops the heaviest preferred pod anti-affinity first', () => {
    const term = { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } };
    const pods = [0, 1].map((i) => testPod(`w${i}`, { cpu: '1', labels: { app: 'web' }, affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term }] } } }));
    // Respect: two nodes; a NodePool limit of one node forces relaxation onto one node.
    expect(run(pods).nodeClaims).toHaveLength(2);
    const limited = run(pods, { nodePools: [testNodePool('default', { limits: { nodes: 1 } })] });
    expect(limited.nodeClaims).toHaveLength(1);
    expect(limited.unschedulable).toEqual([]);
  });
});

describe('minValues', () => {
  it('keeps at least minValues instance types on every NodeClaim', () => {
    const np = testNodePool('default', { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'Exists', minValues: 2 }] });
    expect(run([testPod('p', { cpu: '1' })], { nodePools: [np] }).nodeClaims[0]?.instanceTypeOptions).toHaveLength(3);
    const result = run([testPod('p', { cpu: '4' })], { nodePools: [np] });
    expect(result.unschedulable[0]?.nodePools['default']).toMatch(/at least 2 distinct values.*only 1 remain/);
  });
});

describe('gpu-mixed scenario (libs/provisioner-domain/src/scenario/testdata/gpu-mixed.yaml)', () => {
  it('gives the outcomes its comment states', () => {
    const c2x = testInstanceType('c-2x', 2, 4, { pods: 20, price: 0.085 });
    const gpuNv = testInstanceType('gpu-nv', 8, 61, { pods: 58, price: 0.9, extra: { 'nvidia.com/gpu': 1 } });
    const inf2 = testInstanceType('inf-2', 4, 16, { pods: 38, price: 0.76, extra: { 'aws.amazon.com/neuron': 1 } });
    const accelerated = testNodePool('accelerated', {
      weight: 50,
      requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['gpu-nv', 'inf-2'] }],
      taints: [{ key: 'accelerated', value: 'true', effect: 'NoSchedule' }],
    });
    const general = testNodePool('general', { requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-2x'] }] });
    const tolerate = [{ key: 'accelerated', operator: 'Exists' as const }];
    const pods: Pod[] = [
      { ...testPod('train-nvidia', { namespace: 'ml', tolerations: tolerate }), spec: { tolerations: tolerate, containers: [{ name: 't', resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { 'nvidia.com/gpu': '1' } } }] } },
      { ...testPod('infer-neuron', { namespace: 'ml' }), spec: { tolerations: tolerate, containers: [{ name: 'i', resources: { requests: { cpu: '2', memory: '4Gi' }, limits: { 'aws.amazon.com/neuron': '1' } } }] } },
      { ...testPod('train-amd', { namespace: 'ml' }), spec: { tolerations: tolerate, containers: [{ name: 't', resources: { limits: { 'amd.com/gpu': '1' } } }] } },
      ...[0, 1, 2].map((i) => testPod(`web-${i}`, { namespace: 'shop', labels: { app: 'web' }, cpu: '500m', memory: '512Mi' })),
    ];
    const all = [c2x, gpuNv, inf2];
    const result = schedule({ pods, existingNodes: [], nodePools: [accelerated, general], instanceTypes: { accelerated: all, general: all } });
    const where = Object.fromEntries(result.nodeClaims.flatMap((c) => c.pods.map((p) => [p.metadata.name, `${c.nodePoolName}/${c.launch.instanceType}`])));
    expect(where).toEqual({
      'train-nvidia': 'accelerated/gpu-nv',
      'infer-neuron': 'accelerated/inf-2',
      'web-0': 'general/c-2x',
      'web-1': 'general/c-2x',
      'web-2': 'general/c-2x',
    });
    expect(result.nodeClaims).toHaveLength(3);
    expect(result.unschedulable.map((u) => u.pod.metadata.name)).toEqual(['train-amd']);
    expect(result.unschedulable[0]?.reason).toContain('amd.com/gpu');
  });
});
