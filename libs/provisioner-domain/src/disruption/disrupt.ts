/**
 * The disruption planner: which nodes to disrupt now and, for every other node, why not. Pure: it takes the
 * moment as `nowMs` and a snapshot of NodePools, NodeClaims, Nodes and pods; the controller, the CLI and the
 * previews call the same code.
 */
import { formatDuration } from '../apis/duration.js';
import { applyNodePoolDefaults } from '../apis/nodepool.defaults.js';
import type { DisruptionReason, NodePool } from '../apis/nodepool.js';
import type { Pod } from '../core/types.js';
import { allocatable } from '../instancetypes/allocatable.js';
import type { InstanceType } from '../instancetypes/types.js';
import { BudgetTracker, type PoolCounts } from './budget-tracker.js';
import { describeBudgetBlock } from './budgets.js';
import { blockedOf, byDisruptionCost, commonBlock, toCandidate, type DisruptionCandidate } from './candidates.js';
import { computeConsolidation, money, quickReject, type ConsolidationSettings, type ConsolidationVerdict } from './consolidation.js';
import { countsAsDisrupting, emptySinceMs, evaluateEmptiness, isInitializedNode, nodeNameOf, nodePoolNameOf } from './emptiness.js';
import { PdbIndex } from './pdb.js';
import { isReschedulable, podBlocksDisruption, podName } from './pods.js';
import { podRequests } from '../scheduling/pod-requests.js';
import { ClusterSimulator } from './simulation.js';
import type { BlockedNode, DisruptionCommand, DisruptionDecision, DisruptionInput, DisruptionMethod, EmptinessCandidate, NodeExplanation } from './types.js';

/** Karpenter's cap on the candidates one multi-node command considers. */
export const MAX_MULTI_NODE_CANDIDATES = 100;

const commandReason = { Empty: 'empty', Drifted: 'drifted', Underutilized: 'underutilized' } as const;

/**
 * Plans one disruption pass at `input.nowMs`, in Karpenter's order of methods:
 * 1. emptiness: empty nodes past `consolidateAfter` (`evaluateEmptiness`), longest-empty first, budget reason Empty;
 * 2. drift: nodes the caller marked `drifted`, cheapest to disrupt first, each deleted when its pods fit on the
 *    other nodes or replaced by the NodeClaims the provisioning simulation plans for them, budget reason Drifted;
 * 3. multi-node consolidation (pools with consolidationPolicy WhenEmptyOrUnderutilized): a binary search over
 *    prefixes of the candidates, cheapest to disrupt first (at most 100), for the longest prefix that can be
 *    deleted or replaced by one strictly cheaper NodeClaim, within `maxConsolidationSimulations` simulations;
 *    unlike Karpenter the whole group is tried first (one simulation instead of ~log2(n) when it can go), and a
 *    prefix whose pods' requests exceed the other nodes' free resources plus the largest node cheaper than the
 *    prefix is rejected without a simulation;
 * 4. single-node consolidation: each remaining candidate in the same order, deleted when its pods fit elsewhere
 *    or replaced by one strictly cheaper NodeClaim, within `maxSingleNodeSimulations` simulations.
 * Consolidation and drift need `instanceTypes`; without it only emptiness runs. Candidates (Karpenter's
 * `NewCandidate`): initialized, not already disrupting, no `karpenter.sh/do-not-disrupt` on Node, NodeClaim or
 * an active pod, not nominated, every pod to move owned by a controller (unless `allowUncontrolledPods`), no
 * PodDisruptionBudget allowing 0 evictions of one of its pods, past `consolidateAfter` since the last pod event
 * (not for drift). Fit is proven by `schedule` (the provisioning path, cost packing on) over every other node
 * with the pending pods; a command never leaves a pod of its candidates without a place. Spot candidates are
 * replaced by spot only with `spotToSpotConsolidation` and, for one node, at least `minSpotToSpotOptions`
 * (15) cheaper instance types (the 15 cheapest are kept). Budgets are per pool and reason; nodes already
 * disrupting and nodes taken by earlier commands of the pass count against every reason. Each command is
 * applied to the simulated cluster before the next is sought; nodes that receive pods from a command are not
 * candidates for the rest of the pass (no oscillation within a pass; across passes the strictly-cheaper rule
 * and consolidateAfter prevent it). Every node not in a command is in `blocked` with a code and a sentence.
 */
