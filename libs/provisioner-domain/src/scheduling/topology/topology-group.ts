import type { TopologyTerm } from './topology-term.js';

/**
 * Counts, per topology domain, the pods one constraint cares about (Karpenter's TopologyGroup). For an owned
 * group the counted pods are those its selector selects; for an inverse group (anti-affinity terms of pods
 * already placed) they are the term's owners. Counts are also kept per node (or planned NodeClaim), keyed by
 * an opaque reference, for spreads that honour the incoming pod's node affinity or taints.
 */
export class TopologyGroup<Ref = unknown> {
  readonly term: TopologyTerm;
  private readonly counts = new Map<string, number>();
  private readonly byNode = new Map<string, Map<Ref, number>>();

  constructor(term: TopologyTerm) {
    this.term = term;
  }

  count(domain: string): number {
    return this.counts.get(domain) ?? 0;
  }

  add(domain: string, ref: Ref, n = 1): void {
    this.counts.set(domain, (this.counts.get(domain) ?? 0) + n);
    let nodes = this.byNode.get(domain);
    if (!nodes) {
      nodes = new Map();
      this.byNode.set(domain, nodes);
    }
    nodes.set(ref, (nodes.get(ref) ?? 0) + n);
  }

  /** Domains with at least one counted pod. */
  occupiedDomains(): IterableIterator<string> {
    return this.counts.keys();
  }

  /** The counted pods of a domain per node reference. */
  nodesIn(domain: string): ReadonlyMap<Ref, number> | undefined {
    return this.byNode.get(domain);
  }
}
