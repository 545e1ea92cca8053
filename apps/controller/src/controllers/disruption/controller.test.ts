import type { DisruptionCommand, DisruptionDecision, DisruptionInput, Node, NodeClaim, NodeClaimPlan } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { featureGateDefaults } from '../../settings/schema.js';
import { KubeApiError } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import { boundPod, launchedClaim, launchedNode, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { PodEvents, watchPodEvents } from '../nodeclaim/podevents/controller.js';
import { DISRUPTION_KEY, disruption, stillValid, type DisruptionNodeInputWithDrift, type DisruptionPlanner } from './controller.js';

let t: TestContext | undefined;
let stopWatch: (() => void) | undefined;
afterEach(async () => {
  stopWatch?.();
  stopWatch = undefined;
  await t?.stop();
  t = undefined;
});

const VALIDATION_MS = 15_000;
const POLL_MS = 10_000;

const claimOf = (name: string): NodeClaim | undefined => t?.client.peek<NodeClaim>(resources.nodeClaims, name);
const deleted = (name: string): boolean => claimOf(name)?.metadata.deletionTimestamp !== undefined;
const taints = (name: string): string[] => (t?.client.peek<Node>(resources.nodes, name)?.spec?.taints ?? []).map((x) => x.key);

/** The loop with pod events fed from the informer, as `newControllers` wires it. */
function loop(ctx: TestContext['ctx'], planner?: DisruptionPlanner): { pass: () => Promise<unknown> } {
  const podEvents = new PodEvents();
  stopWatch = watchPodEvents(ctx, podEvents, () => undefined);
  const controller = disruption(ctx, podEvents, planner);
  return { pass: () => controller.reconcile(DISRUPTION_KEY) };
}

/** A planner double answering `commands` (and `blocked`) whatever the input; records every input. */
function fakePlanner(answer: (input: DisruptionInput, call: number) => Partial<DisruptionDecision>): DisruptionPlanner & { inputs: DisruptionInput[] } {
  const inputs: DisruptionInput[] = [];
  const planner = (input: DisruptionInput): DisruptionDecision => {
    inputs.push(input);
    return { nowMs: input.nowMs, candidates: [], commands: [], blocked: [], budgets: {}, explanations: [], ...answer(input, inputs.length) };
  };
  return Object.assign(planner, { inputs });
}

const plan: NodeClaimPlan = {
  nodePoolName: 'default',
  requirements: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-2x-amd64-linux'] }],
  instanceTypeOptions: ['c-2x-amd64-linux'],
  launch: { instanceType: 'c-2x-amd64-linux', capacityType: 'on-demand', zone: 'test-zone-a', pricePerHour: 0.1 },
  pods: [],
  requests: { cpu: 1000 },
};
const replaceN1: DisruptionCommand = {
  reason: 'underutilized',
  method: 'single-node-consolidation',
  decision: 'replace',
  nodeClaims: ['n1'],
  candidates: [],
  replacements: [plan],
  pricePerHourBefore: 0.2,
  pricePerHourAfter: 0.1,
};

/** Marks every NodeClaim not named `n*` Initialized (what nodeclaim.lifecycle does once its node is Ready). */
async function initializeReplacements(): Promise<string[]> {
  const names: string[] = [];
  for (const claim of t?.client.all<NodeClaim>(resources.nodeClaims) ?? []) {
    const name = claim.metadata.name ?? '';
    if (/^n\d$/.test(name)) continue;
    names.push(name);
    await t?.client.patch(resources.nodeClaims, name, 'merge', { status: { conditions: [{ type: 'Initialized', status: 'True', reason: 'Initialized', lastTransitionTime: '2026-01-01T00:00:00Z' }] } });
  }
  await t?.settle();
  return names;
}

describe('disruption loop with the domain planner (emptiness)', () => {
  it('deletes an empty node after consolidateAfter and the validation period, tainting it first, with Disrupting events and the decision metric', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const { pass } = loop(t.ctx);
    expect(await pass()).toEqual({ requeueAfterMs: POLL_MS });
    await t.clock.advance(30_000);
    // Empty for consolidateAfter: validated for 15 s before the delete.
    expect(await pass()).toEqual({ requeueAfterMs: VALIDATION_MS });
    expect(deleted('n1')).toBe(false);
    await t.clock.advance(VALIDATION_MS);
    await pass();
    await t.settle();
    expect(deleted('n1')).toBe(true);
    expect(taints('n1')).toContain('karpenter.sh/disrupted');
    const messages = t.logs.map((l) => l.message).filter((m) => m === 'disrupting node(s)' || m === 'tainted node');
    expect(messages).toEqual(['disrupting node(s)', 'tainted node']);
    expect(t.events.filter((e) => e.reason === 'Disrupting').map((e) => `${e.regarding.kind}:${e.message}`)).toEqual(['NodeClaim:Disrupting: Empty/Delete', 'Node:Disrupting: Empty/Delete']);
    const metrics = await t.ctx.metrics.registry.metrics();
    expect(metrics).toContain('karpenter_voluntary_disruption_decisions_total{decision="delete",reason="empty",consolidation_type="empty"} 1');
    expect(metrics).toContain('karpenter_nodepools_allowed_disruptions{nodepool="default",reason="empty"} 1');
  });

  it('re-checks after the validation period: a node that got a pod meanwhile is kept', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const { pass } = loop(t.ctx);
    expect(await pass()).toEqual({ requeueAfterMs: VALIDATION_MS });
    await t.clock.advance(10_000);
    await t.client.create(resources.pods, boundPod('p', 'n1'));
    await t.settle();
    await t.clock.advance(5_000);
    expect(await pass()).toEqual({ requeueAfterMs: POLL_MS });
    expect(deleted('n1')).toBe(false);
    expect(t.logs.some((l) => l.message === 'abandoning disruption command, it changed during validation')).toBe(true);
  });

  it('keeps a node nominated for pending pods during validation', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')], pods: [pendingPod('p')] });
    const { pass } = loop(t.ctx);
    await pass();
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 60_000);
    await t.clock.advance(VALIDATION_MS);
    await pass();
    expect(deleted('n1')).toBe(false);
  });

  it('a budget of 0 nodes blocks with one DisruptionBlocked event per object, not one per pass', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s', budgets: [{ nodes: '0' }] })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
    });
    const { pass } = loop(t.ctx);
    for (let i = 0; i < 4; i++) {
      await pass();
      await t.clock.advance(POLL_MS);
    }
    expect(deleted('n1')).toBe(false);
    const blocked = t.events.filter((e) => e.reason === 'DisruptionBlocked');
    expect(blocked.map((e) => e.regarding.kind)).toEqual(['NodeClaim', 'Node']);
    expect(blocked[1]?.message).toMatch(/^Cannot disrupt Node: empty, but NodePool "default" allows no more disruptions for reason Empty: budget 1 \(nodes "0"\)/);
    expect(await t.ctx.metrics.registry.metrics()).toContain('karpenter_nodepools_allowed_disruptions{nodepool="default",reason="empty"} 0');
  });

  it('respects karpenter.sh/do-not-disrupt on the node', async () => {
    const node = launchedNode('n1');
    node.metadata.annotations = { 'karpenter.sh/do-not-disrupt': 'true' };
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [node] });
    const { pass } = loop(t.ctx);
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await pass();
    expect(deleted('n1')).toBe(false);
    expect(t.events.find((e) => e.reason === 'DisruptionBlocked')?.message).toContain('karpenter.sh/do-not-disrupt');
  });

  it('takes the disrupted taint back when the NodeClaim cannot be deleted, so a later pass can try again', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const { pass } = loop(t.ctx);
    const realDelete = t.client.delete.bind(t.client);
    t.client.delete = () => Promise.reject(new KubeApiError('etcd is away', 500, 'InternalError'));
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await expect(pass()).rejects.toThrow('etcd is away');
    await t.settle();
    expect(taints('n1')).not.toContain('karpenter.sh/disrupted');
    t.client.delete = realDelete;
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await pass();
    expect(deleted('n1')).toBe(true);
  });

  it('never disrupts nodes of a pool whose consolidateAfter is Never', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const { pass } = loop(t.ctx);
    await t.clock.advance(3_600_000);
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await pass();
    expect(deleted('n1')).toBe(false);
  });
});

