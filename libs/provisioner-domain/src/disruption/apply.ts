/**
 * What the cluster looks like once a decision's commands are carried out, as the planner's next input: the
 * candidates are gone, each replacement is an initialized node, every moved pod runs where the fit proof put
 * it. For "what would the next pass do" (the fixed-point property, benchmarks, previews).
 */
import { LABEL_HOSTNAME, LABEL_NODEPOOL } from '../apis/labels.js';
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { Node, Pod } from '../core/types.js';
import { allocatable } from '../instancetypes/allocatable.js';
import { formatResourceList } from '../quantity/format.js';
import { nodeNameOf } from './emptiness.js';
import { podName } from './pods.js';
import type { DisruptionDecision, DisruptionInput, DisruptionNodeInput } from './types.js';

/**
 * The input after `decision` at `decision.nowMs`: candidate nodes removed; replacements added as NodeClaims
 * `replacement-N` (Initialized and with their last pod event at `nowMs`, so `consolidateAfter` applies to them)
 * with a Ready Node labelled as planned and the allocatable of the launched type; moved pods re-bound
 * (`spec.nodeName`) to the node the command named. Pods of candidates that no command moved are dropped
 * (DaemonSet and finished pods). Nodes that received pods get `lastPodEventTime = nowMs`.
 */
export function applyDisruption(input: DisruptionInput, decision: DisruptionDecision): DisruptionInput {
  const iso = new Date(decision.nowMs).toISOString();
  const removed = new Set(decision.commands.flatMap((c) => c.nodeClaims));
  const podByName = new Map<string, Pod>();
  for (const n of input.nodes) for (const p of n.pods) podByName.set(podName(p), p);
  const incoming = new Map<string, Pod[]>();
  for (const c of decision.commands) {
    for (const m of c.movedPods ?? []) {
      const pod = podByName.get(m.pod);
      if (!pod) continue;
      incoming.set(m.to, [...(incoming.get(m.to) ?? []), { ...pod, spec: { ...pod.spec, nodeName: m.to } }]);
    }
  }
  const kept: DisruptionNodeInput[] = input.nodes
    .filter((n) => !removed.has(n.nodeClaim.metadata.name ?? ''))
    .map((n) => {
      const extra = incoming.get(nodeNameOf(n));
      if (!extra) return n;
      return { ...n, pods: [...n.pods, ...extra], nodeClaim: { ...n.nodeClaim, status: { ...n.nodeClaim.status, lastPodEventTime: iso } } };
    });
  const taken = new Set(input.nodes.map((n) => nodeNameOf(n)));
  let seq = 0;
  const nextName = (): string => {
    do seq += 1;
    while (taken.has(`replacement-${seq}`));
    return `replacement-${seq}`;
  };
  for (const c of decision.commands) {
    const names = [...new Set((c.movedPods ?? []).map((m) => m.to).filter((to) => to.startsWith('replacement-')))];
    (c.replacements ?? []).forEach((plan, i) => {
      const planned = names[i];
      const name = planned && !taken.has(planned) ? planned : nextName();
      taken.add(name);
      const type = input.instanceTypes?.[plan.nodePoolName]?.find((t) => t.name === plan.launch.instanceType);
      const labels = { ...(plan.labels ?? {}), [LABEL_HOSTNAME]: name, [LABEL_NODEPOOL]: plan.nodePoolName };
      const pods = incoming.get(planned ?? '') ?? plan.pods.map((p) => ({ ...p, spec: { ...p.spec, nodeName: name } }));
      const claim: NodeClaim = {
        apiVersion: 'karpenter.sh/v1',
        kind: 'NodeClaim',
        metadata: { name, labels, creationTimestamp: iso },
        spec: { requirements: plan.requirements, nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
        status: {
          providerID: `simulated://${name}`,
          nodeName: name,
          lastPodEventTime: iso,
          conditions: [{ type: 'Initialized', status: 'True', reason: 'Initialized', lastTransitionTime: iso }],
        },
      } as NodeClaim;
      const node: Node = {
        metadata: { name, labels },
        spec: { providerID: `simulated://${name}`, taints: [] },
        status: { allocatable: formatResourceList(type ? allocatable(type) : plan.requests), conditions: [{ type: 'Ready', status: 'True' }] },
      };
      kept.push({ nodeClaim: claim, node, pods });
    });
  }
  return { ...input, nodes: kept };
}
