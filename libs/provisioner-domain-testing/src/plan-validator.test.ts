import { describe, expect, it } from 'vitest';
import type { InstanceType, NodeClaimPlan, NodePool, Pod, SchedulingResult, SchedulingSnapshot } from './plan-validator/domain.js';
import { validatePlan, type PlanViolationCode } from './plan-validator.js';

const GI = 2 ** 30;
const MI = 2 ** 20;

function type(name: string, cpu: number, arch: string, offerings: [string, 'on-demand' | 'spot', number][]): InstanceType {
  return {
    name,
    labels: { 'node.kubernetes.io/instance-type': name, 'kubernetes.io/arch': arch },
    capacity: { cpu: cpu * 1000, memory: cpu * 2 * GI, pods: 10 },
    overhead: { kubeReserved: { cpu: 100 }, systemReserved: {}, evictionThreshold: { memory: 100 * MI } },
    offerings: offerings.map(([zone, capacityType, pricePerHour]) => ({ zone, capacityType, pricePerHour, available: true })),
  };
}

function pool(name: string, spec: Partial<NodePool['spec']['template']['spec']> = {}, extra: Partial<NodePool['spec']> = {}): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [], ...spec } }, ...extra },
  };
}

function pod(name: string, cpu: string, spec: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): Pod {
  return { metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', resources: { requests: { cpu } } }], ...spec } };
}

const antiWeb = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'web' } } }] } };
const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' as const, labelSelector: { matchLabels: { app: 's' } } }] };
const port = (hostPort: number) => [{ name: 'c', resources: { requests: { cpu: '100m' } }, ports: [{ containerPort: 80, hostPort }] }];

/** A valid plan and its snapshot; each test changes one thing. */
function fixture() {
  const small = type('small', 2, 'amd64', [
    ['zone-a', 'on-demand', 0.1],
    ['zone-b', 'on-demand', 0.1],
    ['zone-a', 'spot', 0.05],
  ]);
  const big = type('big', 8, 'amd64', [
    ['zone-a', 'on-demand', 0.4],
    ['zone-b', 'on-demand', 0.4],
  ]);
  const arm = type('arm', 2, 'arm64', [['zone-a', 'on-demand', 0.08]]);
  const tiny = type('tiny', 1, 'amd64', [['zone-a', 'on-demand', 0.02]]);
  const pods = {
    web1: pod('web-1', '500m', { affinity: antiWeb }, { app: 'web' }),
    web2: pod('web-2', '500m', { affinity: antiWeb }, { app: 'web' }),
    zonal: pod('zonal', '250m', { nodeSelector: { 'topology.kubernetes.io/zone': 'zone-b', team: 'a' } }),
    tol: pod('tol', '1', { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }),
    s1: pod('spread-1', '100m', spread, { app: 's' }),
    s2: pod('spread-2', '100m', spread, { app: 's' }),
    s3: pod('spread-3', '100m', spread, { app: 's' }),
    port: pod('port', '100m', { containers: port(8080) }),
    follower: pod('follower', '100m', {
      affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'db' } } }] } },
    }),
  };
  const existing = pod('e1', '1', { containers: port(8080) }, { app: 'db' });
  const snapshot: SchedulingSnapshot = {
    pods: Object.values(pods),
    existingNodes: [
      {
        name: 'n1',
        labels: { 'kubernetes.io/hostname': 'n1', 'topology.kubernetes.io/zone': 'zone-c', 'kubernetes.io/arch': 'amd64', 'karpenter.sh/nodepool': 'default' },
        taints: [],
        allocatable: { cpu: 4000, memory: 8 * GI, pods: 10 },
        pods: [existing],
        initialized: true,
        nodePoolName: 'default',
      },
    ],
    nodePools: [
      pool(
        'default',
        {
          requirements: [
            { key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] },
            { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand', 'spot'] },
          ],
          startupTaints: [{ key: 'init', effect: 'NoSchedule' }],
        },
        { limits: { cpu: '100', nodes: '3' } },
      ),
      pool('tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ],
    instanceTypes: { default: [small, big, arm, tiny], tainted: [small, big] },
    daemonSets: [{ metadata: { name: 'ds', namespace: 'kube-system' }, spec: { template: { spec: { containers: port(9100) } } } }],
  };
  snapshot.nodePools[0]!.spec.template.metadata = { labels: { team: 'a' } };
  const plan = (nodePoolName: string, it: string, zone: string, price: number, planPods: Pod[], options = [it], requirements: NodeClaimPlan['requirements'] = []): NodeClaimPlan => ({
    nodePoolName,
    requirements,
    instanceTypeOptions: options,
    launch: { instanceType: it, capacityType: 'on-demand', zone, pricePerHour: price },
    pods: planPods,
    requests: { cpu: 5000, memory: 0, pods: 10 },
  });
  const result: SchedulingResult = {
    nodeClaims: [
      plan('default', 'small', 'zone-a', 0.1, [pods.web1, pods.s1, pods.port], ['small', 'big']),
      plan('default', 'small', 'zone-b', 0.1, [pods.web2, pods.zonal, pods.s2], ['small', 'big'], [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }]),
      plan('tainted', 'big', 'zone-a', 0.4, [pods.tol]),
    ],
    existingNodes: [{ name: 'n1', pods: [pods.s3, pods.follower] }],
    unschedulable: [],
    skipped: [],
    displaced: [],
    limitRangeDefaults: [],
  };
  return { snapshot, result, pods, types: { small, big, arm, tiny } };
}

