import { FreeCapacityTree, RequestTree } from './capacity-trees.js';
import { hostPortsConflict, HostPortUsage, type HostPort } from './host-ports.js';
import { NodeTermCounts, type HostnameRules, type PackItem } from './hostname-rules.js';
import { addInto, subtractInto } from './resource-vector.js';
import type { TypeSlot } from './type-slots.js';

/** An instance type of a group of claims with what a launch of it alone would cost. */
export interface PricedSlot {
  readonly slot: TypeSlot;
  /** Launch preference of its best allowed offering (reserved 0, spot 1, on-demand 2). */
  readonly tier: number;
  /** USD per hour of that offering. */
  readonly pricePerHour: number;
}

/** True when the slot's DaemonSets bind none of the ports. */
export function daemonPortsAllow(slot: TypeSlot, ports: readonly HostPort[]): boolean {
  const daemon = slot.type.daemonHostPorts;
  if (ports.length === 0 || daemon.length === 0) return true;
  for (const d of daemon) for (const p of ports) if (hostPortsConflict(d, p)) return false;
  return true;
}

/**
 * The first slot of `priced` (in launch order: most preferred capacity type, then price) that holds `used` and
 * whose DaemonSets' host ports do not clash with `ports` — what a launch of a NodeClaim whose options are every
 * fitting slot picks. `undefined` when none fits.
 */
export function cheapestFitting(priced: readonly PricedSlot[], used: Float64Array, ports: readonly HostPort[]): PricedSlot | undefined {
  for (const p of priced) {
    if (fitsWithinAvailable(used, p.slot.available) && daemonPortsAllow(p.slot, ports)) return p;
  }
  return undefined;
}

function fitsWithinAvailable(used: Float64Array, available: Float64Array): boolean {
  for (let i = 0; i < used.length; i++) {
    const u = used[i] as number;
    if (u > 0 && u > (available[i] as number)) return false;
  }
  return true;
}

/** A node being packed: its pods, their summed requests, host ports and hostname-term counts. */
export class Bin {
  readonly items: PackItem[] = [];
  readonly used: Float64Array;
  /** The pods' host ports (DaemonSet ports are checked per instance type). */
  portList: readonly HostPort[] = [];
  private ports: HostPortUsage | undefined;
  private readonly terms: NodeTermCounts;

  constructor(size: number, rules: HostnameRules) {
    this.used = new Float64Array(size);
    this.terms = new NodeTermCounts(rules);
  }

  /** Whether the pod may join (host ports, also against `slot`'s DaemonSets, and hostname rules); resources aside. */
  accepts(item: PackItem, slot: TypeSlot): boolean {
    const ports = item.member.info.hostPorts;
    if (ports.length > 0 && ((this.ports && this.ports.conflict(ports) !== undefined) || !daemonPortsAllow(slot, ports))) return false;
    return this.terms.admits(item);
  }

  add(item: PackItem): void {
    this.items.push(item);
    addInto(this.used, item.member.requests);
    const ports = item.member.info.hostPorts;
    if (ports.length > 0) {
      this.portList = [...this.portList, ...ports];
      this.ports ??= new HostPortUsage();
      this.ports.add(ports);
    }
    this.terms.add(item);
  }

  remove(item: PackItem): void {
    const at = this.items.indexOf(item);
    if (at < 0) return;
    this.items.splice(at, 1);
    subtractInto(this.used, item.member.requests);
    if (item.member.info.hostPorts.length > 0) {
      this.portList = this.items.flatMap((i) => i.member.info.hostPorts);
      this.ports = new HostPortUsage(this.portList);
    }
    this.terms.remove(item);
  }
}

/**
 * Node-by-node packing that balances resources (a greedy for vector bin packing): each node of `target` starts
 * with the next seed (pods that each need a node of their own), or else the largest pod left, and is then
 * filled with the largest pod left that fits and that its host ports and hostname rules accept — taken first
 * from the pods heaviest in the resource the node has the most room left for (relative to `target`), then
 * from the others. `items` must be largest first; `heaviest[i]` is the resource class (an index into
 * `classes`, resource positions) of `items[i]`. A pod that fits no `target` starts a node of the cheapest type
 * that holds it. A pod is skipped for the node after `patience` pods that fit but were refused. Returns the
 * nodes, or `undefined` when some pod fits no type at all.
 */