describe('disruption loop: replace commands (planner double)', () => {
  it('creates the replacement from the plan, waits until it is Initialized, and only then deletes the candidate', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')], pods: [boundPod('web', 'n1')] });
    const { pass } = loop(t.ctx, fakePlanner(() => ({ commands: [replaceN1] })));
    expect(await pass()).toEqual({ requeueAfterMs: VALIDATION_MS });
    await t.clock.advance(VALIDATION_MS);
    await pass();
    await t.settle();
    const created = t.client.all<NodeClaim>(resources.nodeClaims).filter((c) => c.metadata.name !== 'n1');
    expect(created).toHaveLength(1);
    expect(created[0]?.metadata.labels?.['karpenter.sh/nodepool']).toBe('default');
    expect(created[0]?.spec.requirements).toContainEqual({ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-2x-amd64-linux'] });
    expect(taints('n1')).toContain('karpenter.sh/disrupted');
    // The replacement is nominated for the candidate's pods, so it is not removed as empty meanwhile.
    expect(t.ctx.state.isNominated(created[0]?.metadata.name ?? '', t.clock.now())).toBe(true);
    for (let i = 0; i < 5; i++) {
      await t.clock.advance(1_000);
      expect(await pass()).toEqual({ requeueAfterMs: 1_000 });
    }
    expect(deleted('n1')).toBe(false);
    await initializeReplacements();
    await pass();
    expect(deleted('n1')).toBe(true);
    expect(await t.ctx.metrics.registry.metrics()).toContain('karpenter_voluntary_disruption_decisions_total{decision="replace",reason="underutilized",consolidation_type="single"} 1');
    expect(t.events.find((e) => e.reason === 'Disrupting')?.message).toBe('Disrupting: Underutilized/Replace by 1 replacement node(s) ($0.2000/h -> $0.1000/h)');
  });

  it('abandons on timeout: deletes the replacement, untaints the candidate, deletes nothing else', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] }, { options: { disruptionReplacementTimeoutMs: 60_000 } });
    const { pass } = loop(t.ctx, fakePlanner(() => ({ commands: [replaceN1] })));
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await pass();
    await t.settle();
    const replacement = t.client.all<NodeClaim>(resources.nodeClaims).find((c) => c.metadata.name !== 'n1')?.metadata.name ?? '';
    await t.clock.advance(59_000);
    await pass();
    expect(deleted(replacement)).toBe(false);
    await t.clock.advance(1_000);
    await pass();
    await t.settle();
    expect(deleted(replacement)).toBe(true);
    expect(deleted('n1')).toBe(false);
    expect(taints('n1')).not.toContain('karpenter.sh/disrupted');
    expect(t.logs.find((l) => l.message === 'abandoning disruption command, its replacements failed')?.error).toBe('replacement(s) not initialized after 60s');
  });

  it('abandons when a replacement goes away (a launch failure deletes it)', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const { pass } = loop(t.ctx, fakePlanner(() => ({ commands: [replaceN1] })));
    await pass();
    await t.clock.advance(VALIDATION_MS);
    await pass();
    await t.settle();
    const replacement = t.client.all<NodeClaim>(resources.nodeClaims).find((c) => c.metadata.name !== 'n1') as NodeClaim;
    await t.client.patch(resources.nodeClaims, replacement.metadata.name ?? '', 'merge', { metadata: { finalizers: [] } });
    await t.client.delete(resources.nodeClaims, replacement.metadata.name ?? '');
    await t.settle();
    await pass();
    await t.settle();
    expect(deleted('n1')).toBe(false);
    expect(taints('n1')).not.toContain('karpenter.sh/disrupted');
  });

  it('abandons a command that changed during validation and validates the new one from the start', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1'), launchedClaim('n2')], nodes: [launchedNode('n1'), launchedNode('n2')] });
    const planner = fakePlanner((_, call) => ({ commands: [call === 1 ? replaceN1 : { ...replaceN1, nodeClaims: ['n1', 'n2'] }] }));
    const { pass } = loop(t.ctx, planner);
    await pass();
    await t.clock.advance(VALIDATION_MS);
    expect(await pass()).toEqual({ requeueAfterMs: VALIDATION_MS });
    expect(t.client.all<NodeClaim>(resources.nodeClaims)).toHaveLength(2);
    expect(taints('n1')).toEqual([]);
    await t.clock.advance(VALIDATION_MS);
    await pass();
    await t.settle();
    expect(t.client.all<NodeClaim>(resources.nodeClaims)).toHaveLength(3);
    expect([taints('n1'), taints('n2')]).toEqual([['karpenter.sh/disrupted'], ['karpenter.sh/disrupted']]);
  });

  it('publishes Unconsolidatable once per reason on the NodeClaim and the Node, again when the reason changes', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const blocked = (reason: string) => [{ node: 'n1', nodeClaim: 'n1', nodePool: 'default', code: 'not-cheaper' as never, reason }];
    const { pass } = loop(t.ctx, fakePlanner((_, call) => ({ blocked: blocked(call < 4 ? 'replacement not cheaper: c-4x $0.108/h vs $0.108/h' : 'pods would not fit elsewhere') })));
    for (let i = 0; i < 5; i++) {
      await pass();
      await t.clock.advance(POLL_MS);
    }
    expect(t.events.filter((e) => e.reason === 'Unconsolidatable').map((e) => `${e.regarding.kind}:${e.message}`)).toEqual([
      'NodeClaim:replacement not cheaper: c-4x $0.108/h vs $0.108/h',
      'Node:replacement not cheaper: c-4x $0.108/h vs $0.108/h',
      'NodeClaim:pods would not fit elsewhere',
      'Node:pods would not fit elsewhere',
    ]);
  });
});

