/**
 * Per-node checks of the pods a round placed: node selection, taints, resources (with DaemonSet overhead on
 * planned nodes) and host ports. Mirrors kube-scheduler's NodeAffinity, TaintToleration, NodeResourcesFit and
 * NodePorts filters as the Kubernetes documentation states them.
 */
import type { Pod } from './domain.js';
import { nodeSelectionProblem, podKey, untoleratedTaint } from './labels.js';
import type { ValidatorModel } from './model.js';
import { overflows, requestsOf, sum } from './requests.js';
import type { PlanViolation } from './violation.js';

export function checkPlacements(model: ValidatorModel, out: PlanViolation[]): void {
  for (const node of model.nodes) {
    if (node.newPods.length === 0) continue;
    for (const pod of node.newPods) {
      const selection = nodeSelectionProblem(pod, node.view, node.planned ? undefined : node.id);
      if (selection) out.push({ code: 'node-selection', pod: podKey(pod), node: node.id, message: `${podKey(pod)} on ${node.id}: ${selection}` });
      const taint = untoleratedTaint(pod, node.taints);
      if (taint) out.push({ code: 'taint', pod: podKey(pod), node: node.id, message: `${podKey(pod)} on ${node.id}: taint ${taint.key}=${taint.value ?? ''}:${taint.effect} not tolerated` });
    }
    if (node.allocatable) {
      const used = sum([...node.existingPods, ...node.daemonPods, ...node.newPods].map(requestsOf));
      for (const o of overflows(used, node.allocatable)) {
        out.push({ code: 'resources', node: node.id, message: `${node.id}: ${o.resource} requests ${o.wanted} (pods + DaemonSets) above allocatable ${o.available}` });
      }
    }
    checkHostPorts(node.id, [...node.existingPods, ...node.daemonPods], node.newPods, out);
  }
}

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** Host ports a pod binds: `hostPort` of every container port (for hostNetwork pods, the container port). */
export function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      const port = p.hostPort ?? (pod.spec.hostNetwork ? p.containerPort : 0);
      if (port > 0) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol ?? 'TCP', port });
    }
  }
  return out;
}

function conflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

function checkHostPorts(nodeId: string, present: readonly Pod[], added: readonly Pod[], out: PlanViolation[]): void {
  const taken: { pod: Pod; port: HostPort }[] = present.flatMap((pod) => hostPortsOf(pod).map((port) => ({ pod, port })));
  for (const pod of added) {
    const mine = hostPortsOf(pod);
    const clash = taken.find((t) => mine.some((m) => conflict(m, t.port)));
    if (clash) {
      out.push({ code: 'host-port', pod: podKey(pod), node: nodeId, message: `${podKey(pod)} on ${nodeId}: host port ${clash.port.protocol}/${clash.port.port} already used by ${podKey(clash.pod)}` });
    }
    taken.push(...mine.map((port) => ({ pod, port })));
  }
}
