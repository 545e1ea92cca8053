import { Bin, cheapestFitting, daemonPortsAllow, fillNodes, relieve, type PricedSlot } from './bin-packing.js';
import { HostPortUsage } from './host-ports.js';
import { HostnameRules, type PackItem } from './hostname-rules.js';
import { exclusiveSet, launchPrice, lowerBound, packingOrder, pickTargets, pricedSlots, unitPrices } from './packing-targets.js';
import { comparePodInfos } from './pod-info.js';
import { placeholderHostname, PlannedClaim, type TemplateState } from './planned-claim.js';
import { LabelRequirement } from './requirement.js';
import type { Requirements } from './requirements.js';
import { addInto, fitsVector } from './resource-vector.js';
import type { Scheduler } from './scheduler.js';
import { daemonPortsOf, filterSlots, hasMinValues, minValuesShortfall, type TypeSlot } from './type-slots.js';
import { LABEL_HOSTNAME } from './well-known-labels.js';

/** A re-pack must save more than this fraction of the group's price (float noise never counts as a saving). */
const MIN_SAVING = 1e-9;
/** Targets tried in a row (small to large) without a cheaper packing before the search stops. */
const TARGET_STALL = 2;
/** Pods that fit a node but are refused by a hostname rule before the packer gives up on that node for now. */
const PATIENCE = 16;
/** Sweeps of the local improvement (`relieve`). */
const RELIEVE_SWEEPS = 3;
/** A node is worth splitting when its price is at least this multiple of its pods' lower bound. */
const SPLIT_WORTH = 1.25;
/** Hostname terms × pods selector evaluations a group may spend; larger groups stay as planned. */
const MAX_SELECTOR_CHECKS = 4_000_000;

/** NodeClaims of one NodePool with the same requirements (hostname aside): their pods may move freely between them. */
interface ClaimGroup {
  readonly state: TemplateState;
  /** The shared requirements without `kubernetes.io/hostname`. */
  readonly requirements: Requirements;
  readonly claims: PlannedClaim[];
}

/**
 * Cost-aware packing (`packing: 'cost'`, the default): a pass over the finished Karpenter-style plan that
 * replaces a group of planned NodeClaims by a cheaper set when it finds one, and otherwise leaves it untouched.
 *
 * The rule:
 * - a group is the NodeClaims of one NodePool whose requirements are identical once `kubernetes.io/hostname` is
 *   set aside (same zone, capacity type and every other label, decided or left open alike); claims holding a pod
 *   with a hostname pod-affinity term stay out (it needs its company);
 * - candidates for a group: (a) the plan itself, improved by moving pods into other claims' spare room whenever
 *   that lets their own claim launch on a cheaper type (`relieve`); (b) the group's pods packed node by node
 *   into one target instance type (`fillNodes`: the pods that exclude each other by hostname anti-affinity each
 *   start a node, then the largest pod that fits, heaviest in the resource the node has most room for), for
 *   targets from small to large — one per price band, the shape that suits the pods' summed requests best —
 *   until two in a row are no cheaper, the cheapest then improved the same way; (c) each of these with its
 *   over-priced nodes re-packed on their own into cheaper ones (`splitNodes`);
 * - every node of a candidate is priced as its launch would be: the cheapest offering, most preferred capacity
 *   type first, among every compatible type that holds its pods with DaemonSet overhead;
 * - the cheapest candidate (ties: fewer nodes) replaces the group only when it is strictly cheaper than the
 *   group as planned and every new NodeClaim passes the checks the scheduler applies to a new NodeClaim: the shared requirements,
 *   resources with DaemonSet overhead, host ports (pods' and DaemonSets'), hostname anti-affinity and topology
 *   spread (`HostnameRules`, whichever order the pods arrive in), minValues, and the NodePool's limits
 *   (resources and `nodes`, with the largest option reserved as the scheduler does); when those refuse it,
 *   the next cheapest candidate is tried.
 * Every other topology domain (zone, capacity type, any other key) a pod sees is unchanged, because the new
 * NodeClaims carry the group's requirements and a launch may pick any value they allow, as before; pods on
 * existing nodes and unschedulable pods are untouched. So the plan is never more expensive than the
 * Karpenter-style plan of the same input, places the same pods, and is deterministic.
 * Mutates `scheduler.claims` (a replaced group takes its first claim's position) and renumbers the placeholder
 * hostnames when anything changed.
 */
