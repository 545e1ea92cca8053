import type { Pod, Taint } from '../core/types.js';
import type { Rejection } from '../explain/rejection.js';
import { QuantityParseError } from '../quantity/errors.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { makeAttempt, type Attempt } from './attempt.js';
import { ClaimOrder } from './claim-order.js';
import { daemonSetPodInfos } from './daemonset-overhead.js';
import { diagnoseNewClaim, diagnoseSummary } from './diagnose.js';
import { ExistingNodeState, type PodsUsage } from './existing-node-state.js';
import { HostPortUsage } from './host-ports.js';
import { buildNodeClaimTemplates, type NodeClaimTemplate } from './nodeclaim-template.js';
import { NodePoolBudget, NODES_LIMIT } from './nodepool-limits.js';
import { buildPodInfo, comparePodInfos, podKey, type PodInfo } from './pod-info.js';
import { placeholderHostname, PlannedClaim, type TemplateState } from './planned-claim.js';
import { initialPreferences, relax, type PreferencePolicy } from './preferences.js';
import { LabelRequirement } from './requirement.js';
import { Requirements } from './requirements.js';
import { fitsWithin, ResourceIndex } from './resource-vector.js';
import { firstUntoleratedTaint } from './taints.js';
import { Topology, type DomainSource, type TopologyPod } from './topology/topology.js';
import { NamespaceResolver, requiredAntiAffinityTerms, type TopologyTerm } from './topology/topology-term.js';
import { daemonPortsOf, filterSlots, hasMinValues, makeSlots, minValuesShortfall, type TypeSlot } from './type-slots.js';
import type { SchedulingOptions, SchedulingSnapshot } from './types.js';
import { VolumeTopology } from './volume-topology.js';
import { offeringAllowed } from './instance-type-filter.js';
import { LABEL_CAPACITY_TYPE, LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE } from './well-known-labels.js';

/** A pod the round could not place, with the data to explain it. */
export interface FailedPod {
  pod: Pod;
  reason: string;
  nodePools: Record<string, Rejection>;
}

/**
 * The state of one scheduling round. `run()` places every pod (see `schedule` for the rules) and leaves the
 * outcome in `existing`, `claims` and `failed`. Single use.
 */
export class Scheduler {
  readonly index = new ResourceIndex();
  readonly templates: TemplateState[];
  readonly existing: ExistingNodeState[];
  readonly claims: PlannedClaim[] = [];
  readonly failed: FailedPod[] = [];
  private readonly order = new ClaimOrder<PlannedClaim>();
  private readonly topology = new Topology();
  private readonly pods: PodInfo[] = [];
  private readonly vectors = new Map<PodInfo, Float64Array>();
  private readonly policy: PreferencePolicy;
  private minPod: Float64Array;

