import {
  LABEL_CAPACITY_TYPE,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  TAINT_DISRUPTED,
  type NodeClaim,
} from '@karpenter-ts/provisioner-domain';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { ref } from '../../../log.js';
import { isConditionTrue } from '../../../state/conditions.js';
import { isReschedulable } from '../../../state/pods.js';
import { taintDisrupted } from '../../node/termination/controller.js';
import { claimLabel } from '../../nodeclaim/status.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { allowedDisruptions, decideEmptiness } from './decide.js';
import { EmptinessTracker } from './tracker.js';

/**
 * `disruption.emptiness`: keyed by NodeClaim; woken by pod, node and NodeClaim events and a periodic resync.
 * Tracks how long each node has been empty and, once `decideEmptiness` says so and the NodePool's budget
 * allows, taints the node `karpenter.sh/disrupted:NoSchedule` and deletes its NodeClaim ("disrupting
 * node(s)"); termination then drains and removes it. Run with one worker so budget checks do not race.
 */
export function emptiness(ctx: ControllerContext, tracker = new EmptinessTracker()): Controller {
  return {
    name: 'disruption.emptiness',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      const claim = ctx.state.nodeClaim(name);
      if (!claim || claim.metadata.deletionTimestamp) {
        tracker.forget(name);
        return;
      }
      const poolName = claimLabel(claim, LABEL_NODEPOOL);
      const pool = ctx.state.nodePool(poolName);
      const node = ctx.state.nodeForNodeClaim(claim);
      if (!pool || !node || node.metadata.deletionTimestamp) {
        tracker.forget(name);
        return;
      }
      const pods = ctx.state.podsOnNode(node.metadata.name ?? '');
      const reschedulable = pods.filter(isReschedulable);
      const initialized = isConditionTrue(claim, 'Initialized');
      const nowMs = ctx.clock.now();
      // A node nominated for pending pods is about to be used: it does not count as empty.
      const nominated = ctx.state.isNominated(name, nowMs) || ctx.state.isNominated(node.metadata.name ?? '', nowMs);
      const empty = reschedulable.length === 0 && !nominated;
      const emptySinceMs = initialized ? tracker.observe(name, empty, nowMs) : (tracker.forget(name), undefined);
      const decision = decideEmptiness({
        nodePool: pool.nodePool,
        initialized,
        pods,
        reschedulablePods: reschedulable,
        nodeMeta: node.metadata,
        nodeClaimMeta: claim.metadata,
        emptySinceMs,
        nowMs,
      });
      switch (decision.kind) {
        case 'ignore':
          return;
        case 'not-empty':
          // Nominations expire without an event: look again then.
          return nominated ? { requeueAfterMs: Math.max(1_000, ctx.options.disruptionPollMs) } : undefined;
        case 'wait':
          return { requeueAfterMs: decision.remainingMs };
        case 'blocked':
          ctx.events.publish({ regarding: node, type: 'Normal', reason: 'DisruptionBlocked', message: `Cannot disrupt Node: ${decision.reason}` });
          return { requeueAfterMs: ctx.options.disruptionPollMs };
        case 'candidate':
          break;
      }
      const poolClaims = ctx.state.nodeClaims().filter((c) => claimLabel(c, LABEL_NODEPOOL) === poolName);
      const disrupting = poolClaims.filter((c) => c.metadata.deletionTimestamp || isDisruptedTainted(ctx, c)).length;
      const allowed = allowedDisruptions(pool.nodePool.spec.disruption?.budgets, 'Empty', poolClaims.length, disrupting);
      if (allowed <= 0) {
        ctx.log.debug({ controller: 'disruption', NodePool: ref(poolName), NodeClaim: ref(name) }, 'disruption blocked by budget');
        ctx.events.publish({ regarding: node, type: 'Normal', reason: 'DisruptionBlocked', message: `No allowed disruptions for disruption reason Empty due to blocking budget` });
        return { requeueAfterMs: ctx.options.disruptionPollMs };
      }
      await taintDisrupted(ctx, node);
      ctx.log.info(
        {
          controller: 'disruption',
          reason: 'empty',
          decision: 'delete',
          'disrupted-node-count': 1,
          'replacement-node-count': 0,
          'pod-count': reschedulable.length,
          'disrupted-nodes': [
            {
              Node: ref(node.metadata.name),
              NodeClaim: ref(name),
              NodePool: ref(poolName),
              'instance-type': claimLabel(claim, LABEL_INSTANCE_TYPE),
              'capacity-type': claimLabel(claim, LABEL_CAPACITY_TYPE),
            },
          ],
        },
        'disrupting node(s)',
      );
      try {
        await ctx.client.delete(resources.nodeClaims, name);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      tracker.forget(name);
      ctx.metrics.disruptionDecisions.inc({ decision: 'delete', reason: 'empty', consolidation_type: 'empty' });
      ctx.metrics.nodeClaimsDisrupted.inc({ reason: 'empty', nodepool: poolName, capacity_type: claimLabel(claim, LABEL_CAPACITY_TYPE) });
    },
  };
}

function isDisruptedTainted(ctx: ControllerContext, claim: NodeClaim): boolean {
  const node = ctx.state.nodeForNodeClaim(claim);
  return (node?.spec?.taints ?? []).some((t) => t.key === TAINT_DISRUPTED.key);
}
