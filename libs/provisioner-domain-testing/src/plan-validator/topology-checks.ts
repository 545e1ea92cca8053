/**
 * Required pod affinity / anti-affinity and DoNotSchedule topology spread, checked on the after-round cluster.
 * Semantics from the Kubernetes documentation (kube-scheduler's InterPodAffinity and PodTopologySpread):
 * - anti-affinity: no pod selected by the term shares the owner's topology domain; existing pods' terms bind
 *   newly placed pods too (symmetry); a node without the topology key is no domain; pods already on nodes
 *   marked for deletion are not held against a placement (they are leaving);
 * - affinity: some other selected pod shares the domain, unless the pod selects itself and no other selected pod
 *   exists anywhere (the first pod of a group);
 * - spread: since counts only grow during a round, the last pod of a group placed in a domain saw at least the
 *   domain's pre-existing matching pods plus the group's pods there, and at most the final minimum over the
 *   eligible domains (nodes that pass the pod's node affinity, and its taints under nodeTaintsPolicy Honor).
 *   Violations are reported only when that certain lower bound exceeds maxSkew; minDomains is not enforced, and
 *   nodes marked for deletion are counted on the lenient side (see checkTopologySpread).
 */
import type { Namespace, Pod, TopologySpreadConstraint } from './domain.js';
import { affinityTermSelects, nodeSelectionProblem, podKey, podNamespace, selectorMatches, untoleratedTaint } from './labels.js';
import type { ValidatorModel, ValidatorNode } from './model.js';
import type { PlanViolation } from './violation.js';

interface Placed {
  pod: Pod;
  node: ValidatorNode;
  isNew: boolean;
}

function everyone(model: ValidatorModel): Placed[] {
  return model.nodes.flatMap((node) => [
    ...node.existingPods.map((pod) => ({ pod, node, isNew: false })),
    ...node.newPods.map((pod) => ({ pod, node, isNew: true })),
  ]);
}

function domainOf(node: ValidatorNode, key: string): string | undefined {
  const v = node.view.valueOf(key);
  return v.kind === 'fixed' ? v.value : undefined;
}

export function checkPodAffinity(model: ValidatorModel, namespaces: readonly Namespace[], out: PlanViolation[]): void {
  const all = everyone(model);
  for (const a of all) {
    for (const term of a.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const domain = domainOf(a.node, term.topologyKey);
      if (domain === undefined) continue;
      for (const b of all) {
        if (b === a || (!a.isNew && !b.isNew)) continue;
        // Pods already on a node being deleted are leaving; whether they still repel is not observable.
        if ((!a.isNew && a.node.markedForDeletion) || (!b.isNew && b.node.markedForDeletion)) continue;
        if (domainOf(b.node, term.topologyKey) !== domain || !affinityTermSelects(term, a.pod, b.pod, namespaces)) continue;
        out.push({
          code: 'pod-anti-affinity',
          pod: podKey(a.isNew ? a.pod : b.pod),
          node: (a.isNew ? a : b).node.id,
          message: `${podKey(a.pod)} (on ${a.node.id}) and ${podKey(b.pod)} (on ${b.node.id}) share ${term.topologyKey}=${domain} against ${podKey(a.pod)}'s required anti-affinity`,
        });
      }
    }
  }
  for (const a of all) {
    if (!a.isNew) continue;
    for (const term of a.pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const domain = domainOf(a.node, term.topologyKey);
      const selected = all.filter((b) => b !== a && affinityTermSelects(term, a.pod, b.pod, namespaces));
      if (domain !== undefined && selected.some((b) => domainOf(b.node, term.topologyKey) === domain)) continue;
      const staying = selected.filter((b) => b.isNew || !b.node.markedForDeletion);
      if (domain !== undefined && staying.length === 0 && affinityTermSelects(term, a.pod, a.pod, namespaces)) continue;
      out.push({
        code: 'pod-affinity',
        pod: podKey(a.pod),
        node: a.node.id,
        message: `${podKey(a.pod)} on ${a.node.id}: no pod its required affinity selects shares ${term.topologyKey}${domain === undefined ? ' (node has no such label)' : `=${domain}`}`,
      });
    }
  }
}

