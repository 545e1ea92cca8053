import type { NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { boundPod, launchedClaim, launchedNode, nodePool, pendingPod } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { PodEvents, watchPodEvents } from '../../nodeclaim/podevents/controller.js';
import { EMPTINESS_VALIDATION_MS, emptiness } from './controller.js';

let t: TestContext | undefined;
let stopWatch: (() => void) | undefined;
afterEach(async () => {
  stopWatch?.();
  stopWatch = undefined;
  await t?.stop();
});

const deleted = (name: string): boolean => t?.client.peek<NodeClaim>(resources.nodeClaims, name)?.metadata.deletionTimestamp !== undefined;

/** The emptiness controller with pod events fed from the informer, as `newControllers` wires it. */
function wired(ctx: TestContext['ctx']): ReturnType<typeof emptiness> {
  const podEvents = new PodEvents();
  stopWatch = watchPodEvents(ctx, podEvents, () => undefined);
  return emptiness(ctx, podEvents);
}

describe('disruption.emptiness', () => {
  it('deletes an empty node only after consolidateAfter (30 s) from initialization has passed on the injected clock', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const controller = wired(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 30_000 });
    await t.clock.advance(29_999);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 1 });
    expect(deleted('n1')).toBe(false);
    await t.clock.advance(1);
    // Empty now: validated for 15 s (Karpenter's consolidationTTL) before the delete.
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: EMPTINESS_VALIDATION_MS });
    expect(deleted('n1')).toBe(false);
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await controller.reconcile('n1');
    await t.settle();
    expect(deleted('n1')).toBe(true);
    const node = t.client.peek<{ metadata: object; spec: { taints: { key: string }[] } }>(resources.nodes, 'n1');
    expect(node?.spec.taints.map((x) => x.key)).toContain('karpenter.sh/disrupted');
    // As Karpenter logs it: the command first, then the taint that carries it out.
    const messages = t.logs.map((l) => l.message).filter((m) => m === 'disrupting node(s)' || m === 'tainted node');
    expect(messages).toEqual(['disrupting node(s)', 'tainted node']);
  });

  it('counts consolidateAfter from the last pod event: a pod that comes and goes restarts it', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const controller = wired(t.ctx);
    await controller.reconcile('n1');
    await t.clock.advance(20_000);
    await t.client.create(resources.pods, boundPod('p', 'n1'));
    await t.settle();
    expect(await controller.reconcile('n1')).toBeUndefined();
    await t.client.delete(resources.pods, 'p', { namespace: 'default' });
    await t.settle();
    await t.clock.advance(20_000);
    // The pod left 20 s ago: 10 s to go.
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 10_000 });
    await t.clock.advance(9_999);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(false);
    await t.clock.advance(1);
    await controller.reconcile('n1');
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(true);
  });

  it('reads status.lastPodEventTime, so a restarted controller keeps counting from the persisted pod event', async () => {
    const claim = launchedClaim('n1');
    claim.status = { ...claim.status, lastPodEventTime: '2026-01-01T00:00:25.000Z' };
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [claim], nodes: [launchedNode('n1')] });
    await t.clock.advance(40_000);
    expect(await wired(t.ctx).reconcile('n1')).toEqual({ requeueAfterMs: 15_000 });
  });

  it('respects a budget of 0 nodes', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s', budgets: [{ nodes: '0' }] })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
    });
    expect(await wired(t.ctx).reconcile('n1')).toEqual({ requeueAfterMs: t.ctx.options.disruptionPollMs });
    expect(deleted('n1')).toBe(false);
    expect(t.events.find((e) => e.reason === 'DisruptionBlocked')?.message).toMatch(/^Cannot disrupt Node: empty, but NodePool "default" allows no more disruptions for reason Empty: budget 1 \(nodes "0"\)/);
  });

  it('respects the do-not-disrupt annotation', async () => {
    const node = launchedNode('n1');
    node.metadata.annotations = { 'karpenter.sh/do-not-disrupt': 'true' };
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [node] });
    expect(await wired(t.ctx).reconcile('n1')).toEqual({ requeueAfterMs: t.ctx.options.disruptionPollMs });
    expect(deleted('n1')).toBe(false);
    expect(t.events.find((e) => e.reason === 'DisruptionBlocked')?.message).toContain('karpenter.sh/do-not-disrupt');
  });

  it('disrupts at most the budget at once, the longest-empty nodes first', async () => {
    const names = ['n1', 'n2', 'n3', 'n4'];
    const claims = names.map((n, i) => {
      const c = launchedClaim(n);
      c.status = { ...c.status, lastPodEventTime: new Date(Date.parse('2026-01-01T00:00:00Z') + i * 1_000).toISOString() };
      return c;
    });
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s', budgets: [{ nodes: '50%' }] })],
      nodeClaims: claims,
      nodes: names.map((n) => launchedNode(n)),
    });
    await t.clock.advance(60_000);
    const controller = wired(t.ctx);
    await controller.reconcile('n4');
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await controller.reconcile('n4');
    await t.settle();
    expect(names.filter(deleted)).toEqual(['n1', 'n2']);
  });

  it('takes the disrupted taint back when the NodeClaim cannot be deleted, so the next look can try again', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const controller = wired(t.ctx);
    const realDelete = t.client.delete.bind(t.client);
    t.client.delete = () => Promise.reject(new KubeApiError('etcd is away', 500, 'InternalError'));
    await controller.reconcile('n1');
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await expect(controller.reconcile('n1')).rejects.toThrow('etcd is away');
    const taints = (): string[] => (t?.client.peek<{ metadata: object; spec: { taints?: { key: string }[] } }>(resources.nodes, 'n1')?.spec.taints ?? []).map((x) => x.key);
    expect(taints()).not.toContain('karpenter.sh/disrupted');
    t.client.delete = realDelete;
    await t.settle();
    await controller.reconcile('n1');
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(true);
    expect(taints()).toContain('karpenter.sh/disrupted');
  });

  it('ignores nodes of a pool whose consolidateAfter is Never', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
    });
    await t.clock.advance(3_600_000);
    expect(await wired(t.ctx).reconcile('n1')).toBeUndefined();
    expect(deleted('n1')).toBe(false);
  });
});

