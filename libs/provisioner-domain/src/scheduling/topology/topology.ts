import type { Taint, Toleration } from '../../core/types.js';
import { LabelRequirement } from '../requirement.js';
import type { Requirements } from '../requirements.js';
import { toleratesAll } from '../taints.js';
import { LABEL_HOSTNAME } from '../well-known-labels.js';
import { TopologyGroup } from './topology-group.js';
import { termSelects, type TopologyTerm } from './topology-term.js';

/** Where a pod could land, as topology sees it: a node's concrete labels, or a planned NodeClaim's requirements. */
export type TopologyCandidate = { kind: 'node'; labels: Readonly<Record<string, string>> } | { kind: 'claim'; requirements: Requirements };

/** A node or planned NodeClaim that holds counted pods: its current labels/requirements and its taints. */
export interface TopologyNode {
  topologyCandidate(): TopologyCandidate;
  readonly topologyTaints: readonly Taint[];
}

/** A pod as topology sees it. */
export interface TopologyPod {
  namespace: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * A pod's required node selection as alternatives (nodeSelector ∧ each required node-affinity term; a single
 * entry without terms), with a stable `key` for caching. `constrained` is false when it selects every node.
 */
export interface NodeSelection {
  readonly alternatives: readonly Requirements[];
  readonly key: string;
  readonly constrained: boolean;
}

/** A spread constraint as one pod attempt sees it: the global minimum and the count of a domain. */
interface SpreadView {
  readonly min: number;
  count(domain: string): number;
}

/** What one pod attempt needs from topology, prepared once per attempt (not per candidate). */
export interface PreparedTopology {
  owned: { group: TopologyGroup<TopologyNode>; selfSelecting: boolean; podDomains: ReadonlySet<string> | undefined; spread: SpreadView | undefined }[];
  /** Anti-affinity of other pods that selects this pod. */
  inverse: TopologyGroup<TopologyNode>[];
  /**
   * Necessary conditions checkable in O(1) per candidate whose domain of `key` is decided (a node's label, a
   * NodeClaim's hostname or single zone): the pod may only land where `minCount <= count(domain) <= maxCount`
   * (anti-affinity: max 0; spread: global minimum + maxSkew − itself; affinity with selected pods somewhere:
   * min 1). `evaluate` remains the full check.
   */
  domainLimits: DomainLimit[];
}

export interface DomainLimit {
  readonly count: (domain: string) => number;
  readonly key: string;
  readonly minCount: number;
  readonly maxCount: number;
}

export type TopologyVerdict = { ok: true; requirements: LabelRequirement[] } | { ok: false; term: TopologyTerm; reason: string };

/** Where a domain comes from: a NodePool (its future nodes) or an existing node. */
export interface DomainSource {
  readonly taints: readonly Taint[];
  /** Whether nodes of this source in this domain can satisfy the node selection alternative. */
  matches(alternative: Requirements): boolean;
}

/**
 * The topology state of one round (Karpenter's Topology): groups for the constraints of pending pods, inverse
 * groups for required anti-affinity of placed and existing pods, and the domain universe per topology key
 * (from NodePool requirements ∩ offerings, and existing nodes). Mirrors kube-scheduler's PodTopologySpread and
 * InterPodAffinity with Karpenter's choices for nodes that do not exist yet:
 * - spread picks the least-populated allowed domain (ties by name) whose skew stays within maxSkew; eligible
 *   domains and counted pods are those on nodes matching the pod's required node selection
 *   (nodeAffinityPolicy Honor, the default) and, with nodeTaintsPolicy Honor, whose taints it tolerates; the
 *   global minimum is 0 when fewer than minDomains domains are eligible, and for `kubernetes.io/hostname` (a
 *   new node is always possible). For a planned NodeClaim whose labels are not all decided, a pod counts toward
 *   the minimum only if its claim certainly matches, and toward the target domain if it may match;
 * - affinity needs a domain with a selected pod; a pod selecting itself starts the first allowed domain, but
 *   only when no selected pod exists in any domain (kube-scheduler's rule; Karpenter also starts one when the
 *   selected pods are only outside the pod's own node affinity, which kube-scheduler then refuses);
 * - anti-affinity needs a domain without selected pods; the pod's own anti-affinity pins a planned NodeClaim to
 *   the first such domain (Karpenter leaves the domain open and then counts the pod in every domain the claim
 *   could land in, which blocks the rest of a zonal anti-affinity group for the round); a pod selected by
 *   someone else's anti-affinity is still counted in every domain its claim could land in.
 */
