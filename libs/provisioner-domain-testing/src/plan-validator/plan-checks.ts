/**
 * Checks of the plan as a whole: every pod accounted for exactly once, each NodeClaim's launch choice and
 * options consistent with its NodePool, requirements, offerings and pods, and NodePool limits.
 */
import { toCanonicalAmount, type InstanceType, type Pod, type ResourceList, type SchedulingResult, type SchedulingSnapshot } from './domain.js';
import { nodeSelectionProblem, plannedLabelView, podKey, requirementCertain, requirementHolds } from './labels.js';
import { allocatableOf, daemonPodsFor, launchLabels, type ValidatorModel, type ValidatorNode } from './model.js';
import { overflows, requestsOf, sum } from './requests.js';
import type { PlanViolation } from './violation.js';

/**
 * Every pod the round must account for exactly once (placed, unschedulable or skipped); no unknown pods;
 * unschedulable and skipped entries carry a reason. The pods to account for are the snapshot's pods plus, for
 * every existing node marked for deletion, its pods that must move (independently of the scheduler: not a
 * DaemonSet or mirror pod, not finished, not annotated do-not-disrupt, not terminating unless a StatefulSet's).
 * A skipped pod must be one of the snapshot's pods and actually be one Karpenter does not provision for.
 */
export function checkAccounting(snapshot: SchedulingSnapshot, result: SchedulingResult, out: PlanViolation[]): void {
  const seen = new Map<string, number>();
  const note = (key: string) => seen.set(key, (seen.get(key) ?? 0) + 1);
  for (const plan of result.nodeClaims) plan.pods.forEach((p) => note(podKey(p)));
  for (const entry of result.existingNodes) entry.pods.forEach((p) => note(podKey(p)));
  for (const entry of result.unschedulable) {
    note(podKey(entry.pod));
    if (!entry.reason.trim()) out.push({ code: 'missing-reason', pod: podKey(entry.pod), message: `${podKey(entry.pod)} is unschedulable without a reason` });
  }
  for (const entry of result.skipped) {
    note(podKey(entry.pod));
    if (!entry.reason.trim()) out.push({ code: 'missing-reason', pod: podKey(entry.pod), message: `${podKey(entry.pod)} is skipped without a reason` });
    if (!notProvisionedFor(entry.pod)) out.push({ code: 'wrongly-skipped', pod: podKey(entry.pod), message: `${podKey(entry.pod)} is skipped although Karpenter provisions for it` });
  }
  const inputs = new Set(snapshot.pods.map(podKey));
  for (const node of snapshot.existingNodes) {
    if (!node.markedForDeletion) continue;
    for (const pod of node.pods) if (mustMove(pod)) inputs.add(podKey(pod));
  }
  for (const key of inputs) {
    const n = seen.get(key) ?? 0;
    if (n === 0) out.push({ code: 'pod-missing', pod: key, message: `${key} is neither placed, unschedulable nor skipped` });
    if (n > 1) out.push({ code: 'pod-duplicated', pod: key, message: `${key} appears ${n} times in the result` });
  }
  for (const key of seen.keys()) {
    if (!inputs.has(key)) out.push({ code: 'pod-unknown', pod: key, message: `${key} is in the result but not among the snapshot's pods` });
  }
}

const ownedBy = (pod: Pod, kind: string): boolean => (pod.metadata.ownerReferences ?? []).some((o) => o.kind === kind);
const finished = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const terminating = (pod: Pod): boolean => Boolean(pod.metadata.deletionTimestamp);
const mirror = (pod: Pod): boolean => ownedBy(pod, 'Node') || pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined;

function notProvisionedFor(pod: Pod): boolean {
  return finished(pod) || terminating(pod) || Boolean(pod.spec.nodeName) || Boolean(pod.status?.nominatedNodeName) || ownedBy(pod, 'DaemonSet') || mirror(pod);
}

function mustMove(pod: Pod): boolean {
  if (ownedBy(pod, 'DaemonSet') || mirror(pod) || finished(pod)) return false;
  if (terminating(pod) && !ownedBy(pod, 'StatefulSet')) return false;
  return !(pod.metadata.annotations?.['karpenter.sh/do-not-disrupt'] === 'true' && !terminating(pod));
}

