import { formatResourceList } from '../quantity/format.js';
import { addResources } from '../quantity/resourcelist.js';
import { describeRejection } from '../explain/rejection.js';
import { improvePacking } from './cost-packing.js';
import { cheapestAllowedPrice, launchOffering, offeringFilter } from './instance-type-filter.js';
import type { PlannedClaim } from './planned-claim.js';
import { admitWithLimitRanges } from './limit-range.js';
import { roundPods } from './provisionable.js';
import { LabelRequirement } from './requirement.js';
import { Scheduler } from './scheduler.js';
import type { NodeClaimPlan, SchedulingOptions, SchedulingResult, SchedulingSnapshot } from './types.js';
import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_INSTANCE_TYPE, LABEL_NODEPOOL, LABEL_TOPOLOGY_ZONE } from './well-known-labels.js';

/**
 * The scheduling simulation: decides where every pod of the snapshot goes — an existing node, or a NodeClaim to
 * create — or why it cannot go anywhere. Pure and deterministic (same snapshot, same result).
 *
 * Mirrors Karpenter's provisioning scheduler:
 * - pods Karpenter does not provision for (bound, preempting, terminal, terminating, DaemonSet, mirror) are
 *   skipped with a reason; the reschedulable pods of nodes going away (`markedForDeletion`) are packed with the
 *   pending pods in the same round, as Karpenter's `Provisioner.Schedule` does (see `roundPods`); unlike
 *   Karpenter they are placed before the pending pods, so that a pending pod with a required affinity to one of
 *   them follows it rather than starting a domain elsewhere (kube-scheduler sees them running);
 * - the Container defaults of LimitRanges are applied to the pods to place and to DaemonSet pod templates first,
 *   as the LimitRanger admission plugin will apply them (Karpenter does not; see docs/scheduling.md);
 * - pods in order of CPU request, then memory (both descending), then creation time, then UID;
 * - each pod tries existing nodes (initialized first, then by name), then NodeClaims planned earlier in this
 *   round (fewest pods first), then a new NodeClaim from the first NodePool (weight descending, then name descending,
 *   as Karpenter's `OrderByWeight`) that can take it;
 * - a NodeClaim keeps every instance type that still fits the sum of its pods' requests plus the DaemonSets
 *   that would run on that type, and its requirements narrow with each pod (node selection, topology domains);
 * - the launch is the most preferred capacity type allowed and offered (reserved, spot, on-demand), at the
 *   lowest price among the options' available offerings;
 * - NodePool limits (any resource and `nodes`) are never exceeded, counting existing nodes and planned claims;
 * - preferences (preferred affinities, ScheduleAnyway spreads, later required-affinity terms, PreferNoSchedule)
 *   are enforced first and relaxed one at a time when a pod does not fit (`preferencePolicy: Ignore` drops them);
 * - topology spread, pod affinity and anti-affinity over any topology key, host ports, volume topology.
 * Then, with `packing: 'cost'` (the default), groups of planned NodeClaims are re-packed into a cheaper set when
 * one exists under the same constraints (`improvePacking`): the total price is never above the Karpenter-style
 * plan's (`packing: 'karpenter'`), and the same pods are placed on the same existing nodes or left unschedulable.
 * Pods whose quantities are malformed are reported unschedulable, not thrown.
 * @throws QuantityParseError only for malformed NodePool limits, DaemonSet or existing-pod quantities.
 */
export function schedule(snapshot: SchedulingSnapshot, options: SchedulingOptions = {}): SchedulingResult {
  const round = roundPods(snapshot.pods, snapshot.existingNodes);
  const admitted = admitWithLimitRanges(round.pods, snapshot.daemonSets, snapshot.limitRanges);
  const placeFirst = new Set(round.displaced.map((d) => admitted.podOf.get(d.pod) ?? d.pod));
  const scheduler = new Scheduler({ ...snapshot, pods: admitted.pods, existingNodes: round.existingNodes, ...(snapshot.daemonSets ? { daemonSets: admitted.daemonSets } : {}) }, options, placeFirst);
  scheduler.run();
  if ((options.packing ?? 'cost') === 'cost') improvePacking(scheduler);
  return {
    nodeClaims: scheduler.claims.map((claim) => toPlan(scheduler, claim)),
    existingNodes: scheduler.existing.filter((n) => n.placed.length > 0).map((n) => ({ name: n.node.name, pods: [...n.placed] })),
    unschedulable: scheduler.failed.map((f) => ({
      pod: f.pod,
      reason: f.reason,
      nodePools: Object.fromEntries(Object.entries(f.nodePools).map(([name, r]) => [name, describeRejection(r)])),
      rejections: f.nodePools,
    })),
    skipped: round.skipped,
    displaced: round.displaced.map((d) => ({ ...d, pod: admitted.podOf.get(d.pod) ?? d.pod })),
    limitRangeDefaults: admitted.changes,
  };
}

function toPlan(scheduler: Scheduler, claim: PlannedClaim): NodeClaimPlan {
  const reqs = claim.requirements;
  const allowed = offeringFilter(reqs);
  const options = claim.slots
    .map((slot) => ({ slot, price: cheapestAllowedPrice(slot.type.instanceType, reqs, allowed) }))
    .sort((a, b) => a.price - b.price || (a.slot.type.instanceType.name < b.slot.type.instanceType.name ? -1 : 1));
  const names = options.map((o) => o.slot.type.instanceType.name);
  const launch = launchOffering(
    options.map((o) => o.slot.type.instanceType),
    reqs,
  );
  const launched = options.find((o) => o.slot.type.instanceType === launch?.instanceType)?.slot ?? options[0]?.slot;
  const used = scheduler.index.toList(claim.used);
  const daemonOverhead = launched?.type.daemonOverhead ?? {};
  const requirements = reqs.without(LABEL_HOSTNAME).with(LabelRequirement.in(LABEL_INSTANCE_TYPE, names));
  const launchChoice = {
    instanceType: launch?.instanceType.name ?? names[0] ?? '',
    capacityType: launch?.offering.capacityType ?? 'on-demand',
    zone: launch?.offering.zone ?? '',
    pricePerHour: launch?.offering.pricePerHour ?? 0,
  };
  const labels: Record<string, string> = {
    ...claim.state.template.labels,
    ...requirements.singleValueLabels(),
    ...(launched?.type.instanceType.labels ?? {}),
    [LABEL_NODEPOOL]: claim.state.template.name,
    [LABEL_CAPACITY_TYPE]: launchChoice.capacityType,
    [LABEL_TOPOLOGY_ZONE]: launchChoice.zone,
    [LABEL_INSTANCE_TYPE]: launchChoice.instanceType,
    [LABEL_HOSTNAME]: claim.hostname,
  };
  return {
    nodePoolName: claim.state.template.name,
    requirements: requirements.toNodeSelectorRequirements(),
    instanceTypeOptions: names,
    launch: launchChoice,
    pods: [...claim.pods],
    requests: addResources(used, daemonOverhead),
    daemonSetOverhead: daemonOverhead,
    labels,
    hostname: claim.hostname,
  };
}

/** `{"cpu": "4200m", "memory": "9816Mi", "pods": "4"}` for a plan's requests (DESIGN §4.2). */
export function formatPlanRequests(plan: NodeClaimPlan): Record<string, string> {
  return formatResourceList(plan.requests);
}
