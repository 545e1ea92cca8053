import type { NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../../kube/resources.js';
import { boundPod, launchedClaim, launchedNode, nodePool, pendingPod } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { emptiness } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

describe('disruption.emptiness', () => {
  it('deletes an empty node only after consolidateAfter (30 s) has passed on the injected clock', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const controller = emptiness(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 30_000 });
    await t.clock.advance(29_999);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 1 });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeUndefined();
    await t.clock.advance(1);
    await controller.reconcile('n1');
    await t.settle();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeDefined();
    const node = t.client.peek<{ metadata: object; spec: { taints: { key: string }[] } }>(resources.nodes, 'n1');
    expect(node?.spec.taints.map((x) => x.key)).toContain('karpenter.sh/disrupted');
  });

  it('restarts the timer when a pod lands on the node', async () => {
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')] });
    const controller = emptiness(t.ctx);
    await controller.reconcile('n1');
    await t.clock.advance(20_000);
    await t.client.create(resources.pods, boundPod('p', 'n1'));
    await t.settle();
    expect(await controller.reconcile('n1')).toBeUndefined();
    await t.client.delete(resources.pods, 'p', { namespace: 'default' });
    await t.settle();
    await t.clock.advance(20_000);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 30_000 });
    await t.clock.advance(30_000);
    await controller.reconcile('n1');
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('respects a budget of 0 nodes and the do-not-disrupt annotation', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '0s', budgets: [{ nodes: '0' }] })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
    });
    const controller = emptiness(t.ctx);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: t.ctx.options.disruptionPollMs });
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeUndefined();
    expect(t.events.map((e) => e.reason)).toContain('DisruptionBlocked');
  });

  it('ignores nodes of a pool whose consolidateAfter is Never', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: 'Never' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
    });
    await t.clock.advance(3_600_000);
    expect(await emptiness(t.ctx).reconcile('n1')).toBeUndefined();
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('disruption.emptiness and nominations', () => {
  it('keeps a node the provisioner nominated for pending pods, even when it has been empty for consolidateAfter', async () => {
    t = await newTestContext({
      nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmpty', consolidateAfter: '5s' })],
      nodeClaims: [launchedClaim('n1')],
      nodes: [launchedNode('n1')],
      pods: [pendingPod('p')],
    });
    const controller = emptiness(t.ctx);
    t.ctx.state.nominate('n1', ['default/p'], t.clock.now() + 20_000);
    await controller.reconcile('n1');
    await t.clock.advance(19_000);
    await controller.reconcile('n1');
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeUndefined();
    // The nomination lapses (the pods went elsewhere): the emptiness timer starts then.
    await t.clock.advance(1_000);
    expect(await controller.reconcile('n1')).toEqual({ requeueAfterMs: 5_000 });
    await t.clock.advance(5_000);
    await controller.reconcile('n1');
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeDefined();
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