export function improvePacking(scheduler: Scheduler): void {
  const replacements = new Map<PlannedClaim, PlannedClaim[]>();
  const replaced = new Set<PlannedClaim>();
  let seq = scheduler.claims.length;
  for (const group of claimGroups(scheduler.claims)) {
    const created = repackGroup(scheduler, group, () => seq++);
    if (!created) continue;
    replacements.set(group.claims[0] as PlannedClaim, created);
    for (const claim of group.claims) replaced.add(claim);
  }
  if (replacements.size === 0) return;
  const next: PlannedClaim[] = [];
  for (const claim of scheduler.claims) {
    const instead = replacements.get(claim);
    if (instead) for (const c of instead) next.push(c);
    else if (!replaced.has(claim)) next.push(claim);
  }
  scheduler.claims.length = 0;
  next.forEach((claim, i) => {
    const hostname = placeholderHostname(i);
    claim.hostname = hostname;
    claim.requirements = claim.requirements.with(LabelRequirement.in(LABEL_HOSTNAME, [hostname]));
    scheduler.claims.push(claim);
  });
}

function claimGroups(claims: readonly PlannedClaim[]): ClaimGroup[] {
  const groups = new Map<string, ClaimGroup>();
  for (const claim of claims) {
    if (claim.members.some(HostnameRules.pinsClaim)) continue;
    const requirements = claim.requirements.without(LABEL_HOSTNAME);
    const key = `${claim.state.template.name}\u0000${JSON.stringify(requirements.toNodeSelectorRequirements())}`;
    const group = groups.get(key);
    if (group) group.claims.push(claim);
    else groups.set(key, { state: claim.state, requirements, claims: [claim] });
  }
  return [...groups.values()];
}

/** What re-packing one group works with. */
interface GroupContext {
  readonly scheduler: Scheduler;
  readonly group: ClaimGroup;
  readonly size: number;
  /** The NodePool's types compatible with the group's requirements, in the pool's order. */
  readonly compatible: readonly TypeSlot[];
  /** The same in launch order, with their prices. */
  readonly priced: readonly PricedSlot[];
  readonly prices: ReadonlyMap<TypeSlot, PricedSlot>;
  /** `unitPrices` of `priced`. */
  readonly perUnit: Float64Array;
  readonly rules: HostnameRules;
  /** Target types, cheapest first (`pickTargets`). */
  readonly targets: readonly TypeSlot[];
  /** USD per hour of the group as planned. */
  readonly planned: number;
  readonly nextSeq: () => number;
}

interface Packing {
  readonly bins: Bin[];
  /** USD per hour. */
  readonly price: number;
}