function spreadSelects(c: TopologySpreadConstraint, owner: Pod, other: Pod): boolean {
  if (podNamespace(other) !== podNamespace(owner)) return false;
  const ownerLabels = owner.metadata.labels ?? {};
  for (const key of c.matchLabelKeys ?? []) {
    if (Object.hasOwn(ownerLabels, key) && (other.metadata.labels ?? {})[key] !== ownerLabels[key]) return false;
  }
  return selectorMatches(c.labelSelector, other.metadata.labels);
}

/** kube-scheduler's node inclusion for a constraint: has the key, passes node affinity (Honor) and taints (when Honor). */
function eligible(c: TopologySpreadConstraint, pod: Pod, node: ValidatorNode): boolean {
  if (domainOf(node, c.topologyKey) === undefined) return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && nodeSelectionProblem(pod, node.view) !== undefined) return false;
  if (c.nodeTaintsPolicy === 'Honor' && untoleratedTaint(pod, node.taints) !== undefined) return false;
  return true;
}

export function checkTopologySpread(model: ValidatorModel, out: PlanViolation[]): void {
  const all = everyone(model);
  const reported = new Set<string>();
  for (const p of all) {
    if (!p.isNew) continue;
    for (const c of p.pod.spec.topologySpreadConstraints ?? []) {
      if (c.whenUnsatisfiable !== 'DoNotSchedule') continue;
      const domain = domainOf(p.node, c.topologyKey);
      if (domain === undefined) {
        out.push({ code: 'topology-spread', pod: podKey(p.pod), node: p.node.id, message: `${podKey(p.pod)} on ${p.node.id}: node has no ${c.topologyKey} label for its topology spread` });
        continue;
      }
      // Nodes being deleted may or may not count (their pods are leaving): the bound takes the lenient side of
      // each (their domains do not lower the minimum; their pods raise it but do not add to the certain count).
      const counts = new Map<string, number>();
      for (const node of model.nodes) if (!node.markedForDeletion && eligible(c, p.pod, node)) counts.set(domainOf(node, c.topologyKey) ?? '', 0);
      for (const q of all) {
        const d = domainOf(q.node, c.topologyKey);
        if (d !== undefined && counts.has(d) && eligible(c, p.pod, q.node) && spreadSelects(c, p.pod, q.pod)) counts.set(d, (counts.get(d) ?? 0) + 1);
      }
      const min = Math.min(...counts.values());
      const selfMatch = spreadSelects(c, p.pod, p.pod);
      const inDomain = all.filter((q) => domainOf(q.node, c.topologyKey) === domain && !q.node.markedForDeletion && eligible(c, p.pod, q.node) && spreadSelects(c, p.pod, q.pod));
      const certain = inDomain.filter((q) => !q.isNew || (selfMatch && sameGroup(q.pod, p.pod, c))).length;
      const key = `${c.topologyKey}=${domain}|${JSON.stringify(c)}|${podNamespace(p.pod)}`;
      if (certain - min > c.maxSkew && !reported.has(key)) {
        reported.add(key);
        out.push({
          code: 'topology-spread',
          pod: podKey(p.pod),
          node: p.node.id,
          message: `${podKey(p.pod)} on ${p.node.id}: ${c.topologyKey}=${domain} holds at least ${certain} matching pods while the least domain holds ${min}, above maxSkew ${c.maxSkew}`,
        });
      }
    }
  }
}

/** Same constraint and same node selection (so the same eligible domains), as the group's last pod saw them. */
function sameGroup(pod: Pod, owner: Pod, c: TopologySpreadConstraint): boolean {
  const selection = (p: Pod) => JSON.stringify([p.spec.nodeSelector ?? {}, p.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? null, c.nodeTaintsPolicy === 'Honor' ? (p.spec.tolerations ?? []) : []]);
  const wanted = JSON.stringify(c);
  return selection(pod) === selection(owner) && (pod.spec.topologySpreadConstraints ?? []).some((x) => JSON.stringify(x) === wanted);
}
