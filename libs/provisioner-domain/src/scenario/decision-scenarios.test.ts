/**
 * `simulate` scenarios for the scheduling decisions of issue 8 (testdata/*.yaml): each file's header comment
 * states the outcome these tests check, and every plan passes the independent plan validator.
 */
import { describe, expect, it } from 'vitest';
import { validatePlan } from '@karpenter-ts/provisioner-domain-testing';
import { schedule } from '../scheduling/schedule.js';
import { formatSimulation, type SimulationOutput } from './format.js';
import { loadScenario } from './load.js';
import { toSchedulingSnapshot } from './snapshot.js';
import nodeBeingDeleted from './testdata/node-being-deleted.yaml?raw';
import nodePoolOrder from './testdata/nodepool-order.yaml?raw';
import awsNodeTemplate from './testdata/awsnodetemplate.yaml?raw';
import ec2NodeClass from './testdata/ec2nodeclass.yaml?raw';
import limitRange from './testdata/limitrange.yaml?raw';
import skippedPods from './testdata/skipped-pods.yaml?raw';

function simulate(name: string, text: string): SimulationOutput {
  const loaded = loadScenario([{ name, text }]);
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => `${i.file}:${i.line}: ${i.path}: ${i.message}`).join('\n'));
  const snapshot = toSchedulingSnapshot(loaded.scenario);
  const result = schedule(snapshot);
  expect(validatePlan(snapshot, result)).toEqual([]);
  return formatSimulation(result, snapshot);
}

describe('nodepool-order.yaml: NodePools of equal weight are tried in Karpenter order (name descending)', () => {
  const out = simulate('nodepool-order.yaml', nodePoolOrder);
  it('puts web on zeta, not on middle (first in the file) nor alpha (first alphabetically)', () => {
    expect(out.nodeClaims.find((nc) => nc.pods.includes('default/web'))?.nodePool).toBe('zeta');
  });
  it('puts batch on the heavier pool whose taint it tolerates', () => {
    expect(out.nodeClaims.find((nc) => nc.pods.includes('default/batch'))?.nodePool).toBe('heavy');
  });
});

describe('skipped-pods.yaml: pods Karpenter does not provision for are skipped with a stated reason', () => {
  const out = simulate('skipped-pods.yaml', skippedPods);
  it('lists preempting, terminal, terminating, DaemonSet and mirror pods under "skipped" with their code', () => {
    expect(out.skipped.map((s) => [s.pod, s.code])).toEqual([
      ['default/preempting', 'Preempting'],
      ['default/finished', 'Terminal'],
      ['default/leaving', 'Terminating'],
      ['default/agent-abcde', 'DaemonSet'],
      ['kube-system/etcd-static', 'MirrorPod'],
    ]);
    expect(out.skipped.find((s) => s.code === 'Preempting')?.reason).toContain('node-x');
  });
  it('gives them no capacity: one small NodeClaim for the two pods that need one', () => {
    expect(out.nodeClaims.flatMap((nc) => nc.pods).sort()).toEqual(['default/custom', 'default/pending']);
    expect(out.unschedulable).toEqual([]);
  });
  it('packs a pod addressed to another scheduler anyway, with a note naming that scheduler', () => {
    expect(out.notes).toEqual([{ pod: 'default/custom', code: 'OtherScheduler', note: expect.stringContaining('"volcano"') }]);
  });
});