export function fillNodes(args: {
  seeds: readonly PackItem[];
  items: readonly PackItem[];
  heaviest: readonly number[];
  classes: readonly number[];
  rules: HostnameRules;
  target: TypeSlot;
  priced: readonly PricedSlot[];
  patience: number;
  size: number;
}): Bin[] | undefined {
  const { seeds, items, heaviest, classes, rules, target, priced, patience, size } = args;
  const never = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  const trees = classes.map((_, c) => new RequestTree(size, items.map((item, i) => (heaviest[i] === c ? item.member.requests : never))));
  const taken = new Uint8Array(items.length);
  let left = items.length;
  let next = 0;
  let seed = 0;
  const bins: Bin[] = [];
  const free = new Float64Array(size);
  const order: number[] = classes.map((_, c) => c);
  const room = new Float64Array(classes.length);
  const take = (i: number): PackItem => {
    taken[i] = 1;
    left--;
    (trees[heaviest[i] as number] as RequestTree).remove(i);
    return items[i] as PackItem;
  };
  while (seed < seeds.length || left > 0) {
    let first: PackItem;
    if (seed < seeds.length) first = seeds[seed++] as PackItem;
    else {
      while (taken[next]) next++;
      first = take(next);
    }
    const ports = first.member.info.hostPorts;
    const cap = fitsWithinAvailable(first.member.requests, target.available) && daemonPortsAllow(target, ports) ? target : cheapestFitting(priced, first.member.requests, ports)?.slot;
    if (!cap) return undefined;
    const bin = new Bin(size, rules);
    bins.push(bin);
    bin.add(first);
    for (;;) {
      for (let i = 0; i < size; i++) free[i] = (cap.available[i] as number) - (bin.used[i] as number);
      classes.forEach((r, c) => {
        const a = cap.available[r] as number;
        room[c] = a > 0 ? (free[r] as number) / a : 0;
      });
      order.sort((a, b) => (room[b] as number) - (room[a] as number) || a - b);
      let picked = -1;
      for (let k = 0; k < order.length && picked < 0; k++) {
        const tree = trees[order[k] as number] as RequestTree;
        let refusals = 0;
        for (let p = tree.findFirst(free, 0); p >= 0 && refusals < patience; p = tree.findFirst(free, p + 1)) {
          if (bin.accepts(items[p] as PackItem, cap)) {
            picked = p;
            break;
          }
          refusals++;
        }
      }
      if (picked < 0) break;
      bin.add(take(picked));
    }
  }
  return bins;
}

/**
 * Local improvement of a packing: a pod moves from its node into another node's spare room — what that node's
 * current cheapest type leaves free, so its price does not change — whenever its own node can then launch on a
 * cheaper type (or not at all, once empty). Every move lowers the total price, so the loop ends; nodes are swept
 * cheapest first, at most `sweeps` times. Returns the non-empty nodes.
 */
export function relieve(args: { bins: readonly Bin[]; priced: readonly PricedSlot[]; patience: number; size: number; sweeps: number }): Bin[] {
  const { bins, priced, patience, size, sweeps } = args;
  const prices: (PricedSlot | undefined)[] = bins.map((b) => cheapestFitting(priced, b.used, b.portList));
  const tree = new FreeCapacityTree(size);
  const free = new Float64Array(size);
  const refresh = (position: number): void => {
    const p = prices[position];
    const used = (bins[position] as Bin).used;
    if (!p) free.fill(Number.NEGATIVE_INFINITY);
    else for (let i = 0; i < size; i++) free[i] = (p.slot.available[i] as number) - (used[i] as number);
    tree.update(position, free);
  };
  for (let i = 0; i < bins.length; i++) {
    tree.push(free);
    refresh(i);
  }
  const order = bins.map((_, i) => i).sort((a, b) => (prices[a]?.pricePerHour ?? 0) - (prices[b]?.pricePerHour ?? 0) || a - b);
  const rest = new Float64Array(size);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let moved = false;
    for (const from of order) {
      const bin = bins[from] as Bin;
      for (let k = bin.items.length - 1; k >= 0; k--) {
        const current = prices[from];
        if (!current) break;
        const item = bin.items[k] as PackItem;
        rest.set(bin.used);
        subtractInto(rest, item.member.requests);
        const own = item.member.info.hostPorts;
        const lower = bin.items.length === 1 ? undefined : cheapestFitting(priced, rest, own.length > 0 ? bin.portList.filter((p) => !own.includes(p)) : bin.portList);
        if (lower && lower.pricePerHour >= current.pricePerHour) continue;
        const to = findHost(tree, item.member.requests, patience, (p) => p !== from && prices[p] !== undefined && (bins[p] as Bin).accepts(item, (prices[p] as PricedSlot).slot));
        if (to < 0) continue;
        bin.remove(item);
        (bins[to] as Bin).add(item);
        prices[from] = lower;
        refresh(from);
        refresh(to);
        moved = true;
        k = bin.items.length;
      }
    }
    if (!moved) break;
  }
  return bins.filter((b) => b.items.length > 0);
}

/** The first node the tree offers with room for `requests` that `accepts` it, giving up after `patience` refusals. */
function findHost(tree: FreeCapacityTree, requests: Float64Array, patience: number, accepts: (position: number) => boolean): number {
  let refusals = 0;
  for (let p = tree.findFirst(requests, 0); p >= 0 && refusals < patience; p = tree.findFirst(requests, p + 1)) {
    if (accepts(p)) return p;
    refusals++;
  }
  return -1;
}
