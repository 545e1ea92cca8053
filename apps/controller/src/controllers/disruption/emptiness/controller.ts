import {
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  TAINT_DISRUPTED,
  disrupt,
  type DisruptionCommand,
  type DisruptionNodeInput,
  type Node,
  type NodeClaim,
  type NodeExplanation,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import { taintDisrupted } from '../../node/termination/controller.js';
import { PodEvents } from '../../nodeclaim/podevents/controller.js';
import { claimLabel } from '../../nodeclaim/status.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';

/**
 * `disruption.emptiness`: keyed by NodeClaim; woken by pod, node and NodeClaim events and a periodic resync.
 * Builds the snapshot of the key's NodePool (every NodeClaim of it, with its Node, pods, nomination and any pod
 * event not yet written to `status.lastPodEventTime`) and asks the domain's `disrupt` what to do at the clock's
 * now. For the command it returns it logs "disrupting node(s)", taints each node `karpenter.sh/disrupted:NoSchedule`
 * ("tainted node") and deletes its NodeClaim, in that order as Karpenter does; termination then drains and
 * removes it. For the key's own node it looks
 * again when the decision says time will change the answer, and records a `DisruptionBlocked` event when a
 * budget or `karpenter.sh/do-not-disrupt` holds an empty node. Run with one worker so budget checks do not race.
 *
 * Validation (Karpenter's `Validation.IsValid` for emptiness and consolidation: wait `consolidationTTL`, 15 s,
 * then recompute the candidates and drop any that is nominated or no longer empty): a NodeClaim the decision
 * names is only deleted once the decision has named it continuously for {@link EMPTINESS_VALIDATION_MS}; every
 * reconcile recomputes the decision from fresh pods and nominations, so a node that kube-scheduler is about to
 * fill (its pods nominated to it, or bound meanwhile) is never removed as empty just after it became Ready.
 */
export function emptiness(ctx: ControllerContext, podEvents = new PodEvents()): Controller {
  /** NodeClaim name → when a decision first named it (its validation period runs from then). */
  const firstNamedMs = new Map<string, number>();
  return {
    name: 'disruption.emptiness',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) return;
      const poolName = claimLabel(claim, LABEL_NODEPOOL);
      const pool = ctx.state.nodePool(poolName);
      if (!pool) return;
      const nowMs = ctx.clock.now();
      const claims = ctx.state.nodeClaims().filter((c) => claimLabel(c, LABEL_NODEPOOL) === poolName);
      const decision = disrupt({ nowMs, nodePools: [pool.nodePool], nodes: claims.map((c) => nodeInput(ctx, podEvents, c, nowMs)) });
      const named = new Set(decision.commands.flatMap((c) => c.nodeClaims));
      // A NodeClaim of this pool that stopped being a candidate starts its validation over next time.
      for (const c of claims) if (!named.has(c.metadata.name ?? '')) firstNamedMs.delete(c.metadata.name ?? '');
      for (const command of decision.commands) {
        const validated = command.nodeClaims.filter((n) => {
          const since = firstNamedMs.get(n);
          if (since === undefined) firstNamedMs.set(n, nowMs);
          return since !== undefined && nowMs - since >= EMPTINESS_VALIDATION_MS;
        });
        if (validated.length === 0) continue;
        for (const n of validated) firstNamedMs.delete(n);
        await execute(ctx, { ...command, nodeClaims: validated });
      }
      const validating = firstNamedMs.get(name);
      if (validating !== undefined) {
        ctx.log.debug({ controller: 'disruption', NodeClaim: ref(name), NodePool: ref(poolName) }, 'validating disruption candidate');
        return { requeueAfterMs: Math.max(1, validating + EMPTINESS_VALIDATION_MS - nowMs) };
      }
      const own = decision.explanations.find((e) => e.nodeClaim === name);
      return own ? followUp(ctx, own, nowMs) : undefined;
    },
  };
}