describe('disruption loop: input and recovery', () => {
  it('passes drift, pending and displaced pods, unmanaged nodes, PodDisruptionBudgets, instance types and the spot-to-spot gate', async () => {
    const drifted = launchedClaim('n1');
    drifted.status?.conditions?.push({ type: 'Drifted', status: 'True', reason: 'NodePoolDrifted', lastTransitionTime: '2026-01-01T00:00:00Z' } as never);
    const unmanaged = launchedNode('other');
    unmanaged.spec = { taints: [] };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    t = await newTestContext(
      { nodePools: [nodePool()], nodeClaims: [drifted, launchedClaim('n2')], nodes: [launchedNode('n1'), launchedNode('n2'), unmanaged], pods: [pendingPod('p'), boundPod('q', 'other')], podDisruptionBudgets: [pdb] },
      { options: { featureGates: { ...featureGateDefaults, SpotToSpotConsolidation: true } } },
    );
    const planner = fakePlanner(() => ({}));
    await loop(t.ctx, planner).pass();
    const input = planner.inputs[0] as DisruptionInput;
    const byName = new Map(input.nodes.map((n) => [n.nodeClaim.metadata.name, n as DisruptionNodeInputWithDrift]));
    expect(byName.get('n1')?.drifted).toEqual({ reason: 'NodePoolDrifted' });
    expect(byName.get('n2')?.drifted).toBeUndefined();
    expect(input.pendingPods?.map((p) => p.metadata.name)).toEqual(['p']);
    expect(input.unmanagedNodes?.map((u) => [u.node.metadata.name, u.pods.map((p) => p.metadata.name)])).toEqual([['other', ['q']]]);
    expect(input.podDisruptionBudgets?.map((b) => b.metadata.name)).toEqual(['web']);
    expect(Object.keys(input.instanceTypes ?? {})).toEqual(['default']);
    expect(input.instanceTypes?.default?.length).toBeGreaterThan(0);
    expect(input.options).toEqual({ spotToSpotConsolidation: true, maxConsolidationSimulations: 100 });
  });

  it('counts the pods of a node being disrupted as pods that still need a place', async () => {
    const going = launchedNode('n1');
    going.spec = { ...going.spec, taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] };
    const claim = launchedClaim('n1');
    claim.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [claim], nodes: [going], pods: [boundPod('web', 'n1')] });
    const planner = fakePlanner(() => ({}));
    await loop(t.ctx, planner).pass();
    expect(planner.inputs[0]?.pendingPods?.map((p) => p.metadata.name)).toEqual(['web']);
  });

  it('on its first pass removes karpenter.sh/disrupted left by an unfinished command, except from nodes being deleted', async () => {
    const stale = launchedNode('n1');
    stale.spec = { ...stale.spec, taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] };
    const deleting = launchedNode('n2');
    deleting.spec = { ...deleting.spec, taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' }] };
    const deletingClaim = launchedClaim('n2');
    deletingClaim.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1'), deletingClaim], nodes: [stale, deleting] });
    await loop(t.ctx, fakePlanner(() => ({}))).pass();
    await t.settle();
    expect(taints('n1')).toEqual([]);
    expect(taints('n2')).toEqual(['karpenter.sh/disrupted']);
  });
});

describe('stillValid', () => {
  const empty = (names: string[]): DisruptionCommand => ({ reason: 'empty', nodeClaims: names, candidates: [] });
  it('narrows an emptiness command to the candidates still empty', () => {
    expect(stillValid(empty(['a', 'b']), [empty(['b', 'c'])])?.nodeClaims).toEqual(['b']);
    expect(stillValid(empty(['a']), [empty(['c'])])).toBeUndefined();
  });
  it('requires a consolidation command with the same candidates and replacements', () => {
    expect(stillValid(replaceN1, [{ ...replaceN1, pricePerHourAfter: 0.09 }])?.pricePerHourAfter).toBe(0.09);
    expect(stillValid(replaceN1, [{ ...replaceN1, replacements: [] }])).toBeUndefined();
    expect(stillValid(replaceN1, [{ ...replaceN1, decision: 'delete', replacements: [] }])).toBeUndefined();
  });
});
