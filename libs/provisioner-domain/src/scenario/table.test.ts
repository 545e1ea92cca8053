import { describe, expect, it } from 'vitest';
import type { InstanceType } from '../instancetypes/types.js';
import type { SimulationOutput } from './format.js';
import { foldList, formatSimulationTable } from './table.js';

const GIB = 2 ** 30;
const type = (name: string, cpu: number, gib: number, gpus = 0): InstanceType => ({
  name,
  labels: {},
  capacity: { cpu: cpu * 1000, memory: gib * GIB, pods: 110, ...(gpus > 0 ? { 'nvidia.com/gpu': gpus } : {}) },
  overhead: { kubeReserved: { cpu: 100 }, systemReserved: {}, evictionThreshold: { memory: GIB / 2 } },
  offerings: [],
});

const output: SimulationOutput = {
  nodeClaims: [
    { nodePool: 'default', instanceType: 'c-8x', instanceTypeOptions: ['c-8x', 'm-8x'], capacityType: 'on-demand', zone: 'zone-a', pricePerHour: 0.1, pods: ['default/p-1'], requests: { cpu: '4200m', memory: '9816Mi', pods: '4' } },
    { nodePool: 'gpu', instanceType: 'g-1', instanceTypeOptions: ['g-1'], capacityType: 'spot', zone: 'zone-b', pricePerHour: 0.2, pods: ['ml/p-3'], requests: { cpu: '8', memory: '16Gi', pods: '1', 'nvidia.com/gpu': '1' } },
  ],
  existingNodes: [{ name: 'node-1', pods: ['default/p-2'] }],
  unschedulable: [
    { pod: 'default/a', reason: 'cpu limit 10 vCPU reached (10 vCPU in use or planned)', nodePools: {} },
    { pod: 'default/b', reason: 'text for a person', nodePools: { gpu: 'why not this pool' } },
    { pod: 'default/c', reason: 'cpu limit 10 vCPU reached (10 vCPU in use or planned)', nodePools: {} },
  ],
  totalPricePerHour: 0.3,
  skipped: [],
  notes: [],
};

describe('formatSimulationTable', () => {
  it('renders NodeClaims with utilisation and prices, grouped reasons, placements, NodePool totals and the footer', () => {
    expect(formatSimulationTable(output, { instanceTypes: [type('c-8x', 8, 16), type('m-8x', 16, 64), type('g-1', 8, 32, 1)], footer: ['catalog: test'] })).toBe(
      [
        'NODECLAIM  NODEPOOL  INSTANCE TYPE  ZONE    CAPACITY   PODS  CPU REQUESTED / ALLOCATABLE  MEMORY REQUESTED / ALLOCATABLE  OTHER REQUESTED / ALLOCATABLE  $/HOUR   $/MONTH  OPTIONS',
        '1          default   c-8x           zone-a  on-demand  1     4.2 vCPU / 7.9 vCPU (53%)    9.6Gi / 15.5Gi (62%)            -                              $0.1000  $73.00   +1',
        '2          gpu       g-1            zone-b  spot       1     8 vCPU / 7.9 vCPU (101%)     16Gi / 31.5Gi (51%)             nvidia.com/gpu 1 / 1 (100%)    $0.2000  $146.00  -',
        "OPTIONS: how many other instance types would also fit the NodeClaim's pods (listed in -o json as instanceTypeOptions).",
        '',
        'EXISTING NODE  NEW PODS',
        'node-1         1',
        '',
        'UNSCHEDULABLE',
        '  2 pods: cpu limit 10 vCPU reached (10 vCPU in use or planned)',
        '    default/a, default/c',
        '  1 pod: text for a person',
        '    default/b',
        '',
        'PLACEMENTS',
        '  nodeclaim 1 (default/c-8x): default/p-1',
        '  nodeclaim 2 (gpu/g-1): ml/p-3',
        '  node node-1: default/p-2',
        '',
        'NODEPOOLS',
        '  default: 1 NodeClaim, 8 vCPU and 16Gi memory launched, $0.1000/hour; 16 vCPU counted against limits (each NodeClaim at its largest option)',
        '  gpu: 1 NodeClaim, 8 vCPU and 32Gi memory launched, $0.2000/hour; 8 vCPU counted against limits (each NodeClaim at its largest option)',
        '',
        '2 NodeClaims, $0.3000 per hour ($219.00 per month); 3 pods placed, 3 unschedulable.',
        'catalog: test',
        '',
      ].join('\n'),
    );
  });
  it('renders an empty result as the summary alone', () => {
    expect(formatSimulationTable({ nodeClaims: [], existingNodes: [], unschedulable: [], totalPricePerHour: 0, skipped: [], notes: [] })).toBe('0 NodeClaims, $0.0000 per hour ($0.00 per month); 0 pods placed, 0 unschedulable.\n');
  });
  it('renders skipped pods and notes, and counts the skipped ones in the summary', () => {
    const text = formatSimulationTable({
      nodeClaims: [],
      existingNodes: [],
      unschedulable: [],
      totalPricePerHour: 0,
      skipped: [{ pod: 'default/ds', code: 'DaemonSet', reason: 'pod belongs to DaemonSet agent' }],
      notes: [{ pod: 'default/web', code: 'NodeDeleting', note: 'node n-1 is being deleted: packed with the pending pods' }],
    });
    expect(text).toBe(
      [
        'SKIPPED',
        '  default/ds: DaemonSet: pod belongs to DaemonSet agent',
        '',
        'NOTES',
        '  default/web: node n-1 is being deleted: packed with the pending pods',
        '',
        '0 NodeClaims, $0.0000 per hour ($0.00 per month); 0 pods placed, 0 unschedulable, 1 skipped.',
        '',
      ].join('\n'),
    );
  });
  it('folds long pod lists with a count', () => {
    expect(foldList(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toBe('a, b, c, d, e and 2 more');
    expect(foldList(['a'])).toBe('a');
  });
});
