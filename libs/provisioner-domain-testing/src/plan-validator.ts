/**
 * An independent validator of scheduling plans: re-checks a `SchedulingResult` against the `SchedulingSnapshot`
 * it came from, using only quantity parsing and the core object shapes of `@karpenter-ts/provisioner-domain`,
 * never the scheduler's own modules (requirements, taints, topology, fit), so that the two implementations
 * check each other. Used by property tests and by anyone who wants a second opinion on a plan.
 *
 * What it checks (each finding a `PlanViolation` with a stable `code`):
 * - accounting: every input pod exactly once, placed (nodeClaims, existingNodes) or unschedulable with a reason;
 * - each NodeClaim: its launch is one of its options and an available offering at the stated price; the
 *   launched node (instance-type labels, zone, capacity type, template labels) satisfies the NodePool's and the
 *   NodeClaim's requirements; every option could be launched for the pods and holds them with DaemonSet
 *   overhead; `requests` is not below the pods' sum;
 * - each placed pod: nodeSelector and required node affinity hold on the node's labels (a planned node's
 *   undecided labels must satisfy the pod whatever value Karpenter picks), NoSchedule/NoExecute taints are
 *   tolerated (a NodePool's `taints`; `startupTaints` need no toleration), host ports do not clash, its volumes'
 *   topology holds (bound PVs' node affinity, WaitForFirstConsumer classes' allowedTopologies; volume-checks.ts);
 * - each node: pods + DaemonSet pods that would run there fit allocatable (capacity minus the instance type's
 *   overhead for a plan);
 * - required pod affinity and anti-affinity (any topology key, existing pods' terms included) and DoNotSchedule
 *   topology spread maxSkew (see topology-checks.ts for the exact, sound bound);
 * - NodePool limits (any resource and `nodes`) counting the pool's existing nodes.
 * The validator is deliberately sound rather than complete: where Karpenter's choices are not observable from
 * the result (order of placement, minDomains) it only reports what is certainly wrong.
 * Throws only on malformed quantities in the input (QuantityParseError).
 */
import type { SchedulingResult, SchedulingSnapshot } from './plan-validator/domain.js';
import { buildModel } from './plan-validator/model.js';
import { checkAccounting, checkLimits, checkPlans } from './plan-validator/plan-checks.js';
import { checkPlacements } from './plan-validator/placement-checks.js';
import { checkPodAffinity, checkTopologySpread } from './plan-validator/topology-checks.js';
import type { PlanViolation } from './plan-validator/violation.js';
import { checkVolumeTopology } from './plan-validator/volume-checks.js';

export type { PlanViolation, PlanViolationCode } from './plan-validator/violation.js';

/** Every violation found, in check order (accounting, plans, placements, volumes, affinity, spread, limits); `[]` for a valid plan. */
export function validatePlan(snapshot: SchedulingSnapshot, result: SchedulingResult): PlanViolation[] {
  const out: PlanViolation[] = [];
  checkAccounting(snapshot, result, out);
  const model = buildModel(snapshot, result, out);
  checkPlans(snapshot, model, out);
  checkPlacements(model, out);
  checkVolumeTopology(snapshot, model, out);
  checkPodAffinity(model, snapshot.namespaces ?? [], out);
  checkTopologySpread(model, out);
  checkLimits(snapshot, model, out);
  return out;
}
