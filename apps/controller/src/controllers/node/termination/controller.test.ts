import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodeClaimTermination } from '../../nodeclaim/termination/controller.js';
import { DrainTracker, nodeTermination } from './controller.js';
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

  it('logs "draining node" once per drain while evicted pods finish terminating, listing pods with the provisioner\'s "and N other(s)"', async () => {
    const pods = Array.from({ length: 7 }, (_, i) => boundPod(`app-${i}`, 'n1'));
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [launchedClaim('n1')], nodes: [launchedNode('n1')], pods });
    const tc = t;
    // The API server accepts every eviction, but the pods take their time to terminate: the cache still shows
    // them running (no deletionTimestamp yet) for the next looks at the node.
    tc.client.subresources.set('eviction', async () => ({}));
    const evictions = new EvictionQueue({ client: tc.client, clock: tc.clock, log: tc.ctx.log, backoff: { jitter: 0 } });
    const abort = new AbortController();
    void evictions.run(abort.signal);
    stopEvictions = () => abort.abort();
    const nodeCtl = nodeTermination(tc.ctx, evictions);
    await tc.client.delete(resources.nodes, 'n1');
    await tc.settle();

    for (let look = 0; look < 4; look++) {
      expect(await nodeCtl.reconcile('n1')).toMatchObject({ requeueAfterMs: expect.any(Number) });
      await tc.clock.advance(5_000);
    }
    const draining = tc.logs.filter((l) => l.message === 'draining node');
    expect(draining).toHaveLength(1);
    expect(draining[0]).toMatchObject({ pods: 7, Pods: 'default/app-0, default/app-1, default/app-2, default/app-3, default/app-4 and 2 other(s)' });
    // Each pod was asked to leave once.
    expect(tc.client.writes.filter((w) => w.subresource === 'eviction').map((w) => w.name).sort()).toEqual(pods.map((p) => p.metadata.name).sort());

    // A pod that lands on the node later is drained (and logged) on its own.
    await tc.client.create(resources.pods, boundPod('late', 'n1'));
    await tc.settle();
    await nodeCtl.reconcile('n1');
    expect(tc.logs.filter((l) => l.message === 'draining node').map((l) => l['Pods'])).toEqual([draining[0]?.['Pods'], 'default/late']);

    // The pods terminate: the drain ends and its record is dropped.
    for (const pod of [...pods, boundPod('late', 'n1')]) await tc.client.delete(resources.pods, pod.metadata.name ?? '', { namespace: 'default' });
    await tc.settle();
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
    expect(tc.logs.filter((l) => l.message === 'draining node')).toHaveLength(2);
  });
});

describe('DrainTracker', () => {
  it('hands each pod (by uid) over once per drain and forgets a drain when it ends', () => {
    const drains = new DrainTracker();
    const a = boundPod('a', 'n1');
    const b = boundPod('b', 'n1');
    expect(drains.newPods('n1', [a, b]).map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(drains.newPods('n1', [a, b])).toEqual([]);
    // Same name, new pod (a replacement): a new uid is a new pod.
    expect(drains.newPods('n1', [{ ...a, metadata: { ...a.metadata, uid: 'uid-a-2' } }]).map((p) => p.metadata.uid)).toEqual(['uid-a-2']);
    expect(drains.newPods('n2', [a]).map((p) => p.metadata.name)).toEqual(['a']);
    drains.end('n1');
    drains.end('n2');
    expect(drains.size).toBe(0);
    expect(drains.newPods('n1', [a]).map((p) => p.metadata.name)).toEqual(['a']);
  });
});
