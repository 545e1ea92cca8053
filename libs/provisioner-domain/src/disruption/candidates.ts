/**
 * Disruption candidates (Karpenter's `disruption.Candidate`): a managed node with the facts every method reads —
 * its pool, price, the pods that would have to move and its disruption cost — or the reason it is not one.
 */
import { parseDuration } from '../apis/duration.js';
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE } from '../apis/labels.js';
import type { NodePool } from '../apis/nodepool.js';
import type { Pod } from '../core/types.js';
import type { CapacityType, InstanceType } from '../instancetypes/types.js';
import { hasDoNotDisruptAnnotation, isReschedulable, podBlocksDisruption, podName } from './pods.js';
import type { PdbIndex } from './pdb.js';
import { nodeNameOf, nodePoolNameOf, timestampMs } from './emptiness.js';
import type { BlockedNode, DisruptionBlockCode, DisruptionNodeInput } from './types.js';

/** A node the consolidation and drift methods may act on. */
export interface DisruptionCandidate {
  /** Position in `DisruptionInput.nodes`. */
  index: number;
  input: DisruptionNodeInput;
  node: string;
  nodeClaim: string;
  nodePool: string;
  pool: NodePool;
  /** The instance type, zone and capacity type from the node's labels, with the matching offering's price. */
  instanceType?: InstanceType;
  zone?: string;
  capacityType?: CapacityType;
  /** USD per hour; undefined when no offering of the pool matches the node's labels. */
  pricePerHour?: number;
  /** Pods that would have to move (see `isReschedulable`). */
  reschedulable: Pod[];
  /** Karpenter's disruption cost: sum of the pods' eviction costs times the remaining share of the node's lifetime. */
  disruptionCost: number;
  emptySinceMs: number;
  consolidateAfterMs: number | 'Never';
}