describe('node-being-deleted.yaml: pods on nodes that are going away count as needing capacity', () => {
  const out = simulate('node-being-deleted.yaml', nodeBeingDeleted);
  // The same ten pods, all pending at once, on an empty cluster.
  const pool = nodeBeingDeleted.split('\n---\n')[0] ?? '';
  const pending = Array.from({ length: 10 }, (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p-${i}}\nspec: {containers: [{name: c, image: pause, resources: {requests: {cpu: "1"}}}]}\n`);
  const allAtOnce = simulate('all-at-once.yaml', `${pool}\n${pending.join('')}`);
  it('packs the nine moving pods with the pending one in one round, bought once and sized for all ten', () => {
    expect(out.nodeClaims.flatMap((nc) => nc.pods)).toHaveLength(10);
    expect(out.existingNodes).toEqual([]);
    expect(out.nodeClaims.map((nc) => nc.instanceType)).toEqual(allAtOnce.nodeClaims.map((nc) => nc.instanceType));
    expect(out.totalPricePerHour).toBe(allAtOnce.totalPricePerHour);
  });
  it('notes each moved pod with "node X is being deleted"', () => {
    expect(out.notes.filter((n) => n.code === 'NodeDeleting').map((n) => ['pod' in n ? n.pod : '', n.note.split(':')[0]])).toEqual([
      ...[0, 1, 2, 3, 4].map((i) => [`default/web-${i}`, 'node old-a is being deleted']),
      ...[5, 6, 7, 8].map((i) => [`default/web-${i}`, 'node old-b is being deleted']),
    ]);
  });
  it('leaves the DaemonSet pod and the do-not-disrupt pod where they are', () => {
    const placed = out.nodeClaims.flatMap((nc) => nc.pods);
    expect(placed).not.toContain('default/pinned');
    expect(placed).not.toContain('default/agent-old-a');
  });
});

describe('limitrange.yaml: LimitRange defaults are applied before packing, to pods and DaemonSet templates', () => {
  const out = simulate('limitrange.yaml', limitRange);
  it('packs the api pods at their defaulted requests, plus the DaemonSet\'s defaulted overhead per node', () => {
    expect(out.nodeClaims.map((nc) => [nc.instanceType, nc.pods.length, nc.requests['cpu']])).toEqual([
      ['c-4x-amd64-linux', 3, '3500m'],
      ['c-2x-amd64-linux', 1, '1500m'],
    ]);
    expect(out.totalPricePerHour).toBe(0.162);
  });
  it('notes each defaulted pod and the DaemonSet', () => {
    const notes = out.notes.filter((n) => n.code === 'LimitRangeDefaults');
    expect(notes.filter((n) => 'pod' in n)).toHaveLength(4);
    expect(notes.find((n) => 'daemonSet' in n)).toEqual({ daemonSet: 'monitoring/agent', code: 'LimitRangeDefaults', note: expect.stringContaining('cpu=500m') });
  });
});

describe('ec2nodeclass.yaml: the EC2NodeClass shapes what a node offers', () => {
  const out = simulate('ec2nodeclass.yaml', ec2NodeClass);
  const poolOf = (pod: string) => out.nodeClaims.find((nc) => nc.pods.includes(pod));
  it('a Windows pod lands on the Windows AMI family\'s pool, on a Windows type', () => {
    expect(poolOf('default/win-app')).toMatchObject({ nodePool: 'windows', instanceType: expect.stringMatching(/-windows$/) });
    expect(out.nodeClaims.filter((nc) => nc.nodePool === 'linux').every((nc) => nc.instanceType.endsWith('-linux'))).toBe(true);
  });
  it('the root volume of blockDeviceMappings sets ephemeral-storage: 30Gi fits the 40Gi volume', () => {
    expect(poolOf('default/scratch-30')?.nodePool).toBe('linux');
  });
  it('a pod asking for more ephemeral-storage than any volume gives is unschedulable, the reason naming the volume sizes', () => {
    const [u] = out.unschedulable;
    expect(out.unschedulable.map((x) => x.pod)).toEqual(['default/scratch-60']);
    expect(u?.nodePools['linux']).toContain('ephemeral-storage is limited by the 40Gi volume spec.blockDeviceMappings[0] (/dev/xvda) of EC2NodeClass linux');
    expect(u?.nodePools['windows']).toContain('the 50Gi volume /dev/sda1 (the Windows2022 default) of EC2NodeClass windows');
  });
  it('kubelet maxPods caps pods per node: the linux NodeClaims hold at most 8 pods', () => {
    const linux = out.nodeClaims.filter((nc) => nc.nodePool === 'linux');
    expect(linux.map((nc) => nc.pods.length)).toEqual([8, 3]);
  });
});

describe('awsnodetemplate.yaml: the v1alpha5 AWSNodeTemplate shapes nodes the same way', () => {
  const out = simulate('awsnodetemplate.yaml', awsNodeTemplate);
  it('puts the Windows pod that fits the 100Gi volume on a Windows type', () => {
    expect(out.nodeClaims.find((nc) => nc.pods.includes('default/w-80'))?.instanceType).toMatch(/-windows$/);
  });
  it('names the 100Gi volume for the pod that asks for more, and refuses the Linux pod', () => {
    const reasons = Object.fromEntries(out.unschedulable.map((u) => [u.pod, u.nodePools['win'] ?? '']));
    expect(reasons['default/w-120']).toContain('ephemeral-storage is limited by the 100Gi volume spec.blockDeviceMappings[0] (/dev/sda1) of EC2NodeClass win');
    expect(reasons['default/l']).toContain('kubernetes.io/os');
  });
});