/** The cheaper NodeClaims for the group, with the NodePool's budget updated; `undefined` to keep the group. */
function repackGroup(scheduler: Scheduler, group: ClaimGroup, nextSeq: () => number): PlannedClaim[] | undefined {
  const members = group.claims.flatMap((c) => c.members);
  if (members.length < 2) return undefined;
  const size = scheduler.index.size;
  const zero = new Float64Array(size);
  const compatible = filterSlots(group.state.slots, true, group.requirements, zero, zero);
  const priced = pricedSlots(compatible, group.requirements);
  if (priced.length === 0) return undefined;
  const prices = new Map(priced.map((p) => [p.slot, p]));
  let planned = 0;
  for (const claim of group.claims) planned += launchPrice(claim.slots, prices);
  const demand = new Float64Array(size);
  for (const m of members) addInto(demand, m.requests);
  const perUnit = unitPrices(priced, size);
  const bound = lowerBound(perUnit, demand);
  if (planned <= bound * (1 + MIN_SAVING)) return undefined;

  const compiled = HostnameRules.compile(
    [...members].sort((a, b) => comparePodInfos(a.info, b.info)),
    MAX_SELECTOR_CHECKS,
  );
  if (!compiled) return undefined;
  const { rules, items } = compiled;
  const seeds = exclusiveSet(items);
  // Every pod needs a node of its own and has one: each claim is already its pod's cheapest type.
  if (seeds.length === items.length && group.claims.length === items.length) return undefined;
  const ctx: GroupContext = { scheduler, group, size, compatible, priced, prices, perUnit, rules, targets: pickTargets(priced, demand), planned, nextSeq };

  const byMember = new Map(items.map((item) => [item.member, item]));
  const plan = group.claims.map((claim) => {
    const bin = new Bin(size, rules);
    for (const m of claim.members) bin.add(byMember.get(m) as PackItem);
    return bin;
  });
  const candidates = [improve(ctx, plan)];
  const packed = packIntoTargets(ctx, items, seeds, demand, bound);
  if (packed) candidates.push(improve(ctx, packed.bins));
  for (const candidate of [...candidates]) {
    const split = splitNodes(ctx, candidate.bins);
    if (split.length !== candidate.bins.length) candidates.push({ bins: split, price: priceOf(ctx, split) });
  }
  // Cheapest first; a candidate the NodePool's limits or minValues refuse gives way to the next.
  candidates.sort((a, b) => (cheaper(a, b) ? -1 : cheaper(b, a) ? 1 : 0));
  for (const candidate of candidates) {
    if (!(planned - candidate.price > MIN_SAVING * planned)) break;
    const created = commitBins(ctx, candidate);
    if (created) return created;
  }
  return undefined;
}

/** Sum of what each node's launch would cost (USD/h). */
function priceOf(ctx: GroupContext, bins: readonly Bin[]): number {
  let price = 0;
  for (const b of bins) price += cheapestFitting(ctx.priced, b.used, b.portList)?.pricePerHour ?? Number.POSITIVE_INFINITY;
  return price;
}

/** `relieve`, priced. */
function improve(ctx: GroupContext, bins: readonly Bin[]): Packing {
  const relieved = relieve({ bins, priced: ctx.priced, patience: PATIENCE, size: ctx.size, sweeps: RELIEVE_SWEEPS });
  return { bins: relieved, price: priceOf(ctx, relieved) };
}

/**
 * `fillNodes` into each target, cheapest target first, until `TARGET_STALL` targets in a row are no cheaper (or
 * one reaches the lower bound); targets some pod does not fit alone are skipped. The cheapest packing, if any.
 */
function packIntoTargets(ctx: GroupContext, items: readonly PackItem[], seeds: readonly PackItem[], demand: Float64Array, bound: number): Packing | undefined {
  const seeded = new Set(seeds);
  const rest = items.filter((item) => !seeded.has(item));
  let best: Packing | undefined;
  let stalled = 0;
  for (const target of ctx.targets) {
    const order = packingOrder(rest, target, demand);
    if (order.largest > 1) continue;
    const bins = fillNodes({ seeds: packingOrder(seeds, target, demand).items, ...order, rules: ctx.rules, target, priced: ctx.priced, patience: PATIENCE, size: ctx.size });
    if (!bins) continue;
    const price = priceOf(ctx, bins);
    if (!best || cheaper({ bins, price }, best)) {
      best = { bins, price };
      stalled = 0;
    } else if (++stalled >= TARGET_STALL) break;
    if (price <= bound * (1 + MIN_SAVING)) break;
  }
  return best;
}

/**
 * Each node whose price is well above its pods' lower bound is re-packed on its own into targets cheaper than
 * it (the tail of a packing: 12 pods on a 16-vCPU type may fit an 8 and a 4 for less); kept when no split is
 * strictly cheaper.
 */