export function disrupt(input: DisruptionInput): DisruptionDecision {
  const { nowMs } = input;
  const options = input.options ?? {};
  const settings: ConsolidationSettings = { spotToSpotConsolidation: options.spotToSpotConsolidation ?? false, minSpotToSpotOptions: options.minSpotToSpotOptions ?? 15 };
  const maxMulti = options.maxConsolidationSimulations ?? 100;
  const maxSingle = options.maxSingleNodeSimulations ?? 100;
  const maxCommands = options.maxCommands ?? Number.POSITIVE_INFINITY;
  const pools = new Map<string, NodePool>();
  for (const np of input.nodePools) if (np.metadata.name && !np.metadata.deletionTimestamp) pools.set(np.metadata.name, applyNodePoolDefaults(np));

  const counts = new Map<string, PoolCounts>();
  for (const n of input.nodes) {
    const name = nodePoolNameOf(n.nodeClaim);
    if (!name || !isInitializedNode(n)) continue;
    const c = counts.get(name) ?? { nodeCount: 0, disrupting: 0 };
    c.nodeCount += 1;
    if (countsAsDisrupting(n)) c.disrupting += 1;
    counts.set(name, c);
  }
  const budgets = new BudgetTracker(pools, counts, nowMs);

  const allPods: Pod[] = [...input.nodes.flatMap((n) => n.pods), ...(input.unmanagedNodes ?? []).flatMap((n) => n.pods)];
  const pdbs = new PdbIndex(input.podDisruptionBudgets ?? [], allPods);
  const allowUncontrolled = options.allowUncontrolledPods ?? false;
  const instanceTypes = input.instanceTypes;

  // 1. Classify every node.
  const empties: EmptinessCandidate[] = [];
  const drifted: DisruptionCandidate[] = [];
  const consolidatable: DisruptionCandidate[] = [];
  const blocked = new Map<number, BlockedNode>();
  input.nodes.forEach((node, index) => {
    const poolName = nodePoolNameOf(node.nodeClaim);
    const pool = poolName ? pools.get(poolName) : undefined;
    const e = evaluateEmptiness(node, pool, nowMs);
    if (e.kind === 'candidate') {
      empties.push(e.candidate);
      return;
    }
    const code = e.blocked.code;
    if (code === 'Disrupting' || code === 'NodePoolNotFound' || code === 'NotInitialized' || !pool) {
      blocked.set(index, e.blocked);
      return;
    }
    const hasPods = node.pods.some(isReschedulable);
    if (!node.drifted && !hasPods) {
      blocked.set(index, e.blocked);
      return;
    }
    if (!node.drifted) {
      const policy = pool.spec.disruption?.consolidationPolicy ?? 'WhenEmptyOrUnderutilized';
      if (policy === 'WhenEmpty') {
        blocked.set(index, { ...e.blocked, code: 'PolicyWhenEmpty', reason: `${e.blocked.code === 'NotEmpty' ? e.blocked.reason : 'not empty'}; NodePool "${poolName}" has consolidationPolicy WhenEmpty, so only empty nodes are removed` });
        return;
      }
      if (pool.spec.disruption?.consolidateAfter === 'Never') {
        blocked.set(index, { ...e.blocked, code: 'ConsolidateAfterNever', reason: `NodePool "${poolName}" has consolidateAfter: Never` });
        return;
      }
    }
    const common = commonBlock(node, pdbs, allowUncontrolled);
    if (common) {
      blocked.set(index, { ...e.blocked, code: common.code, reason: node.drifted ? `drifted (${node.drifted.reason}), but ${common.reason}` : common.reason });
      return;
    }
    const candidate = toCandidate({ index, input: node, pool, types: instanceTypes?.[poolName ?? ''], emptySinceMs: emptySinceMs(node) ?? 0, nowMs });
    if (node.drifted) {
      drifted.push(candidate);
      return;
    }
    if (candidate.consolidateAfterMs === 'Never') return;
    const elapsed = nowMs - candidate.emptySinceMs;
    if (elapsed < candidate.consolidateAfterMs) {
      blocked.set(
        index,
        blockedOf(candidate, 'ConsolidateAfterNotElapsed', `a pod came or went ${formatDuration(Math.max(0, elapsed))} ago and NodePool "${poolName}" has consolidateAfter ${formatDuration(candidate.consolidateAfterMs)}`, candidate.emptySinceMs + candidate.consolidateAfterMs),
      );
      return;
    }
    if (!instanceTypes) {
      blocked.set(index, blockedOf(candidate, 'NotConsolidatable', 'no instance types were given, so consolidation cannot prove where its pods would go'));
      return;
    }
    if (candidate.pricePerHour === undefined) {
      blocked.set(index, blockedOf(candidate, 'PriceUnknown', `no offering of NodePool "${poolName}" matches the node's instance type, zone and capacity type, so its price is unknown`));
      return;
    }
    consolidatable.push(candidate);
  });

  const commands: DisruptionCommand[] = [];
  const disruptedText = new Map<string, string>();
  const full = (): boolean => commands.length >= maxCommands;
  const indexByClaim = new Map(input.nodes.map((n, i) => [n.nodeClaim.metadata.name ?? '', i]));
  const pricePerHourBefore = input.nodes.reduce((sum, n) => {
    if (n.nodeClaim.metadata.deletionTimestamp) return sum;
    const pool = pools.get(nodePoolNameOf(n.nodeClaim) ?? '');
    return sum + (pool && instanceTypes ? (toCandidate({ index: 0, input: n, pool, types: instanceTypes[pool.metadata.name ?? ''], emptySinceMs: 0, nowMs }).pricePerHour ?? 0) : 0);
  }, 0);
  let pricePerHourAfter = pricePerHourBefore;
  const priceOf = (claim: string): number => {
    const n = input.nodes[indexByClaim.get(claim) ?? -1];
    const pool = n ? pools.get(nodePoolNameOf(n.nodeClaim) ?? '') : undefined;
    return n && pool && instanceTypes ? (toCandidate({ index: 0, input: n, pool, types: instanceTypes[pool.metadata.name ?? ''], emptySinceMs: 0, nowMs }).pricePerHour ?? 0) : 0;
  };

  // 2. Emptiness, longest empty first.
  const admitted: EmptinessCandidate[] = [];
  for (const c of [...empties].sort((a, b) => a.emptySinceMs - b.emptySinceMs || a.nodeClaim.localeCompare(b.nodeClaim))) {
    if (budgets.remaining(c.nodePool, 'Empty') > 0 && !full()) {
      admitted.push(c);
      budgets.take(c.nodePool);
      continue;
    }
    const b = budgets.budget(c.nodePool, 'Empty');
    const why = describeBudgetBlock(b) ?? `NodePool "${c.nodePool}" budget allows ${b.allowed} disruption(s) now, taken by nodes empty for longer`;
    const blockedNode: BlockedNode = full()
      ? { node: c.node, nodeClaim: c.nodeClaim, nodePool: c.nodePool, code: 'BudgetExhausted', reason: `empty, but this pass issues at most ${maxCommands} command(s)` }
      : { node: c.node, nodeClaim: c.nodeClaim, nodePool: c.nodePool, code: 'BudgetExhausted', reason: `empty, but ${why}` };
    blocked.set(indexByClaim.get(c.nodeClaim) ?? -1, blockedNode);
  }
  if (admitted.length > 0) {
    const before = admitted.reduce((sum, c) => sum + priceOf(c.nodeClaim), 0);
    commands.push({
      reason: 'empty',
      nodeClaims: admitted.map((c) => c.nodeClaim),
      candidates: admitted,
      method: 'emptiness',
      decision: 'delete',
      replacements: [],
      pricePerHourBefore: before,
      pricePerHourAfter: 0,
    });
    pricePerHourAfter -= before;
    for (const c of admitted) disruptedText.set(c.nodeClaim, describeEmpty(c, nowMs, budgets.evaluated[c.nodePool]?.Empty?.allowed, budgets.evaluated[c.nodePool]?.Empty?.nodeCount));
  }

  // The simulated cluster, built once: every node but the empty ones just removed.
  const emptied = new Set(admitted.map((c) => c.node));
  let simulator: ClusterSimulator | undefined;
  const sim = (): ClusterSimulator => {
    if (simulator) return simulator;
    const typesOf = (pool: string | undefined): readonly InstanceType[] | undefined => (pool ? instanceTypes?.[pool] : undefined);
    simulator = new ClusterSimulator(
      [
        ...input.nodes
          .filter((n) => !emptied.has(nodeNameOf(n)))
          .map((n) => {
            const poolName = nodePoolNameOf(n.nodeClaim);
            const offering = toCandidate({ index: 0, input: n, pool: pools.get(poolName ?? '') ?? ({ metadata: {}, spec: { template: { spec: {} } } } as unknown as NodePool), types: typesOf(poolName), emptySinceMs: 0, nowMs });
            return {
              name: nodeNameOf(n),
              node: n.node,
              pods: n.pods,
              ...(poolName ? { nodePool: poolName } : {}),
              markedForDeletion: countsAsDisrupting(n) && beingGone(n),
              ...(offering.instanceType ? { fallbackAllocatable: allocatable(offering.instanceType) } : {}),
              initialized: isInitializedNode(n),
            };
          }),
        ...(input.unmanagedNodes ?? []).map((u) => ({ name: u.node.metadata.name ?? '', node: u.node, pods: u.pods, markedForDeletion: false, initialized: true })),
      ],
      { pendingPods: input.pendingPods ?? [], nodePools: [...pools.values()], instanceTypes: instanceTypes ?? {}, daemonSets: input.daemonSets ?? [] },
    );
    return simulator;
  };
  const receivers = new Set<string>();
  const freeOthers = (exclude: ReadonlySet<string>): Readonly<Record<string, number>>[] => sim().freeOthers(exclude);

  const record = (method: DisruptionMethod, reason: DisruptionReason, group: readonly DisruptionCandidate[], verdict: Extract<ConsolidationVerdict, { ok: true }>, extra: Partial<DisruptionCommand> = {}): void => {
    const names = new Set(group.map((c) => c.node));
    const applied = sim().apply(names, verdict.outcome, verdict.replacements);
    for (const r of applied.receivers) receivers.add(r);
    const hostnames = new Map(verdict.replacements.map((p, i) => [p.hostname ?? '', applied.replacementNames[i] ?? '']));
    const movedPods = [...verdict.outcome.moves].map(([pod, to]) => ({ pod: podName(pod), to: hostnames.get(to) ?? to }));
    commands.push({
      reason: commandReason[reason],
      nodeClaims: group.map((c) => c.nodeClaim),
      candidates: group.map((c) => ({ nodeClaim: c.nodeClaim, node: c.node, nodePool: c.nodePool, emptySinceMs: c.emptySinceMs, consolidateAfterMs: c.consolidateAfterMs === 'Never' ? 0 : c.consolidateAfterMs })),
      method,
      decision: verdict.decision,
      replacements: verdict.replacements,
      pricePerHourBefore: verdict.pricePerHourBefore,
      pricePerHourAfter: verdict.pricePerHourAfter,
      movedPods,
      ...extra,
    });
    pricePerHourAfter += verdict.pricePerHourAfter - group.reduce((sum, c) => sum + (c.pricePerHour ?? 0), 0);
    for (const c of group) budgets.take(c.nodePool);
    const text =
      verdict.decision === 'delete'
        ? `its ${c0(group)} pod(s) fit on the other nodes`
        : `replaced by ${verdict.replacements.map((r) => `${r.launch.instanceType} ${money(r.launch.pricePerHour)}`).join(' + ')} (was ${money(verdict.pricePerHourBefore)})`;
    for (const c of group) disruptedText.set(c.nodeClaim, `disrupted (${method}${group.length > 1 ? ` with ${group.length - 1} other node(s)` : ''}): ${extra.driftReason ? `drifted (${extra.driftReason}); ` : ''}${text}`);
  };

  // 3. Drift, cheapest to disrupt first.
  for (const c of [...drifted].sort(byDisruptionCost)) {
    if (full()) {
      blocked.set(c.index, blockedOf(c, 'BudgetExhausted', `drifted, but this pass issues at most ${maxCommands} command(s)`));
      continue;
    }
    if (budgets.remaining(c.nodePool, 'Drifted') <= 0) {
      blocked.set(c.index, blockedOf(c, 'BudgetExhausted', `drifted, but ${budgets.describe(c.nodePool, 'Drifted')}`));
      continue;
    }
    if (!instanceTypes && c.reschedulable.length > 0) {
      blocked.set(c.index, blockedOf(c, 'DriftedBlocked', 'drifted, but no instance types were given, so where its pods would go cannot be proven'));
      continue;
    }
    const outcome = sim().simulate(new Set([c.node]));
    const unplaced = outcome.unplaced[0];
    if (unplaced) {
      blocked.set(c.index, blockedOf(c, 'DriftedBlocked', `drifted (${c.input.drifted?.reason ?? ''}), but pod ${podName(unplaced)} would have no place: ${outcome.result.unschedulable.find((u) => u.pod === unplaced)?.reason ?? ''}`));
      continue;
    }
    const after = outcome.newClaims.reduce((sum, p) => sum + p.launch.pricePerHour, 0);
    record('drift', 'Drifted', [c], { ok: true, decision: outcome.newClaims.length > 0 ? 'replace' : 'delete', replacements: outcome.newClaims, pricePerHourBefore: c.pricePerHour ?? 0, pricePerHourAfter: after, outcome }, { driftReason: c.input.drifted?.reason ?? '' });
  }

  // 4. Consolidation.
  const allTypes = instanceTypes ? Object.values(instanceTypes).flat() : [];
  const ordered = [...consolidatable].sort(byDisruptionCost);
  const decided = new Set<number>();
  const budgetBlocked = (c: DisruptionCandidate): boolean => {
    if (budgets.remaining(c.nodePool, 'Underutilized') > 0) return false;
    blocked.set(c.index, blockedOf(c, 'BudgetExhausted', budgets.describe(c.nodePool, 'Underutilized')));
    decided.add(c.index);
    return true;
  };
  if (ordered.length >= 2 && !full()) {
    // The candidates the budgets allow, in order, at most 100.
    const left = new Map<string, number>();
    const group: DisruptionCandidate[] = [];
    for (const c of ordered) {
      if (group.length >= MAX_MULTI_NODE_CANDIDATES) break;
      const l = left.get(c.nodePool) ?? budgets.remaining(c.nodePool, 'Underutilized');
      if (l <= 0) continue;
      left.set(c.nodePool, l - 1);
      group.push(c);
    }
    let lo = 1;
    let hi = group.length - 1;
    let best: { n: number; verdict: Extract<ConsolidationVerdict, { ok: true }> } | undefined;
    let used = 0;
    const attempt = (n: number): ConsolidationVerdict => {
      const prefix = group.slice(0, n);
      const names = new Set(prefix.map((c) => c.node));
      const largest = largestAllocatable(allTypes, prefix.reduce((sum, c) => sum + (c.pricePerHour ?? 0), 0));
      if (!mayAllGo(prefix.map((c) => sim().node(c.node)?.pods ?? c.reschedulable), freeOthers(names), largest)) {
        return { ok: false, code: 'PodsDoNotFitElsewhere', reason: 'pods would not fit elsewhere: their requests exceed the free resources of the other nodes and one new node' };
      }
      used += 1;
      return computeConsolidation({ candidates: prefix, simulator: sim(), instanceTypes: instanceTypes ?? {}, settings, free: () => freeOthers(new Set(prefix.map((c) => c.node))) });
    };
    // The whole group first: when it can go, the search would end there anyway (after ~log2(n) simulations).
    if (hi >= lo && maxMulti > 0) {
      const verdict = attempt(hi + 1);
      if (verdict.ok) best = { n: hi + 1, verdict };
      hi = verdict.ok ? lo - 1 : hi - 1;
    }
    while (lo <= hi && used < maxMulti) {
      const mid = (lo + hi) >> 1;
      const verdict = attempt(mid + 1);
      if (verdict.ok) {
        best = { n: mid + 1, verdict };
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best) {
      const chosen = group.slice(0, best.n);
      record('multi-node-consolidation', 'Underutilized', chosen, best.verdict);
      for (const c of chosen) decided.add(c.index);
    }
  }
  let singleUsed = 0;
  for (const c of ordered) {
    if (decided.has(c.index)) continue;
    if (full()) {
      blocked.set(c.index, blockedOf(c, 'BudgetExhausted', `this pass issues at most ${maxCommands} command(s)`));
      continue;
    }
    if (receivers.has(c.node)) {
      blocked.set(c.index, blockedOf(c, 'NotConsolidatable', 'receives pods from another command of this pass'));
      continue;
    }
    if (budgetBlocked(c)) continue;
    const current = sim().node(c.node);
    const candidate: DisruptionCandidate = current ? { ...c, reschedulable: current.pods.filter(isReschedulable) } : c;
    const free = freeOthers(new Set([c.node]));
    const quick = quickReject(candidate, free, allTypes);
    if (quick) {
      blocked.set(c.index, blockedOf(c, quick.code, quick.reason));
      continue;
    }
    if (singleUsed >= maxSingle) {
      blocked.set(c.index, blockedOf(c, 'SimulationBudgetExhausted', `consolidatable, but this pass's ${maxSingle} single-node simulations were used by candidates cheaper to disrupt`));
      continue;
    }
    singleUsed += 1;
    const verdict = computeConsolidation({ candidates: [candidate], simulator: sim(), instanceTypes: instanceTypes ?? {}, settings, free: () => free });
    if (!verdict.ok) {
      blocked.set(c.index, blockedOf(c, verdict.code, verdict.reason));
      continue;
    }
    record('single-node-consolidation', 'Underutilized', [candidate], verdict);
  }

  // 5. Explanations, in input order.
  const inCommand = new Set(commands.flatMap((c) => c.nodeClaims));
  const blockedList: BlockedNode[] = [];
  const explanations: NodeExplanation[] = input.nodes.map((node, i) => {
    const claim = node.nodeClaim.metadata.name ?? '';
    const poolName = nodePoolNameOf(node.nodeClaim);
    if (inCommand.has(claim)) return { node: nodeNameOf(node), nodeClaim: claim, ...(poolName ? { nodePool: poolName } : {}), disrupted: true, reason: disruptedText.get(claim) ?? 'disrupted' };
    const held = blocked.get(i) ?? { node: nodeNameOf(node), nodeClaim: claim, ...(poolName ? { nodePool: poolName } : {}), code: 'NotConsolidatable' as const, reason: 'no cheaper arrangement was found' };
    blockedList.push(held);
    return { node: held.node, nodeClaim: held.nodeClaim, ...(held.nodePool ? { nodePool: held.nodePool } : {}), disrupted: false, code: held.code, reason: held.reason, ...(held.retryAtMs === undefined ? {} : { retryAtMs: held.retryAtMs }) };
  });

  return {
    nowMs,
    candidates: empties,
    commands,
    blocked: blockedList,
    budgets: budgets.evaluated,
    explanations,
    ...(instanceTypes ? { pricePerHourBefore: round(pricePerHourBefore), pricePerHourAfter: round(pricePerHourAfter) } : {}),
    simulations: simulator?.simulations ?? 0,
  };
}

const round = (usd: number): number => Math.round(usd * 1e6) / 1e6;

/**
 * The largest allocatable, resource by resource (canonical units), of the types with an available offering
 * cheaper than `belowPricePerHour` (a replacement must cost strictly less than the nodes it replaces).
 */
function largestAllocatable(types: readonly InstanceType[], belowPricePerHour: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of types) {
    if (!type.offerings.some((o) => o.available && o.pricePerHour < belowPricePerHour)) continue;
    const a = allocatable(type);
    for (const key in a) out[key] = Math.max(out[key] ?? 0, a[key] ?? 0);
  }
  return out;
}

