import type { ClaimMember } from './planned-claim.js';
import { termSelects, type TopologyTerm } from './topology/topology-term.js';
import { LABEL_HOSTNAME } from './well-known-labels.js';

/**
 * A pod of a planned NodeClaim with its `kubernetes.io/hostname` constraints compiled against the other pods
 * being re-packed (term ids are positions in `HostnameRules.terms`).
 */
export interface PackItem {
  readonly member: ClaimMember;
  /** Its own anti-affinity terms on hostname (required, and preferred ones still respected when it was placed). */
  readonly ownAnti: readonly number[];
  /** Anti-affinity terms of any re-packed pod that select this pod. */
  readonly selectedByAnti: readonly number[];
  /** Its own spread terms on hostname. */
  readonly ownSpread: readonly number[];
  /** Spread terms of any re-packed pod that select this pod. */
  readonly selectedBySpread: readonly number[];
  /** Every term (anti-affinity or spread) that selects this pod: what it adds to a node's counts. */
  readonly selectedBy: readonly number[];
  /** Every term it owns (anti-affinity and spread). */
  readonly owns: readonly number[];
}

/**
 * The hostname topology of a set of pods that may be moved between NodeClaims of one NodePool with identical
 * requirements. Only hostname domains change when pods move between such claims (every other domain — zone,
 * capacity type, any label — is decided by the shared requirements, exactly as before), so these are the only
 * topology rules a re-pack must re-check. They are the scheduler's (`Topology`) for a new hostname domain, made
 * independent of the order in which the pods arrive (so they hold whatever order kube-scheduler binds them in):
 * - anti-affinity (required, and preferred ones the pod was placed with): no pod on the node is selected by a
 *   term another pod on the node owns;
 * - topology spread (DoNotSchedule, and respected ScheduleAnyway): the global minimum over hostnames is 0 (a new
 *   node is always possible), so a node holding an owner of a spread term holds at most `maxSkew` pods the term
 *   selects;
 * - hostname pod affinity cannot be re-checked by moving single pods: a claim holding an owner of such a term is
 *   not re-packed at all (`pinsClaim`).
 */
export class HostnameRules {
  readonly terms: TopologyTerm[] = [];
  /** Per term, its maxSkew (spread terms). */
  readonly maxSkew: number[] = [];

  /** True when the member's pod needs company on its node (hostname pod affinity): its claim stays as planned. */
  static pinsClaim(member: ClaimMember): boolean {
    return member.terms.some((t) => t.kind === 'affinity' && t.key === LABEL_HOSTNAME);
  }

  /**
   * Compiles the members (in packing order). Returns `undefined` when selecting every pod by every term would
   * take more than `maxChecks` selector evaluations (the caller then leaves those claims alone).
   */
  static compile(members: readonly ClaimMember[], maxChecks: number): { rules: HostnameRules; items: PackItem[] } | undefined {
    const rules = new HostnameRules();
    const ids = new Map<string, number>();
    const owned = members.map((m) => {
      const own: { id: number; term: TopologyTerm }[] = [];
      for (const term of m.terms) {
        if (term.key !== LABEL_HOSTNAME || term.kind === 'affinity') continue;
        let id = ids.get(term.groupKey);
        if (id === undefined) {
          id = rules.terms.length;
          ids.set(term.groupKey, id);
          rules.terms.push(term);
          rules.maxSkew.push(term.maxSkew);
        }
        own.push({ id, term });
      }
      return own;
    });
    if (rules.terms.length * members.length > maxChecks) return undefined;
    const items = members.map((member, i) => {
      const selectedBy: number[] = [];
      const selectedByAnti: number[] = [];
      const selectedBySpread: number[] = [];
      rules.terms.forEach((term, id) => {
        if (!termSelects(term, member.info.namespace, member.info.labels)) return;
        selectedBy.push(id);
        if (term.kind === 'anti-affinity') selectedByAnti.push(id);
        else selectedBySpread.push(id);
      });
      const ownAnti: number[] = [];
      const ownSpread: number[] = [];
      const owns: number[] = [];
      for (const { id, term } of owned[i] ?? []) {
        if (owns.includes(id)) continue;
        owns.push(id);
        if (term.kind === 'anti-affinity') ownAnti.push(id);
        else ownSpread.push(id);
      }
      return { member, ownAnti, selectedByAnti, ownSpread, selectedBySpread, selectedBy, owns };
    });
    return { rules, items };
  }
}

/** Per node being packed: how many pods each term selects there, and how many pods own each term there. */
export class NodeTermCounts {
  private readonly rules: HostnameRules;
  private readonly selected = new Map<number, number>();
  private readonly owners = new Map<number, number>();

  constructor(rules: HostnameRules) {
    this.rules = rules;
  }

  /** Whether the item may join the node's current pods under the rules of `HostnameRules`. */
  admits(item: PackItem): boolean {
    for (const t of item.ownAnti) if ((this.selected.get(t) ?? 0) > 0) return false;
    for (const t of item.selectedByAnti) if ((this.owners.get(t) ?? 0) > 0) return false;
    for (const t of item.ownSpread) {
      const after = (this.selected.get(t) ?? 0) + (item.selectedBySpread.includes(t) ? 1 : 0);
      if (after > (this.rules.maxSkew[t] as number)) return false;
    }
    for (const t of item.selectedBySpread) {
      if ((this.owners.get(t) ?? 0) > 0 && (this.selected.get(t) ?? 0) + 1 > (this.rules.maxSkew[t] as number)) return false;
    }
    return true;
  }

  add(item: PackItem): void {
    for (const t of item.selectedBy) this.selected.set(t, (this.selected.get(t) ?? 0) + 1);
    for (const t of item.owns) this.owners.set(t, (this.owners.get(t) ?? 0) + 1);
  }

  remove(item: PackItem): void {
    for (const t of item.selectedBy) this.selected.set(t, (this.selected.get(t) ?? 0) - 1);
    for (const t of item.owns) this.owners.set(t, (this.owners.get(t) ?? 0) - 1);
  }
}
