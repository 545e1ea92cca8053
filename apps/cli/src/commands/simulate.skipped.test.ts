import { describe, expect, it } from 'vitest';
import { fakeIo } from '../testing/fake-io.js';
import { simulateScenario } from './simulate.js';

const SCENARIO = `apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: default}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
      requirements: [{key: kubernetes.io/os, operator: In, values: [linux]}]
---
apiVersion: v1
kind: Node
metadata: {name: old, deletionTimestamp: "2024-01-01T00:00:00Z", labels: {kubernetes.io/os: linux}}
status: {allocatable: {cpu: "4", memory: 8Gi, pods: "20"}}
---
apiVersion: v1
kind: Pod
metadata: {name: moving}
spec: {nodeName: old, containers: [{name: c, resources: {requests: {cpu: "1"}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: preempting}
spec: {containers: [{name: c, resources: {requests: {cpu: "1"}}}]}
status: {nominatedNodeName: other}
`;

describe('karpenter-ts simulate: skipped pods and pods of nodes being deleted', () => {
  const run = (output: 'json' | 'table') => {
    const f = fakeIo({});
    expect(simulateScenario(f.io, [{ name: 's.yaml', text: SCENARIO }], { output, preferencePolicy: 'Respect' })).toBe(0);
    return f.out();
  };
  it('JSON: lists the preempting pod under "skipped" and notes the pod of the node being deleted', () => {
    const out = JSON.parse(run('json')) as { skipped: unknown[]; notes: unknown[]; nodeClaims: { pods: string[] }[] };
    expect(out.skipped).toEqual([{ pod: 'default/preempting', code: 'Preempting', reason: expect.stringContaining('nominatedNodeName') }]);
    expect(out.notes).toEqual([{ pod: 'default/moving', code: 'NodeDeleting', note: 'node old is being deleted: packed with the pending pods' }]);
    expect(out.nodeClaims.flatMap((c) => c.pods)).toEqual(['default/moving']);
  });
  it('table: SKIPPED and NOTES sections with the reasons', () => {
    const text = run('table');
    expect(text).toContain('SKIPPED\n  default/preempting: Preempting: ');
    expect(text).toContain('NOTES\n  default/moving: node old is being deleted');
    expect(text).toMatch(/1 skipped\.\ncatalog: /);
  });
});
