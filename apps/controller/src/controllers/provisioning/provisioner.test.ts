import { nodeClaimSchema, toCanonicalAmount, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../kube/client.js';
import { KubeApiError } from '../../kube/errors.js';
import { resources, type ResourceType } from '../../kube/resources.js';
import { boundPod, daemonSetPod, ec2NodeClass, launchedClaim, launchedNode, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { nodePoolReadiness, readinessKey } from '../nodepool/readiness/controller.js';
import { provisioner } from './provisioner.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const tenPods = () => Array.from({ length: 10 }, (_, i) => pendingPod(`inflate-${i}`, '1'));

describe('provisioner', () => {
  it('creates NodeClaims for pending pods: generateName, labels, requirements, requests, owner, finalizer', async () => {
    t = await newTestContext({ nodePools: [nodePool()], pods: tenPods() });
    await provisioner(t.ctx).reconcile('provisioner');
    const claims = t.client.all<NodeClaim>(resources.nodeClaims);
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect(claim.metadata.name).toMatch(/^default-/);
      expect(claim.metadata.labels?.['karpenter.sh/nodepool']).toBe('default');
      expect(claim.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'karpenter.sh/v1', kind: 'NodePool', name: 'default', uid: 'uid-default' })]);
      expect(claim.metadata.finalizers).toEqual(['karpenter.sh/termination']);
      expect(claim.spec.nodeClassRef).toEqual({ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' });
      expect(claim.spec.requirements.map((r) => r.key)).toEqual(expect.arrayContaining(['kubernetes.io/arch', 'node.kubernetes.io/instance-type']));
      // As Karpenter's: the NodePool name is a requirement too (the NodeClaim CRD allows the key).
      expect(claim.spec.requirements).toContainEqual({ key: 'karpenter.sh/nodepool', operator: 'In', values: ['default'] });
      expect(nodeClaimSchema.safeParse(claim).success).toBe(true);
      expect(claim.spec.resources?.requests?.['cpu']).toBeDefined();
    }
    expect(t.ctx.metrics.registry.getSingleMetric('karpenter_nodeclaims_created_total')).toBeDefined();
    expect(t.events.filter((e) => e.reason === 'Nominated')).toHaveLength(10);
  });

  it('counts in-flight NodeClaims as capacity: a second round for the same pods creates nothing', async () => {
    t = await newTestContext({ nodePools: [nodePool()], pods: tenPods() });
    const controller = provisioner(t.ctx);
    await controller.reconcile('provisioner');
    const first = t.client.all<NodeClaim>(resources.nodeClaims).length;
    await controller.reconcile('provisioner');
    expect(t.client.all<NodeClaim>(resources.nodeClaims).length).toBe(first);
  });

  it('reads NodeClaims from the API server after a create that got no answer, so the next round buys nothing twice', async () => {
    t = await newTestContext({ nodePools: [nodePool()], pods: tenPods() });
    const client = t.client;
    // The API server stores the NodeClaims but every answer is lost and the watches are down (an API server
    // going away mid-request): the cache never sees them.
    client.closeWatches();
    await t.settle();
    const lossy = Object.create(client) as typeof client;
    lossy.create = async <T extends KubeObject>(type: ResourceType, object: T): Promise<T> => {
      await client.create(type, object);
      throw new KubeApiError('POST /apis/karpenter.sh/v1/nodeclaims: socket hang up', 0);
    };
    const controller = provisioner({ ...t.ctx, client: lossy });
    await expect(controller.reconcile('provisioner')).rejects.toThrow(/failed to create/);
    const stored = client.all<NodeClaim>(resources.nodeClaims).length;
    expect(stored).toBeGreaterThan(0);
    expect(t.ctx.state.nodeClaims()).toHaveLength(0);

    // The next round (watches still down) finds them and waits for their launch instead of creating more.
    expect(await controller.reconcile('provisioner')).toEqual({ requeueAfterMs: 1_000 });
    expect(client.all<NodeClaim>(resources.nodeClaims)).toHaveLength(stored);
    expect(t.ctx.state.nodeClaims()).toHaveLength(stored);
    expect(t.logs.some((l) => l.message === 'read nodeclaims from the API server after creates without an answer')).toBe(true);
  });

  it('provisions for the pods of a node being deleted even when no pod is pending, once, and nominates the new capacity for them', async () => {
    const deleting = { ...launchedNode('old'), metadata: { ...launchedNode('old').metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } };
    const pods = [0, 1, 2].map((i) => ({ ...boundPod(`web-${i}`, 'old'), spec: { nodeName: 'old', containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] } }));
    t = await newTestContext({ nodePools: [nodePool()], nodes: [deleting], nodeClaims: [launchedClaim('old')], pods: [...pods, daemonSetPod('ds', 'old')] });
    const controller = provisioner(t.ctx);
    await controller.reconcile('provisioner');
    const claims = t.client.all<NodeClaim>(resources.nodeClaims).filter((c) => c.metadata.name !== 'old');
    expect(claims.length).toBeGreaterThan(0);
    // Sized for the three moving pods (3 CPU), not for the DaemonSet pod.
    const cpu = claims.reduce((sum, c) => sum + toCanonicalAmount('cpu', c.spec.resources?.requests?.['cpu'] ?? '0'), 0);
    expect(cpu).toBe(3000);
    const created = claims[0]?.metadata.name ?? '';
    expect(t.ctx.state.isNominated(created, t.ctx.clock.now())).toBe(true);
    // A second round (e.g. after one pod was evicted and recreated) finds room on the claim already made.
    await controller.reconcile('provisioner');
    expect(t.client.all<NodeClaim>(resources.nodeClaims)).toHaveLength(claims.length + 1);
  });

  it('counts a DaemonSet\'s LimitRange defaults in the overhead of new nodes even before any of its pods exist (aws#3199)', async () => {
    const agent = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'monitoring', uid: 'uid-agent' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'agent' }] } } },
    };
    const limitRange = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'monitoring', uid: 'uid-lr' }, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '500m' } }] } };
    t = await newTestContext({ nodePools: [nodePool()], pods: [pendingPod('web', '1')], daemonSets: [agent], limitRanges: [limitRange] });
    await provisioner(t.ctx).reconcile('provisioner');
    const [claim] = t.client.all<NodeClaim>(resources.nodeClaims);
    expect(claim?.spec.resources?.requests?.['cpu']).toBe('1500m');
  });

  it('ignores DaemonSet pods, bound pods and pods without a NodePool to serve them', async () => {
    t = await newTestContext({ pods: [pendingPod('lonely')] });
    await provisioner(t.ctx).reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toEqual([]);
    expect(t.events.map((e) => e.reason)).toContain('FailedScheduling');
    await t.stop();
    t = await newTestContext({ nodePools: [nodePool()], pods: [{ ...daemonSetPod('ds', ''), spec: { containers: [{ name: 'c' }] }, status: pendingPod('x').status }] });
    await provisioner(t.ctx).reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toEqual([]);
  });

  it('skips NodePools that are not Ready, says why in the log and in the pods\' FailedScheduling events, and provisions once they are', async () => {
    t = await newTestContext({ nodePools: [nodePool('default', undefined, { ready: false })], pods: tenPods() });
    const readiness = nodePoolReadiness(t.ctx);
    const controller = provisioner(t.ctx);

    // Not reconciled yet: no Ready condition at all.
    await controller.reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toEqual([]);
    expect(t.logs.find((l) => l.message === 'ignoring nodepool, not ready')).toMatchObject({ level: 'ERROR', NodePool: { name: 'default' }, reason: expect.stringContaining('no Ready condition yet') });

    // Reconciled, but EC2NodeClass "default" does not exist.
    await readiness.reconcile(readinessKey('NodePool', 'default'));
    await t.settle();
    t.logs.length = 0;
    t.events.length = 0;
    await controller.reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toEqual([]);
    const ignored = t.logs.filter((l) => l.message === 'ignoring nodepool, not ready');
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.['reason']).toMatch(/^NodeClassReady=False \(NodeClassNotFound: EC2NodeClass "default" not found on cluster/);
    const failed = t.events.filter((e) => e.reason === 'FailedScheduling');
    expect(failed).toHaveLength(10);
    expect(failed[0]?.message).toContain('NodePool "default" was not considered, it is not ready: NodeClassReady=False (NodeClassNotFound');

    // The node class appears: the pool becomes Ready and the next round provisions.
    await t.client.create(resources.ec2NodeClasses, ec2NodeClass());
    await t.settle();
    await readiness.reconcile(readinessKey('NodePool', 'default'));
    await t.settle();
    t.logs.length = 0;
    await controller.reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims).length).toBeGreaterThan(0);
    expect(t.logs.some((l) => l.message === 'ignoring nodepool, not ready')).toBe(false);
  });

  it('uses the Ready pools and names the skipped ones when a pod fits none of them', async () => {
    const gpu = nodePool('gpu', undefined, { ready: false });
    t = await newTestContext({ nodePools: [nodePool('default'), gpu], pods: [pendingPod('huge', '10000')] });
    await provisioner(t.ctx).reconcile('provisioner');
    expect(t.client.all(resources.nodeClaims)).toEqual([]);
    const reason = t.logs.find((l) => l.message === 'could not schedule pod')?.['error'];
    expect(reason).toContain('NodePool "gpu" was not considered, it is not ready');
    expect(reason).not.toContain('NodePool "default" was not considered');
  });
});
