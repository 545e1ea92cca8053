import { describe, expect, it } from 'vitest';
import type { Pod } from '../core/types.js';
import type { SchedulingResult, SchedulingSnapshot } from '../scheduling/types.js';
import { formatRequests, formatSimulation, roundPrice } from './format.js';

const pod = (name: string, namespace?: string): Pod => ({ metadata: { name, ...(namespace ? { namespace } : {}) }, spec: { containers: [{ name: 'c' }] } });

const GIB = 2 ** 30;
const MIB = 2 ** 20;

const snapshot: SchedulingSnapshot = {
  pods: [pod('p-1'), pod('b'), pod('p-3', 'ml')],
  existingNodes: [
    { name: 'node-0', labels: {}, taints: [], allocatable: {}, pods: [], initialized: true },
    { name: 'node-1', labels: {}, taints: [], allocatable: {}, pods: [], initialized: true },
  ],
  nodePools: [],
  instanceTypes: {},
};

const result: SchedulingResult = {
  nodeClaims: [
    {
      nodePoolName: 'default',
      requirements: [],
      instanceTypeOptions: ['c-8x', 'm-8x'],
      launch: { instanceType: 'c-8x', capacityType: 'on-demand', zone: 'zone-a', pricePerHour: 0.1 },
      pods: [pod('p-1')],
      requests: { pods: 4, memory: 9816 * MIB, cpu: 4200, 'nvidia.com/gpu': 0 },
    },
    {
      nodePoolName: 'gpu',
      requirements: [],
      instanceTypeOptions: ['g-1'],
      launch: { instanceType: 'g-1', capacityType: 'spot', zone: 'zone-b', pricePerHour: 0.2 },
      pods: [pod('p-3', 'ml')],
      requests: { cpu: 8000, memory: 16 * GIB, 'nvidia.com/gpu': 1, pods: 1 },
    },
  ],
  existingNodes: [
    { name: 'node-1', pods: [pod('p-2')] },
    { name: 'node-0', pods: [] },
  ],
  unschedulable: [{ pod: pod('b'), reason: 'text for a person', nodePools: { gpu: 'why not this pool' } }],
  skipped: [],
  displaced: [],
    limitRangeDefaults: [],
};

describe('formatSimulation', () => {
  it('produces exactly the docs/simulate-json.md shape', () => {
    expect(formatSimulation(result, snapshot)).toEqual({
      nodeClaims: [
        {
          nodePool: 'default',
          instanceType: 'c-8x',
          instanceTypeOptions: ['c-8x', 'm-8x'],
          capacityType: 'on-demand',
          zone: 'zone-a',
          pricePerHour: 0.1,
          pods: ['default/p-1'],
          requests: { cpu: '4200m', memory: '9816Mi', pods: '4' },
        },
        {
          nodePool: 'gpu',
          instanceType: 'g-1',
          instanceTypeOptions: ['g-1'],
          capacityType: 'spot',
          zone: 'zone-b',
          pricePerHour: 0.2,
          pods: ['ml/p-3'],
          requests: { cpu: '8', memory: '16Gi', pods: '1', 'nvidia.com/gpu': '1' },
        },
      ],
      existingNodes: [{ name: 'node-1', pods: ['default/p-2'] }],
      unschedulable: [{ pod: 'default/b', reason: 'text for a person', nodePools: { gpu: 'why not this pool' } }],
      totalPricePerHour: 0.3,
      skipped: [],
      notes: [],
    });
  });
  it('keeps key order stable in the JSON text', () => {
    const text = JSON.stringify(formatSimulation(result, snapshot));
    expect(text.startsWith('{"nodeClaims":[{"nodePool":"default","instanceType":"c-8x","instanceTypeOptions":["c-8x","m-8x"],"capacityType":"on-demand","zone":"zone-a","pricePerHour":0.1,"pods":["default/p-1"],"requests":{"cpu":"4200m","memory":"9816Mi","pods":"4"}}')).toBe(true);
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['nodeClaims', 'existingNodes', 'unschedulable', 'totalPricePerHour', 'skipped', 'notes']);
  });
  it('orders existing nodes as the snapshot does', () => {
    const r = { ...result, existingNodes: [{ name: 'node-1', pods: [pod('x')] }, { name: 'node-0', pods: [pod('y')] }] };
    expect(formatSimulation(r, snapshot).existingNodes.map((n) => n.name)).toEqual(['node-0', 'node-1']);
  });
  it('gives zero and empty lists for an empty result', () => {
    expect(formatSimulation({ nodeClaims: [], existingNodes: [], unschedulable: [], skipped: [], displaced: [], limitRangeDefaults: [] }, snapshot)).toEqual({
      nodeClaims: [],
      existingNodes: [],
      unschedulable: [],
      totalPricePerHour: 0,
      skipped: [],
      notes: [],
    });
  });
  it('lists skipped pods with their code and reason, and notes pods of deleting nodes and of other schedulers', () => {
    const custom: Pod = { metadata: { name: 'batch', namespace: 'jobs' }, spec: { containers: [{ name: 'c' }], schedulerName: 'volcano' } };
    const moved = pod('moved');
    const out = formatSimulation(
      {
        nodeClaims: [],
        existingNodes: [],
        unschedulable: [],
        skipped: [{ pod: pod('pre'), code: 'Preempting', reason: 'pod is preempting on node n-1' }],
        displaced: [{ pod: moved, nodeName: 'old', reason: 'node old is being deleted' }],
        limitRangeDefaults: [],
      },
      { ...snapshot, pods: [custom] },
      [{ pod: 'default/x', code: 'LimitRangeDefaults', note: 'defaults applied' }],
    );
    expect(out.skipped).toEqual([{ pod: 'default/pre', code: 'Preempting', reason: 'pod is preempting on node n-1' }]);
    expect(out.notes).toEqual([
      { pod: 'default/moved', code: 'NodeDeleting', note: 'node old is being deleted: packed with the pending pods' },
      { pod: 'jobs/batch', code: 'OtherScheduler', note: expect.stringContaining('"volcano"') },
      { pod: 'default/x', code: 'LimitRangeDefaults', note: 'defaults applied' },
    ]);
  });
});

describe('formatRequests / roundPrice', () => {
  it.each([
    [{ cpu: 1000, memory: 512 * MIB }, { cpu: '1', memory: '512Mi' }],
    [{ 'amd.com/gpu': 2, cpu: 1500, 'ephemeral-storage': GIB }, { cpu: '1500m', 'amd.com/gpu': '2', 'ephemeral-storage': '1Gi' }],
    [{ memory: 1000 }, { memory: '1000' }],
  ])('%j', (list, expected) => {
    expect(formatRequests(list)).toEqual(expected);
    expect(Object.keys(formatRequests(list))).toEqual(Object.keys(expected));
  });
  it('removes floating-point noise', () => {
    expect(roundPrice(0.1 + 0.2)).toBe(0.3);
  });
});
