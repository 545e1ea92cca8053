/**
 * Consolidation (Karpenter's `consolidation.computeConsolidation`, multi-node and single-node): whether
 * removing a set of candidates is valid — every pod they run placed by the provisioning `schedule` on the other
 * nodes (delete) or with at most one new NodeClaim whose instance types are strictly cheaper than the
 * candidates together (replace) — and if not, why not, as a code and a sentence.
 */
import { LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE } from '../apis/labels.js';
import type { Pod } from '../core/types.js';
import { allocatable } from '../instancetypes/allocatable.js';
import type { InstanceType } from '../instancetypes/types.js';
import { CPU, MEMORY, PODS } from '../quantity/resourcelist.js';
import { launchOffering } from '../scheduling/instance-type-filter.js';
import { podRequests } from '../scheduling/pod-requests.js';
import { LabelRequirement } from '../scheduling/requirement.js';
import { Requirements } from '../scheduling/requirements.js';
import type { NodeClaimPlan } from '../scheduling/types.js';
import type { DisruptionCandidate } from './candidates.js';
import { podName } from './pods.js';
import type { ClusterSimulator, SimulationOutcome } from './simulation.js';
import type { DisruptionBlockCode } from './types.js';

/** Options consolidation reads, defaults applied. */
export interface ConsolidationSettings {
  spotToSpotConsolidation: boolean;
  minSpotToSpotOptions: number;
}

export type ConsolidationVerdict =
  | { ok: true; decision: 'delete' | 'replace'; replacements: NodeClaimPlan[]; pricePerHourBefore: number; pricePerHourAfter: number; outcome: SimulationOutcome }
  | { ok: false; code: DisruptionBlockCode; reason: string };

export const money = (usd: number): string => `$${usd.toFixed(usd < 1 ? 3 : 2)}/h`;
const cpuText = (millis: number): string => `${Number((millis / 1000).toFixed(3))}`;
const memoryText = (bytes: number): string => (bytes >= 2 ** 30 ? `${Number((bytes / 2 ** 30).toFixed(2))}Gi` : `${Math.round(bytes / 2 ** 20)}Mi`);

/** "default/y needs 3 CPU, largest free 1.5" for the first pod that did not fit, against the other nodes' free resources. */
export function describeUnfit(pod: Pod, free: readonly Readonly<Record<string, number>>[]): string {
  const r = podRequests(pod);
  const needCpu = r[CPU] ?? 0;
  const needMemory = r[MEMORY] ?? 0;
  let cpu = 0;
  let memory = 0;
  for (const f of free) {
    cpu = Math.max(cpu, f[CPU] ?? 0);
    memory = Math.max(memory, f[MEMORY] ?? 0);
  }
  if (needCpu > cpu || needMemory <= memory) return `${podName(pod)} needs ${cpuText(needCpu)} CPU, largest free ${cpuText(Math.max(0, cpu))}`;
  return `${podName(pod)} needs ${memoryText(needMemory)} memory, largest free ${memoryText(Math.max(0, memory))}`;
}

/** Launch price of one type under the claim's requirements (the offering a launch would pick), Infinity when none. */
function launchPrice(type: InstanceType, requirements: Requirements): number {
  return launchOffering([type], requirements)?.offering.pricePerHour ?? Number.POSITIVE_INFINITY;
}

/**
 * Checks removing `candidates` (a simulation of the provisioning scheduler without them). `free` lists the
 * free resources of the nodes that stay, for the "largest free" of a sentence.
 */
