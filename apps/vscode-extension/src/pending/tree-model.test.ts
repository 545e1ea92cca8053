import { applyNodePoolDefaults, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { NO_NODEPOOL_LABEL, pendingTreeOf } from './tree-model.js';

const unschedulable = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] };
function pod(name: string, namespace: string, owner: string | undefined, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}) },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '250m', memory: '128Mi' } } }], ...extra },
    status: unschedulable,
  } as Pod;
}
const pool = (name: string, arch: string): NodePool =>
  applyNodePoolDefaults({
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'kubernetes.io/arch', operator: 'In', values: [arch] }] } } },
  } as NodePool);

describe('pendingTreeOf', () => {
  it('groups pending pods by the NodePool that can serve them, then namespace/owner, with requests and reasons', () => {
    const pods = [
      pod('web-1', 'shop', 'web-7d9f'),
      pod('web-2', 'shop', 'web-7d9f'),
      pod('arm', 'batch', undefined, { nodeSelector: { 'kubernetes.io/arch': 'arm64' } }),
      { ...pod('running', 'shop', 'web-7d9f'), spec: { ...pod('x', 'shop', undefined).spec, nodeName: 'n1' }, status: { phase: 'Running' } },
      { ...pod('new', 'shop', undefined), status: { phase: 'Pending' } },
    ] as Pod[];
    const tree = pendingTreeOf(pods, [pool('amd', 'amd64')]);
    expect(tree.map((g) => [g.label, g.description])).toEqual([
      ['NodePool amd', '2 pods'],
      [NO_NODEPOOL_LABEL, '1 pod'],
    ]);
    expect(tree[0]?.children.map((o) => o.label)).toEqual(['shop/ReplicaSet/web-7d9f']);
    const web1 = tree[0]?.children[0]?.children[0];
    expect(web1).toMatchObject({ kind: 'pod', label: 'web-1', description: 'cpu 250m, memory 128Mi' });
    expect(web1?.reason).toMatch(/^shop\/web-1: No existing node has room; NodePool amd can launch /);
    const arm = tree[1]?.children[0]?.children[0];
    expect(tree[1]?.children[0]?.label).toBe('batch/Pod/arm');
    expect(arm?.reason).toMatch(/^batch\/arm: .+\n• amd: .*arch/s);
  });

  it('is empty without pending pods', () => {
    expect(pendingTreeOf([], [pool('amd', 'amd64')])).toEqual([]);
  });
});
