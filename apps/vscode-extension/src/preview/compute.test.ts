import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyNodePoolDefaults, type NodePool, type Pod } from '@karpenter-ts/provisioner-domain';
import { describe, expect, it } from 'vitest';
import { computePreview } from './compute.js';
import { previewModelSchema } from './protocol.js';

const fixture = readFileSync(join(import.meta.dirname, '../../test/fixtures/preview-nodepool.yaml'), 'utf8');
const nodePoolOnly = fixture.split('\n---\n')[0] ?? '';

function pendingPod(name: string, cpu: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu, memory: '512Mi' } } }] },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }] },
  } as Pod;
}

describe('computePreview', () => {
  it('packs the pods of the edited file onto NodeClaims of its NodePool and explains the one left pending', () => {
    const outcome = computePreview({ document: { name: '/ws/preview-nodepool.yaml', text: fixture } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    const m = previewModelSchema.parse(outcome.model);
    expect(m.podSource).toBe('5 pending pods of preview-nodepool.yaml');
    expect(m.asApplied).toBeUndefined();
    expect(m.asEdited.nodeClaims.flatMap((nc) => nc.pods).sort()).toEqual(['shop/web-0', 'shop/web-1', 'shop/web-2', 'shop/web-3'].map((p) => expect.stringMatching(new RegExp(`^${p.slice(0, 9)}`))));
    expect(m.asEdited.nodeClaims.every((nc) => nc.nodePool === 'general' && nc.capacityType === 'on-demand')).toBe(true);
    expect(m.asEdited.unschedulable.map((u) => u.pod)).toEqual(['batch/arm-job']);
    expect(m.asEdited.unschedulable[0]?.nodePools['general']).toMatch(/arch/);
    expect(m.asEdited.totalPricePerHour).toBeCloseTo(m.asEdited.nodeClaims.reduce((s, nc) => s + nc.pricePerHour, 0), 9);
  });

  it('compares with the cluster NodePool of the same name when the pods come from the cluster', () => {
    const clusterPool = applyNodePoolDefaults({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodePool',
      metadata: { name: 'general' },
      spec: { template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [{ key: 'karpenter.sh/capacity-type', operator: 'In', values: ['spot'] }] } } },
    } as NodePool);
    const pods = [pendingPod('a', '2'), pendingPod('b', '2'), { ...pendingPod('bound', '1'), spec: { ...pendingPod('x', '1').spec, nodeName: 'n1' } }];
    const outcome = computePreview({ document: { name: 'np.yaml', text: nodePoolOnly }, cluster: { context: 'local', pods, nodePools: [clusterPool] } });
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.model.podSource).toBe('2 pending pods of cluster context "local"');
    expect(outcome.model.asApplied?.nodeClaims.every((nc) => nc.capacityType === 'spot')).toBe(true);
    expect(outcome.model.asEdited.nodeClaims.every((nc) => nc.capacityType === 'on-demand')).toBe(true);
    expect(outcome.model.pricePerHourDifference).toBeGreaterThan(0);
  });

  it.each([
    ['a file with errors', { document: { name: 'x.yaml', text: 'apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: { name: x }\nspec: { template: { spec: { requirements: 3 } } }\n' } }, /^x\.yaml has \d+ errors? \(first: line \d+: .+\)\. Fix them to preview its packing\.$/],
    ['a file without NodePools', { document: { name: 'cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\n' } }, /holds no NodePool or Provisioner/],
    ['no pods anywhere', { document: { name: 'np.yaml', text: nodePoolOnly } }, /^No pods to place: connect to a cluster/],
  ])('%s gives a plain message', (_name, source, message) => {
    const outcome = computePreview(source);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toMatch(message);
  });
});
