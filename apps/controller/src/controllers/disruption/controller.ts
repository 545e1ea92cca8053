import {
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  TAINT_DISRUPTED,
  applyLimitRangeDefaultsToDaemonSet,
  disrupt,
  displacedPods,
  type BlockedNode,
  type DisruptionBlockCode,
  type DisruptionCommand,
  type DisruptionDecision,
  type DisruptionInput,
  type DisruptionNodeInput,
  type InstanceType,
  type Node,
  type NodeClaim,
  type Pod,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import { ref } from '../../log.js';
import { isConditionTrue } from '../../state/conditions.js';
import { isGoingAway } from '../../state/going-away.js';
import { podKey } from '../../state/pods.js';
import { nodeAsExisting } from '../../state/snapshot.js';
import { taintDisrupted } from '../node/termination/controller.js';
import { PodEvents } from '../nodeclaim/podevents/controller.js';
import { claimLabel } from '../nodeclaim/status.js';
import { disruptedLabels } from '../nodeclaim/disrupted-labels.js';
import { nodeClaimFromPlan } from '../provisioning/nodeclaim-from-plan.js';
import { readyPools } from '../provisioning/provisioner.js';
import type { Controller, ControllerContext, ReconcileResult } from '../types.js';

/** The single key of the disruption loop's queue: one pass covers the whole cluster. */
export const DISRUPTION_KEY = 'disruption';

/** Look again after this long while cluster state is not synced, and while replacements initialize, ms. */
const SHORT_RECHECK_MS = 1_000;

/**
 * Bound of the multi-node consolidation search, in scheduling simulations. Karpenter bounds it by time (1 minute);
 * the domain reads no clock, so the loop passes a count sized so one pass stays well inside that minute on the
 * benchmark's clusters.
 */
export const MAX_CONSOLIDATION_SIMULATIONS = 100;

/** The planner the loop calls: the domain's `disrupt`, or a test double. */
export type DisruptionPlanner = (input: DisruptionInput) => DisruptionDecision;

/**
 * A managed node as the loop passes it to the planner: the domain's input plus the drift flag (a NodeClaim whose
 * `Drifted` condition is True, set by the drift controller), with the condition's reason.
 */
export type DisruptionNodeInputWithDrift = DisruptionNodeInput & { drifted?: { reason: string } };

/** A command being validated (decided, waiting for the re-check) or executed (candidates tainted). */
interface Validating {
  command: DisruptionCommand;
  sinceMs: number;
}
interface Replacing {
  command: DisruptionCommand;
  /** Names of the replacement NodeClaims created. */
  replacements: string[];
  /** Names of the tainted candidate Nodes. */
  tainted: string[];
  startedMs: number;
}

/**
 * `disruption`: the singleton disruption loop (Karpenter's `disruption.Controller` with its orchestration queue,
 * one command at a time). Every pass (each `DISRUPTION_POLL_PERIOD`, 10 s) it builds the planner's input from
 * cluster state (every NodeClaim with its Node, pods, nomination, pending pod event and `Drifted` condition;
 * NodePools; instance types of the Ready pools from the cloud provider; pending pods plus the pods of nodes going
 * away; nodes without a NodeClaim; DaemonSets; PodDisruptionBudgets; the SpotToSpotConsolidation gate) and asks
 * the domain's `disrupt` at the clock's now.
 *
 * The first command found is validated: the loop waits `DISRUPTION_VALIDATION_PERIOD` (15 s), recomputes against
 * fresh state, and acts only when the new decision still holds the same command (same reason, decision,
 * candidates and number of replacements; an emptiness command may shrink to the candidates still empty, as
 * Karpenter's emptiness validation filters them). Otherwise the command is abandoned and the new one, if any, is
 * validated in turn. Acting: "disrupting node(s)" is logged, a `Disrupting` event goes to each candidate NodeClaim
 * and Node, the nodes are tainted `karpenter.sh/disrupted:NoSchedule`; a delete command then deletes the candidate
 * NodeClaims (termination drains them); a replace command first creates its replacement NodeClaims (as the
 * provisioner would, from the plan) and waits until every one is Initialized, and deletes the candidates only
 * then. A replacement that disappears, or is not Initialized within `DISRUPTION_REPLACEMENT_TIMEOUT` (10 min),
 * abandons the command: its replacements are deleted and its candidates untainted.
 *
 * Nodes the decision holds back get one event each while the reason stays the same: `DisruptionBlocked` (budgets,
 * do-not-disrupt, PodDisruptionBudgets) or `Unconsolidatable` (consolidation found no cheaper placement), on the
 * NodeClaim and the Node. Metrics: karpenter_voluntary_disruption_decisions_total, _eligible_nodes and
 * karpenter_nodepools_allowed_disruptions.
 *
 * A process that stopped mid-command leaves tainted nodes behind: the first pass of each leadership term removes
 * `karpenter.sh/disrupted` from every node that is not being deleted and whose NodeClaim is not being deleted.
 */
export function disruption(ctx: ControllerContext, podEvents = new PodEvents(), planner: DisruptionPlanner = disrupt): Controller {
  const log = ctx.log.child({ controller: 'disruption' });
  let recovered = false;
  let validating: Validating | undefined;
  let replacing: Replacing | undefined;
  /** NodeClaim name → the last blocked/unconsolidatable message published for it (events are not repeated). */
  const published = new Map<string, string>();

  const poll = (): ReconcileResult => ({ requeueAfterMs: ctx.options.disruptionPollMs });

  return {
    name: 'disruption',
    async reconcile(): Promise<ReconcileResult> {
      if (!ctx.state.synced) return { requeueAfterMs: SHORT_RECHECK_MS };
      if (!recovered) {
        await removeStaleTaints(ctx);
        recovered = true;
      }
      if (replacing) {
        const outcome = await continueReplace(ctx, replacing);
        if (outcome === 'waiting') return { requeueAfterMs: Math.min(SHORT_RECHECK_MS, ctx.options.disruptionPollMs) };
        replacing = undefined;
        return poll();
      }
      const nowMs = ctx.clock.now();
      if (validating && nowMs - validating.sinceMs < ctx.options.disruptionValidationMs) {
        return { requeueAfterMs: validating.sinceMs + ctx.options.disruptionValidationMs - nowMs };
      }
      const decision = planner(await buildDisruptionInput(ctx, podEvents, nowMs));
      recordDecision(ctx, decision);
      publishBlocked(ctx, decision.blocked, published);
      const next = decision.commands.find((c) => c.nodeClaims.length > 0);

      if (validating) {
        const previous = validating.command;
        validating = undefined;
        const still = stillValid(previous, decision.commands);
        if (still) {
          const started = await execute(ctx, still);
          if (started) replacing = started;
          return replacing ? { requeueAfterMs: Math.min(SHORT_RECHECK_MS, ctx.options.disruptionPollMs) } : poll();
        }
        log.info({ reason: previous.reason, decision: previous.decision ?? 'delete', NodeClaims: previous.nodeClaims.join(', ') }, 'abandoning disruption command, it changed during validation');
      }
      if (!next) return poll();
      validating = { command: next, sinceMs: nowMs };
      log.debug({ reason: next.reason, method: next.method ?? 'emptiness', decision: next.decision ?? 'delete', NodeClaims: next.nodeClaims.join(', ') }, 'validating disruption command');
      return { requeueAfterMs: ctx.options.disruptionValidationMs };
    },
  };
}

/**
 * The planner's input at `nowMs`, from cluster state. Instance types are asked of the cloud provider for the
 * NodePools whose Ready condition is True (a pool whose catalog fails is left out: its nodes can still be removed
 * as empty or drifted, not consolidated). Pending pods include the pods of nodes going away that still need a
 * place (the replacement capacity a consolidation plans must leave room for them).
 */
export async function buildDisruptionInput(ctx: ControllerContext, podEvents: PodEvents, nowMs: number): Promise<DisruptionInput> {
  const { state } = ctx;
  const { pools } = state.nodePools();
  const instanceTypes: Record<string, readonly InstanceType[]> = {};
  for (const pool of readyPools(pools).pools) {
    try {
      instanceTypes[pool.name] = await ctx.cloudProvider.getInstanceTypes(pool.nodePool);
    } catch (error) {
      ctx.log.error({ controller: 'disruption', err: error, NodePool: ref(pool.name) }, 'listing instance types for consolidation');
    }
  }
  const nodes = state.nodeClaims().map((claim) => nodeInput(ctx, podEvents, claim, nowMs));
  const unmanagedNodes: { node: Node; pods: Pod[] }[] = [];
  const displaced: Pod[] = [];
  for (const node of state.nodes()) {
    const claim = state.nodeClaimForNode(node);
    const pods = state.podsOnNode(node.metadata.name ?? '');
    if (isGoingAway(node) || (claim?.metadata.deletionTimestamp ?? '') !== '') {
      displaced.push(...displacedPods(nodeAsExisting(node, claim, pods)));
      continue;
    }
    if (!claim) unmanagedNodes.push({ node, pods });
  }
  const limitRanges = state.limitRanges();
  return {
    nowMs,
    nodePools: pools.map((p) => p.nodePool),
    nodes,
    instanceTypes,
    pendingPods: [...state.pendingPods(), ...displaced],
    unmanagedNodes,
    daemonSets: state.daemonSets().map((ds) => applyLimitRangeDefaultsToDaemonSet(ds, limitRanges)?.daemonSet ?? ds),
    podDisruptionBudgets: state.podDisruptionBudgets(),
    options: { spotToSpotConsolidation: ctx.options.featureGates.SpotToSpotConsolidation, maxConsolidationSimulations: MAX_CONSOLIDATION_SIMULATIONS },
  };
}

/** One NodeClaim as the planner's input. */
function nodeInput(ctx: ControllerContext, podEvents: PodEvents, claim: NodeClaim, nowMs: number): DisruptionNodeInputWithDrift {
  const name = claim.metadata.name ?? '';
  const node = ctx.state.nodeForNodeClaim(claim);
  const nodeName = node?.metadata.name ?? '';
  // A node the provisioner (or a replace command) nominated for pods is about to be used.
  const nominated = ctx.state.isNominated(name, nowMs) || (nodeName !== '' && ctx.state.isNominated(nodeName, nowMs));
  const pendingPodEventMs = podEvents.pendingMs(name);
  const drifted = (claim.status?.conditions ?? []).find((c) => c.type === 'Drifted' && c.status === 'True');
  return {
    nodeClaim: claim,
    ...(node ? { node } : {}),
    pods: node ? ctx.state.podsOnNode(nodeName) : [],
    nominated,
    ...(pendingPodEventMs === undefined ? {} : { pendingPodEventMs }),
    ...(drifted ? { drifted: { reason: drifted.reason || 'Drifted' } } : {}),
  };
}

/** The command of `commands` that confirms `previous`, narrowed to what still holds; undefined when it changed. */
export function stillValid(previous: DisruptionCommand, commands: readonly DisruptionCommand[]): DisruptionCommand | undefined {
  const decisionOf = (c: DisruptionCommand): string => c.decision ?? 'delete';
  for (const command of commands) {
    if (command.reason !== previous.reason || decisionOf(command) !== decisionOf(previous)) continue;
    if (previous.reason === 'empty' && decisionOf(previous) === 'delete') {
      const now = new Set(command.nodeClaims);
      const kept = previous.nodeClaims.filter((n) => now.has(n));
      if (kept.length > 0) return { ...previous, nodeClaims: kept, candidates: previous.candidates.filter((c) => now.has(c.nodeClaim)) };
      continue;
    }
    const same = [...command.nodeClaims].sort().join('\n') === [...previous.nodeClaims].sort().join('\n');
    const replacements = (c: DisruptionCommand): string => (c.replacements ?? []).map((r) => r.nodePoolName).sort().join('\n');
    // The fresh command (its replacement plan reflects the pods as they are now).
    if (same && replacements(command) === replacements(previous)) return command;
  }
  return undefined;
}

const CONSOLIDATION_TYPE: Record<string, string> = {
  emptiness: 'empty',
  drift: '',
  'multi-node-consolidation': 'multi',
  'single-node-consolidation': 'single',
};

/**
 * Acts on a validated command: log, `Disrupting` events, taint, then delete the candidates (delete) or create the
 * replacements (replace; the returned state is then followed by {@link continueReplace}). A failure on the way
 * takes the taints back (and deletes the replacements created) before the error is thrown.
 */
async function execute(ctx: ControllerContext, command: DisruptionCommand): Promise<Replacing | undefined> {
  const decision = command.decision ?? 'delete';
  const targets = command.nodeClaims.flatMap((name) => {
    const claim = ctx.state.nodeClaim(name);
    const node = claim ? ctx.state.nodeForNodeClaim(claim) : undefined;
    return claim && node && !claim.metadata.deletionTimestamp ? [{ claim, node }] : [];
  });
  if (targets.length === 0 || (decision === 'replace' && targets.length !== command.nodeClaims.length)) return undefined;
  const plans = command.replacements ?? [];
  const pods = targets.flatMap(({ node }) => ctx.state.podsOnNode(node.metadata.name ?? ''));
  ctx.log.info(
    {
      controller: 'disruption',
      reason: command.reason,
      method: command.method ?? 'emptiness',
      decision,
      'disrupted-node-count': targets.length,
      'replacement-node-count': decision === 'replace' ? plans.length : 0,
      'pod-count': pods.length,
      ...(command.pricePerHourBefore === undefined ? {} : { 'price-per-hour-before': command.pricePerHourBefore, 'price-per-hour-after': command.pricePerHourAfter ?? 0 }),
      'disrupted-nodes': targets.map(({ claim, node }) => ({
        Node: ref(node.metadata.name),
        NodeClaim: ref(claim.metadata.name),
        NodePool: ref(claimLabel(claim, LABEL_NODEPOOL)),
        'instance-type': claimLabel(claim, LABEL_INSTANCE_TYPE),
        'capacity-type': claimLabel(claim, LABEL_CAPACITY_TYPE),
      })),
    },
    'disrupting node(s)',
  );
  const message = disruptingMessage(command, decision);
  for (const { claim, node } of targets) {
    ctx.events.publish({ regarding: asObject(claim, 'NodeClaim', 'karpenter.sh/v1'), type: 'Normal', reason: 'Disrupting', message });
    ctx.events.publish({ regarding: asObject(node, 'Node', 'v1'), type: 'Normal', reason: 'Disrupting', message });
  }
  const tainted: string[] = [];
  const created: string[] = [];
  try {
    for (const { node } of targets) {
      await taintDisrupted(ctx, ctx.state.node(node.metadata.name ?? '') ?? node);
      tainted.push(node.metadata.name ?? '');
    }
    if (decision === 'replace') {
      const nominateUntil = ctx.clock.now() + ctx.options.disruptionReplacementTimeoutMs + ctx.options.disruptionPollMs;
      for (const plan of plans) {
        const pool = ctx.state.nodePool(plan.nodePoolName);
        if (!pool) throw new Error(`NodePool "${plan.nodePoolName}" of a replacement is gone`);
        const claim = await ctx.client.create<NodeClaim>(resources.nodeClaims, nodeClaimFromPlan(plan, pool));
        ctx.state.informers.nodeClaims.assume(claim);
        created.push(claim.metadata.name ?? '');
        // The replacement is where the candidates' pods go: keep it from being seen as empty meanwhile.
        ctx.state.nominate(claim.metadata.name ?? '', pods.map(podKey), nominateUntil);
        ctx.metrics.nodeClaimsCreated.inc({ reason: command.reason, nodepool: pool.name, min_values_relaxed: 'false' });
        ctx.log.info({ controller: 'disruption', NodePool: ref(pool.name), NodeClaim: ref(claim.metadata.name), 'instance-types': plan.instanceTypeOptions.slice(0, 5).join(', ') }, 'created replacement nodeclaim');
      }
      ctx.metrics.disruptionDecisions.inc({ decision, reason: command.reason, consolidation_type: CONSOLIDATION_TYPE[command.method ?? 'emptiness'] ?? '' });
      return { command, replacements: created, tainted, startedMs: ctx.clock.now() };
    }
    await deleteCandidates(ctx, command, targets.map((t) => t.claim));
    ctx.metrics.disruptionDecisions.inc({ decision, reason: command.reason, consolidation_type: CONSOLIDATION_TYPE[command.method ?? 'emptiness'] ?? '' });
    return undefined;
  } catch (error) {
    await rollBack(ctx, created, tainted);
    throw error;
  }
}

/**
 * One look at a replace command in flight: every replacement Initialized → delete the candidates ('done'); one
 * gone, being deleted, or the timeout passed → roll back ('abandoned'); else 'waiting'.
 */
async function continueReplace(ctx: ControllerContext, replacing: Replacing): Promise<'waiting' | 'done' | 'abandoned'> {
  const claims = replacing.replacements.map((n) => ctx.state.nodeClaim(n));
  const lost = replacing.replacements.filter((_, i) => !claims[i] || claims[i]?.metadata.deletionTimestamp);
  const timedOut = ctx.clock.now() - replacing.startedMs >= ctx.options.disruptionReplacementTimeoutMs;
  if (lost.length > 0 || (timedOut && !claims.every((c) => c && isConditionTrue(c, 'Initialized')))) {
    const why = lost.length > 0 ? `replacement NodeClaim(s) ${lost.join(', ')} went away` : `replacement(s) not initialized after ${Math.round(ctx.options.disruptionReplacementTimeoutMs / 1000)}s`;
    ctx.log.error({ controller: 'disruption', reason: replacing.command.reason, NodeClaims: replacing.command.nodeClaims.join(', '), error: why }, 'abandoning disruption command, its replacements failed');
    for (const name of replacing.command.nodeClaims) {
      const claim = ctx.state.nodeClaim(name);
      if (claim) ctx.events.publish({ regarding: asObject(claim, 'NodeClaim', 'karpenter.sh/v1'), type: 'Warning', reason: 'DisruptionBlocked', message: `Disruption abandoned: ${why}` });
    }
    await rollBack(ctx, replacing.replacements, replacing.tainted);
    return 'abandoned';
  }
  if (!claims.every((c) => c && isConditionTrue(c, 'Initialized'))) return 'waiting';
  const candidates = replacing.command.nodeClaims.flatMap((n) => {
    const c = ctx.state.nodeClaim(n);
    return c && !c.metadata.deletionTimestamp ? [c] : [];
  });
  await deleteCandidates(ctx, replacing.command, candidates);
  return 'done';
}

/** Deletes the candidate NodeClaims (termination drains their nodes); a failed delete untaints its node. */
async function deleteCandidates(ctx: ControllerContext, command: DisruptionCommand, claims: readonly NodeClaim[]): Promise<void> {
  for (const claim of claims) {
    try {
      await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) {
        // Not deleted: take the taint back, or the node would count as disrupting (and stay unschedulable) for good.
        const node = ctx.state.nodeForNodeClaim(claim);
        if (node) await untaintDisrupted(ctx, node.metadata.name ?? '').catch((e: unknown) => ctx.log.error({ err: e, Node: ref(node.metadata.name) }, 'failed to remove the disrupted taint'));
        throw error;
      }
    }
    ctx.metrics.nodeClaimsDisrupted.inc(disruptedLabels(ctx, claim, command.reason));
  }
}

