/**
 * The stable JSON of `karpenter-ts simulate` (docs/simulate-json.md), which other tools parse, built from a
 * scheduling result.
 */
import type { Pod } from '../core/types.js';
import { formatQuantity } from '../quantity/index.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { otherSchedulerName } from '../scheduling/provisionable.js';
import type { SchedulingResult, SchedulingSnapshot } from '../scheduling/types.js';

/** One NodeClaim a round would create. Prices in USD per hour; quantities as Kubernetes quantity text. */
export interface SimulatedNodeClaim {
  nodePool: string;
  /** What a launch would pick: the cheapest available offering among `instanceTypeOptions`. */
  instanceType: string;
  /** Every instance type that fits all of `pods`, cheapest first. */
  instanceTypeOptions: string[];
  capacityType: string;
  zone: string;
  pricePerHour: number;
  /** `namespace/name`. */
  pods: string[];
  /** Pods' requests plus DaemonSet overhead: `{cpu: "4200m", memory: "9816Mi", pods: "4"}`. */
  requests: Record<string, string>;
}

/** The docs/simulate-json.md output. Key order is part of the format. */
export interface SimulationOutput {
  nodeClaims: SimulatedNodeClaim[];
  /** Existing nodes that receive pods, in snapshot order, with only the pods this round puts there. */
  existingNodes: { name: string; pods: string[] }[];
  unschedulable: { pod: string; reason: string; nodePools: Record<string, string> }[];
  /** Sum of the NodeClaims' `pricePerHour`, rounded to 1e-9 USD. */
  totalPricePerHour: number;
  /**
   * Pods handed in that Karpenter does not provision for, never given capacity, in input order. `code` is
   * stable: `Terminal`, `Terminating`, `Bound`, `Preempting`, `DaemonSet`, `MirrorPod` (see `provisioningSkipReason`).
   */
  skipped: { pod: string; code: string; reason: string }[];
  /**
   * Facts about individual pods that change how they were packed, in order of kind then pod. `code` is stable:
   * `NodeDeleting` (taken from a node that is being deleted and packed with the pending pods: "node X is being
   * deleted"), `OtherScheduler` (addressed to another scheduler; packed anyway, as Karpenter does),
   * `LimitRangeDefaults` (a LimitRange's defaults were applied, as admission would; for a DaemonSet the entry
   * has `daemonSet` instead of `pod`).
   */
  notes: SimulationNote[];
}

/**
 * One note of the simulation output, about a pod (`pod: "namespace/name"`) or, for LimitRange defaults applied
 * to a DaemonSet's pod template, about the DaemonSet (`daemonSet: "namespace/name"`).
 */
export type SimulationNote =
  | { pod: string; code: 'NodeDeleting' | 'OtherScheduler' | 'LimitRangeDefaults'; note: string }
  | { daemonSet: string; code: 'LimitRangeDefaults'; note: string };

/** `namespace/name`, namespace `default` when unset. */
export function podRef(pod: Pod): string {
  return `${pod.metadata.namespace ?? 'default'}/${pod.metadata.name ?? ''}`;
}

const FIRST_KEYS = ['cpu', 'memory', 'pods'];

function keyOrder(a: string, b: string): number {
  const ia = FIRST_KEYS.indexOf(a);
  const ib = FIRST_KEYS.indexOf(b);
  if (ia >= 0 || ib >= 0) return (ia < 0 ? FIRST_KEYS.length : ia) - (ib < 0 ? FIRST_KEYS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Non-zero amounts as quantity text, keys in order cpu, memory, pods, then the others alphabetically. */
export function formatRequests(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(list).sort(keyOrder)) {
    const amount = list[key] ?? 0;
    if (amount !== 0) out[key] = formatQuantity(key, amount);
  }
  return out;
}

/** Rounds a USD amount to 1e-9, removing binary floating-point noise from sums (0.1 + 0.2 → 0.3). */
export function roundPrice(usd: number): number {
  return Math.round(usd * 1e9) / 1e9;
}

/**
 * Formats a scheduling result as the JSON of docs/simulate-json.md. NodeClaims keep the scheduler's order; existing nodes
 * follow the snapshot's node order (nodes that received no pod are left out); unschedulable pods keep the
 * scheduler's order; `skipped` and `notes` come last (added after the first format, so older parsers that
 * ignore unknown keys keep working). `extraNotes` (e.g. LimitRange defaults from loading) follow the
 * scheduler's own notes. Pure and deterministic; `JSON.stringify(output, null, 2)` is the CLI's text.
 */
export function formatSimulation(result: SchedulingResult, snapshot: SchedulingSnapshot, extraNotes: readonly SimulationNote[] = []): SimulationOutput {
  const nodeOrder = new Map(snapshot.existingNodes.map((n, i) => [n.name, i]));
  const nodeClaims = result.nodeClaims.map((nc) => ({
    nodePool: nc.nodePoolName,
    instanceType: nc.launch.instanceType,
    instanceTypeOptions: [...nc.instanceTypeOptions],
    capacityType: nc.launch.capacityType,
    zone: nc.launch.zone,
    pricePerHour: nc.launch.pricePerHour,
    pods: nc.pods.map(podRef),
    requests: formatRequests(nc.requests),
  }));
  const existingNodes = result.existingNodes
    .filter((n) => n.pods.length > 0)
    .map((n) => ({ name: n.name, pods: n.pods.map(podRef) }))
    .sort((a, b) => (nodeOrder.get(a.name) ?? Infinity) - (nodeOrder.get(b.name) ?? Infinity));
  const unschedulable = result.unschedulable.map((u) => ({ pod: podRef(u.pod), reason: u.reason, nodePools: { ...u.nodePools } }));
  const totalPricePerHour = roundPrice(nodeClaims.reduce((sum, nc) => sum + nc.pricePerHour, 0));
  const skipped = result.skipped.map((s) => ({ pod: podRef(s.pod), code: s.code, reason: s.reason }));
  const skippedPods = new Set(result.skipped.map((s) => s.pod));
  const notes: SimulationNote[] = [
    ...result.displaced.map((d): SimulationNote => ({ pod: podRef(d.pod), code: 'NodeDeleting', note: `${d.reason}: packed with the pending pods` })),
    ...[...snapshot.pods, ...result.displaced.map((d) => d.pod)].flatMap((pod): SimulationNote[] => {
      const scheduler = skippedPods.has(pod) ? undefined : otherSchedulerName(pod);
      return scheduler
        ? [{ pod: podRef(pod), code: 'OtherScheduler', note: `addressed to scheduler "${scheduler}", not kube-scheduler: packed anyway, as Karpenter ignores spec.schedulerName; that scheduler must place it on the new capacity` }]
        : [];
    }),
    ...result.limitRangeDefaults.map(
      (d): SimulationNote =>
        d.kind === 'Pod'
          ? { pod: `${d.namespace}/${d.name}`, code: 'LimitRangeDefaults', note: `${d.changes.join('; ')} (as admission will)` }
          : { daemonSet: `${d.namespace}/${d.name}`, code: 'LimitRangeDefaults', note: `${d.changes.join('; ')} (its pods will be admitted so: counted in the overhead of new nodes)` },
    ),
    ...extraNotes,
  ];
  return { nodeClaims, existingNodes, unschedulable, totalPricePerHour, skipped, notes };
}
