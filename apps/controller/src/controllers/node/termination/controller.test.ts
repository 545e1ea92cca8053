import type { Node, NodeClaim, Pod } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { nodeClaimLifecycle } from '../../nodeclaim/lifecycle/controller.js';
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
  return { ctx: t, nodeCtl: nodeTermination(t.ctx, evictions), claimCtl: nodeClaimLifecycle(t.ctx) };
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

describe('NodeClaim termination conditions (Karpenter v1: Drained, VolumesDetached, InstanceTerminating)', () => {
  const conditions = (tc: TestContext): string[] =>
    (tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.status?.conditions ?? []).filter((c) => ['Drained', 'VolumesDetached', 'InstanceTerminating'].includes(c.type)).map((c) => `${c.type}=${c.status}/${c.reason}`);

  it('Drained Unknown while a PDB holds a pod, then True; VolumesDetached Unknown while a VolumeAttachment remains, then True; InstanceTerminating True', async () => {
    let allow = false;
    const { ctx: tc, nodeCtl } = await setup(() => allow);
    await tc.client.delete(resources.nodes, 'n1');
    await tc.settle();
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(conditions(tc)).toEqual(['Drained=Unknown/Draining']);
    expect(tc.client.peek<NodeClaim>(resources.nodeClaims, 'n1')?.status?.conditions?.find((c) => c.type === 'Drained')?.message).toBe('Waiting for 1 pod(s) to leave the node');
    const writes = tc.client.writes.length;
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.writes.slice(writes).filter((w) => w.subresource === 'status')).toEqual([]); // unchanged: not written again

    await tc.client.create(resources.volumeAttachments, { apiVersion: 'storage.k8s.io/v1', kind: 'VolumeAttachment', metadata: { name: 'va-1' }, spec: { nodeName: 'n1' } });
    allow = true;
    await tc.clock.advance(10_000);
    await tc.settle();
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(conditions(tc)).toEqual(['Drained=True/Drained', 'VolumesDetached=Unknown/AwaitingVolumeDetachment']);
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeDefined();

    await tc.client.delete(resources.volumeAttachments, 'va-1');
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(conditions(tc)).toEqual(['Drained=True/Drained', 'VolumesDetached=True/VolumesDetached', 'InstanceTerminating=True/InstanceTerminating']);
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
  });
});

describe('drain: do-not-disrupt, terminationGracePeriod and stuck pods', () => {
  /** The node n1 with `pods`, its NodeClaim carrying `terminationGracePeriod`; deletes recorded with their grace. */
  async function drainSetup(pods: Pod[], terminationGracePeriod?: string) {
    const claim = launchedClaim('n1');
    if (terminationGracePeriod) claim.spec.terminationGracePeriod = terminationGracePeriod;
    t = await newTestContext({ nodePools: [nodePool()], nodeClaims: [claim], nodes: [launchedNode('n1')], pods });
    const tc = t;
    const podDeletes: { name: string; gracePeriodSeconds?: number; atMs: number }[] = [];
    const del = tc.client.delete.bind(tc.client);
    tc.client.delete = (async (type, name, options) => {
      if (type.plural === 'pods') podDeletes.push({ name, gracePeriodSeconds: options?.gracePeriodSeconds, atMs: tc.clock.now() });
      return del(type, name, options);
    }) as typeof tc.client.delete;
    const evictions = new EvictionQueue({ client: tc.client, clock: tc.clock, log: tc.ctx.log, backoff: { jitter: 0 } });
    const abort = new AbortController();
    void evictions.run(abort.signal);
    stopEvictions = () => abort.abort();
    const nodeCtl = nodeTermination(tc.ctx, evictions);
    await tc.client.delete(resources.nodes, 'n1');
    await tc.settle();
    return { tc, nodeCtl, podDeletes };
  }
  const evicted = (tc: TestContext) => tc.client.writes.filter((w) => w.subresource === 'eviction').map((w) => w.name);

  it('never evicts a do-not-disrupt pod; waits for it until the NodeClaim\'s terminationGracePeriod, then deletes it with its own grace period', async () => {
    const pinned = boundPod('pinned', 'n1', { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } });
    pinned.spec.terminationGracePeriodSeconds = 30;
    const { tc, nodeCtl, podDeletes } = await drainSetup([boundPod('app', 'n1'), pinned], '5m');
    const startMs = tc.clock.now();
    await nodeCtl.reconcile('n1'); // deletes the NodeClaim now: its deadline is now + 5m
    await tc.settle();
    // 4m29s in: app evicted, pinned neither evicted nor deleted, node kept.
    while (tc.clock.now() - startMs < 269_000) {
      await tc.clock.advance(Math.min(5_000, startMs + 269_000 - tc.clock.now()));
      await nodeCtl.reconcile('n1');
    }
    expect(evicted(tc)).toEqual(['app']);
    expect(tc.client.peek<Pod>(resources.pods, 'pinned', 'default')).toBeDefined();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeDefined();
    // 4m30s: deadline minus the pod's 30 s grace: deleted (not evicted) with gracePeriodSeconds 30.
    await tc.clock.advance(1_000);
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(evicted(tc)).toEqual(['app']);
    expect(podDeletes.filter((d) => d.name === 'pinned')).toEqual([{ name: 'pinned', gracePeriodSeconds: 30, atMs: startMs + 270_000 }]);
    expect(tc.logs.find((l) => l.message === 'deleting pod')).toMatchObject({ 'delete.gracePeriodSeconds': 30 });
    expect(tc.events.map((e) => `${e.type} ${e.reason}`)).toEqual(expect.arrayContaining(['Warning TerminationGracePeriodExpiring', 'Normal Disrupted']));
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
  });

  it('without a terminationGracePeriod a do-not-disrupt pod holds the node indefinitely', async () => {
    const pinned = boundPod('pinned', 'n1', { annotations: { 'karpenter.sh/do-not-disrupt': 'true' } });
    const { tc, nodeCtl, podDeletes } = await drainSetup([pinned]);
    await nodeCtl.reconcile('n1');
    await tc.clock.advance(3_600_000);
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(evicted(tc)).toEqual([]);
    expect(podDeletes).toEqual([]);
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeDefined();
  });

  it('a pod stuck terminating (1 minute past its deletionTimestamp, e.g. its kubelet is gone) no longer blocks the node', async () => {
    const stuck = boundPod('stuck', 'n1', { finalizers: ['example.com/never-removed'] });
    const { tc, nodeCtl } = await drainSetup([stuck]);
    await nodeCtl.reconcile('n1');
    await tc.clock.advance(1_000); // evicted: terminating from now on, never goes
    await tc.settle();
    expect(tc.client.peek<Pod>(resources.pods, 'stuck', 'default')?.metadata.deletionTimestamp).toBeDefined();
    await tc.clock.advance(30_000);
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeDefined();
    await tc.clock.advance(31_000);
    await nodeCtl.reconcile('n1');
    await tc.settle();
    expect(tc.client.peek<Node>(resources.nodes, 'n1')).toBeUndefined();
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
