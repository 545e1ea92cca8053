/**
 * What a round remembers between rounds (per pods array, per NodePool and instance-type list; see
 * docs/scheduling.md "Inputs are values") must never leak into a round whose inputs differ.
 */
import { describe, expect, it } from 'vitest';
import type { DaemonSet, Pod } from '../core/types.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';

const types = { default: [testInstanceType('c-2x', 2, 8), testInstanceType('c-4x', 4, 16)] };
const bound = (pod: Pod, node: string): Pod => ({ ...pod, spec: { ...pod.spec, nodeName: node } });
const agent: DaemonSet = {
  metadata: { name: 'agent', namespace: 'kube-system' },
  spec: { template: { spec: { containers: [{ name: 'a', resources: { requests: { cpu: '500m' } } }] } } },
};

describe('round caches', () => {
  it('a node given a new pods array is counted with its new pods', () => {
    const pool = testNodePool('default');
    const web = testPod('web', { cpu: '1' });
    const node = testExistingNode('n1', { cpu: 2, pods: [bound(testPod('a', { cpu: '500m' }), 'n1')] });
    const first = schedule({ pods: [web], existingNodes: [node], nodePools: [pool], instanceTypes: types });
    expect(first.existingNodes.map((n) => n.name)).toEqual(['n1']);
    const fuller = { ...node, pods: [...node.pods, bound(testPod('b', { cpu: '1' }), 'n1')] };
    const second = schedule({ pods: [web], existingNodes: [fuller], nodePools: [pool], instanceTypes: types });
    expect(second.existingNodes).toEqual([]);
    expect(second.nodeClaims).toHaveLength(1);
  });

  it('the same NodePool and types with a DaemonSet added count its overhead', () => {
    const pool = testNodePool('default');
    const pods = [testPod('web', { cpu: '1800m' })];
    const without = schedule({ pods, existingNodes: [], nodePools: [pool], instanceTypes: types });
    expect(without.nodeClaims[0]?.launch.instanceType).toBe('c-2x');
    const withAgent = schedule({ pods, existingNodes: [], nodePools: [pool], instanceTypes: types, daemonSets: [agent] });
    expect(withAgent.nodeClaims[0]?.launch.instanceType).toBe('c-4x');
    expect(withAgent.nodeClaims[0]?.daemonSetOverhead).toMatchObject({ cpu: 500 });
  });
});