function splitNodes(ctx: GroupContext, bins: readonly Bin[]): Bin[] {
  const out: Bin[] = [];
  const cheapest = Math.min(...ctx.priced.map((p) => p.pricePerHour));
  for (const bin of bins) {
    const own = cheapestFitting(ctx.priced, bin.used, bin.portList);
    if (!own || bin.items.length < 2 || own.pricePerHour < 2 * cheapest || own.pricePerHour < SPLIT_WORTH * lowerBound(ctx.perUnit, bin.used)) {
      out.push(bin);
      continue;
    }
    const items = [...bin.items].sort((a, b) => comparePodInfos(a.member.info, b.member.info));
    const demand = new Float64Array(ctx.size);
    for (const item of items) addInto(demand, item.member.requests);
    const seeds = exclusiveSet(items);
    const seeded = new Set(seeds);
    const rest = items.filter((i) => !seeded.has(i));
    let best: Packing | undefined;
    for (const target of ctx.targets) {
      if ((ctx.prices.get(target)?.pricePerHour ?? Number.POSITIVE_INFINITY) >= own.pricePerHour) break;
      const order = packingOrder(rest, target, demand);
      if (order.largest > 1) continue;
      const parts = fillNodes({ seeds: packingOrder(seeds, target, demand).items, ...order, rules: ctx.rules, target, priced: ctx.priced, patience: PATIENCE, size: ctx.size });
      if (!parts || parts.length < 2) continue;
      const price = priceOf(ctx, parts);
      if (own.pricePerHour - price > MIN_SAVING * own.pricePerHour && (!best || cheaper({ bins: parts, price }, best))) best = { bins: parts, price };
    }
    if (best) out.push(...best.bins);
    else out.push(bin);
  }
  return out;
}

/** Lower price, or (within float noise) the same price on fewer nodes. */
function cheaper(a: Packing, b: Packing): boolean {
  const noise = MIN_SAVING * Math.max(a.price, b.price);
  return a.price < b.price - noise || (Math.abs(a.price - b.price) <= noise && a.bins.length < b.bins.length);
}

/**
 * Turns the bins into NodeClaims the way `placeOnNew` builds one (options: every compatible type that holds the
 * pods with DaemonSet overhead, whose DaemonSets bind none of their host ports, within what is left of the
 * NodePool's limits; minValues), after giving back the group's reservations. All or nothing: `undefined`, with
 * the budget restored, when a bin has no option or the result is not strictly cheaper than planned.
 */
function commitBins(ctx: GroupContext, packing: Packing): PlannedClaim[] | undefined {
  const { state, requirements } = ctx.group;
  const budget = state.budget;
  const checkpoint = budget.checkpoint();
  for (const claim of ctx.group.claims) budget.release(claim.reservation);
  const zero = new Float64Array(ctx.size);
  const created: PlannedClaim[] = [];
  let price = 0;
  for (const bin of packing.bins) {
    const options = budget.exhausted()
      ? []
      : ctx.compatible.filter((s) => fitsVector(zero, bin.used, s.available) && daemonPortsAllow(s, bin.portList) && (budget.unlimited || budget.admits(s)));
    if (options.length === 0 || (hasMinValues(requirements) && minValuesShortfall(options, requirements))) {
      budget.restore(checkpoint);
      return undefined;
    }
    const seq = ctx.nextSeq();
    const hostname = placeholderHostname(seq);
    created.push(
      new PlannedClaim({
        state,
        hostname,
        seq,
        requirements: requirements.with(LabelRequirement.in(LABEL_HOSTNAME, [hostname])),
        slots: options,
        size: ctx.size,
        hostPorts: new HostPortUsage(daemonPortsOf(options)),
        members: bin.items.map((item) => item.member),
      }),
    );
    price += budget.unlimited ? (cheapestFitting(ctx.priced, bin.used, bin.portList)?.pricePerHour ?? 0) : launchPrice(options, ctx.prices);
  }
  if (!(ctx.planned - price > MIN_SAVING * ctx.planned)) {
    budget.restore(checkpoint);
    return undefined;
  }
  return created;
}