/**
 * A necessary condition for a group of candidates to go (pruning before a simulation): resource by resource,
 * the requests of the pods that would move fit in the free resources of the other nodes (negative free counted
 * as 0) plus the largest allocatable of a type cheaper than the group (consolidation adds at most one
 * NodeClaim, strictly cheaper).
 */
function mayAllGo(podLists: readonly (readonly Pod[])[], free: readonly Readonly<Record<string, number>>[], largest: Readonly<Record<string, number>>): boolean {
  const need: Record<string, number> = {};
  for (const pods of podLists) {
    for (const pod of pods) {
      if (!isReschedulable(pod) || podBlocksDisruption(pod)) continue;
      const r = podRequests(pod);
      for (const key in r) need[key] = (need[key] ?? 0) + (r[key] ?? 0);
    }
  }
  for (const key in need) {
    let room = largest[key] ?? 0;
    for (const f of free) room += Math.max(0, f[key] ?? 0);
    if ((need[key] ?? 0) > room) return false;
  }
  return true;
}
const c0 = (group: readonly DisruptionCandidate[]): number => group.reduce((sum, c) => sum + c.reschedulable.length, 0);

/** Deleting or tainted: its pods are rescheduled with the pending ones (a NotReady node still holds them). */
function beingGone(n: DisruptionInput['nodes'][number]): boolean {
  return n.nodeClaim.metadata.deletionTimestamp !== undefined || n.node?.metadata.deletionTimestamp !== undefined || (n.node?.spec?.taints ?? []).some((t) => t.key === 'karpenter.sh/disrupted');
}

