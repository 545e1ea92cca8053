import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { isProvisionable, provisioningSkipReason } from './provisionable.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { SchedulingSnapshot } from './types.js';

const types = [testInstanceType('small', 2, 4, { zones: ['zone-a', 'zone-b'] }), testInstanceType('medium', 4, 8, { zones: ['zone-a', 'zone-b'] }), testInstanceType('large', 8, 16, { zones: ['zone-a', 'zone-b'] })];

function snapshot(partial: Partial<SchedulingSnapshot>): SchedulingSnapshot {
  const nodePools = partial.nodePools ?? [testNodePool('default')];
  return { pods: [], existingNodes: [], instanceTypes: Object.fromEntries(nodePools.map((np) => [np.metadata.name ?? '', types])), ...partial, nodePools };
}

const names = (pods: readonly Pod[]): string[] => pods.map((p) => p.metadata.name ?? '').sort();
const unschedulableCondition = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] } as Pod['status'];
const with_ = (pod: Pod, patch: { metadata?: Partial<Pod['metadata']>; spec?: Partial<Pod['spec']>; status?: Pod['status'] }): Pod => ({
  ...pod,
  metadata: { ...pod.metadata, ...(patch.metadata ?? {}) },
  spec: { ...pod.spec, ...(patch.spec ?? {}) },
  ...(patch.status ? { status: patch.status } : {}),
});

// Karpenter: pod.IsProvisionable (kubernetes-sigs/karpenter pkg/utils/pod/scheduling.go), used by
// node.GetProvisionablePods in Provisioner.GetPendingPods.
describe('pods Karpenter does not provision for are skipped with a stated reason, never given capacity', () => {
  const base = testPod('p', { cpu: '1' });
  const cases: [string, Pod, string, RegExp][] = [
    ['preempting (status.nominatedNodeName)', with_(base, { status: { nominatedNodeName: 'node-9' } as Pod['status'] }), 'Preempting', /node-9/],
    ['bound to a node', with_(base, { spec: { nodeName: 'node-1' } }), 'Bound', /node-1/],
    ['terminal (Succeeded)', with_(base, { status: { phase: 'Succeeded' } as Pod['status'] }), 'Terminal', /Succeeded/],
    ['terminal (Failed)', with_(base, { status: { phase: 'Failed' } as Pod['status'] }), 'Terminal', /Failed/],
    ['terminating', with_(base, { metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }), 'Terminating', /deletionTimestamp/],
    ['a DaemonSet pod', with_(base, { metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] } }), 'DaemonSet', /agent/],
    ['a static pod mirror (annotation)', with_(base, { metadata: { annotations: { 'kubernetes.io/config.mirror': 'x' } } }), 'MirrorPod', /static pod/],
    ['a static pod mirror (owned by its Node)', with_(base, { metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'n', uid: 'u' }] } }), 'MirrorPod', /static pod/],
  ];
  it.each(cases)('skips a pod that is %s', (_, pod, code, reason) => {
    expect(provisioningSkipReason(pod)).toEqual({ code, reason: expect.stringMatching(reason) });
    expect(isProvisionable(with_(pod, { status: { ...(pod.status ?? {}), ...unschedulableCondition } as Pod['status'] }))).toBe(false);
    const result = schedule(snapshot({ pods: [pod, testPod('plain', { cpu: '1' })] }));
    expect(result.skipped).toEqual([{ pod, code, reason: expect.stringMatching(reason) }]);
    expect(names(result.nodeClaims.flatMap((c) => c.pods))).toEqual(['plain']);
    expect(result.unschedulable).toEqual([]);
  });

  it('provisions for an unbound pod kube-scheduler marked Unschedulable, and only then in the controller', () => {
    expect(isProvisionable(with_(base, { status: unschedulableCondition }))).toBe(true);
    expect(isProvisionable(base)).toBe(false);
    expect(provisioningSkipReason(base)).toBeUndefined();
  });

  it('ignores spec.schedulerName, as Karpenter does (it trusts the PodScheduled condition)', () => {
    const custom = with_(base, { spec: { schedulerName: 'volcano' }, status: unschedulableCondition });
    expect(isProvisionable(custom)).toBe(true);
    expect(schedule(snapshot({ pods: [custom] })).nodeClaims.flatMap((c) => c.pods)).toEqual([custom]);
  });
});

