import type { Node, NodeClaim } from '@karpenter-ts/provisioner-domain';
import { InsufficientCapacityError } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedCloudProvider } from '../../../cloudprovider/simulated/simulated.js';
import { resources } from '../../../kube/resources.js';
import { nodePool } from '../../../testing/builders.js';
import { newTestContext, type TestContext } from '../../../testing/context.js';
import { lifecycleShouldWake, nodeClaimLifecycle } from './controller.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const claim = (name: string, requirements: NodeClaim['spec']['requirements']): NodeClaim => ({
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name, labels: { 'karpenter.sh/nodepool': 'default' } },
  spec: {
    requirements,
    resources: { requests: { cpu: '3' } },
    nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
    startupTaints: [{ key: 'example.com/starting', effect: 'NoSchedule' }],
  },
});
const conditions = (c: NodeClaim | undefined): Record<string, string> => Object.fromEntries((c?.status?.conditions ?? []).map((x) => [x.type, x.status]));

/** What KWOK and kube-controller-manager do to a new node: Ready, not-ready taint gone. */
async function kwokMakesReady(t: TestContext, name: string): Promise<void> {
  const node = t.client.peek<Node>(resources.nodes, name);
  await t.client.patch(resources.nodes, name, 'merge', {
    spec: { taints: (node?.spec?.taints ?? []).filter((x) => x.key !== 'node.kubernetes.io/not-ready') },
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  });
  await t.settle();
}

describe('nodeclaim.lifecycle', () => {
  it('launches through the simulated provider, registers the node, then initializes it once Ready and startup taints are gone', async () => {
    t = await newTestContext({ nodePools: [nodePool()] });
    await t.client.create(resources.nodeClaims, claim('default-a', [
      { key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['c-4x-amd64-linux', 'm-4x-amd64-linux'] },
      { key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] },
      { key: 'topology.kubernetes.io/zone', operator: 'In', values: ['test-zone-b'] },
    ]));
    await t.settle();
    const controller = nodeClaimLifecycle(t.ctx);

    // launch + registration in one pass (the simulated node exists as soon as create returns)
    await controller.reconcile('default-a');
    await t.settle();
    let c = t.client.peek<NodeClaim>(resources.nodeClaims, 'default-a');
    expect(conditions(c)).toMatchObject({ Launched: 'True', Registered: 'True' });
    expect(conditions(c)['Initialized']).toBeUndefined();
    expect(c?.status).toMatchObject({ providerID: 'kwok://default-a', nodeName: 'default-a' });
    expect(c?.metadata.labels).toMatchObject({ 'node.kubernetes.io/instance-type': 'c-4x-amd64-linux', 'topology.kubernetes.io/zone': 'test-zone-b', 'karpenter.sh/capacity-type': 'on-demand' });
    expect(c?.metadata.finalizers).toContain('karpenter.sh/termination');
    const node = t.client.peek<Node>(resources.nodes, 'default-a');
    expect(node?.metadata.labels).toMatchObject({ 'karpenter.sh/registered': 'true', 'karpenter.sh/nodepool': 'default', 'kwok.x-k8s.io/node': 'fake', 'kubernetes.io/hostname': 'default-a' });
    expect(node?.metadata.annotations).toMatchObject({ 'kwok.x-k8s.io/node': 'fake' });
    expect(node?.metadata.finalizers).toEqual(['karpenter.sh/termination']);
    expect(node?.spec?.taints?.map((x) => x.key)).toEqual(['example.com/starting']);
    expect(node?.status?.allocatable).toMatchObject({ cpu: '3900m' });

    // Ready, but the startup taint is still there: not initialized.
    await kwokMakesReady(t, 'default-a');
    await controller.reconcile('default-a');
    expect(conditions(t.client.peek<NodeClaim>(resources.nodeClaims, 'default-a'))['Initialized']).toBeUndefined();

    // The startup taint is removed (by whatever daemon owns it): initialized.
    await t.client.patch(resources.nodes, 'default-a', 'merge', { spec: { taints: [] } });
    await t.settle();
    await controller.reconcile('default-a');
    c = t.client.peek<NodeClaim>(resources.nodeClaims, 'default-a');
    expect(conditions(c)).toMatchObject({ Launched: 'True', Registered: 'True', Initialized: 'True', Ready: 'True' });
    expect(t.client.peek<Node>(resources.nodes, 'default-a')?.metadata.labels?.['karpenter.sh/initialized']).toBe('true');
  });

  it('deletes the NodeClaim when the provider reports insufficient capacity', async () => {
    const provider = new SimulatedCloudProvider({ client: undefined as never });
    provider.create = () => Promise.reject(new InsufficientCapacityError('no capacity'));
    t = await newTestContext({ nodePools: [nodePool()] }, { cloudProvider: provider });
    await t.client.create(resources.nodeClaims, { ...claim('default-b', []), metadata: { name: 'default-b', finalizers: ['karpenter.sh/termination'] } });
    await t.settle();
    await nodeClaimLifecycle(t.ctx).reconcile('default-b');
    expect(t.client.peek<NodeClaim>(resources.nodeClaims, 'default-b')?.metadata.deletionTimestamp).toBeDefined();
  });

  it('is not woken by a status write whose only change is the error text (or its timestamps), so backoff paces launch retries', () => {
    const failing = (message: string, at: string): NodeClaim => ({
      ...claim('c', []),
      metadata: { name: 'c', resourceVersion: at },
      status: { conditions: [{ type: 'Launched', status: 'False', reason: 'LaunchFailed', message, lastTransitionTime: at }] },
    });
    expect(lifecycleShouldWake(failing('request 1 throttled', '1'), failing('request 2 throttled', '2'))).toBe(false);
    // Anything else wakes it: a new condition status or reason, labels, deletion, a first status.
    const launched = { ...failing('', '3'), status: { conditions: [{ type: 'Launched', status: 'True' as const, reason: 'Launched', lastTransitionTime: '3' }] } };
    expect(lifecycleShouldWake(failing('x', '1'), launched)).toBe(true);
    expect(lifecycleShouldWake(claim('c', []), failing('x', '1'))).toBe(true);
    expect(lifecycleShouldWake(failing('x', '1'), { ...failing('x', '1'), metadata: { name: 'c', deletionTimestamp: '2026-01-01T00:00:00Z' } })).toBe(true);
    expect(lifecycleShouldWake(undefined, failing('x', '1'))).toBe(true);
  });
});
