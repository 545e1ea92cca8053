import type { CapacityResponse } from './capacity.js';
import type { InstanceTypesResponse } from './instancetypes.js';
import type { PendingResponse } from './pending.js';

/**
 * Example responses (valid against the schemas; the package's tests check it), for documentation, clients'
 * mock modes and their tests. Two teams: `payments` owns NodePool `payments` (one node), `search` runs on the
 * shared `default` NodePool, and a pod of an unlabelled namespace is `unassigned`.
 */
export const exampleCapacityResponse: CapacityResponse = {
  groupBy: 'team',
  teamLabelKey: 'team',
  shareIdle: false,
  generatedAt: '2026-01-01T00:00:00.000Z',
  teams: [
    {
      team: 'payments',
      nodePools: ['payments'],
      nodes: 1,
      nodeClaims: 1,
      nodeGroups: [{ instanceType: 'c-4x', capacityType: 'on-demand', zone: 'zone-a', nodes: 1, nodeClaims: 1, costPerHour: 0.16 }],
      pods: 2,
      allocatable: { cpu: '3920m', memory: '6966Mi', pods: '40' },
      requested: { cpu: '2', memory: '2Gi', pods: '2' },
      utilisation: { cpu: 0.5102, memory: 0.294, pods: 0.05 },
      costPerHour: 0.16,
      allocatedCostPerHour: 0.081633,
      idleCostPerHour: 0.078367,
      sharedIdleCostPerHour: 0,
      pendingPods: 1,
      pending: [
        {
          namespace: 'payments',
          name: 'ledger-0',
          team: 'payments',
          requests: { cpu: '8', memory: '1Gi', pods: '1' },
          createdAt: '2026-01-01T00:00:00Z',
          reason: 'no instance type of NodePool "payments" has 8 CPUs free after overhead',
          nodePools: { payments: 'no instance type satisfies the resources cpu=8' },
        },
      ],
      nodePoolLimits: [{ nodePool: 'payments', limits: { cpu: '16' }, used: { cpu: '4' }, headroom: { cpu: '12' } }],
    },
    {
      team: 'search',
      nodePools: [],
      nodes: 0,
      nodeClaims: 0,
      nodeGroups: [],
      pods: 1,
      allocatable: {},
      requested: { cpu: '1', memory: '1Gi', pods: '1' },
      utilisation: {},
      costPerHour: 0.08,
      allocatedCostPerHour: 0.08,
      idleCostPerHour: 0,
      sharedIdleCostPerHour: 0,
      pendingPods: 0,
      pending: [],
      nodePoolLimits: [],
    },
    {
      team: 'unassigned',
      nodePools: [],
      nodes: 0,
      nodeClaims: 0,
      nodeGroups: [],
      pods: 1,
      allocatable: {},
      requested: { cpu: '500m', memory: '512Mi', pods: '1' },
      utilisation: {},
      costPerHour: 0.04,
      allocatedCostPerHour: 0.04,
      idleCostPerHour: 0,
      sharedIdleCostPerHour: 0,
      pendingPods: 0,
      pending: [],
      nodePoolLimits: [],
    },
  ],
  nodePools: [
    {
      name: 'default',
      nodes: 1,
      nodeClaims: 1,
      allocatable: { cpu: '1930m', memory: '3Gi', pods: '20' },
      requested: { cpu: '1500m', memory: '1536Mi', pods: '2' },
      utilisation: { cpu: 0.7772, memory: 0.5, pods: 0.1 },
      costPerHour: 0.16,
      idleCostPerHour: 0.04,
      limits: { nodePool: 'default', limits: {}, used: { cpu: '2' }, headroom: {} },
    },
    {
      name: 'payments',
      team: 'payments',
      nodes: 1,
      nodeClaims: 1,
      allocatable: { cpu: '3920m', memory: '6966Mi', pods: '40' },
      requested: { cpu: '2', memory: '2Gi', pods: '2' },
      utilisation: { cpu: 0.5102, memory: 0.294, pods: 0.05 },
      costPerHour: 0.16,
      idleCostPerHour: 0.078367,
      limits: { nodePool: 'payments', limits: { cpu: '16' }, used: { cpu: '4' }, headroom: { cpu: '12' } },
    },
  ],
  nodes: [
    {
      name: 'default-abcde',
      nodeClaim: 'default-abcde',
      nodePool: 'default',
      instanceType: 'm-2x',
      capacityType: 'on-demand',
      zone: 'zone-b',
      pricePerHour: 0.16,
      priced: true,
      allocatable: { cpu: '1930m', memory: '3Gi', pods: '20' },
      requested: { cpu: '1500m', memory: '1536Mi', pods: '2' },
      utilisation: { cpu: 0.7772, memory: 0.5, pods: 0.1 },
      pods: 2,
      cordoned: false,
      deleting: false,
      ready: true,
      costByTeam: { search: 0.08, unassigned: 0.04 },
      idleCostPerHour: 0.04,
    },
    {
      name: 'payments-fghij',
      nodeClaim: 'payments-fghij',
      nodePool: 'payments',
      team: 'payments',
      instanceType: 'c-4x',
      capacityType: 'on-demand',
      zone: 'zone-a',
      pricePerHour: 0.16,
      priced: true,
      allocatable: { cpu: '3920m', memory: '6966Mi', pods: '40' },
      requested: { cpu: '2', memory: '2Gi', pods: '2' },
      utilisation: { cpu: 0.5102, memory: 0.294, pods: 0.05 },
      pods: 2,
      cordoned: false,
      deleting: false,
      ready: true,
      costByTeam: { payments: 0.081633 },
      idleCostPerHour: 0.078367,
    },
  ],
  idle: { costPerHour: 0.04 },
  totals: {
    nodes: 2,
    nodeClaims: 2,
    pods: 4,
    pendingPods: 1,
    allocatable: { cpu: '5850m', memory: '10038Mi', pods: '60' },
    requested: { cpu: '3500m', memory: '3584Mi', pods: '4' },
    utilisation: { cpu: 0.5983, memory: 0.357, pods: 0.0667 },
    costPerHour: 0.32,
  },
};

/** Example `GET /api/v1/pending` answer (the pending pod of {@link exampleCapacityResponse}). */
export const examplePendingResponse: PendingResponse = {
  generatedAt: '2026-01-01T00:00:00.000Z',
  pods: exampleCapacityResponse.teams.flatMap((t) => t.pending),
};

/** Example `GET /api/v1/instancetypes?nodePool=payments` answer. */
export const exampleInstanceTypesResponse: InstanceTypesResponse = {
  nodePools: [
    {
      nodePool: 'payments',
      instanceTypes: [
        {
          name: 'c-4x',
          labels: { 'kubernetes.io/arch': 'amd64', 'karpenter.k8s.aws/instance-family': 'c' },
          capacity: { cpu: '4', memory: '8Gi', pods: '40' },
          allocatable: { cpu: '3920m', memory: '6966Mi', pods: '40' },
          offerings: [
            { zone: 'zone-a', capacityType: 'spot', pricePerHour: 0.05, available: true },
            { zone: 'zone-a', capacityType: 'on-demand', pricePerHour: 0.16, available: true },
          ],
        },
      ],
    },
  ],
};
