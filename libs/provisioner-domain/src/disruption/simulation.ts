/**
 * The cluster as consolidation simulates it: every node as the scheduler's `ExistingNode`, built once per
 * planning pass and reused by every simulation (a simulation marks its candidates as going away instead of
 * rebuilding the list), updated as each command is applied so that later commands see earlier ones.
 */
import { LABEL_HOSTNAME, LABEL_NODEPOOL, TAINT_DISRUPTED } from '../apis/labels.js';
import type { NodePool } from '../apis/nodepool.js';
import type { DaemonSet, Node, Pod } from '../core/types.js';
import { allocatable } from '../instancetypes/allocatable.js';
import type { InstanceType } from '../instancetypes/types.js';
import { toResourceList } from '../quantity/convert.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { podRequests } from '../scheduling/pod-requests.js';
import { schedule } from '../scheduling/schedule.js';
import type { ExistingNode, NodeClaimPlan, SchedulingResult } from '../scheduling/types.js';
import { isTerminalPod } from './pods.js';

/** One node of the simulated cluster, before it becomes an `ExistingNode`. */
export interface SimulatedNodeInput {
  name: string;
  node: Node | undefined;
  pods: readonly Pod[];
  nodePool?: string;
  /** Already being disrupted: its pods are placed in every simulation, nothing new goes there. */
  markedForDeletion: boolean;
  /** Allocatable when the Node reports none (from the instance type). */
  fallbackAllocatable?: ResourceList;
  initialized: boolean;
}

/** What one simulation of removing `candidates` found. */
export interface SimulationOutcome {
  result: SchedulingResult;
  /** The candidates' pods that found no place. */
  unplaced: Pod[];
  /** New NodeClaims holding at least one of the candidates' pods (claims holding only pending pods are left out). */
  newClaims: NodeClaimPlan[];
  /** Where each moved pod landed: an existing node's name, or the new claim's hostname. */
  moves: Map<Pod, string>;
}

