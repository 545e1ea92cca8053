import type { Condition, EC2NodeClass } from '@karpenter-ts/provisioner-domain';
import type { Registration } from '../../controllers/manager.js';
import type { Controller, ControllerContext, ReconcileResult } from '../../controllers/types.js';
import { isNotFound } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';
import { setCondition } from '../../state/conditions.js';
import type { LaunchTemplates } from './launch-templates.js';
import type { NodeClassResolution, NodeClassResolver } from './nodeclass-resolver.js';

/** A Ready node class is resolved again this often (new AMI versions, subnets, security groups), ms. */
export const NODECLASS_RESYNC_READY_MS = 300_000;
/** A node class that is not Ready is looked at again this often, ms. */
export const NODECLASS_RESYNC_NOT_READY_MS = 60_000;

/** The status an EC2NodeClass gets from a resolution (conditions merged into the existing ones). */
export function nodeClassStatus(nodeClass: EC2NodeClass, resolution: NodeClassResolution, nowIso: string): NonNullable<EC2NodeClass['status']> {
  const { resolved } = resolution;
  let conditions: Condition[] = [...(nodeClass.status?.conditions ?? [])];
  for (const c of resolution.conditions) {
    conditions = setCondition(conditions, { ...c, ...(nodeClass.metadata.generation !== undefined ? { observedGeneration: nodeClass.metadata.generation } : {}) }, nowIso);
  }
  return {
    subnets: resolved.subnets.map((s) => ({ id: s.id, zone: s.zone, ...(s.zoneID ? { zoneID: s.zoneID } : {}) })),
    securityGroups: resolved.securityGroups,
    amis: resolved.amis.map((a) => ({ id: a.id, ...(a.name ? { name: a.name } : {}), requirements: a.requirements })),
    ...(resolved.instanceProfile ? { instanceProfile: resolved.instanceProfile } : {}),
    conditions,
  };
}

/**
 * `ec2nodeclass.status` (Karpenter AWS's `nodeclass` status controller), keyed by EC2NodeClass name: resolves the
 * node class (see {@link NodeClassResolver}) and writes `status.subnets`, `securityGroups`, `amis`,
 * `instanceProfile` and the conditions (SubnetsReady, SecurityGroupsReady, AMIsReady, InstanceProfileReady,
 * Ready) when they changed, with an Event on each Ready transition; resolves again every 5 minutes (1 minute
 * while not Ready). Once the node class is gone or being deleted, its launch templates are deleted.
 * `nodepool.readiness` turns its Ready condition into the NodePools' NodeClassReady, so a NodePool whose node
 * class selects nothing stops provisioning with that reason.
 */
export function ec2NodeClassStatus(ctx: ControllerContext, resolver: NodeClassResolver, launchTemplates: LaunchTemplates): Controller {
  const log = ctx.log.child({ controller: 'ec2nodeclass.status' });
  return {
    name: 'ec2nodeclass.status',
    async reconcile(name: string): Promise<ReconcileResult | void> {
      if (!ctx.state.synced) return { requeueAfterMs: 1_000 };
      const nodeClass = ctx.state.informers.ec2NodeClasses.get(name);
      if (!nodeClass || nodeClass.metadata.deletionTimestamp) {
        const deleted = await launchTemplates.deleteForNodeClass(name);
        if (deleted > 0) log.info({ EC2NodeClass: { name }, count: deleted }, 'deleted launch templates');
        return;
      }
      const resolution = await resolver.resolve(nodeClass);
      const status = nodeClassStatus(nodeClass, resolution, new Date(ctx.clock.now()).toISOString());
      const before = nodeClass.status ?? {};
      if (JSON.stringify(status) !== JSON.stringify({ ...before, conditions: before.conditions ?? [] }) || !before.conditions) {
        try {
          const updated = await ctx.client.patch<EC2NodeClass>(resources.ec2NodeClasses, name, 'merge', { metadata: { resourceVersion: nodeClass.metadata.resourceVersion }, status }, { subresource: 'status' });
          ctx.state.informers.ec2NodeClasses.assume(updated);
        } catch (error) {
          if (isNotFound(error)) return;
          throw error;
        }
        const previous = before.conditions?.find((c) => c.type === 'Ready');
        const ready = status.conditions?.find((c) => c.type === 'Ready');
        if (ready && previous?.status !== ready.status) {
          log.info({ EC2NodeClass: { name }, ready: ready.status, reason: ready.reason, message: ready.message }, 'resolved ec2nodeclass');
          ctx.events.publish({
            regarding: { ...nodeClass, apiVersion: 'karpenter.k8s.aws/v1', kind: 'EC2NodeClass' },
            type: ready.status === 'True' ? 'Normal' : 'Warning',
            reason: ready.status === 'True' ? 'Ready' : ready.reason || 'NotReady',
            message: `Status condition transitioned, Type: Ready, Status: ${previous?.status ?? 'Unknown'} -> ${ready.status}, Reason: ${ready.reason ?? ''}${ready.message ? `, Message: ${ready.message}` : ''}`,
          });
        }
      }
      return { requeueAfterMs: resolution.ready ? NODECLASS_RESYNC_READY_MS : NODECLASS_RESYNC_NOT_READY_MS };
    },
  };
}

/** The registration of {@link ec2NodeClassStatus}: woken by EC2NodeClass creation, spec changes and deletion. */
export function ec2NodeClassStatusRegistration(ctx: ControllerContext, resolver: NodeClassResolver, launchTemplates: LaunchTemplates): Registration {
  const informer = ctx.state.informers.ec2NodeClasses;
  return {
    controller: ec2NodeClassStatus(ctx, resolver, launchTemplates),
    concurrency: 1,
    watch: (enqueue) =>
      informer.on({
        onAdd: (n) => n.metadata.name && enqueue(n.metadata.name),
        onUpdate: (previous, n) =>
          n.metadata.name &&
          (previous.metadata.generation !== n.metadata.generation || Boolean(n.metadata.deletionTimestamp) !== Boolean(previous.metadata.deletionTimestamp)) &&
          enqueue(n.metadata.name),
        onDelete: (n) => n.metadata.name && enqueue(n.metadata.name),
      }),
  };
}
