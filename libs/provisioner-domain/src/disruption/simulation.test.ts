import { describe, expect, it } from 'vitest';
import type { Node, Pod } from '../core/types.js';
import { testInstanceType, testNodePool, testPod } from '../scheduling/test-fixtures.js';
import { ClusterSimulator, type SimulatedNodeInput } from './simulation.js';

const running = (name: string, cpu: string, node: string): Pod => {
  const p = testPod(name, { cpu });
  return { ...p, spec: { ...p.spec, nodeName: node }, status: { phase: 'Running' } };
};
const node = (name: string, pods: Pod[]): SimulatedNodeInput => {
  const n: Node = { metadata: { name, labels: { 'kubernetes.io/hostname': name } }, spec: {}, status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110' } } };
  return { name, node: n, pods, nodePool: 'default', markedForDeletion: false, initialized: true };
};
const simulator = (): ClusterSimulator =>
  new ClusterSimulator([node('a', [running('a1', '1', 'a')]), node('b', [running('b1', '3', 'b')]), node('c', [running('c1', '1', 'c')])], {
    pendingPods: [],
    nodePools: [testNodePool('default')],
    instanceTypes: { default: [testInstanceType('c-4x', 4, 16)] },
    daemonSets: [],
  });

describe('ClusterSimulator.freeOthers', () => {
  it('lists the free CPU of the other nodes, in node order', () => {
    const sim = simulator();
    expect(sim.freeOthers(new Set(['a'])).map((f) => f.cpu)).toEqual([1000, 3000]);
    expect(sim.freeOthers(new Set(['a', 'c'])).map((f) => f.cpu)).toEqual([1000]);
    expect(sim.freeOthers(new Set()).map((f) => f.cpu)).toEqual([3000, 1000, 3000]);
  });

  it('reflects an applied command: the removed node is gone and the receiving node has less free', () => {
    const sim = simulator();
    sim.freeOthers(new Set());
    const outcome = sim.simulate(new Set(['a']));
    expect([...outcome.moves.values()]).toEqual(['b']);
    sim.apply(new Set(['a']), outcome, []);
    expect(sim.freeOthers(new Set()).map((f) => f.cpu)).toEqual([0, 3000]);
    expect(sim.freeOthers(new Set(['c'])).map((f) => f.cpu)).toEqual([0]);
  });
});
