import { describeRejection, type Rejection } from '../explain/rejection.js';
import { nearMiss } from '../explain/near-miss.js';
import type { Attempt } from './attempt.js';
import { offeringAllowed } from './instance-type-filter.js';
import type { TemplateState } from './planned-claim.js';
import { LabelRequirement } from './requirement.js';
import type { Requirements } from './requirements.js';
import type { Scheduler } from './scheduler.js';
import type { Topology } from './topology/topology.js';
import { filterSlots, minValuesShortfall, type TypeSlot } from './type-slots.js';
import { HostPortUsage, formatHostPort } from './host-ports.js';

const EPHEMERAL_STORAGE = 'ephemeral-storage';
import { ALLOW_UNDEFINED_LABELS, LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_NODEPOOL, LABEL_TOPOLOGY_ZONE } from './well-known-labels.js';

/**
 * The first constraint that keeps a new NodeClaim of this NodePool from taking the pod, in the order taints,
 * requirements (the NodePool's, then the values its instance types and offerings actually have), host ports of
 * its DaemonSets, topology, instance types (compatible, then fitting, then minValues), limits. Runs only for
 * pods that failed, so it favours clear answers over speed.
 */
export function diagnoseNewClaim(scheduler: Scheduler, state: TemplateState, attempt: Attempt, topology: Topology): Rejection {
  const t = state.template;
  if (attempt.nodeNames && !attempt.nodeNames.matchesNewNodes) return { kind: 'node-name', fields: attempt.nodeNames.describe() };
  const admitted = scheduler.templateAdmits(t, attempt);
  if (admitted?.kind === 'requirement') return volumeCause(admitted, state, attempt) ?? withSuggestion(admitted, state, attempt.requirements);
  if (admitted) return admitted;
  if (t.types.length === 0) return { kind: 'no-instance-types', listed: t.listedTypeCount };
  const offered = offeredValueConflict(state, attempt.requirements);
  if (offered) return offered;
  const { info, requests } = attempt;
  let slots: TypeSlot[] = [...state.slots];
  if (info.hostPorts.length > 0) {
    const free = slots.filter((s) => !new HostPortUsage(s.type.daemonHostPorts).conflict(info.hostPorts));
    if (free.length === 0) {
      const port = new HostPortUsage(state.slots[0]?.type.daemonHostPorts ?? []).conflict(info.hostPorts);
      return { kind: 'host-port', port: port ? `${formatHostPort(port)} (taken by a DaemonSet)` : 'of the pod' };
    }
    slots = free;
  }
  const base = t.requirements.with(LabelRequirement.in(LABEL_HOSTNAME, ['hostname-placeholder-diagnose'])).intersect(attempt.requirements);
  const verdict = topology.evaluate(attempt.topology, { kind: 'claim', requirements: base });
  if (!verdict.ok) return { kind: 'topology', constraint: verdict.term.description, reason: verdict.reason };
  const requirements = base.with(...verdict.requirements);
  const zero = scheduler.vectorOf({});
  const compatible = filterSlots(slots, true, requirements, zero, zero);
  if (compatible.length === 0) return { kind: 'no-compatible-instance-type', requirements: describeForPeople(requirements) };
  const fitting = filterSlots(compatible, false, requirements, zero, requests);
  if (fitting.length === 0) {
    const largest = [...compatible].sort((a, b) => (b.type.available['cpu'] ?? 0) - (a.type.available['cpu'] ?? 0) || (b.type.available['memory'] ?? 0) - (a.type.available['memory'] ?? 0))[0];
    // A pod asking for more ephemeral-storage than any node's volume gives: name the volume.
    const wanted = info.requests[EPHEMERAL_STORAGE] ?? 0;
    const roomiest = compatible.reduce<(typeof compatible)[number] | undefined>((best, s) => ((s.type.available[EPHEMERAL_STORAGE] ?? 0) > (best?.type.available[EPHEMERAL_STORAGE] ?? -1) ? s : best), undefined);
    const volume = wanted > 0 && roomiest && wanted > (roomiest.type.available[EPHEMERAL_STORAGE] ?? 0) ? roomiest.type.instanceType.ephemeralStorageSource : undefined;
    return {
      kind: 'no-instance-type-fits',
      requests: info.requests,
      ...(largest ? { largest: { name: largest.type.instanceType.name, available: largest.type.available, daemonOverhead: largest.type.daemonOverhead } } : {}),
      ...(volume ? { ephemeralStorageLimit: volume } : {}),
    };
  }
  const shortfall = minValuesShortfall(fitting, requirements);
  if (shortfall) return { kind: 'min-values', ...shortfall };
  const exhausted = state.budget.exhausted();
  if (exhausted) return { kind: 'limits', ...exhausted };
  const admittedByLimits = fitting.filter((s) => state.budget.admits(s));
  if (admittedByLimits.length === 0) {
    const blocking = fitting.map((s) => state.budget.blockingLimit(s)).find((b) => b !== undefined);
    if (blocking) return { kind: 'limits', ...blocking };
  }
  return { kind: 'topology', constraint: 'combination', reason: 'a new node of this NodePool fits the pod alone, but not together with the constraints of pods placed before it' };
}