function describeEmpty(candidate: EmptinessCandidate, nowMs: number, allowed: number | undefined, nodeCount: number | undefined): string {
  const budgetText = allowed === undefined ? '' : `; NodePool "${candidate.nodePool}" budget allowed ${allowed} of ${nodeCount ?? 0} node(s)`;
  return `disrupted (empty): no pod came or went for ${formatDuration(nowMs - candidate.emptySinceMs)}, consolidateAfter is ${formatDuration(candidate.consolidateAfterMs)}${budgetText}`;
}

/**
 * The explanation for one node of a decision, looked up by Node or NodeClaim name: whether it is disrupted and
 * why (or why not), as one line for a person, e.g. `node n1 (NodeClaim default-abc, NodePool default): not
 * disrupted: not empty: 1 pod(s) would need to move: default/web-1`. `undefined` when the node was not in the input.
 */
export function explainNode(decision: DisruptionDecision, name: string): string | undefined {
  const e = decision.explanations.find((x) => x.node === name || x.nodeClaim === name);
  if (!e) return undefined;
  const where = [`NodeClaim ${e.nodeClaim}`, ...(e.nodePool ? [`NodePool ${e.nodePool}`] : [])].join(', ');
  const retry = e.retryAtMs === undefined ? '' : ` (eligible at ${new Date(e.retryAtMs).toISOString()})`;
  return `node ${e.node} (${where}): ${e.disrupted ? e.reason : `not disrupted: ${e.reason}${retry}`}`;
}
