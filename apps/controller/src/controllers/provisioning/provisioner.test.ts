import { nodeClaimSchema, type NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { resources } from '../../kube/resources.js';
import { daemonSetPod, nodePool, pendingPod } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
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
});