function existingNodeOf(input: SimulatedNodeInput): ExistingNode {
  const labels: Record<string, string> = { [LABEL_HOSTNAME]: input.name, ...(input.node?.metadata.labels ?? {}) };
  const taints = [...(input.node?.spec?.taints ?? [])];
  if (input.node?.spec?.unschedulable) taints.push({ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' });
  const reported = input.node?.status?.allocatable ?? input.node?.status?.capacity;
  return {
    name: input.name,
    labels,
    taints,
    allocatable: reported ? toResourceList(reported) : (input.fallbackAllocatable ?? {}),
    pods: input.pods.filter((p) => !isTerminalPod(p)),
    initialized: input.initialized,
    ...(input.nodePool ? { nodePoolName: input.nodePool } : {}),
    ...(input.markedForDeletion || taints.some((t) => t.key === TAINT_DISRUPTED.key) ? { markedForDeletion: true } : {}),
  };
}

/**
 * The simulated cluster. `simulate(names)` runs the provisioning `schedule` (cost packing on) with the pending
 * pods over every node, the named ones marked as going away (so their reschedulable pods are placed with the
 * pending ones, exactly as the provisioner would after a deletion). `apply` makes a command's outcome the new
 * state. Counts simulations in `simulations`.
 */
export class ClusterSimulator {
  simulations = 0;
  private nodes: ExistingNode[];
  private readonly byName = new Map<string, number>();
  /** Free resources per node name, computed on first read and dropped when `apply` changes the node. */
  private readonly freeByName = new Map<string, Readonly<Record<string, number>>>();
  /** `freeByName` of the nodes not going away, in node order (rebuilt after `apply`). */
  private freeList: { names: string[]; free: Readonly<Record<string, number>>[]; position: Map<string, number> } | undefined;
  private replacementSeq = 0;

  constructor(
    nodes: readonly SimulatedNodeInput[],
    private readonly context: {
      pendingPods: readonly Pod[];
      nodePools: readonly NodePool[];
      instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
      daemonSets: readonly DaemonSet[];
    },
  ) {
    this.nodes = nodes.map(existingNodeOf);
    this.reindex();
  }

  private reindex(): void {
    this.byName.clear();
    this.nodes.forEach((n, i) => this.byName.set(n.name, i));
  }

  /** The node's current state (pods include those moved onto it by applied commands). */
  node(name: string): ExistingNode | undefined {
    const i = this.byName.get(name);
    return i === undefined ? undefined : this.nodes[i];
  }

  /** All nodes now. */
  all(): readonly ExistingNode[] {
    return this.nodes;
  }

  /**
   * Free resources (see `freeResources`) of every node that is not going away and not in `exclude`, in node
   * order; each node's figure is computed once and reused until a command changes that node. Read only.
   */
  freeOthers(exclude: ReadonlySet<string>): Readonly<Record<string, number>>[] {
    if (!this.freeList) {
      const names: string[] = [];
      const free: Readonly<Record<string, number>>[] = [];
      for (const n of this.nodes) {
        if (n.markedForDeletion) continue;
        let f = this.freeByName.get(n.name);
        if (!f) {
          f = freeResources(n);
          this.freeByName.set(n.name, f);
        }
        names.push(n.name);
        free.push(f);
      }
      this.freeList = { names, free, position: new Map(names.map((name, i) => [name, i])) };
    }
    const { names, free, position } = this.freeList;
    if (exclude.size === 1) {
      const [only] = exclude;
      const i = position.get(only ?? '');
      return i === undefined ? free.slice() : free.slice(0, i).concat(free.slice(i + 1));
    }
    return free.filter((_, i) => !exclude.has(names[i] ?? ''));
  }

  /** Simulates removing the named nodes. */
  simulate(names: ReadonlySet<string>): SimulationOutcome {
    this.simulations += 1;
    const existingNodes = this.nodes.map((n) => (names.has(n.name) ? { ...n, markedForDeletion: true } : n));
    const result = schedule(
      { pods: this.context.pendingPods, existingNodes, nodePools: this.context.nodePools, instanceTypes: this.context.instanceTypes, daemonSets: this.context.daemonSets },
      { packing: 'cost' },
    );
    const moving = new Set(result.displaced.filter((d) => names.has(d.nodeName)).map((d) => d.pod));
    const unplaced = result.unschedulable.map((u) => u.pod).filter((p) => moving.has(p));
    const moves = new Map<Pod, string>();
    for (const n of result.existingNodes) for (const p of n.pods) if (moving.has(p)) moves.set(p, n.name);
    const newClaims = result.nodeClaims.filter((c) => c.pods.some((p) => moving.has(p)));
    for (const c of newClaims) for (const p of c.pods) if (moving.has(p)) moves.set(p, c.hostname ?? '');
    return { result, unplaced, newClaims, moves };
  }

  /**
   * Makes a command's outcome the state: the candidates are gone, pods moved to existing nodes are there, each
   * replacement is a node (named `replacement-N`, labelled as planned, allocatable of its launched type). Returns
   * the replacement node names, in `replacements` order, and the existing nodes that received pods.
   */
  apply(names: ReadonlySet<string>, outcome: SimulationOutcome, replacements: readonly NodeClaimPlan[]): { replacementNames: string[]; receivers: Set<string> } {
    const received = new Map<string, Pod[]>();
    for (const n of outcome.result.existingNodes) {
      if (names.has(n.name)) continue;
      const moved = n.pods.filter((p) => outcome.moves.get(p) === n.name);
      if (moved.length > 0) received.set(n.name, moved);
    }
    const next = this.nodes.filter((n) => !names.has(n.name)).map((n) => {
      const extra = received.get(n.name);
      return extra ? { ...n, pods: [...n.pods, ...extra] } : n;
    });
    const replacementNames: string[] = [];
    for (const plan of replacements) {
      let name = `replacement-${++this.replacementSeq}`;
      while (this.byName.has(name)) name = `replacement-${++this.replacementSeq}`;
      replacementNames.push(name);
      const type = this.context.instanceTypes[plan.nodePoolName]?.find((t) => t.name === plan.launch.instanceType);
      next.push({
        name,
        labels: { ...(plan.labels ?? {}), [LABEL_HOSTNAME]: name, [LABEL_NODEPOOL]: plan.nodePoolName },
        taints: [],
        allocatable: type ? allocatable(type) : plan.requests,
        pods: plan.pods,
        initialized: true,
        nodePoolName: plan.nodePoolName,
      });
    }
    this.nodes = next;
    for (const name of names) this.freeByName.delete(name);
    for (const name of received.keys()) this.freeByName.delete(name);
    this.freeList = undefined;
    this.reindex();
    return { replacementNames, receivers: new Set(received.keys()) };
  }
}

/** Free resources of a node (allocatable − its pods' requests), canonical units; for quick pre-checks. */
export function freeResources(node: ExistingNode): Record<string, number> {
  const free: Record<string, number> = { ...node.allocatable };
  for (const pod of node.pods) {
    if (isTerminalPod(pod)) continue;
    const r = podRequests(pod);
    for (const key in r) free[key] = (free[key] ?? 0) - (r[key] ?? 0);
  }
  return free;
}
