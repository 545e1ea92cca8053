/**
 * The stable JSON of `karpenter-ts simulate` (docs/simulate-json.md), which other tools parse, built from a
 * scheduling result.
 */
import type { Pod } from '../core/types.js';
import { formatQuantity } from '../quantity/index.js';
import type { ResourceList } from '../quantity/resourcelist.js';
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
}

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
 * scheduler's order. Pure and deterministic; `JSON.stringify(output, null, 2)` is the CLI's text.
 */
export function formatSimulation(result: SchedulingResult, snapshot: SchedulingSnapshot): SimulationOutput {
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
  return { nodeClaims, existingNodes, unschedulable, totalPricePerHour };
}
