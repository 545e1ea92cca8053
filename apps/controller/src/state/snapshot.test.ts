import type { NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { boundPod, daemonSetPod, launchedClaim, launchedNode, nodePool, pendingPod } from '../testing/builders.js';
import { newTestContext, type TestContext } from '../testing/context.js';
import { buildSchedulingSnapshot, hasDisplacedPods } from './snapshot.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const unlaunched: NodeClaim = {
  apiVersion: 'karpenter.sh/v1',
  kind: 'NodeClaim',
  metadata: { name: 'default-new', labels: { 'karpenter.sh/nodepool': 'default' } },
  spec: {
    requirements: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['test-zone-a'] }],
    resources: { requests: { cpu: '2', pods: '2' } },
    nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' },
  },
};

describe('buildSchedulingSnapshot', () => {
  it('maps nodes with their pods, and in-flight NodeClaims (launched or not) as existing capacity', async () => {
    const starting = { ...launchedNode('n2'), spec: { providerID: 'kwok://n2', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' as const }, { key: 'team', value: 'a', effect: 'NoSchedule' as const }] } };
    t = await newTestContext({
      nodePools: [nodePool()],
      nodes: [launchedNode('n1'), starting],
      nodeClaims: [launchedClaim('n1'), launchedClaim('n2', 'default', false), launchedClaim('n3', 'default', false), unlaunched],
      pods: [boundPod('a', 'n1'), daemonSetPod('d', 'n1'), pendingPod('p')],
    });
    const { pools } = t.ctx.state.nodePools();
    const snapshot = buildSchedulingSnapshot({ state: t.ctx.state, pods: t.ctx.state.pendingPods(), pools, instanceTypes: { default: [] } });
    const byName = Object.fromEntries(snapshot.existingNodes.map((n) => [n.name, n]));
    expect(Object.keys(byName).sort()).toEqual(['default-new', 'n1', 'n2', 'n3']);
    expect(snapshot.pods.map((p) => p.metadata.name)).toEqual(['p']);
    expect(byName['n1']).toMatchObject({ initialized: true, nodePoolName: 'default', markedForDeletion: false, allocatable: { cpu: 3900 } });
    expect(byName['n1']?.pods.map((p) => p.metadata.name).sort()).toEqual(['a', 'd']);
    // Not yet initialized: ephemeral taints are ignored, others kept.
    expect(byName['n2']?.initialized).toBe(false);
    expect(byName['n2']?.taints.map((x) => x.key)).toEqual(['team']);
    // Launched without a node: the claim's allocatable; not launched: its requests and single-valued labels.
    expect(byName['n3']).toMatchObject({ initialized: false, allocatable: { cpu: 3900 }, pods: [] });
    expect(byName['default-new']).toMatchObject({ allocatable: { cpu: 2000, pods: 2 }, labels: { 'topology.kubernetes.io/zone': 'test-zone-a', 'karpenter.sh/nodepool': 'default' } });
    // In flight: matched by its full requirements, not only the labels they imply.
    expect(byName['default-new']?.requirements).toEqual(unlaunched.spec.requirements);
    expect(byName['n1']?.requirements).toBeUndefined();
    expect(snapshot.nodePools.map((np) => np.metadata.name)).toEqual(['default']);
  });

  it('marks nodes and claims being deleted or disrupted', async () => {
    const tainted = { ...launchedNode('n1'), spec: { providerID: 'kwok://n1', taints: [{ key: 'karpenter.sh/disrupted', effect: 'NoSchedule' as const }] } };
    t = await newTestContext({ nodes: [tainted], nodeClaims: [launchedClaim('n1')] });
    const snapshot = buildSchedulingSnapshot({ state: t.ctx.state, pods: [], pools: [], instanceTypes: {} });
    expect(snapshot.existingNodes[0]?.markedForDeletion).toBe(true);
  });

  it('a NodeClaim whose instance is terminating is going away (InstanceTerminating=True)', async () => {
    const claim = launchedClaim('n1');
    const terminating = { ...claim, status: { ...claim.status, conditions: [...(claim.status?.conditions ?? []), { type: 'InstanceTerminating', status: 'True' as const, reason: 'InstanceTerminating', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
    t = await newTestContext({ nodes: [launchedNode('n1')], nodeClaims: [terminating], pods: [boundPod('a', 'n1')] });
    const snapshot = buildSchedulingSnapshot({ state: t.ctx.state, pods: [], pools: [], instanceTypes: {} });
    expect(snapshot.existingNodes[0]?.markedForDeletion).toBe(true);
    expect(hasDisplacedPods(t.ctx.state)).toBe(true);
  });

  it('a cordoned node is not going away: it takes no new pods (unschedulable taint) and keeps its pods', async () => {
    const cordoned = { ...launchedNode('n1'), spec: { providerID: 'kwok://n1', unschedulable: true, taints: [] } };
    t = await newTestContext({ nodes: [cordoned], nodeClaims: [launchedClaim('n1')], pods: [boundPod('a', 'n1')] });
    const snapshot = buildSchedulingSnapshot({ state: t.ctx.state, pods: [], pools: [], instanceTypes: {} });
    expect(snapshot.existingNodes[0]).toMatchObject({ markedForDeletion: false, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] });
    expect(hasDisplacedPods(t.ctx.state)).toBe(false);
  });

  it('a node with a deletionTimestamp has pods that need a new home', async () => {
    const node = launchedNode('n1');
    t = await newTestContext({ nodes: [{ ...node, metadata: { ...node.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }], nodeClaims: [launchedClaim('n1')], pods: [boundPod('a', 'n1'), daemonSetPod('d', 'n1')] });
    expect(hasDisplacedPods(t.ctx.state)).toBe(true);
  });
});