export function computeConsolidation(args: {
  candidates: readonly DisruptionCandidate[];
  simulator: ClusterSimulator;
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>;
  settings: ConsolidationSettings;
  free: () => readonly Readonly<Record<string, number>>[];
}): ConsolidationVerdict {
  const { candidates, settings } = args;
  const names = new Set(candidates.map((c) => c.node));
  const outcome = args.simulator.simulate(names);
  const before = candidates.reduce((sum, c) => sum + (c.pricePerHour ?? 0), 0);
  const first = outcome.unplaced[0];
  if (first) return { ok: false, code: 'PodsDoNotFitElsewhere', reason: `pods would not fit elsewhere: ${describeUnfit(first, args.free())}` };
  if (outcome.newClaims.length === 0) return { ok: true, decision: 'delete', replacements: [], pricePerHourBefore: before, pricePerHourAfter: 0, outcome };
  if (outcome.newClaims.length > 1) {
    return { ok: false, code: 'PodsDoNotFitElsewhere', reason: `pods would not fit elsewhere: they need ${outcome.newClaims.length} new NodeClaims, and consolidation replaces with at most one` };
  }
  const plan = outcome.newClaims[0] as NodeClaimPlan;
  const types = args.instanceTypes[plan.nodePoolName] ?? [];
  const byName = new Map(types.map((t) => [t.name, t]));
  let requirements = Requirements.fromNodeSelectorRequirements(plan.requirements);
  const allSpot = candidates.every((c) => c.capacityType === 'spot');
  const spotToSpot = allSpot && (requirements.get(LABEL_CAPACITY_TYPE)?.has('spot') ?? true);
  if (spotToSpot) {
    if (!settings.spotToSpotConsolidation) {
      return { ok: false, code: 'SpotToSpotDisabled', reason: `spot node${candidates.length > 1 ? 's' : ''} would be replaced by a spot node, and spot-to-spot consolidation is off` };
    }
    requirements = requirements.with(LabelRequirement.in(LABEL_CAPACITY_TYPE, ['spot']));
  }
  const options = plan.instanceTypeOptions
    .map((name) => byName.get(name))
    .filter((t): t is InstanceType => t !== undefined)
    .map((type) => ({ type, price: launchPrice(type, requirements) }))
    .filter((o) => Number.isFinite(o.price))
    .sort((a, b) => a.price - b.price || (a.type.name < b.type.name ? -1 : 1));
  // A replacement of the same type as a candidate must be cheaper than that candidate (Karpenter's filterOutSameType).
  let maxPrice = before;
  for (const c of candidates) if (c.instanceType && byName.has(c.instanceType.name) && options.some((o) => o.type.name === c.instanceType?.name)) maxPrice = Math.min(maxPrice, c.pricePerHour ?? before);
  let cheaper = options.filter((o) => o.price < maxPrice);
  const cheapest = options[0];
  if (cheaper.length === 0) {
    const what = cheapest ? `${cheapest.type.name} ${money(cheapest.price)} vs ${money(before)}` : `no instance type of NodePool "${plan.nodePoolName}" can be launched for its pods`;
    return { ok: false, code: 'ReplacementNotCheaper', reason: `replacement not cheaper: ${what}` };
  }
  if (spotToSpot && candidates.length === 1) {
    if (cheaper.length < settings.minSpotToSpotOptions) {
      return {
        ok: false,
        code: 'TooFewSpotOptions',
        reason: `spot-to-spot replacement needs ${settings.minSpotToSpotOptions} cheaper spot instance types, found ${cheaper.length} (cheapest ${cheaper[0]?.type.name ?? ''} ${money(cheaper[0]?.price ?? 0)} vs ${money(before)})`,
      };
    }
    cheaper = cheaper.slice(0, settings.minSpotToSpotOptions);
  }
  const names2 = cheaper.map((o) => o.type.name);
  requirements = requirements.without(LABEL_INSTANCE_TYPE).with(LabelRequirement.in(LABEL_INSTANCE_TYPE, names2));
  const launch = launchOffering(
    cheaper.map((o) => o.type),
    requirements,
  );
  const launched = launch?.instanceType ?? (cheaper[0] as { type: InstanceType }).type;
  const replacement: NodeClaimPlan = {
    ...plan,
    requirements: requirements.toNodeSelectorRequirements(),
    instanceTypeOptions: names2,
    launch: {
      instanceType: launched.name,
      capacityType: launch?.offering.capacityType ?? plan.launch.capacityType,
      zone: launch?.offering.zone ?? plan.launch.zone,
      pricePerHour: launch?.offering.pricePerHour ?? (cheaper[0]?.price ?? 0),
    },
    ...(plan.labels
      ? {
          labels: {
            ...plan.labels,
            [LABEL_INSTANCE_TYPE]: launched.name,
            [LABEL_CAPACITY_TYPE]: launch?.offering.capacityType ?? plan.launch.capacityType,
            'topology.kubernetes.io/zone': launch?.offering.zone ?? plan.launch.zone,
          },
        }
      : {}),
  };
  return { ok: true, decision: 'replace', replacements: [replacement], pricePerHourBefore: before, pricePerHourAfter: replacement.launch.pricePerHour, outcome };
}

/**
 * A necessary condition for consolidating one candidate, checked without scheduling (pruning): either every
 * pod it runs fits, alone, in some other node's free resources (a delete may work), or some instance type of
 * its pool holds all its pods and costs strictly less than the node (a replace may work). Returns the reason
 * when neither holds.
 */
export function quickReject(candidate: DisruptionCandidate, free: readonly Readonly<Record<string, number>>[], types: readonly InstanceType[]): { code: DisruptionBlockCode; reason: string } | undefined {
  const price = candidate.pricePerHour ?? 0;
  let cpu = 0;
  let memory = 0;
  let unfit: Pod | undefined;
  for (const pod of candidate.reschedulable) {
    const r = podRequests(pod);
    cpu += r[CPU] ?? 0;
    memory += r[MEMORY] ?? 0;
    if (!unfit && !free.some((f) => fitsIn(r, f))) unfit = pod;
  }
  if (!unfit) return undefined;
  let cheapest: { name: string; price: number } | undefined;
  for (const type of types) {
    const a = allocatable(type);
    if ((a[CPU] ?? 0) < cpu || (a[MEMORY] ?? 0) < memory || (a[PODS] ?? Number.POSITIVE_INFINITY) < candidate.reschedulable.length) continue;
    for (const o of type.offerings) if (o.available && (!cheapest || o.pricePerHour < cheapest.price)) cheapest = { name: type.name, price: o.pricePerHour };
  }
  if (cheapest && cheapest.price < price) return undefined;
  const replacement = cheapest ? `; the cheapest instance type that holds them, ${cheapest.name}, costs ${money(cheapest.price)} vs ${money(price)}` : '';
  return { code: cheapest ? 'ReplacementNotCheaper' : 'PodsDoNotFitElsewhere', reason: `pods would not fit elsewhere: ${describeUnfit(unfit, free)}${replacement}` };
}

function fitsIn(requests: Readonly<Record<string, number>>, free: Readonly<Record<string, number>>): boolean {
  for (const key in requests) if ((requests[key] ?? 0) > (free[key] ?? 0)) return false;
  return true;
}