/** How long a disruption decision must keep naming a NodeClaim before it is deleted, ms (Karpenter's consolidationTTL). */
export const EMPTINESS_VALIDATION_MS = 15_000;

/** One NodeClaim as the domain's disruption input. */
function nodeInput(ctx: ControllerContext, podEvents: PodEvents, claim: NodeClaim, nowMs: number): DisruptionNodeInput {
  const name = claim.metadata.name ?? '';
  const node = ctx.state.nodeForNodeClaim(claim);
  const nodeName = node?.metadata.name ?? '';
  // A node the provisioner nominated for pending pods is about to be used.
  const nominated = ctx.state.isNominated(name, nowMs) || (nodeName !== '' && ctx.state.isNominated(nodeName, nowMs));
  const pendingPodEventMs = podEvents.pendingMs(name);
  return {
    nodeClaim: claim,
    ...(node ? { node } : {}),
    pods: node ? ctx.state.podsOnNode(nodeName) : [],
    nominated,
    ...(pendingPodEventMs === undefined ? {} : { pendingPodEventMs }),
  };
}

/** What the queue should do for the key's own node after the decision. */
function followUp(ctx: ControllerContext, own: NodeExplanation, nowMs: number): ReconcileResult | void {
  if (own.disrupted) return;
  switch (own.code) {
    case 'consolidate-after':
      return { requeueAfterMs: Math.max(1, (own.retryAtMs ?? nowMs) - nowMs) };
    case 'nominated':
      // Nominations lapse without an event: look again then.
      return { requeueAfterMs: Math.max(1_000, ctx.options.disruptionPollMs) };
    case 'budget':
    case 'do-not-disrupt': {
      const node = ctx.state.node(own.node);
      if (node) ctx.events.publish({ regarding: node, type: 'Normal', reason: 'DisruptionBlocked', message: `Cannot disrupt Node: ${own.reason}` });
      ctx.log.debug({ controller: 'disruption', NodeClaim: ref(own.nodeClaim), NodePool: ref(own.nodePool), reason: own.reason }, 'disruption blocked');
      return { requeueAfterMs: ctx.options.disruptionPollMs };
    }
    default:
      return;
  }
}

/** Taints and deletes the NodeClaims of one command, logging it as Karpenter does. */
async function execute(ctx: ControllerContext, command: DisruptionCommand): Promise<void> {
  const targets = command.nodeClaims.flatMap((name) => {
    const claim = ctx.state.nodeClaim(name);
    const node = claim ? ctx.state.nodeForNodeClaim(claim) : undefined;
    return claim && node ? [{ claim, node }] : [];
  });
  if (targets.length === 0) return;
  // As Karpenter's orchestration: announce the command ("disrupting node(s)"), then taint ("tainted node").
  ctx.log.info(
    {
      controller: 'disruption',
      reason: command.reason,
      decision: 'delete',
      'disrupted-node-count': targets.length,
      'replacement-node-count': 0,
      'pod-count': 0,
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
  for (const { node } of targets) await taintDisrupted(ctx, node);
  for (const { claim, node } of targets) {
    try {
      await ctx.client.delete(resources.nodeClaims, claim.metadata.name ?? '');
    } catch (error) {
      if (!isNotFound(error)) {
        // Not deleted: take the taint back, or the node would count as disrupting (and stay unschedulable) for good.
        await untaintDisrupted(ctx, node.metadata.name ?? '').catch((untaintError: unknown) => ctx.log.error({ err: untaintError, Node: ref(node.metadata.name) }, 'failed to remove the disrupted taint'));
        throw error;
      }
    }
    ctx.metrics.nodeClaimsDisrupted.inc({ reason: command.reason, nodepool: claimLabel(claim, LABEL_NODEPOOL), capacity_type: claimLabel(claim, LABEL_CAPACITY_TYPE) });
  }
  ctx.metrics.disruptionDecisions.inc({ decision: 'delete', reason: command.reason, consolidation_type: command.reason });
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
