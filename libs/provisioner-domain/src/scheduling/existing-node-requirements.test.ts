import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import { schedule } from './schedule.js';
import { testExistingNode, testInstanceType, testNodePool, testPod } from './test-fixtures.js';
import type { ExistingNode, SchedulingSnapshot } from './types.js';

const ZONE = 'topology.kubernetes.io/zone';
const inZones = (name: string, zones: string[]): Pod =>
  testPod(name, { cpu: '1', affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: zones }] }] } } } });

/** An in-flight NodeClaim (not registered): no zone label yet, zone In [a, b] in its requirements. */
const inFlight = (requirements: ExistingNode['requirements']): ExistingNode => ({
  ...testExistingNode('claim-1', { initialized: false }),
  labels: { 'karpenter.sh/nodepool': 'default' },
  requirements,
});

function snapshot(pods: Pod[], existingNodes: ExistingNode[]): SchedulingSnapshot {
  return { pods, existingNodes, nodePools: [testNodePool('default')], instanceTypes: { default: [testInstanceType('medium', 4, 8, { zones: ['a', 'b', 'c'] })] } };
}

describe('schedule: in-flight NodeClaims match by their full requirements', () => {
  it('a pod with zone In [a, b] goes to an in-flight NodeClaim with zone In [a, b] instead of a new one', () => {
    const result = schedule(snapshot([inZones('p', ['a', 'b'])], [inFlight([{ key: ZONE, operator: 'In', values: ['a', 'b'] }])]));
    expect(result.nodeClaims).toEqual([]);
    expect(result.existingNodes.map((n) => n.name)).toEqual(['claim-1']);
  });

  it('a pod placed narrows the NodeClaim: a second pod needing another zone gets a new NodeClaim', () => {
    const result = schedule(snapshot([inZones('p-a', ['a']), inZones('p-b', ['b'])], [inFlight([{ key: ZONE, operator: 'In', values: ['a', 'b'] }])]));
    expect(result.existingNodes.flatMap((n) => n.pods.map((p) => p.metadata.name))).toHaveLength(1);
    expect(result.nodeClaims).toHaveLength(1);
  });

  it('a pod whose zone the NodeClaim excludes, or that needs a label the NodeClaim does not constrain, does not go there', () => {
    const excluded = schedule(snapshot([inZones('p', ['c'])], [inFlight([{ key: ZONE, operator: 'In', values: ['a', 'b'] }])]));
    expect(excluded.existingNodes).toEqual([]);
    const unconstrained = schedule(snapshot([inZones('p', ['a', 'b'])], [inFlight([])]));
    expect(unconstrained.existingNodes).toEqual([]);
  });

  it('registered nodes still match by labels only', () => {
    const node = testExistingNode('n1', { labels: { [ZONE]: 'a' } });
    expect(schedule(snapshot([inZones('p', ['a', 'b'])], [node])).existingNodes.map((n) => n.name)).toEqual(['n1']);
    expect(schedule(snapshot([inZones('p', ['b'])], [node])).existingNodes).toEqual([]);
  });
});
