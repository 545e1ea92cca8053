/**
 * Builders for the disruption tests: a NodePool with a disruption block, a launched and initialized NodeClaim
 * with its Node, and pods bound to it. Times are ms offsets from `T0` (2026-01-01T00:00:00Z, a Thursday).
 */
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { Budget, NodePool } from '../apis/nodepool.js';
import type { Node, ObjectMeta, Pod } from '../core/types.js';
import type { DisruptionNodeInput } from './types.js';

export const T0 = Date.UTC(2026, 0, 1);
export const iso = (ms: number): string => new Date(ms).toISOString();
export const SECOND = 1_000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export function pool(name = 'default', disruption: { consolidationPolicy?: 'WhenEmpty' | 'WhenEmptyOrUnderutilized'; consolidateAfter?: string; budgets?: Budget[] } = {}): NodePool {
  return {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodePool',
    metadata: { name },
    spec: {
      template: { spec: { nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' }, requirements: [] } },
      disruption: { consolidationPolicy: 'WhenEmpty', consolidateAfter: '30s', ...disruption },
    },
  };
}

export interface NodeOptions {
  pool?: string;
  /** Initialized at this time (ms); `null` = not initialized. Default T0. */
  initializedAtMs?: number | null;
  lastPodEventMs?: number;
  pods?: Pod[];
  nominated?: boolean;
  registered?: boolean;
  ready?: boolean;
  claimMeta?: Partial<NodeClaim['metadata']>;
  nodeMeta?: Partial<ObjectMeta>;
  taints?: { key: string; effect: 'NoSchedule' | 'NoExecute' | 'PreferNoSchedule' }[];
  pendingPodEventMs?: number;
}

/** A managed node `name` (NodeClaim and Node share the name) of pool `default`, initialized at T0, empty. */
export function managed(name: string, o: NodeOptions = {}): DisruptionNodeInput {
  const initializedAt = o.initializedAtMs === undefined ? T0 : o.initializedAtMs;
  const conditions = [
    { type: 'Launched', status: 'True' as const, reason: 'Launched', lastTransitionTime: iso(T0 - MINUTE) },
    ...(initializedAt === null ? [] : [{ type: 'Initialized', status: 'True' as const, reason: 'Initialized', lastTransitionTime: iso(initializedAt) }]),
  ];
  const claim: NodeClaim = {
    apiVersion: 'karpenter.sh/v1',
    kind: 'NodeClaim',
    metadata: { name, labels: { 'karpenter.sh/nodepool': o.pool ?? 'default' }, ...o.claimMeta },
    spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
    status: { providerID: `kwok://${name}`, nodeName: name, conditions, ...(o.lastPodEventMs === undefined ? {} : { lastPodEventTime: iso(o.lastPodEventMs) }) },
  };
  const node: Node = {
    metadata: { name, labels: { 'karpenter.sh/nodepool': o.pool ?? 'default' }, ...o.nodeMeta },
    spec: { providerID: `kwok://${name}`, taints: o.taints ?? [] },
    status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  };
  return {
    nodeClaim: claim,
    ...(o.registered === false ? {} : { node }),
    pods: o.pods ?? [],
    ...(o.nominated ? { nominated: true } : {}),
    ...(o.pendingPodEventMs === undefined ? {} : { pendingPodEventMs: o.pendingPodEventMs }),
  };
}

export function pod(name: string, o: { owner?: string; annotations?: Record<string, string>; phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed'; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'default',
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner, name: 'owner', uid: 'uid-owner', controller: true }] } : {}),
      ...(o.annotations ? { annotations: o.annotations } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { nodeName: 'n', containers: [{ name: 'c' }] },
    status: { phase: o.phase ?? 'Running' },
  };
}