type Fixture = ReturnType<typeof fixture>;

function nc(f: Fixture, i: number): NodeClaimPlan {
  const plan = f.result.nodeClaims[i];
  if (!plan) throw new Error(`no nodeClaims[${i}]`);
  return plan;
}

function move(f: Fixture, p: Pod, to: number): void {
  for (const plan of f.result.nodeClaims) plan.pods = plan.pods.filter((x) => x !== p);
  for (const n of f.result.existingNodes) n.pods = n.pods.filter((x) => x !== p);
  nc(f, to).pods.push(p);
}

describe('validatePlan', () => {
  it('finds nothing wrong with a valid plan (startup taints need no toleration, template labels count)', () => {
    const f = fixture();
    expect(validatePlan(f.snapshot, f.result)).toEqual([]);
  });

  const cases: { name: string; change: (f: Fixture) => void; code: PlanViolationCode }[] = [
    { name: 'a pod left out', change: (f) => nc(f, 2).pods.pop(), code: 'pod-missing' },
    { name: 'a pod placed twice', change: (f) => nc(f, 2).pods.push(f.pods.web1), code: 'pod-duplicated' },
    { name: 'a pod not in the snapshot', change: (f) => nc(f, 2).pods.push(pod('ghost', '1m')), code: 'pod-unknown' },
    {
      name: 'an unschedulable pod without a reason',
      change: (f) => {
        nc(f, 2).pods = [];
        f.result.unschedulable.push({ pod: f.pods.tol, reason: ' ', nodePools: {} });
      },
      code: 'missing-reason',
    },
    { name: 'a NodeClaim without pods', change: (f) => f.result.nodeClaims.push({ ...nc(f, 2), pods: [] }), code: 'empty-nodeclaim' },
    { name: 'pods on an unknown node', change: (f) => f.result.existingNodes.push({ name: 'n9', pods: [] }), code: 'unknown-node' },
    { name: 'pods on a node being deleted', change: (f) => ((f.snapshot.existingNodes[0] as { markedForDeletion?: boolean }).markedForDeletion = true), code: 'node-marked-for-deletion' },
    { name: 'an unknown NodePool', change: (f) => (nc(f, 2).nodePoolName = 'nope'), code: 'unknown-nodepool' },
    { name: 'an instance type the pool does not offer', change: (f) => Object.assign(nc(f, 2).launch, { instanceType: 'arm' }), code: 'unknown-instance-type' },
    { name: 'a launch outside the options', change: (f) => (nc(f, 0).instanceTypeOptions = ['big']), code: 'launch-not-an-option' },
    { name: 'an option the pool does not offer', change: (f) => nc(f, 2).instanceTypeOptions.push('tiny'), code: 'launch-not-an-option' },
    { name: 'a zone without an offering', change: (f) => (nc(f, 0).launch.zone = 'zone-c'), code: 'offering' },
    { name: 'a wrong price', change: (f) => (nc(f, 0).launch.pricePerHour = 0.01), code: 'offering' },
    { name: 'an unavailable offering', change: (f) => f.types.small.offerings.forEach((o) => Object.assign(o, { available: false })), code: 'offering' },
    {
      name: 'a launch breaking the NodePool requirements',
      change: (f) => Object.assign(nc(f, 0), { instanceTypeOptions: ['arm'], launch: { instanceType: 'arm', capacityType: 'on-demand', zone: 'zone-a', pricePerHour: 0.08 } }),
      code: 'nodepool-requirements',
    },
    { name: 'a launch breaking its own requirements', change: (f) => nc(f, 0).requirements.push({ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }), code: 'nodeclaim-requirements' },
    {
      name: 'an option too small for the pods',
      change: (f) => {
        Object.assign(f.pods.web1.spec.containers[0]!.resources!, { requests: { cpu: '800m' } });
        nc(f, 0).instanceTypeOptions.push('tiny');
      },
      code: 'option-unfit',
    },
    { name: 'an option with no offering the pods accept', change: (f) => nc(f, 1).instanceTypeOptions.push('tiny'), code: 'option-unfit' },
    { name: 'requests below the pods', change: (f) => (nc(f, 0).requests = { cpu: 100 }), code: 'requests-understated' },
    { name: 'a nodeSelector that does not hold', change: (f) => move(f, f.pods.zonal, 0), code: 'node-selection' },
    {
      name: 'a label the node gets only maybe',
      change: (f) => {
        f.pods.zonal.spec.nodeSelector = { tier: 'x' };
        nc(f, 1).requirements = [{ key: 'tier', operator: 'In', values: ['x', 'y'] }];
      },
      code: 'node-selection',
    },
    {
      name: 'required node affinity that does not hold',
      change: (f) => {
        f.pods.web1.spec.affinity = { ...antiWeb, nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }] }] } } };
      },
      code: 'node-selection',
    },
    { name: 'an untolerated taint', change: (f) => move(f, f.pods.s1, 2), code: 'taint' },
    { name: 'too much cpu', change: (f) => Object.assign(f.pods.web1.spec.containers[0]!.resources!, { requests: { cpu: '1850m' } }), code: 'resources' },
    { name: 'an extended resource the type lacks', change: (f) => Object.assign(f.pods.web1.spec.containers[0]!.resources!, { limits: { 'nvidia.com/gpu': '1' } }), code: 'resources' },
    {
      name: 'a host port taken on an existing node',
      change: (f) => {
        nc(f, 0).pods = nc(f, 0).pods.filter((p) => p !== f.pods.port);
        f.result.existingNodes[0]!.pods.push(f.pods.port);
      },
      code: 'host-port',
    },
    { name: 'a host port taken by a DaemonSet', change: (f) => (f.pods.port.spec.containers = port(9100)), code: 'host-port' },
    { name: 'required anti-affinity broken', change: (f) => move(f, f.pods.web2, 0), code: 'pod-anti-affinity' },
    {
      name: "an existing pod's anti-affinity broken",
      change: (f) => {
        f.snapshot.existingNodes[0]!.pods[0]!.spec.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 's' } } }] } };
      },
      code: 'pod-anti-affinity',
    },
    { name: 'required affinity broken', change: (f) => move(f, f.pods.follower, 0), code: 'pod-affinity' },
    { name: 'topology spread skew above maxSkew', change: (f) => move(f, f.pods.s2, 0), code: 'topology-spread' },
    { name: 'a nodes limit exceeded', change: (f) => (f.snapshot.nodePools[0]!.spec.limits = { nodes: '2' }), code: 'limit' },
    { name: 'a cpu limit exceeded', change: (f) => (f.snapshot.nodePools[0]!.spec.limits = { cpu: '7' }), code: 'limit' },
    { name: 'a limit exceeded if the largest options launch', change: (f) => (f.snapshot.nodePools[0]!.spec.limits = { cpu: '10' }), code: 'limit-worst-case' },
  ];

  it.each(cases)('reports $name as $code', ({ change, code }) => {
    const f = fixture();
    change(f);
    const found = validatePlan(f.snapshot, f.result);
    expect(found.map((v) => v.code)).toContain(code);
    for (const v of found) expect(v.message.length).toBeGreaterThan(10);
  });

  it('names the pod and node of a placement violation', () => {
    const f = fixture();
    move(f, f.pods.zonal, 0);
    expect(validatePlan(f.snapshot, f.result)).toContainEqual(expect.objectContaining({ code: 'node-selection', pod: 'default/zonal', node: 'nodeClaims[0]' }));
  });

  it('is lenient about a node being deleted: its pods are leaving and its zone does not lower the spread minimum', () => {
    const f = fixture();
    (f.snapshot.existingNodes[0] as { markedForDeletion?: boolean }).markedForDeletion = true;
    f.result.existingNodes = [];
    delete f.pods.follower.spec.affinity;
    nc(f, 1).pods.push(f.pods.s3, f.pods.follower);
    // The deleting node's own pod must move with the round's pods (here: it finds no room).
    const [leaving] = f.snapshot.existingNodes[0]?.pods ?? [];
    f.result.unschedulable.push({ pod: leaving as Pod, reason: 'no room', nodePools: {} });
    expect(validatePlan(f.snapshot, f.result)).toEqual([]);
  });

  it('requires the pods of a node being deleted to be placed, unschedulable or skipped', () => {
    const f = fixture();
    (f.snapshot.existingNodes[0] as { markedForDeletion?: boolean }).markedForDeletion = true;
    f.result.existingNodes = [];
    delete f.pods.follower.spec.affinity;
    nc(f, 1).pods.push(f.pods.s3, f.pods.follower);
    expect(validatePlan(f.snapshot, f.result).map((v) => v.code)).toEqual(['pod-missing']);
  });

  it('rejects a skipped pod that Karpenter provisions for', () => {
    const f = fixture();
    f.result.existingNodes = [{ name: 'n1', pods: [f.pods.s3] }];
    f.result.skipped.push({ pod: f.pods.follower, code: 'Preempting', reason: 'made up' });
    expect(validatePlan(f.snapshot, f.result).map((v) => v.code)).toEqual(['wrongly-skipped']);
  });

  it('accepts the first pod of a self-affine group alone, and spread with pre-existing skew it did not cause', () => {
    const f = fixture();
    f.pods.follower.spec.affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'topology.kubernetes.io/zone', labelSelector: { matchLabels: { app: 'f' } } }] } };
    f.pods.follower.metadata.labels = { app: 'f' };
    move(f, f.pods.follower, 0);
    expect(validatePlan(f.snapshot, f.result)).toEqual([]);
  });
});

