import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodeClaimTermination } from '../../nodeclaim/termination/controller.js';
import { nodeTermination } from './controller.js';
import { EvictionQueue } from './eviction.js';

let t: TestContext | undefined;
let stopEvictions: (() => void) | undefined;
afterEach(async () => {
  stopEvictions?.();
  await t?.stop();
});

async function setup(pdbAllows: () => boolean) {
  t = await newTestContext({
    nodePools: [nodePool()],
    nodeClaims: [launchedClaim('n1')],
    nodes: [launchedNode('n1')],
    pods: [boundPod('app', 'n1'), daemonSetPod('ds', 'n1')],
  });
  t.client.subresources.set('eviction', async (client, type, namespace, name) => {
    if (!pdbAllows()) throw new KubeApiError('Cannot evict pod as it would violate the pod\'s disruption budget.', 429, 'TooManyRequests');
    await client.delete(type, name, { namespace });
    return {};
  });
  const evictions = new EvictionQueue({ client: t.client, clock: t.clock, log: t.ctx.log, backoff: { jitter: 0 } });
  const abort = new AbortController();
  void evictions.run(abort.signal);
  stopEvictions = () => abort.abort();
  return { ctx: t, nodeCtl: nodeTermination(t.ctx, evictions), claimCtl: nodeClaimTermination(t.ctx) };
}

describe('termination (kubectl delete node)', () => {
  it('deletes the NodeClaim, taints, evicts (PDB respected), waits, then removes both finalizers', async () => {
    let allow = false;
    const { ctx: tc, nodeCtl, claimCtl } = await setup(() => allow);
    await tc.client.delete(resources.nodes, 'n1'); // kubectl delete node n1
    await tc.settle();

    expect(await nodeCtl.reconcile('n1')).toMatchObject({ requeueAfterMs: expect.any(Number) });
    await tc.settle();
    expect(tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.metadata.deletionTimestamp).toBeDefined();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')?.spec?.taints?.map((x) => `${x.key}:${x.effect}`)).toContain('karpenter.sh/disrupted:NoSchedule');

    // While the PDB refuses: the pod and the node stay, no matter how long.
    await tc.clock.advance(60_000);
    await nodeCtl.reconcile('n1');
    await claimCtl.reconcile('n1');
    expect(tc.client.peek<Pod>(resources.pods, 'app', 'default')).toBeDefined();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeDefined();
    expect(tc.client.writes.filter((w) => w.verb === 'delete' && w.resource === 'pods')).toEqual([]);

    // The PDB allows it: the next retry evicts; the DaemonSet pod is never evicted.
    allow = true;
    await tc.clock.advance(10_000);
    expect(tc.client.peek<Pod>(resources.pods, 'app', 'default')).toBeUndefined();
    expect(tc.client.peek<Pod>(resources.pods, 'ds', 'default')).toBeDefined();
    expect(tc.client.writes.filter((w) => w.subresource === 'eviction').map((w) => w.name)).not.toContain('ds');

    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
    await claimCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')).toBeUndefined();
  });

  it('a NodeClaim deletion deletes its node first and waits for it', async () => {
    const { ctx: tc, nodeCtl, claimCtl } = await setup(() => true);
    await tc.client.delete(resources.nodeClaims, 'n1');
    await tc.settle();
    expect(await claimCtl.reconcile('n1')).toBeUndefined();
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')?.metadata.deletionTimestamp).toBeDefined();
    expect(tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')).toBeDefined();
    await nodeCtl.reconcile('n1');
    await tc.clock.advance(0);
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
    await claimCtl.reconcile('n1');
    expect(tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')).toBeUndefined();
  });
});
