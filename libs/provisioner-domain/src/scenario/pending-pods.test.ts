import { describe, expect, it } from 'vitest';
import type { NodePool } from '../apis/index.js';
import { applyNodePoolDefaults } from '../apis/index.js';
import type { Pod } from '../core/types.js';
import { defaultCatalog } from '../instancetypes/index.js';
import { isProvisionable } from '../scheduling/provisionable.js';
import { explainPendingPods } from './pending-pods.js';
import { previewPacking } from './packing-preview.js';

const unschedulable = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }], phase: 'Pending' };

function pod(name: string, cpu: string, extra: Partial<Pod['spec']> = {}, meta: Partial<Pod['metadata']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', uid: `uid-${name}`, ...meta },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu, memory: '1Gi' } } }], ...extra },
    status: unschedulable,
  } as Pod;
}

function nodePool(name: string, requirements: { key: string; operator: string; values?: string[] }[], limits?: Record<string, string>): NodePool {
  return applyNodePoolDefaults({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements } }, ...(limits ? { limits } : {}) },
  } as NodePool);
}

describe('isProvisionable, as the editor previews use it', () => {
  it.each([
    ['unschedulable, unbound', pod('a', '1'), true],
    ['bound to a node', pod('b', '1', { nodeName: 'n1' }), false],
    ['no PodScheduled condition yet', { ...pod('c', '1'), status: { phase: 'Pending' } }, false],
    ['nominated by preemption', { ...pod('d', '1'), status: { ...unschedulable, nominatedNodeName: 'n1' } }, false],
    ['a DaemonSet pod', pod('e', '1', {}, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'x', controller: true }] }), false],
    ['terminating', pod('f', '1', {}, { deletionTimestamp: '2026-01-01T00:00:00Z' }), false],
  ] as [string, Pod, boolean][])('%s → %s', (_name, p, expected) => {
    expect(isProvisionable(p)).toBe(expected);
  });
});

describe('explainPendingPods', () => {
  const catalog = defaultCatalog();
  it('names the NodePool that can serve a pod and says why the others cannot', () => {
    const arm = nodePool('arm-only', [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }]);
    const out = explainPendingPods({
      pods: [pod('web-1', '500m', {}, { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f', uid: 'r', controller: true }] }), pod('gpu', '1', { nodeSelector: { 'kubernetes.io/arch': 'amd64' } })],
      existingNodes: [],
      nodePools: [arm],
      instanceTypes: { 'arm-only': catalog },
    });
    expect(out.map((e) => [e.ref, e.owner, e.nodePool])).toEqual([
      ['shop/web-1', 'ReplicaSet/web-7d9f', 'arm-only'],
      ['shop/gpu', 'Pod/gpu', undefined],
    ]);
    expect(out[0]?.reason).toMatch(/^No existing node has room; NodePool arm-only can launch \S+ \((spot|on-demand), test-zone-., \$\d+\.\d{4}\/h/);
    expect(out[0]?.requests).toEqual({ cpu: '500m', memory: '1Gi', pods: '1' });
    expect(out[1]?.nodePools['arm-only']).toMatch(/arch/);
    expect(out[1]?.reason.length).toBeGreaterThan(10);
  });
});

describe('previewPacking', () => {
  const catalog = defaultCatalog();
  const pods = Array.from({ length: 6 }, (_, i) => pod(`p${i}`, '1'));
  it('compares the cluster NodePool with its edited version of the same name', () => {
    const applied = nodePool('default', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['on-demand'] }]);
    const edited = nodePool('default', [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }]);
    const preview = previewPacking({ pods, clusterNodePools: [applied], editedNodePools: [edited], instanceTypes: catalog });
    expect(preview.editedNames).toEqual(['default']);
    expect(preview.asApplied?.nodeClaims.every((nc) => nc.capacityType === 'on-demand')).toBe(true);
    expect(preview.asEdited.nodeClaims.every((nc) => nc.capacityType === 'spot')).toBe(true);
    expect(preview.pricePerHourDifference).toBeLessThan(0);
    expect(preview.pricePerHourDifference).toBeCloseTo(preview.asEdited.totalPricePerHour - (preview.asApplied?.totalPricePerHour ?? 0), 9);
  });

  it('has no "as applied" side when the edited NodePool is new to the cluster', () => {
    const preview = previewPacking({ pods, clusterNodePools: [], editedNodePools: [nodePool('new', [])], instanceTypes: catalog });
    expect(preview.asApplied).toBeUndefined();
    expect(preview.asEdited.nodeClaims.flatMap((nc) => nc.pods).sort()).toEqual(pods.map((p) => `shop/${p.metadata.name}`).sort());
  });

  it('leaves pods pending with the per-NodePool reason when the edit makes them unschedulable', () => {
    const preview = previewPacking({ pods: [pod('big', '1000')], clusterNodePools: [], editedNodePools: [nodePool('small', [])], instanceTypes: catalog });
    expect(preview.asEdited.nodeClaims).toEqual([]);
    expect(preview.asEdited.unschedulable[0]?.pod).toBe('shop/big');
    expect(Object.keys(preview.asEdited.unschedulable[0]?.nodePools ?? {})).toEqual(['small']);
  });
});