/** Deletes the replacements created and untaints the candidates (each step tried, failures logged). */
async function rollBack(ctx: ControllerContext, replacements: readonly string[], tainted: readonly string[]): Promise<void> {
  for (const name of replacements) {
    await ctx.client.delete(resources.nodeClaims, name).catch((e: unknown) => {
      if (!isNotFound(e)) ctx.log.error({ err: e, NodeClaim: ref(name) }, 'failed to delete a replacement nodeclaim');
    });
  }
  for (const name of tainted) await untaintDisrupted(ctx, name).catch((e: unknown) => ctx.log.error({ err: e, Node: ref(name) }, 'failed to remove the disrupted taint'));
}

/**
 * Removes `karpenter.sh/disrupted` left by a command that never finished (the process stopped mid-command): from
 * every node that is not being deleted and whose NodeClaim (if any) is not being deleted either.
 */
export async function removeStaleTaints(ctx: ControllerContext): Promise<void> {
  for (const node of ctx.state.nodes()) {
    if (node.metadata.deletionTimestamp || !(node.spec?.taints ?? []).some((t) => t.key === TAINT_DISRUPTED.key)) continue;
    const claim = ctx.state.nodeClaimForNode(node);
    if (claim?.metadata.deletionTimestamp) continue;
    await untaintDisrupted(ctx, node.metadata.name ?? '');
    ctx.log.info({ controller: 'disruption', Node: ref(node.metadata.name), NodeClaim: ref(claim?.metadata.name) }, 'removed the disrupted taint of an unfinished disruption command');
  }
}