/** Launch choice, offerings, NodePool and NodeClaim requirements, instance-type options and stated requests. */
export function checkPlans(snapshot: SchedulingSnapshot, model: ValidatorModel, out: PlanViolation[]): void {
  for (const node of model.nodes) {
    if (!node.plan) continue;
    const { value: plan, pool, instanceType } = node.plan;
    const id = node.id;
    if (plan.pods.length === 0) out.push({ code: 'empty-nodeclaim', node: id, message: `${id} has no pods` });
    if (!plan.instanceTypeOptions.includes(plan.launch.instanceType)) {
      out.push({ code: 'launch-not-an-option', node: id, message: `${id} launches ${plan.launch.instanceType}, not among its options [${plan.instanceTypeOptions.join(', ')}]` });
    }
    if (instanceType) {
      const offering = instanceType.offerings.find((o) => o.zone === plan.launch.zone && o.capacityType === plan.launch.capacityType);
      if (!offering || !offering.available) {
        out.push({ code: 'offering', node: id, message: `${id}: ${instanceType.name} has no available ${plan.launch.capacityType} offering in ${plan.launch.zone}` });
      } else if (offering.pricePerHour !== plan.launch.pricePerHour) {
        out.push({ code: 'offering', node: id, message: `${id}: price ${plan.launch.pricePerHour} differs from the offering's ${offering.pricePerHour}` });
      }
    }
    for (const req of pool?.spec.template.spec.requirements ?? []) {
      const v = node.view.valueOf(req.key);
      if (v.kind === 'fixed' && !requirementHolds(req, v.value)) {
        out.push({ code: 'nodepool-requirements', node: id, message: `${id}: label ${req.key}=${v.value} breaks NodePool ${plan.nodePoolName}'s requirement ${req.key} ${req.operator} [${(req.values ?? []).join(', ')}]` });
      }
    }
    for (const req of plan.requirements) {
      const v = node.view.valueOf(req.key);
      if ((v.kind === 'fixed' && !requirementHolds(req, v.value)) || (v.kind === 'oneOf' && v.values.length === 0)) {
        out.push({ code: 'nodeclaim-requirements', node: id, message: `${id}: the launch breaks its own requirement ${req.key} ${req.operator} [${(req.values ?? []).join(', ')}]` });
      }
    }
    const podSum = sum(plan.pods.map(requestsOf));
    for (const o of overflows(podSum, plan.requests)) {
      out.push({ code: 'requests-understated', node: id, message: `${id}: requests.${o.resource}=${o.available} below the pods' ${o.wanted}` });
    }
    for (const name of plan.instanceTypeOptions) checkOption(snapshot, node, name, podSum, out);
  }
}

function checkOption(snapshot: SchedulingSnapshot, node: ValidatorNode, name: string, podSum: ResourceList, out: PlanViolation[]): void {
  const plan = node.plan;
  if (!plan) return;
  const { value, pool } = plan;
  const it = (snapshot.instanceTypes[value.nodePoolName] ?? []).find((t) => t.name === name);
  if (!it) {
    out.push({ code: 'launch-not-an-option', node: node.id, message: `${node.id}: option ${name} is not offered to NodePool ${value.nodePoolName}` });
    return;
  }
  const taints = pool?.spec.template.spec.taints ?? [];
  const launchable = it.offerings.filter((o) => o.available).some((o) => {
    const view = plannedLabelView(launchLabels(pool, value.nodePoolName, it, it.name, o.zone, o.capacityType, node.id), value.requirements);
    const reqs = [...(pool?.spec.template.spec.requirements ?? []), ...value.requirements];
    return reqs.every((r) => view.valueOf(r.key).kind !== 'fixed' || requirementCertain(r, view)) && value.pods.every((p) => nodeSelectionProblem(p, view) === undefined);
  });
  if (!launchable) {
    out.push({ code: 'option-unfit', node: node.id, message: `${node.id}: option ${name} has no available offering that satisfies the requirements and the pods' node selection` });
    return;
  }
  const view = plannedLabelView(launchLabels(pool, value.nodePoolName, it, it.name, value.launch.zone, value.launch.capacityType, node.id), value.requirements);
  const need = sum([podSum, ...daemonPodsFor(snapshot.daemonSets ?? [], view, taints).map(requestsOf)]);
  const over = overflows(need, allocatableOf(it));
  if (over.length > 0) {
    const o = over[0];
    out.push({ code: 'option-unfit', node: node.id, message: `${node.id}: option ${name} cannot hold the pods: ${o?.resource} ${o?.wanted} > allocatable ${o?.available}` });
  }
}

function limitAmount(resource: string, value: string | number): number {
  return resource === 'nodes' ? Number(value) : toCanonicalAmount(resource, value);
}

function usage(it: InstanceType | undefined, resource: string): number {
  if (resource === 'nodes') return 1;
  return it?.capacity[resource] ?? 0;
}

/**
 * NodePool limits, counting existing nodes of the pool (their allocatable, a lower bound of their capacity) and
 * planned NodeClaims: `limit` with each launch choice's capacity, `limit-worst-case` with each NodeClaim's
 * largest option per resource (Karpenter subtracts that maximum, since a launch may fall back to any option).
 */
export function checkLimits(snapshot: SchedulingSnapshot, model: ValidatorModel, out: PlanViolation[]): void {
  for (const pool of snapshot.nodePools) {
    const name = pool.metadata.name ?? '';
    const limits = pool.spec.limits ?? {};
    const plans = model.nodes.filter((n) => n.plan && n.nodePoolName === name);
    if (plans.length === 0) continue;
    const existing = snapshot.existingNodes.filter((n) => n.nodePoolName === name);
    const types = snapshot.instanceTypes[name] ?? [];
    for (const [resource, raw] of Object.entries(limits)) {
      const limit = limitAmount(resource, raw);
      const base = existing.reduce((acc, n) => acc + (resource === 'nodes' ? 1 : (n.allocatable[resource] ?? 0)), 0);
      const chosen = base + plans.reduce((acc, n) => acc + usage(n.plan?.instanceType, resource), 0);
      if (chosen > limit) {
        out.push({ code: 'limit', message: `NodePool ${name}: ${resource} would reach ${chosen}, above its limit ${limit}` });
        continue;
      }
      const worst = base + plans.reduce((acc, n) => acc + Math.max(0, ...(n.plan?.value.instanceTypeOptions ?? []).map((o) => usage(types.find((t) => t.name === o), resource))), 0);
      if (worst > limit) out.push({ code: 'limit-worst-case', message: `NodePool ${name}: ${resource} could reach ${worst} if the largest options launch, above its limit ${limit}` });
    }
  }
}