/** Karpenter's `EvictionCost`: 1, plus `controller.kubernetes.io/pod-deletion-cost` / 2^27, plus priority / 2^25, within [-10, 10]. */
export function evictionCost(pod: Pod): number {
  let cost = 1;
  const deletionCost = Number(pod.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost']);
  if (Number.isFinite(deletionCost)) cost += deletionCost / 2 ** 27;
  if (pod.spec.priority !== undefined) cost += pod.spec.priority / 2 ** 25;
  return Math.min(10, Math.max(-10, cost));
}

/**
 * The share of the node's lifetime left at `nowMs`: (expireAfter − age) / expireAfter within [0, 1]; 1 when
 * the NodeClaim never expires or its age is unknown (Karpenter's `LifetimeRemaining`).
 */
export function lifetimeRemaining(input: DisruptionNodeInput, pool: NodePool, nowMs: number): number {
  const text = input.nodeClaim.spec.expireAfter ?? pool.spec.template.spec.expireAfter;
  const expireAfter = typeof text === 'string' ? parseDuration(text) : undefined;
  const createdMs = timestampMs(input.nodeClaim.metadata.creationTimestamp);
  if (expireAfter === undefined || expireAfter === 'Never' || expireAfter <= 0 || createdMs === undefined) return 1;
  return Math.min(1, Math.max(0, (expireAfter - (nowMs - createdMs)) / expireAfter));
}

/** The instance type, zone, capacity type and price of a node, from its (or its NodeClaim's) labels and the pool's catalog. */
export function nodeOffering(
  input: DisruptionNodeInput,
  types: readonly InstanceType[] | undefined,
): { instanceType?: InstanceType; zone?: string; capacityType?: CapacityType; pricePerHour?: number } {
  const labels = { ...(input.nodeClaim.metadata.labels ?? {}), ...(input.node?.metadata.labels ?? {}) };
  const typeName = labels[LABEL_INSTANCE_TYPE];
  const zone = labels[LABEL_TOPOLOGY_ZONE];
  const capacityType = labels[LABEL_CAPACITY_TYPE] as CapacityType | undefined;
  const instanceType = types?.find((t) => t.name === typeName);
  const offering = instanceType?.offerings.find((o) => o.zone === zone && o.capacityType === capacityType);
  return {
    ...(instanceType ? { instanceType } : {}),
    ...(zone ? { zone } : {}),
    ...(capacityType ? { capacityType } : {}),
    ...(offering ? { pricePerHour: offering.pricePerHour } : {}),
  };
}

const hasController = (pod: Pod): boolean => (pod.metadata.ownerReferences ?? []).some((o) => o.controller === true);

/**
 * The checks every voluntary method shares (Karpenter's `NewCandidate`), for a node with pods to move: not
 * nominated, no `karpenter.sh/do-not-disrupt` on the Node, NodeClaim or an active pod, every pod to move owned
 * by a controller (unless `allowUncontrolledPods`), no PodDisruptionBudget that allows 0 evictions of one of
 * its pods. Returns the first that fails as a code and a sentence, else `undefined`.
 */
export function commonBlock(
  input: DisruptionNodeInput,
  pdbs: PdbIndex,
  allowUncontrolledPods: boolean,
): { code: DisruptionBlockCode; reason: string } | undefined {
  if (input.nominated) return { code: 'Nominated', reason: 'nominated for pending pods that the provisioner expects to be bound to it' };
  if (hasDoNotDisruptAnnotation(input.node?.metadata)) return { code: 'DoNotDisruptNode', reason: 'the Node has karpenter.sh/do-not-disrupt' };
  if (hasDoNotDisruptAnnotation(input.nodeClaim.metadata)) return { code: 'DoNotDisruptNode', reason: 'the NodeClaim has karpenter.sh/do-not-disrupt' };
  const pinned = input.pods.find(podBlocksDisruption);
  if (pinned) return { code: 'DoNotDisruptPod', reason: `pod ${podName(pinned)} has karpenter.sh/do-not-disrupt` };
  const moving = input.pods.filter(isReschedulable);
  if (!allowUncontrolledPods) {
    const bare = moving.find((p) => !hasController(p));
    if (bare) return { code: 'Uncontrolled', reason: `pod ${podName(bare)} has no controller, so evicting it would lose it` };
  }
  const pdb = pdbs.blocking(moving);
  if (pdb) return { code: 'PDBBlocks', reason: pdb };
  return undefined;
}

/** A candidate for `input` (the node passed the emptiness checks up to "not empty", or is drifted). */
export function toCandidate(args: {
  index: number;
  input: DisruptionNodeInput;
  pool: NodePool;
  types: readonly InstanceType[] | undefined;
  emptySinceMs: number;
  nowMs: number;
}): DisruptionCandidate {
  const { input, pool } = args;
  const reschedulable = input.pods.filter(isReschedulable);
  const after = parseDuration(pool.spec.disruption?.consolidateAfter ?? '0s') ?? 0;
  const cost = reschedulable.reduce((sum, p) => sum + evictionCost(p), 0) * lifetimeRemaining(input, pool, args.nowMs);
  return {
    index: args.index,
    input,
    node: nodeNameOf(input),
    nodeClaim: input.nodeClaim.metadata.name ?? '',
    nodePool: nodePoolNameOf(input.nodeClaim) ?? '',
    pool,
    ...nodeOffering(input, args.types),
    reschedulable,
    disruptionCost: cost,
    emptySinceMs: args.emptySinceMs,
    consolidateAfterMs: after,
  };
}

/** Cheapest to disrupt first (Karpenter sorts candidates by disruption cost), then by NodeClaim name. */
export function byDisruptionCost(a: DisruptionCandidate, b: DisruptionCandidate): number {
  return a.disruptionCost - b.disruptionCost || (a.nodeClaim < b.nodeClaim ? -1 : a.nodeClaim > b.nodeClaim ? 1 : 0);
}

/** A BlockedNode for a candidate. */
export function blockedOf(c: Pick<DisruptionCandidate, 'node' | 'nodeClaim' | 'nodePool'>, code: DisruptionBlockCode, reason: string, retryAtMs?: number): BlockedNode {
  return { node: c.node, nodeClaim: c.nodeClaim, ...(c.nodePool ? { nodePool: c.nodePool } : {}), code, reason, ...(retryAtMs === undefined ? {} : { retryAtMs }) };
}