export class Topology {
  private readonly groups = new Map<string, TopologyGroup<TopologyNode>>();
  private readonly inverseGroups = new Map<string, TopologyGroup<TopologyNode>>();
  private readonly universe = new Map<string, Map<string, DomainSource[]>>();
  /** Eligible domains per (group, node selection, tolerations): fixed for the round once domains are registered. */
  private readonly eligibleCache = new Map<string, ReadonlySet<string>>();

  /** The group counting pods for this term (shared by equal terms). */
  group(term: TopologyTerm): TopologyGroup<TopologyNode> {
    let g = this.groups.get(term.groupKey);
    if (!g) {
      g = new TopologyGroup(term);
      this.groups.set(term.groupKey, g);
    }
    return g;
  }

  /** The inverse group for a required anti-affinity term (counts where its owners are). */
  inverseGroup(term: TopologyTerm): TopologyGroup<TopologyNode> {
    let g = this.inverseGroups.get(term.groupKey);
    if (!g) {
      g = new TopologyGroup(term);
      this.inverseGroups.set(term.groupKey, g);
    }
    return g;
  }

  /** The topology keys any group uses. */
  keys(): Set<string> {
    const out = new Set<string>();
    for (const g of this.groups.values()) out.add(g.term.key);
    for (const g of this.inverseGroups.values()) out.add(g.term.key);
    return out;
  }

  /** Adds a domain of `key` reachable through a NodePool or an existing node. Register all before scheduling. */
  registerDomain(key: string, domain: string, source: DomainSource): void {
    let domains = this.universe.get(key);
    if (!domains) {
      domains = new Map();
      this.universe.set(key, domains);
    }
    const sources = domains.get(domain);
    if (sources) sources.push(source);
    else domains.set(domain, [source]);
  }

  /** Known domains of a key, sorted. */
  domains(key: string): string[] {
    return [...(this.universe.get(key)?.keys() ?? [])].sort();
  }

  /**
   * Counts a pod that runs (or was placed) on a node or planned NodeClaim: in every group selecting it, and in
   * the inverse groups of its own required anti-affinity terms. Affinity and spread count only a decided
   * domain; anti-affinity counts every domain the candidate could still be in.
   */
  record(pod: TopologyPod, node: TopologyNode, ownedAntiAffinity: readonly TopologyTerm[]): void {
    const candidate = node.topologyCandidate();
    for (const g of this.groups.values()) {
      if (!termSelects(g.term, pod.namespace, pod.labels)) continue;
      this.recordIn(g, node, candidate, g.term.kind === 'anti-affinity');
    }
    for (const term of ownedAntiAffinity) this.recordIn(this.inverseGroup(term), node, candidate, true);
  }

  private recordIn(group: TopologyGroup<TopologyNode>, node: TopologyNode, candidate: TopologyCandidate, everyPossibleDomain: boolean): void {
    const key = group.term.key;
    if (candidate.kind === 'node') {
      const domain = candidate.labels[key];
      if (domain !== undefined) group.add(domain, node);
      return;
    }
    const req = candidate.requirements.get(key);
    const single = req?.singleValue();
    if (single !== undefined) {
      group.add(single, node);
      return;
    }
    if (!everyPossibleDomain) return;
    for (const domain of this.candidateDomains(key, req)) group.add(domain, node);
  }