describe('validatePlan: volume topology and matchFields', () => {
  const zoneTerm = (...zones: string[]) => ({ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: zones }] });
  /** Gives spread-1 (planned in zone-a on nodeClaims[0]) a volume: a PVC bound to a PV with these terms, or a claim of class `cls`. */
  function withVolume(f: Fixture, volume: { pvTerms?: ReturnType<typeof zoneTerm>[]; cls?: { zones: string[][]; mode?: 'WaitForFirstConsumer' | 'Immediate'; asDefault?: boolean }; claim?: string }): void {
    const claim = volume.claim ?? 'data';
    f.pods.s1.spec.volumes = [{ name: 'v', persistentVolumeClaim: { claimName: claim } }];
    if (volume.pvTerms) {
      f.snapshot.persistentVolumeClaims = [{ metadata: { name: 'data', namespace: 'default' }, spec: { volumeName: 'pv-1' } }];
      f.snapshot.persistentVolumes = [{ metadata: { name: 'pv-1' }, spec: { nodeAffinity: { required: { nodeSelectorTerms: volume.pvTerms } } } }];
    }
    if (volume.cls) {
      f.snapshot.persistentVolumeClaims = [{ metadata: { name: 'data', namespace: 'default' }, spec: volume.cls.asDefault ? {} : { storageClassName: 'sc' } }];
      f.snapshot.storageClasses = [
        {
          metadata: { name: 'sc', ...(volume.cls.asDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
          provisioner: 'ebs',
          volumeBindingMode: volume.cls.mode ?? 'WaitForFirstConsumer',
          allowedTopologies: volume.cls.zones.map((values) => ({ matchLabelExpressions: [{ key: 'failure-domain.beta.kubernetes.io/zone', values }] })),
        },
      ];
    }
  }
  const nameTerm = (operator: 'In' | 'NotIn', name: string) => ({
    nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator, values: [name] }] }] } },
  });

  it.each<{ name: string; change: (f: Fixture) => void; codes: PlanViolationCode[] }>([
    { name: 'a bound PV whose second term holds', change: (f) => withVolume(f, { pvTerms: [zoneTerm('zone-c'), zoneTerm('zone-a')] }), codes: [] },
    { name: 'a bound PV none of whose terms holds', change: (f) => withVolume(f, { pvTerms: [zoneTerm('zone-b'), zoneTerm('zone-c')] }), codes: ['volume-topology'] },
    { name: 'a bound PV with only an empty term', change: (f) => withVolume(f, { pvTerms: [{ matchExpressions: [] }] }), codes: ['volume-topology'] },
    { name: 'a WaitForFirstConsumer class allowing the zone (beta key, second term)', change: (f) => withVolume(f, { cls: { zones: [['zone-b'], ['zone-a']] } }), codes: [] },
    { name: 'a WaitForFirstConsumer class excluding the zone', change: (f) => withVolume(f, { cls: { zones: [['zone-b']] } }), codes: ['volume-topology'] },
    { name: 'a default WaitForFirstConsumer class excluding the zone', change: (f) => withVolume(f, { cls: { zones: [['zone-b']], asDefault: true } }), codes: ['volume-topology'] },
    { name: 'an Immediate class (binds elsewhere first)', change: (f) => withVolume(f, { cls: { zones: [['zone-b']], mode: 'Immediate' } }), codes: [] },
    { name: 'a missing claim', change: (f) => withVolume(f, { claim: 'nope' }), codes: ['volume-topology'] },
    { name: 'matchFields In naming the existing node it runs on', change: (f) => (f.pods.s3.spec.affinity = nameTerm('In', 'n1')), codes: [] },
    { name: 'matchFields In naming another node', change: (f) => (f.pods.s3.spec.affinity = nameTerm('In', 'n2')), codes: ['node-selection'] },
    { name: 'matchFields NotIn naming the existing node it runs on', change: (f) => (f.pods.s3.spec.affinity = nameTerm('NotIn', 'n1')), codes: ['node-selection'] },
    { name: 'matchFields In on a planned node (its name is not known)', change: (f) => (f.pods.port.spec.affinity = nameTerm('In', 'nodeClaims[0]')), codes: ['option-unfit', 'node-selection'] },
    { name: 'matchFields NotIn on a planned node', change: (f) => (f.pods.port.spec.affinity = nameTerm('NotIn', 'n1')), codes: [] },
  ])('$name: $codes', ({ change, codes }) => {
    const f = fixture();
    change(f);
    expect([...new Set(validatePlan(f.snapshot, f.result).map((v) => v.code))]).toEqual(codes);
  });
});