  /**
   * @param placeFirst pods placed before the others (each group in the usual order): the pods of nodes going
   *   away, which run now, so that pods with a required affinity to them follow them instead of starting a domain.
   */
  constructor(snapshot: SchedulingSnapshot, options: SchedulingOptions = {}, placeFirst: ReadonlySet<Pod> = new Set()) {
    this.policy = options.preferencePolicy ?? 'Respect';
    const resolver = new NamespaceResolver(snapshot.namespaces);
    const volumes = new VolumeTopology(snapshot);
    const daemonSets = daemonSetPodInfos(snapshot.daemonSets);
    const templates = buildNodeClaimTemplates(snapshot.nodePools, snapshot.instanceTypes, daemonSets);

    for (const pod of snapshot.pods) {
      try {
        this.pods.push(buildPodInfo(pod, resolver, volumes));
      } catch (error) {
        if (!(error instanceof QuantityParseError)) throw error;
        this.failed.push({ pod, reason: `invalid pod ${podKey(pod)}: ${error.message}`, nodePools: {} });
      }
    }
    this.pods.sort((a, b) => Number(placeFirst.has(b.pod)) - Number(placeFirst.has(a.pod)) || comparePodInfos(a, b));

    for (const info of this.pods) this.index.register(info.requests);
    for (const t of templates) {
      for (const type of t.types) this.index.register(type.available, type.capacity);
      const limits = { ...(t.limits ?? {}) };
      delete (limits as Record<string, number>)[NODES_LIMIT];
      this.index.register(limits);
    }
    for (const node of snapshot.existingNodes) this.index.register(node.allocatable);

    const usage = new Map<string, { resources: Record<string, number>; nodes: number }>();
    for (const node of snapshot.existingNodes) {
      if (!node.nodePoolName) continue;
      const u = usage.get(node.nodePoolName) ?? { resources: {}, nodes: 0 };
      const capacity = node.capacity ?? node.allocatable;
      for (const key in capacity) u.resources[key] = (u.resources[key] ?? 0) + (capacity[key] ?? 0);
      u.nodes += 1;
      usage.set(node.nodePoolName, u);
    }
    this.templates = templates.map((template) => ({
      template,
      slots: makeSlots(template.types, this.index),
      budget: new NodePoolBudget(template.limits, this.index, usage.get(template.name)?.resources ?? {}, usage.get(template.name)?.nodes ?? 0),
    }));

    const startupTaints = new Map(templates.map((t) => [t.name, t.startupTaints]));
    this.existing = [...snapshot.existingNodes]
      .sort((a, b) => Number(b.initialized) - Number(a.initialized) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((node) => new ExistingNodeState(node, this.index, startupTaints.get(node.nodePoolName ?? '') ?? []));

    this.minPod = new Float64Array(this.index.size).fill(Number.POSITIVE_INFINITY);
    for (const info of this.pods) {
      const v = this.index.vector(info.requests);
      this.vectors.set(info, v);
      for (let i = 0; i < v.length; i++) this.minPod[i] = Math.min(this.minPod[i] as number, v[i] as number);
    }
    if (this.pods.length === 0) this.minPod.fill(0);

    this.initTopology(resolver, templates, snapshot.namespaces);
  }

  private initTopology(resolver: NamespaceResolver, templates: readonly NodeClaimTemplate[], namespaces: SchedulingSnapshot['namespaces']): void {
    for (const info of this.pods) {
      for (const term of [...info.spreads, ...info.affinity.required, ...info.affinity.preferred, ...info.antiAffinity.required, ...info.antiAffinity.preferred]) {
        this.topology.group(term);
      }
      for (const term of info.antiAffinity.required) this.topology.inverseGroup(term);
    }
    const existingAnti = this.existing.map((node) => existingAntiAffinity(node, resolver, namespaces));
    for (const terms of existingAnti) for (const list of terms) for (const term of list) this.topology.inverseGroup(term);

    for (const key of this.topology.keys()) {
      if (key === LABEL_HOSTNAME) continue;
      for (const t of templates) {
        for (const domain of templateDomains(t, key)) {
          const requirements = t.requirements.with(LabelRequirement.in(key, [domain]));
          this.topology.registerDomain(key, domain, { taints: t.taints, matches: (alt) => requirements.compatible(alt, t.allowUndefined) === undefined });
        }
      }
    }
    // Plain loops, keys and one domain source per node hoisted: this runs for every pod of every existing node,
    // once per round (consolidation runs many rounds over the same cluster).
    const keys = [...this.topology.keys()];
    for (let i = 0; i < this.existing.length; i++) {
      const node = this.existing[i] as ExistingNodeState;
      let source: DomainSource | undefined;
      for (const key of keys) {
        const v = node.labels[key];
        if (v === undefined) continue;
        source ??= new NodeDomainSource(node);
        this.topology.registerDomain(key, v, source);
      }
      const anti = existingAnti[i];
      const pods = node.usage.topologyPods;
      for (let j = 0; j < pods.length; j++) this.topology.record(pods[j] as TopologyPod, node, anti?.[j] ?? NO_TERM);
    }
  }

  /** Places every pod; pods that fail are retried after others were placed, while that makes progress. */
  run(): void {
    let pending: PodInfo[] = [];
    let lastFailure = new Map<PodInfo, Attempt>();
    for (const info of this.pods) {
      const failure = this.schedulePod(info);
      if (failure) {
        pending.push(info);
        lastFailure.set(info, failure);
      }
    }
    while (pending.length > 0) {
      const next: PodInfo[] = [];
      const failures = new Map<PodInfo, Attempt>();
      for (const info of pending) {
        const failure = this.schedulePod(info);
        if (failure) {
          next.push(info);
          failures.set(info, failure);
        }
      }
      lastFailure = failures;
      if (next.length === pending.length) break;
      pending = next;
    }
    for (const info of pending) {
      const attempt = lastFailure.get(info);
      if (attempt) this.failed.push(this.explain(attempt));
    }
  }

  /** Tries the pod with preferences relaxed step by step; returns the last attempt when it could not be placed. */
  private schedulePod(info: PodInfo): Attempt | undefined {
    const requests = this.vectors.get(info) ?? this.index.vector(info.requests);
    let preferences = initialPreferences(info, this.policy);
    const volumes = info.volume.ok ? info.volume.alternatives : [Requirements.EMPTY];
    for (;;) {
      const attempts = volumes.map((volume) => makeAttempt(info, requests, preferences, this.topology, volume));
      if (info.volume.ok && this.place(attempts)) return undefined;
      const relaxed = info.volume.ok ? relax(info, preferences) : undefined;
      if (!relaxed) return attempts[0] as Attempt;
      preferences = relaxed.preferences;
    }
  }

  /**
   * One attempt per volume-topology alternative (ORed node-selector terms of the pod's volumes): existing nodes
   * under any alternative first, then planned NodeClaims, then a new NodeClaim, alternatives in term order.
   */
  private place(attempts: readonly Attempt[]): boolean {
    return attempts.some((a) => this.placeOnExisting(a)) || attempts.some((a) => this.placeOnPlanned(a)) || attempts.some((a) => this.placeOnNew(a));
  }

  private placeOnExisting(attempt: Attempt): boolean {
    const { info, requests } = attempt;
    for (const node of this.existing) {
      if (node.node.markedForDeletion) continue;
      if (!node.fits(requests)) continue;
      if (firstUntoleratedTaint(attempt.tolerations, node.taints)) continue;
      if (node.admits(attempt.requirements)) continue;
      if (attempt.nodeNames && !attempt.nodeNames.allows(node.node.name)) continue;
      if (info.hostPorts.length > 0 && node.hostPorts.conflict(info.hostPorts)) continue;
      if (!this.topology.evaluate(attempt.topology, node.topologyCandidate()).ok) continue;
      node.place(info.pod, requests, attempt.requirements);
      node.hostPorts.add(info.hostPorts);
      this.topology.record(info, node, info.antiAffinity.required);
      return true;
    }
    return false;
  }

  private placeOnPlanned(attempt: Attempt): boolean {
    const { info, requests } = attempt;
    if (attempt.nodeNames && !attempt.nodeNames.matchesNewNodes) return false;
    const templateOk = new Map<TemplateState, boolean>();
    let fit: { requirements: Requirements; slots: TypeSlot[] } | undefined;
    const domainChecks = attempt.topology.domainLimits.length > 0;
    const claim = this.order.find((claim) => {
      if (!fitsWithin(requests, claim.headroom)) return false;
      if (domainChecks && !this.topology.admitsClaim(attempt.topology, claim.hostname, claim.requirements)) return false;
      let ok = templateOk.get(claim.state);
      if (ok === undefined) {
        ok = this.templateAdmits(claim.state.template, attempt) === undefined;
        templateOk.set(claim.state, ok);
      }
      if (!ok) return false;
      if (claim.requirements.compatible(attempt.requirements, claim.state.template.allowUndefined)) return false;
      if (info.hostPorts.length > 0 && claim.hostPorts.conflict(info.hostPorts)) return false;
      const merged = claim.requirements.intersect(attempt.requirements);
      const verdict = this.topology.evaluate(attempt.topology, { kind: 'claim', requirements: merged });
      if (!verdict.ok) return false;
      const requirements = merged.with(...verdict.requirements);
      const slots = filterSlots(claim.slots, requirements !== claim.requirements, requirements, claim.used, requests);
      if (slots.length === 0) return false;
      if (hasMinValues(requirements) && minValuesShortfall(slots, requirements)) return false;
      fit = { requirements, slots };
      return true;
    });
    if (!claim || !fit) return false;
    const before = claim.pods.length;
    claim.commit({ info, requests, terms: attempt.terms }, fit.requirements, fit.slots);
    this.order.move(claim, before, claim.pods.length);
    if (!fitsWithin(this.minPod, claim.headroom)) this.order.remove(claim, claim.pods.length);
    this.topology.record(info, claim, info.antiAffinity.required);
    return true;
  }

  private placeOnNew(attempt: Attempt): boolean {
    const { info, requests } = attempt;
    if (attempt.nodeNames && !attempt.nodeNames.matchesNewNodes) return false;
    for (const state of this.templates) {
      const t = state.template;
      if (this.templateAdmits(t, attempt)) continue;
      if (state.budget.exhausted()) continue;
      const hostname = placeholderHostname(this.claims.length);
      const base = t.requirements.with(LabelRequirement.in(LABEL_HOSTNAME, [hostname])).intersect(attempt.requirements);
      const verdict = this.topology.evaluate(attempt.topology, { kind: 'claim', requirements: base });
      if (!verdict.ok) continue;
      const requirements = base.with(...verdict.requirements);
      let slots = filterSlots(state.slots, true, requirements, new Float64Array(this.index.size), requests);
      if (info.hostPorts.length > 0) slots = slots.filter((s) => !new HostPortUsage(s.type.daemonHostPorts).conflict(info.hostPorts));
      if (!state.budget.unlimited) slots = slots.filter((s) => state.budget.admits(s));
      if (slots.length === 0) continue;
      if (hasMinValues(requirements) && minValuesShortfall(slots, requirements)) continue;
      const claim = new PlannedClaim({
        state,
        hostname,
        seq: this.claims.length,
        requirements,
        slots,
        size: this.index.size,
        hostPorts: new HostPortUsage(daemonPortsOf(slots)),
      });
      claim.commit({ info, requests, terms: attempt.terms }, requirements, slots);
      this.claims.push(claim);
      if (fitsWithin(this.minPod, claim.headroom)) this.order.add(claim, claim.pods.length);
      this.topology.record(info, claim, info.antiAffinity.required);
      return true;
    }
    return false;
  }

  /** Taints and template-level requirements: the checks that are the same for every claim of a NodePool. */
  templateAdmits(t: NodeClaimTemplate, attempt: Attempt): Rejection | undefined {
    const taint = firstUntoleratedTaint(attempt.tolerations, t.taints);
    if (taint) return { kind: 'taint', taint };
    const conflict = t.requirements.compatible(attempt.requirements, t.allowUndefined);
    if (conflict) return { kind: 'requirement', key: conflict.key, wanted: conflict.wanted.describe(), undefinedLabel: conflict.kind === 'undefined-label', ...(conflict.allowed ? { allowed: conflict.allowed.describe() } : {}) };
    return undefined;
  }

  private explain(attempt: Attempt): FailedPod {
    const nodePools: Record<string, Rejection> = {};
    if (attempt.info.volume.ok) {
      for (const state of this.templates) nodePools[state.template.name] = diagnoseNewClaim(this, state, attempt, this.topology);
    } else {
      for (const state of this.templates) nodePools[state.template.name] = { kind: 'volume', reason: attempt.info.volume.reason };
    }
    return { pod: attempt.info.pod, reason: diagnoseSummary(this, attempt, nodePools), nodePools };
  }

  /** Pod requests as a vector of this round's index. */
  vectorOf(list: ResourceList): Float64Array {
    return this.index.vector(list);
  }
}

const NO_TERMS: readonly (readonly TopologyTerm[])[] = [];
const NO_TERM: readonly TopologyTerm[] = [];

/** Required anti-affinity terms of an existing node's pods, per pods usage and namespaces list (see `podsUsage`). */
const antiByUsage = new WeakMap<PodsUsage, { namespaces: SchedulingSnapshot['namespaces']; terms: readonly (readonly TopologyTerm[])[] }>();

/** Per pod of the node (in pod order), its required anti-affinity terms; computed once per pods array and namespaces. */
function existingAntiAffinity(node: ExistingNodeState, resolver: NamespaceResolver, namespaces: SchedulingSnapshot['namespaces']): readonly (readonly TopologyTerm[])[] {
  const owners = node.usage.requiredAntiAffinity;
  if (!owners) return NO_TERMS;
  const known = antiByUsage.get(node.usage);
  if (known && known.namespaces === namespaces) return known.terms;
  const terms = node.node.pods.map((pod, j) => (owners[j] ? requiredAntiAffinityTerms(pod, resolver) : NO_TERM));
  antiByUsage.set(node.usage, { namespaces, terms });
  return terms;
}

/** An existing node as the source of its label domains: its taints, and node selection matched against its labels. */
class NodeDomainSource implements DomainSource {
  readonly taints: readonly Taint[];
  private readonly labels: Readonly<Record<string, string>>;

  constructor(node: ExistingNodeState) {
    this.taints = node.taints;
    this.labels = node.labels;
  }

  matches(alternative: Requirements): boolean {
    return alternative.matchLabels(this.labels) === undefined;
  }
}

/** The domains of a topology key a NodePool's compatible types can provide (zone and capacity type via offerings). */
function templateDomains(t: NodeClaimTemplate, key: string): Set<string> {
  const req = t.requirements.get(key);
  const values = new Set<string>();
  for (const type of t.types) {
    if (key === LABEL_TOPOLOGY_ZONE || key === LABEL_CAPACITY_TYPE) {
      for (const o of type.instanceType.offerings) {
        if (offeringAllowed(o, t.requirements)) values.add(key === LABEL_TOPOLOGY_ZONE ? o.zone : o.capacityType);
      }
    } else {
      const v = type.labels[key];
      if (v !== undefined && (!req || req.has(v))) values.add(v);
      else if (v === undefined && req && !req.complement) for (const rv of req.values) values.add(rv);
    }
  }
  return values;
}