/** Removes `karpenter.sh/disrupted` from the node, as Karpenter does when a disruption command fails. */
async function untaintDisrupted(ctx: ControllerContext, nodeName: string): Promise<void> {
  const node = ctx.state.node(nodeName);
  const taints = node?.spec?.taints ?? [];
  if (!node || !taints.some((t) => t.key === TAINT_DISRUPTED.key)) return;
  const updated = await ctx.client.patch<Node>(resources.nodes, nodeName, 'merge', {
    metadata: { resourceVersion: node.metadata.resourceVersion },
    spec: { taints: taints.filter((t) => t.key !== TAINT_DISRUPTED.key) },
  });
  ctx.state.informers.nodes.assume(updated);
}

/** Block codes that are the normal state of a node, not worth an event. */
const QUIET_CODES: ReadonlySet<DisruptionBlockCode> = new Set<DisruptionBlockCode>(['Disrupting', 'NotInitialized', 'Nominated', 'ConsolidateAfterNotElapsed', 'NotEmpty', 'ConsolidationDisabled', 'ConsolidateAfterNever', 'PolicyWhenEmpty']);
/** Block codes that are Karpenter's `DisruptionBlocked` (a rule holds the node); the others are `Unconsolidatable`. */
const BLOCKING_CODES: ReadonlySet<DisruptionBlockCode> = new Set<DisruptionBlockCode>(['BudgetExhausted', 'DoNotDisruptNode', 'DoNotDisruptPod', 'NodePoolNotFound', 'PDBBlocks', 'Uncontrolled']);

