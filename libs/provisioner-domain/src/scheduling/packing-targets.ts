import { CAPACITY_TYPE_PREFERENCE } from '../instancetypes/offerings.js';
import type { PricedSlot } from './bin-packing.js';
import type { PackItem } from './hostname-rules.js';
import { launchOffering } from './instance-type-filter.js';
import type { Requirements } from './requirements.js';
import type { TypeSlot } from './type-slots.js';

/** Target types are picked one per price band of this ratio, so that every node size is tried once. */
const PRICE_BAND_RATIO = 1.5;

/** The slots with the offering a launch of each alone would use, in launch order (capacity type, price, name). */
export function pricedSlots(slots: readonly TypeSlot[], requirements: Requirements): PricedSlot[] {
  const out: PricedSlot[] = [];
  for (const slot of slots) {
    const launch = launchOffering([slot.type.instanceType], requirements);
    if (launch) out.push({ slot, tier: CAPACITY_TYPE_PREFERENCE[launch.offering.capacityType], pricePerHour: launch.offering.pricePerHour });
  }
  const name = (p: PricedSlot): string => p.slot.type.instanceType.name;
  return out.sort((a, b) => a.tier - b.tier || a.pricePerHour - b.pricePerHour || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

/**
 * USD per hour a launch among these slots would cost (DESIGN §4.2: the most preferred capacity type offered,
 * then the lowest price), from their entries in `prices`; 0 when none is priced.
 */
export function launchPrice(slots: readonly TypeSlot[], prices: ReadonlyMap<TypeSlot, PricedSlot>): number {
  let best: PricedSlot | undefined;
  for (const slot of slots) {
    const p = prices.get(slot);
    if (p && (!best || p.tier < best.tier || (p.tier === best.tier && p.pricePerHour < best.pricePerHour))) best = p;
  }
  return best?.pricePerHour ?? 0;
}

/** Per resource, the lowest price per unit any slot charges for it (USD/h per canonical unit; Infinity if none has it). */
export function unitPrices(priced: readonly PricedSlot[], size: number): Float64Array {
  const out = new Float64Array(size).fill(Number.POSITIVE_INFINITY);
  for (const p of priced) {
    for (let r = 0; r < size; r++) {
      const a = p.slot.available[r] as number;
      if (a > 0) out[r] = Math.min(out[r] as number, p.pricePerHour / a);
    }
  }
  return out;
}

/** Max over resources of the summed requests times the lowest price per unit (`unitPrices`), USD/h. */
export function lowerBound(perUnit: Float64Array, demand: Float64Array): number {
  let bound = 0;
  for (let r = 0; r < demand.length; r++) {
    const d = demand[r] as number;
    const u = perUnit[r] as number;
    if (d > 0 && Number.isFinite(u)) bound = Math.max(bound, d * u);
  }
  return bound;
}

/**
 * Target node types, cheapest first: per band of prices (ratio 1.5) the type with the lowest estimated cost of
 * the group if every node were that type (price × the nodes the summed requests need, over the resources the
 * type has), so that each size is tried in the shape that suits the pods best.
 */
export function pickTargets(priced: readonly PricedSlot[], demand: Float64Array): TypeSlot[] {
  const bands = new Map<number, { slot: TypeSlot; estimate: number; price: number }>();
  for (const p of priced) {
    let nodes = 0;
    for (let r = 0; r < demand.length; r++) {
      const a = p.slot.available[r] as number;
      if ((demand[r] as number) > 0 && a > 0) nodes = Math.max(nodes, (demand[r] as number) / a);
    }
    const estimate = p.pricePerHour * nodes;
    const band = p.pricePerHour > 0 ? Math.floor(Math.log(p.pricePerHour) / Math.log(PRICE_BAND_RATIO)) : Number.NEGATIVE_INFINITY;
    const current = bands.get(band);
    if (!current || estimate < current.estimate) bands.set(band, { slot: p.slot, estimate, price: p.pricePerHour });
  }
  return [...bands.values()].sort((a, b) => a.price - b.price).map((b) => b.slot);
}

/**
 * How the pods are ordered and classed for packing into `target`: the binding resources (those whose summed
 * requests need at least half as many `target` nodes as the most demanding one), the pods largest first by
 * their largest share of `target` in a binding resource (ties: the scheduler's order, which `items` is in), the
 * class of each (its heaviest binding resource, an index into `classes`), and the largest share (above 1 when
 * some pod does not fit `target` alone).
 */
export function packingOrder(items: readonly PackItem[], target: TypeSlot, demand: Float64Array): { items: PackItem[]; heaviest: number[]; classes: number[]; largest: number } {
  const needs = Array.from(demand, (d, r) => {
    const a = target.available[r] as number;
    return d > 0 && a > 0 ? d / a : 0;
  });
  const most = Math.max(0, ...needs);
  const classes = needs.flatMap((n, r) => (most > 0 && n >= most / 2 ? [r] : []));
  if (classes.length === 0) classes.push(0);
  const share = new Float64Array(items.length);
  const heaviest = new Array<number>(items.length).fill(0);
  items.forEach((item, i) => {
    classes.forEach((r, c) => {
      const f = (item.member.requests[r] as number) / (target.available[r] as number);
      if (f > (share[i] as number)) {
        share[i] = f;
        heaviest[i] = c;
      }
    });
  });
  const order = items.map((_, i) => i).sort((a, b) => (share[b] as number) - (share[a] as number) || a - b);
  return { items: order.map((i) => items[i] as PackItem), heaviest: order.map((i) => heaviest[i] as number), classes, largest: share[order[0] ?? 0] ?? 0 };
}

/**
 * The largest set of pods that pairwise exclude each other by one hostname anti-affinity term (owners the term
 * also selects, like the replicas of a Deployment with self anti-affinity): each needs a node of its own.
 */
export function exclusiveSet(items: readonly PackItem[]): PackItem[] {
  const byTerm = new Map<number, PackItem[]>();
  let best: PackItem[] = [];
  for (const item of items) {
    for (const t of item.ownAnti) {
      if (!item.selectedByAnti.includes(t)) continue;
      let list = byTerm.get(t);
      if (!list) byTerm.set(t, (list = []));
      list.push(item);
      if (list.length > best.length) best = list;
    }
  }
  return best;
}
