import type { Condition, NodeClassReference, NodePool, Provisioner } from '@karpenter-ts/provisioner-domain';
import type { NodeClassObject, NodeClassSupport } from '../../../cloudprovider/nodeclass.js';
import { isNotFound } from '../../../kube/errors.js';
import { resources } from '../../../kube/resources.js';
import { rootReadyCondition, setCondition, type ConditionUpdate } from '../../../state/conditions.js';
import { NODEPOOL_READY_DEPENDENTS } from '../../../state/nodepools.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../types.js';
import { nodeClassReadyCondition, poolNodeClass } from './nodeclass.js';
import { validationCondition } from './validation.js';

/** What a readiness key names. */
export type PoolSource = 'NodePool' | 'Provisioner';

/** Queue key of a NodePool or Provisioner: `NodePool/default`, `Provisioner/default` (they may share a name). */
export const readinessKey = (source: PoolSource, name: string): string => `${source}/${name}`;

function parseKey(key: string): { source: PoolSource; name: string } | undefined {
  const slash = key.indexOf('/');
  const source = key.slice(0, slash);
  return slash > 0 && (source === 'NodePool' || source === 'Provisioner') ? { source, name: key.slice(slash + 1) } : undefined;
}

export interface ReadinessInput {
  source: PoolSource;
  object: NodePool | Provisioner;
  nodeClasses: NodeClassSupport;
  lookup: (ref: NodeClassReference) => NodeClassObject | undefined;
  /** RFC 3339 now, for conditions that transition. */
  nowIso: string;
}

/**
 * The object's `status.conditions` after this look: `ValidationSucceeded` (see `validationCondition`),
 * `NodeClassReady` (see `nodeClassReadyCondition`) and the root `Ready` over both (see `rootReadyCondition`),
 * each with `observedGeneration` = `metadata.generation`; `lastTransitionTime` moves only when a status
 * changes, and conditions of other types are kept. Pure.
 */
export function readinessConditions(input: ReadinessInput): Condition[] {
  const { object, nowIso } = input;
  const generation = object.metadata.generation;
  const updates: ConditionUpdate[] = [
    validationCondition(input.source, object),
    nodeClassReadyCondition(poolNodeClass(input.source, object), input.nodeClasses, input.lookup),
  ];
  let list: Condition[] = [...(object.status?.conditions ?? [])];
  for (const update of updates) list = setCondition(list, { ...update, observedGeneration: generation }, nowIso);
  return setCondition(list, { ...rootReadyCondition(list, NODEPOOL_READY_DEPENDENTS, generation), observedGeneration: generation }, nowIso);
}

/**
 * `nodepool.readiness`: Karpenter's `nodepool.validation` and `nodepool.readiness` controllers and the status
 * root in one, so the three conditions are written together in one status patch: keyed by
 * {@link readinessKey}, woken by NodePool / Provisioner changes and by changes of the node classes they
 * reference. Writes `ValidationSucceeded`, `NodeClassReady` and `Ready` (the NodePool printer column READY) on
 * NodePools and, since their CRD has conditions too, on v1alpha5 Provisioners; skips the write when nothing
 * changed, and locks it on the read resourceVersion (a conflict is retried with the fresher object). Each
 * condition transition is recorded as an Event on the object, in Karpenter's words ("Status condition
 * transitioned, Type: NodeClassReady, Status: Unknown -> False, Reason: NodeClassNotFound, ..."). The
 * provisioner skips pools whose `Ready` is not True.
 */
export function nodePoolReadiness(ctx: ControllerContext): Controller {
  return {
    name: 'nodepool.readiness',
    async reconcile(key: string): Promise<ReconcileResult | void> {
      const parsed = parseKey(key);
      if (!parsed) return;
      // Until every cache listed, a missing node class may only be one not seen yet.
      if (!ctx.state.synced) return { requeueAfterMs: 1_000 };
      const { source, name } = parsed;
      const object = source === 'NodePool' ? ctx.state.informers.nodePools.get(name) : ctx.state.informers.provisioners.get(name);
      if (!object || object.metadata.deletionTimestamp) return;
      const before = object.status?.conditions ?? [];
      const conditions = readinessConditions({
        source,
        object,
        nodeClasses: ctx.nodeClasses,
        lookup: (ref) => ctx.state.nodeClass(ref),
        nowIso: new Date(ctx.clock.now()).toISOString(),
      });
      if (JSON.stringify(conditions) === JSON.stringify(before)) return;
      const type = source === 'NodePool' ? resources.nodePools : resources.provisioners;
      try {
        const updated = await ctx.client.patch<NodePool & Provisioner>(
          type,
          name,
          'merge',
          { metadata: { resourceVersion: object.metadata.resourceVersion }, status: { conditions } },
          { subresource: 'status' },
        );
        if (source === 'NodePool') ctx.state.informers.nodePools.assume(updated);
        else ctx.state.informers.provisioners.assume(updated);
      } catch (error) {
        if (isNotFound(error)) return;
        throw error;
      }
      for (const condition of conditions) {
        const previous = before.find((c) => c.type === condition.type);
        if (previous?.status === condition.status) continue;
        ctx.events.publish({
          regarding: { ...object, apiVersion: object.apiVersion ?? (source === 'NodePool' ? 'karpenter.sh/v1' : 'karpenter.sh/v1alpha5'), kind: source },
          type: 'Normal',
          reason: condition.type,
          message:
            `Status condition transitioned, Type: ${condition.type}, Status: ${previous?.status ?? 'Unknown'} -> ${condition.status}, Reason: ${condition.reason ?? ''}` +
            (condition.message ? `, Message: ${condition.message}` : ''),
        });
      }
    },
  };
}