/** Publishes one event per blocked node and reason (on the NodeClaim and the Node); forgets nodes no longer blocked. */
function publishBlocked(ctx: ControllerContext, blocked: readonly BlockedNode[], published: Map<string, string>): void {
  const seen = new Set<string>();
  for (const b of blocked) {
    const code = b.code;
    if (QUIET_CODES.has(code)) continue;
    seen.add(b.nodeClaim);
    const reason = BLOCKING_CODES.has(code) ? 'DisruptionBlocked' : 'Unconsolidatable';
    const message = reason === 'DisruptionBlocked' ? `Cannot disrupt Node: ${b.reason}` : b.reason;
    if (published.get(b.nodeClaim) === `${reason}:${message}`) continue;
    published.set(b.nodeClaim, `${reason}:${message}`);
    const claim = ctx.state.nodeClaim(b.nodeClaim);
    const node = ctx.state.node(b.node);
    if (claim) ctx.events.publish({ regarding: asObject(claim, 'NodeClaim', 'karpenter.sh/v1'), type: 'Normal', reason, message: message.replace(/^Cannot disrupt Node/, 'Cannot disrupt NodeClaim') });
    if (node) ctx.events.publish({ regarding: asObject(node, 'Node', 'v1'), type: 'Normal', reason, message });
    ctx.log.debug({ controller: 'disruption', NodeClaim: ref(b.nodeClaim), NodePool: ref(b.nodePool), code, reason: b.reason }, 'disruption blocked');
  }
  for (const name of [...published.keys()]) if (!seen.has(name)) published.delete(name);
}