describe('disruption.emptiness and nominations', () => {
  it('keeps a node the provisioner nominated for pending pods while the nomination lasts, even when empty for consolidateAfter', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '5s' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
      pods: [pendingPod('p')],
    });
    const controller = wired(t.ctx);
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 20_000);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: Math.max(1_000, t.ctx.options.disruptionPollMs) });
    await t.clock.advance(19_000);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(false);
    // The nomination lapses (the pods went elsewhere): the node has had no pod event for 20 s, over consolidateAfter.
    await t.clock.advance(1_000);
    await controller.reconcile('n1');
    await t.clock.advance(EMPTINESS_VALIDATION_MS);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(true);
  });

  it('re-checks before deleting: a node nominated (or given a pod) during the 15 s validation is kept', async () => {
    // Karpenter's Validation.IsValid waits consolidationTTL (15 s), then drops candidates that are nominated.
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
      pods: [pendingPod('p')],
    });
    const controller = wired(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: EMPTINESS_VALIDATION_MS });
    await t.clock.advance(10_000);
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 20_000);
    await t.clock.advance(5_000);
    await controller.reconcile('n1');
    expect(deleted('n1')).toBe(false);
    // The nomination ends because the pod was bound there: not empty, nothing to validate.
    await t.client.patch(resources.pods, 'p', 'merge', { spec: { nodeName: 'n1' } }, { namespace: 'default' });
    await t.settle();
    await t.clock.advance(60_000);
    expect(await controller.reconcile('n1')).toBeUndefined();
    expect(deleted('n1')).toBe(false);
  });

  it('a nominated node that receives its pods is not empty, and its timer restarts when they leave', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '5s' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
      pods: [pendingPod('p')],
    });
    const controller = wired(t.ctx);
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 20_000);
    await t.clock.advance(3_000);
    await t.client.patch(resources.pods, 'p', 'merge', { spec: { nodeName: 'n1' } }, { namespace: 'default' });
    await t.settle();
    expect(await controller.reconcile('n1')).toBeUndefined();
    await t.clock.advance(30_000);
    await t.client.delete(resources.pods, 'p', { namespace: 'default' });
    await t.settle();
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 5_000 });
  });
});

describe('nominations end when their pods are bound', () => {
  it('a nominated node whose pods are all bound elsewhere counts as empty again at once', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '5s' })], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')], pods: [pendingPod('p')] });
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 20_000);
    expect(t.ctx.state.isNominated('n1', t.clock.now())).toBe(true);
    await t.client.patch(resources.pods, 'p', 'merge', { spec: { nodeName: 'elsewhere' } }, { namespace: 'default' });
    await t.settle();
    expect(t.ctx.state.isNominated('n1', t.clock.now())).toBe(false);
  });
});