/** One text for a person covering existing capacity and every NodePool. */
export function diagnoseSummary(scheduler: Scheduler, attempt: Attempt, nodePools: Record<string, Rejection>): string {
  const names = Object.keys(nodePools);
  const existing = scheduler.existing.length;
  if (attempt.nodeNames && !attempt.nodeNames.matchesNewNodes) {
    const nodes = existing > 0 ? `none of ${existing} existing node${existing === 1 ? '' : 's'} can take it` : 'there is no existing node';
    return `${nodes}, and its required node affinity selects nodes by name (matchFields ${attempt.nodeNames.describe()}): a new NodeClaim's name is not known before launch, so no NodePool can launch a node for it`;
  }
  const capacity = existing > 0 ? `none of ${existing} existing node${existing === 1 ? '' : 's'} and no planned NodeClaim can take it` : 'no planned NodeClaim can take it';
  if (names.length === 0) return `${capacity}, and there is no NodePool to launch a node from`;
  const parts = names.map((name) => `nodepool "${name}": ${describeRejection(nodePools[name] as Rejection)}`);
  return `${capacity}, and no NodePool can launch a node for it (${parts.join('; ')})`;
}

/** A requirement conflict that the pod's volumes alone cause, named as a volume topology conflict. */
function volumeCause(r: Extract<Rejection, { kind: 'requirement' }>, state: TemplateState, attempt: Attempt): Rejection | undefined {
  const volume = attempt.info.volume;
  if (!volume.ok || !volume.alternatives.some((alt) => alt.has(r.key))) return undefined;
  const conflicts = volume.alternatives.map((alt) => state.template.requirements.compatible(alt, state.template.allowUndefined));
  const conflict = conflicts[0];
  if (!conflict || conflicts.some((c) => c === undefined)) return undefined;
  const wanted = [...new Set(conflicts.map((c) => c?.wanted.describe()))].join(' or ');
  const allowed = conflict.allowed ? `; the NodePool allows ${conflict.allowed.describe()}` : '';
  return { kind: 'volume', reason: `its volumes need ${wanted}${allowed}` };
}

function withSuggestion(r: Extract<Rejection, { kind: 'requirement' }>, state: TemplateState, podRequirements: Requirements): Rejection {
  if (r.undefinedLabel) {
    const known = new Set<string>([...state.template.requirements.keys(), ...ALLOW_UNDEFINED_LABELS]);
    for (const s of state.slots) for (const k of Object.keys(s.type.labels)) known.add(k);
    const suggestion = nearMiss(r.key, known);
    return suggestion ? { ...r, suggestion } : r;
  }
  const allowed = state.template.requirements.get(r.key);
  const wanted = podRequirements.get(r.key);
  if (allowed && !allowed.complement && wanted && !wanted.complement) {
    for (const v of wanted.values) {
      const suggestion = nearMiss(v, allowed.values);
      if (suggestion) return { ...r, suggestion };
    }
  }
  return r;
}

/**
 * A pod requirement on a label that the NodePool's instance types (or offerings, for zone and capacity type)
 * carry, but with none of the values they have: reported as an incompatible requirement naming the values
 * that exist, e.g. `kubernetes.io/arch In [s390x]` vs `In [amd64, arm64]`.
 */
function offeredValueConflict(state: TemplateState, podRequirements: Requirements): Rejection | undefined {
  const t = state.template;
  for (const key of [...podRequirements.keys()].sort()) {
    if (key === LABEL_HOSTNAME || key === LABEL_NODEPOOL) continue;
    const wanted = podRequirements.get(key);
    if (!wanted) continue;
    const values = new Set<string>();
    let carried = false;
    for (const s of state.slots) {
      if (key === LABEL_TOPOLOGY_ZONE || key === LABEL_CAPACITY_TYPE) {
        for (const o of s.type.instanceType.offerings) {
          if (!offeringAllowed(o, t.requirements)) continue;
          carried = true;
          values.add(key === LABEL_TOPOLOGY_ZONE ? o.zone : o.capacityType);
        }
      } else {
        const v = s.type.labels[key];
        if (v === undefined) continue;
        carried = true;
        values.add(v);
      }
    }
    if (!carried) continue;
    if ([...values].some((v) => wanted.has(v))) continue;
    if (wanted.allowsUndefined) continue;
    const sorted = [...values].sort();
    let suggestion: string | undefined;
    if (!wanted.complement) for (const v of wanted.values) suggestion ??= nearMiss(v, sorted);
    return { kind: 'requirement', key, wanted: wanted.describe(), allowed: `${key} In [${sorted.join(', ')}]`, undefinedLabel: false, offeredByCatalog: true, ...(suggestion ? { suggestion } : {}) };
  }
  return undefined;
}

function describeForPeople(requirements: Requirements): string {
  return requirements.without(LABEL_HOSTNAME).without(LABEL_NODEPOOL).describe() || 'the NodePool requirements';
}