/** Eligible nodes per reason and allowed disruptions per NodePool and reason, from one decision. */
function recordDecision(ctx: ControllerContext, decision: DisruptionDecision): void {
  const eligible: Record<string, Set<string>> = { empty: new Set(decision.candidates.map((c) => c.nodeClaim)), drifted: new Set(), underutilized: new Set() };
  for (const command of decision.commands) for (const n of command.nodeClaims) (eligible[command.reason] ??= new Set()).add(n);
  ctx.metrics.disruptionEligibleNodes.reset();
  for (const [reason, names] of Object.entries(eligible)) ctx.metrics.disruptionEligibleNodes.set({ reason }, names.size);
  ctx.metrics.nodePoolAllowedDisruptions.reset();
  for (const [nodepool, byReason] of Object.entries(decision.budgets)) {
    for (const [reason, budget] of Object.entries(byReason)) if (budget) ctx.metrics.nodePoolAllowedDisruptions.set({ nodepool, reason: reason.toLowerCase() }, budget.allowed); // Karpenter lowercases the reason
  }
}

function disruptingMessage(command: DisruptionCommand, decision: string): string {
  const reason = { empty: 'Empty', drifted: 'Drifted', underutilized: 'Underutilized' }[command.reason] ?? command.reason;
  const price =
    !command.pricePerHourBefore ? '' : ` ($${command.pricePerHourBefore.toFixed(4)}/h -> $${(command.pricePerHourAfter ?? 0).toFixed(4)}/h)`;
  const replacements = decision === 'replace' ? ` by ${(command.replacements ?? []).length} replacement node(s)` : '';
  return `Disrupting: ${reason}/${decision === 'replace' ? 'Replace' : 'Delete'}${replacements}${price}`;
}

function asObject<T extends { apiVersion?: string; kind?: string }>(object: T, kind: string, apiVersion: string): T {
  return { ...object, apiVersion: object.apiVersion ?? apiVersion, kind: object.kind ?? kind };
}