  /**
   * Prepares a pod attempt: its own constraint groups with the domains it is eligible for and the counts it
   * sees, and the inverse groups (other pods' anti-affinity) that select it. Preferred node affinity and volumes
   * do not narrow eligibility (kube-scheduler's nodeAffinityPolicy looks at required node selection only).
   */
  prepare(pod: TopologyPod, terms: readonly TopologyTerm[], selection: NodeSelection, tolerations: readonly Toleration[] | undefined): PreparedTopology {
    const owned: PreparedTopology['owned'] = [];
    const domainLimits: DomainLimit[] = [];
    const ownedKeys = new Set<string>();
    for (const term of terms) {
      const group = this.group(term);
      ownedKeys.add(term.groupKey);
      const podDomains = term.kind !== 'anti-affinity' && term.key !== LABEL_HOSTNAME ? this.eligibleDomains(term, selection, tolerations) : undefined;
      const selfSelecting = termSelects(term, pod.namespace, pod.labels);
      const key = term.key;
      let spread: SpreadView | undefined;
      if (term.kind === 'spread') {
        const filtered = (term.nodeAffinityPolicy === 'Honor' && selection.constrained) || term.nodeTaintsPolicy === 'Honor';
        spread = filtered ? filteredSpreadView(group, podDomains, selection, term.nodeTaintsPolicy === 'Honor' ? tolerations : undefined) : plainSpreadView(group, podDomains);
        const view = spread;
        domainLimits.push({ count: (d) => view.count(d), key, minCount: 0, maxCount: view.min + term.maxSkew - (selfSelecting ? 1 : 0) });
      } else if (term.kind === 'anti-affinity') {
        domainLimits.push({ count: (d) => group.count(d), key, minCount: 0, maxCount: 0 });
      } else if (anyCounted(group)) {
        domainLimits.push({ count: (d) => group.count(d), key, minCount: 1, maxCount: Number.POSITIVE_INFINITY });
      }
      owned.push({ group, selfSelecting, podDomains, spread });
    }
    const inverse: TopologyGroup<TopologyNode>[] = [];
    for (const g of this.inverseGroups.values()) {
      if (ownedKeys.has(g.term.groupKey)) continue;
      if (termSelects(g.term, pod.namespace, pod.labels)) {
        inverse.push(g);
        domainLimits.push({ count: (d) => g.count(d), key: g.term.key, minCount: 0, maxCount: 0 });
      }
    }
    return { owned, inverse, domainLimits };
  }

  /** Domains of the term's key where some node the pod may use exists (see `prepare`). */
  private eligibleDomains(term: TopologyTerm, selection: NodeSelection, tolerations: readonly Toleration[] | undefined): ReadonlySet<string> {
    const honorAffinity = term.nodeAffinityPolicy === 'Honor' && selection.constrained;
    const honorTaints = term.nodeTaintsPolicy === 'Honor';
    const cacheKey = `${term.groupKey}#${honorAffinity ? selection.key : '*'}#${honorTaints ? JSON.stringify(tolerations ?? []) : '*'}`;
    const cached = this.eligibleCache.get(cacheKey);
    if (cached) return cached;
    const out = new Set<string>();
    for (const [domain, sources] of this.universe.get(term.key) ?? []) {
      const ok = sources.some(
        (s) =>
          (!honorTaints || toleratesAll(tolerations, s.taints, { ignorePreferNoSchedule: true })) &&
          (!honorAffinity || selection.alternatives.some((alt) => (alt.get(term.key)?.has(domain) ?? true) && s.matches(alt))),
      );
      if (ok) out.add(domain);
    }
    this.eligibleCache.set(cacheKey, out);
    return out;
  }

  /** False when a planned NodeClaim is certainly ruled out by a constraint on a domain it has already decided. */
  admitsClaim(prepared: PreparedTopology, hostname: string, requirements: Requirements): boolean {
    for (const { count, key, minCount, maxCount } of prepared.domainLimits) {
      const domain = key === LABEL_HOSTNAME ? hostname : requirements.get(key)?.singleValue();
      if (domain === undefined) continue;
      const c = count(domain);
      if (c > maxCount || c < minCount) return false;
    }
    return true;
  }