// Karpenter: Provisioner.Schedule (kubernetes-sigs/karpenter pkg/controllers/provisioning/provisioner.go) appends
// nodes.Deleting().ReschedulablePods (StateNode.MarkedForDeletion; pod.IsReschedulable) to the pending pods and
// schedules them in one batch against nodes.Active().
describe('pods on nodes that are going away count as needing capacity', () => {
  const onNode = (node: string, n: number, cpu = '1'): Pod[] => Array.from({ length: n }, (_, i) => with_(testPod(`${node}-p${i}`, { cpu }), { spec: { nodeName: node } }));

  it('packs the reschedulable pods of two deleting nodes with the pending pods, as one batch sized for all of them', () => {
    const a = testExistingNode('node-a', { cpu: 8, markedForDeletion: true, pods: onNode('node-a', 5) });
    const b = testExistingNode('node-b', { cpu: 8, markedForDeletion: true, pods: onNode('node-b', 4) });
    const pending = [testPod('evicted', { cpu: '1' })];
    const result = schedule(snapshot({ pods: pending, existingNodes: [a, b] }));
    const allAtOnce = schedule(snapshot({ pods: [...pending, ...onNode('x', 9).map((p, i) => with_(p, { metadata: { name: `x-${i}`, uid: `x-${i}` }, spec: { nodeName: undefined } }))] }));
    expect(result.nodeClaims.flatMap((c) => c.pods)).toHaveLength(10);
    expect(result.nodeClaims.map((c) => c.launch.instanceType)).toEqual(allAtOnce.nodeClaims.map((c) => c.launch.instanceType));
    expect(result.displaced.map((d) => d.reason)).toEqual([...Array(5).fill('node node-a is being deleted'), ...Array(4).fill('node node-b is being deleted')]);
    expect(result.existingNodes).toEqual([]);
  });

  it('a node being deleted offers no room, even to its own pods', () => {
    const doomed = testExistingNode('doomed', { cpu: 16, markedForDeletion: true, pods: onNode('doomed', 2) });
    const result = schedule(snapshot({ pods: [testPod('new', { cpu: '1' })], existingNodes: [doomed] }));
    expect(result.existingNodes).toEqual([]);
    expect(names(result.nodeClaims.flatMap((c) => c.pods))).toEqual(['doomed-p0', 'doomed-p1', 'new']);
  });

  it('leaves DaemonSet, mirror, terminal and do-not-disrupt pods of a deleting node where they are', () => {
    const [keep] = onNode('doomed', 1);
    const pods = [
      with_(testPod('ds', { cpu: '100m' }), { spec: { nodeName: 'doomed' }, metadata: { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] } }),
      with_(testPod('mirror', { cpu: '100m' }), { spec: { nodeName: 'doomed' }, metadata: { annotations: { 'kubernetes.io/config.mirror': 'x' } } }),
      with_(testPod('done', { cpu: '100m' }), { spec: { nodeName: 'doomed' }, status: { phase: 'Succeeded' } as Pod['status'] }),
      with_(testPod('pinned', { cpu: '100m' }), { spec: { nodeName: 'doomed' }, metadata: { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } } }),
      with_(testPod('going', { cpu: '100m' }), { spec: { nodeName: 'doomed' }, metadata: { deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      keep as Pod,
    ];
    const result = schedule(snapshot({ existingNodes: [testExistingNode('doomed', { markedForDeletion: true, pods })] }));
    expect(result.displaced.map((d) => d.pod.metadata.name)).toEqual(['doomed-p0']);
    expect(names(result.nodeClaims.flatMap((c) => c.pods))).toEqual(['doomed-p0']);
  });

  it('moves a terminating StatefulSet pod of a deleting node (its replacement cannot start before it is gone)', () => {
    const sts = with_(testPod('db-0', { cpu: '1' }), {
      spec: { nodeName: 'doomed' },
      metadata: { deletionTimestamp: '2026-01-01T00:00:00Z', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] },
    });
    const result = schedule(snapshot({ existingNodes: [testExistingNode('doomed', { markedForDeletion: true, pods: [sts] })] }));
    expect(result.displaced.map((d) => d.pod.metadata.name)).toEqual(['db-0']);
  });

  it('places a pod once when it is both handed in as pending and still on a deleting node', () => {
    const [pod] = onNode('doomed', 1) as [Pod];
    const result = schedule(snapshot({ pods: [with_(pod, { spec: { nodeName: undefined } })], existingNodes: [testExistingNode('doomed', { markedForDeletion: true, pods: [pod] })] }));
    expect(result.nodeClaims.flatMap((c) => c.pods)).toHaveLength(1);
    expect(result.displaced).toEqual([]);
  });

  it('counts a displaced pod where it lands, not on the deleting node (zonal anti-affinity to itself)', () => {
    const anti = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'topology.kubernetes.io/zone' }] } };
    const solo = with_(testPod('solo', { cpu: '1', labels: { app: 'solo' }, affinity: anti }), { spec: { nodeName: 'doomed' } });
    const zoneA = testNodePool('zone-a', { requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-a'] }] });
    const doomed = testExistingNode('doomed', { markedForDeletion: true, labels: { 'topology.kubernetes.io/zone': 'zone-a' }, pods: [solo] });
    const result = schedule(snapshot({ nodePools: [zoneA], existingNodes: [doomed] }));
    expect(result.unschedulable).toEqual([]);
    expect(result.nodeClaims.map((c) => c.launch.zone)).toEqual(['zone-a']);
  });

  it('does not move the pods of a cordoned node that is not being deleted', () => {
    const cordoned = testExistingNode('cordoned', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }], pods: onNode('cordoned', 2) });
    const result = schedule(snapshot({ existingNodes: [cordoned] }));
    expect(result.nodeClaims).toEqual([]);
    expect(result.displaced).toEqual([]);
  });
});
