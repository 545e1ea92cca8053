/**
 * A scenario's existing nodes as the disruption planner's input (`karpenter-ts simulate --disruption`), and the
 * planner's decision as the stable JSON of docs/simulate-disruption-json.md.
 */
import { LABEL_NODEPOOL, LABEL_PROVISIONER_NAME } from '../apis/labels.js';
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { Pod } from '../core/types.js';
import type { DisruptionDecision, DisruptionInput } from '../disruption/types.js';
import { daemonSetPodsFor, toSchedulingSnapshot } from './snapshot.js';
import type { Scenario } from './types.js';

/**
 * Every scenario Node labelled `karpenter.sh/nodepool` (or `karpenter.sh/provisioner-name`) becomes a managed
 * node with a NodeClaim of the same name: Initialized at the Node's creationTimestamp (else one hour before
 * `nowMs`), its last pod event then too; its pods are those bound to it plus DaemonSet pods. Other Nodes are
 * unmanaged nodes pods may move to; pods without `spec.nodeName` are pending.
 */
export function disruptionInputFromScenario(scenario: Scenario, nowMs: number): DisruptionInput {
  const snapshot = toSchedulingSnapshot(scenario);
  const byNode = new Map<string, Pod[]>();
  for (const pod of scenario.pods) if (pod.spec.nodeName) byNode.set(pod.spec.nodeName, [...(byNode.get(pod.spec.nodeName) ?? []), pod]);
  const managed: DisruptionInput['nodes'][number][] = [];
  const unmanaged: { node: (typeof scenario.nodes)[number]; pods: Pod[] }[] = [];
  for (const node of scenario.nodes) {
    const name = node.metadata.name ?? '';
    const own = (byNode.get(name) ?? []).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const pods = [...own, ...daemonSetPodsFor(node, own, scenario.daemonSets)];
    const pool = node.metadata.labels?.[LABEL_NODEPOOL] ?? node.metadata.labels?.[LABEL_PROVISIONER_NAME];
    if (!pool) {
      unmanaged.push({ node, pods });
      continue;
    }
    const created = node.metadata.creationTimestamp ? new Date(String(node.metadata.creationTimestamp)).toISOString() : new Date(nowMs - 3_600_000).toISOString();
    const claim = {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name, labels: { ...(node.metadata.labels ?? {}), [LABEL_NODEPOOL]: pool }, annotations: node.metadata.annotations ?? {}, creationTimestamp: created },
      spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
      status: { nodeName: name, lastPodEventTime: created, conditions: [{ type: 'Initialized', status: 'True', reason: 'Initialized', lastTransitionTime: created }] },
    } as NodeClaim;
    // A scenario describes running nodes: a Node written without any Ready condition is taken as Ready (an explicit
    // Ready False or Unknown is kept, and counts against its pool's budgets as Karpenter counts NotReady nodes).
    const conditions = node.status?.conditions ?? [];
    const runningNode = conditions.some((c) => c.type === 'Ready')
      ? node
      : { ...node, status: { ...node.status, conditions: [...conditions, { type: 'Ready', status: 'True', reason: 'KubeletReady', lastTransitionTime: created }] } };
    managed.push({ nodeClaim: claim, node: runningNode as typeof node, pods });
  }
  return {
    nowMs,
    nodePools: scenario.nodePools,
    nodes: managed,
    instanceTypes: snapshot.instanceTypes,
    pendingPods: snapshot.pods,
    unmanagedNodes: unmanaged,
    daemonSets: scenario.daemonSets,
    podDisruptionBudgets: scenario.podDisruptionBudgets,
  };
}

/** The stable JSON of `simulate --disruption` (docs/simulate-disruption-json.md). */
export interface DisruptionSimulationOutput {
  commands: {
    method: string;
    decision: 'delete' | 'replace';
    /** The NodePool budget reason: Empty, Drifted or Underutilized. */
    reason: string;
    candidates: string[];
    replacements: { nodePool: string; instanceType: string; capacityType: string; zone: string; pricePerHour: number; pods: string[] }[];
    pricePerHourBefore: number;
    pricePerHourAfter: number;
  }[];
  notDisrupted: { node: string; code: string; reason: string; retryAt?: string }[];
  pricePerHourBefore: number;
  pricePerHourAfter: number;
}

/** A command's reason as the NodePool budget reason it counts against (DESIGN §4.2c: Empty, Drifted, Underutilized). */
const BUDGET_REASON_OF: Record<string, string> = { empty: 'Empty', drifted: 'Drifted', underutilized: 'Underutilized' };

/**
 * The stable JSON of one disruption pass (docs/simulate-disruption-json.md, DESIGN §4.2c): commands with their
 * method, budget reason (`Empty | Drifted | Underutilized`), candidates, replacements and $/h; every other node with
 * its `DisruptionBlockCode` and sentence.
 */
export function formatDisruption(decision: DisruptionDecision): DisruptionSimulationOutput {
  const podKey = (p: Pod): string => `${p.metadata.namespace ?? 'default'}/${p.metadata.name ?? ''}`;
  return {
    commands: decision.commands.map((c) => ({
      method: c.method ?? 'emptiness',
      decision: c.decision ?? 'delete',
      reason: BUDGET_REASON_OF[c.reason] ?? c.reason,
      candidates: c.candidates.map((x) => x.node),
      replacements: (c.replacements ?? []).map((r) => ({ nodePool: r.nodePoolName, instanceType: r.launch.instanceType, capacityType: r.launch.capacityType, zone: r.launch.zone, pricePerHour: r.launch.pricePerHour, pods: r.pods.map(podKey) })),
      pricePerHourBefore: c.pricePerHourBefore ?? 0,
      pricePerHourAfter: c.pricePerHourAfter ?? 0,
    })),
    notDisrupted: decision.blocked.map((b) => ({ node: b.node, code: b.code, reason: b.reason, ...(b.retryAtMs === undefined ? {} : { retryAt: new Date(b.retryAtMs).toISOString() }) })),
    pricePerHourBefore: decision.pricePerHourBefore ?? 0,
    pricePerHourAfter: decision.pricePerHourAfter ?? 0,
  };
}

/** A table for people: one line per command, then one per node not disrupted. */
export function formatDisruptionTable(out: DisruptionSimulationOutput): string {
  const money = (n: number): string => n.toFixed(3);
  const commands = out.commands.map((c) => [c.method, c.decision, c.reason, c.candidates.join(',') || '-', c.replacements.map((r) => r.instanceType).join(',') || '-', money(c.pricePerHourBefore), money(c.pricePerHourAfter)]);
  const lines = commands.length > 0 ? alignColumns(['COMMAND', 'DECISION', 'REASON', 'CANDIDATES', 'REPLACEMENTS', '$/H BEFORE', '$/H AFTER'], commands) : ['No disruption command: every node below stays, for the reason given.'];
  if (out.notDisrupted.length > 0) lines.push('', ...alignColumns(['NODE', 'CODE', 'REASON'], out.notDisrupted.map((n) => [n.node, n.code, n.reason])));
  lines.push('', `$/h before ${money(out.pricePerHourBefore)}, after ${money(out.pricePerHourAfter)}`);
  return `${lines.join('\n')}\n`;
}

/** Rows padded to each column's widest cell, two spaces apart (the last column unpadded). */
function alignColumns(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [line(header), ...rows.map(line)];
}