  /**
   * Whether the prepared pod may land on the candidate and, for a planned NodeClaim, the domain requirements
   * (`key In [...]`) that landing there adds. The first violated constraint is returned otherwise.
   */
  evaluate(prepared: PreparedTopology, candidate: TopologyCandidate): TopologyVerdict {
    const requirements: LabelRequirement[] = [];
    for (const { group, selfSelecting, podDomains, spread } of prepared.owned) {
      const term = group.term;
      const allowed =
        term.kind === 'spread'
          ? this.spreadDomains(group, selfSelecting, podDomains, spread ?? plainSpreadView(group, podDomains), candidate)
          : term.kind === 'affinity'
            ? this.affinityDomains(group, selfSelecting, podDomains, candidate)
            : this.antiAffinityDomains(group, candidate).slice(0, 1);
      if (allowed.length === 0) return { ok: false, term, reason: describeFailure(term) };
      if (candidate.kind === 'claim') requirements.push(inDomains(term.key, allowed, candidate.requirements));
    }
    for (const group of prepared.inverse) {
      const allowed = this.antiAffinityDomains(group, candidate);
      if (allowed.length === 0) return { ok: false, term: group.term, reason: `would violate the pod anti-affinity of pods already placed on ${group.term.key}` };
      if (candidate.kind === 'claim') requirements.push(inDomains(group.term.key, allowed, candidate.requirements));
    }
    return { ok: true, requirements };
  }

  /** Candidate domains of a key (sorted for determinism): a node's label, or what a NodeClaim still allows. */
  private domainsOf(key: string, candidate: TopologyCandidate): string[] {
    if (candidate.kind === 'node') {
      const d = candidate.labels[key];
      return d === undefined ? [] : [d];
    }
    return this.candidateDomains(key, candidate.requirements.get(key));
  }

  private candidateDomains(key: string, req: LabelRequirement | undefined): string[] {
    if (req && !req.complement) return req.values.size === 1 ? [...req.values] : req.sortedValues();
    const out: string[] = [];
    for (const d of this.domains(key)) if (!req || req.has(d)) out.push(d);
    return out;
  }

  private spreadDomains(
    group: TopologyGroup<TopologyNode>,
    selfSelecting: boolean,
    podDomains: ReadonlySet<string> | undefined,
    view: SpreadView,
    candidate: TopologyCandidate,
  ): string[] {
    let best: string | undefined;
    let bestCount = Number.POSITIVE_INFINITY;
    for (const d of this.domainsOf(group.term.key, candidate)) {
      if (podDomains && !podDomains.has(d)) continue;
      const count = view.count(d) + (selfSelecting ? 1 : 0);
      if (count - view.min <= group.term.maxSkew && count < bestCount) {
        best = d;
        bestCount = count;
      }
    }
    return best === undefined ? [] : [best];
  }

  private affinityDomains(group: TopologyGroup<TopologyNode>, selfSelecting: boolean, podDomains: ReadonlySet<string> | undefined, candidate: TopologyCandidate): string[] {
    const candidates = this.domainsOf(group.term.key, candidate);
    // kube-scheduler: a pod that selects itself may start a domain only when no selected pod exists anywhere.
    if (anyCounted(group)) return candidates.filter((d) => group.count(d) > 0);
    if (!selfSelecting) return [];
    const first = candidates.find((d) => !podDomains || podDomains.has(d));
    return first === undefined ? [] : [first];
  }

  private antiAffinityDomains(group: TopologyGroup<TopologyNode>, candidate: TopologyCandidate): string[] {
    const key = group.term.key;
    if (candidate.kind === 'node' && candidate.labels[key] === undefined) return ['<none>'];
    return this.domainsOf(key, candidate).filter((d) => group.count(d) === 0);
  }
}

function describeFailure(term: TopologyTerm): string {
  switch (term.kind) {
    case 'spread':
      return `${term.description}: every allowed domain would exceed the skew`;
    case 'affinity':
      return `${term.description}: no allowed domain has a matching pod`;
    default:
      return `${term.description}: every allowed domain already has a matching pod`;
  }
}

function inDomains(key: string, domains: string[], requirements: Requirements): LabelRequirement {
  const current = requirements.get(key);
  // Return the existing requirement when it already allows exactly these domains, so the claim sees "unchanged".
  if (current && !current.complement && current.values.size === domains.length && domains.every((d) => current.values.has(d))) return current;
  return LabelRequirement.in(key, domains);
}

/** Spread counts over every node: the hot path when the pod's node selection and taints do not matter. */
function plainSpreadView(group: TopologyGroup<TopologyNode>, podDomains: ReadonlySet<string> | undefined): SpreadView {
  return { min: globalMinimum(group.term, podDomains, (d) => group.count(d)), count: (d) => group.count(d) };
}

/**
 * Spread counts over the nodes the pod could use (kube-scheduler's nodeAffinityPolicy / nodeTaintsPolicy
 * Honor): a node counts when it matches some alternative of the pod's required node selection and, when
 * `tolerations` is given, its taints are tolerated. A planned NodeClaim certainly matches when its requirements
 * already lie within an alternative, and may match when they intersect one; the minimum uses certain matches
 * and the target domain possible ones, so the decision is safe whatever labels the launch decides.
 */
function filteredSpreadView(
  group: TopologyGroup<TopologyNode>,
  podDomains: ReadonlySet<string> | undefined,
  selection: NodeSelection,
  tolerations: readonly Toleration[] | undefined,
): SpreadView {
  const certain = new Map<string, number>();
  const possible = new Map<string, number>();
  for (const domain of group.occupiedDomains()) {
    let c = 0;
    let p = 0;
    for (const [node, n] of group.nodesIn(domain) ?? []) {
      if (tolerations !== undefined && !toleratesAll(tolerations, node.topologyTaints, { ignorePreferNoSchedule: true })) continue;
      const match = selectionMatch(node.topologyCandidate(), selection);
      if (match === 'certain') c += n;
      if (match !== 'none') p += n;
    }
    certain.set(domain, c);
    possible.set(domain, p);
  }
  return { min: globalMinimum(group.term, podDomains, (d) => certain.get(d) ?? 0), count: (d) => possible.get(d) ?? 0 };
}

function selectionMatch(candidate: TopologyCandidate, selection: NodeSelection): 'certain' | 'possible' | 'none' {
  if (!selection.constrained) return 'certain';
  if (candidate.kind === 'node') return selection.alternatives.some((alt) => alt.matchLabels(candidate.labels) === undefined) ? 'certain' : 'none';
  let possible = false;
  for (const alt of selection.alternatives) {
    let certain = true;
    for (const req of alt) {
      const have = candidate.requirements.get(req.key);
      if (!have || have.intersect(req) !== have) certain = false;
    }
    if (certain) return 'certain';
    if (candidate.requirements.intersects(alt) === undefined) possible = true;
  }
  return possible ? 'possible' : 'none';
}

/**
 * The global minimum of a spread over the pod's eligible domains; 0 for hostname spreads (a new node is always
 * possible), when no domain is eligible, or when fewer than minDomains are.
 */
function globalMinimum(term: TopologyTerm, podDomains: ReadonlySet<string> | undefined, count: (d: string) => number): number {
  if (!podDomains || podDomains.size === 0) return 0;
  if (term.minDomains !== undefined && podDomains.size < term.minDomains) return 0;
  let min = Number.POSITIVE_INFINITY;
  for (const d of podDomains) {
    const c = count(d);
    if (c < min) min = c;
  }
  return min;
}

function anyCounted(group: TopologyGroup<TopologyNode>): boolean {
  for (const d of group.occupiedDomains()) if (group.count(d) > 0) return true;
  return false;
}
