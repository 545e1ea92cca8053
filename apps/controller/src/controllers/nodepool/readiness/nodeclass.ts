import { provisionerToNodePool, type NodeClassReference, type NodePool, type Provisioner } from '@karpenter-ts/provisioner-domain';
import { isManagedNodeClass, type NodeClassObject, type NodeClassSupport } from '../../../cloudprovider/nodeclass.js';
import type { ConditionUpdate } from '../../../state/conditions.js';

/** Condition type: the referenced node class exists and is ready (Karpenter's `NodeClassReady`). */
export const CONDITION_NODE_CLASS_READY = 'NodeClassReady';

/** The node class a pool launches from: a reference to an object, or settings carried inline (v1alpha5 `provider`). */
export type PoolNodeClass = { ref: NodeClassReference; field: string } | { inline: true } | { missing: string };

/**
 * The node class of a NodePool (`spec.template.spec.nodeClassRef`) or of a v1alpha5 Provisioner: its inline
 * `spec.provider` (nothing to look up), its `spec.providerRef` (an AWSNodeTemplate, group from `apiVersion`,
 * default `karpenter.k8s.aws`), or, with neither, the EC2NodeClass named after it that `convert` points to.
 */
export function poolNodeClass(source: 'NodePool' | 'Provisioner', object: NodePool | Provisioner): PoolNodeClass {
  if (source === 'NodePool') {
    // Read defensively: an object the API server stored under an older CRD may lack the field.
    const ref = (object as Partial<NodePool>).spec?.template?.spec?.nodeClassRef as NodeClassReference | undefined;
    return ref ? { ref, field: 'spec.template.spec.nodeClassRef' } : { missing: 'spec.template.spec.nodeClassRef' };
  }
  const spec = (object as Provisioner).spec ?? {};
  if (spec.provider) return { inline: true };
  if (spec.providerRef) {
    const group = spec.providerRef.apiVersion?.includes('/') ? spec.providerRef.apiVersion.slice(0, spec.providerRef.apiVersion.indexOf('/')) : 'karpenter.k8s.aws';
    return { ref: { group, kind: spec.providerRef.kind ?? 'AWSNodeTemplate', name: spec.providerRef.name }, field: 'spec.providerRef' };
  }
  try {
    return { ref: provisionerToNodePool(object as Provisioner).nodePool.spec.template.spec.nodeClassRef, field: 'spec.providerRef (or an inline spec.provider)' };
  } catch {
    return { missing: 'spec.provider or spec.providerRef' };
  }
}

/** True when the pool's node class is `ref` (for waking pools when a node class changes). */
export function usesNodeClass(nodeClass: PoolNodeClass, ref: { group: string; kind: string; name: string }): boolean {
  return 'ref' in nodeClass && nodeClass.ref.group === ref.group && nodeClass.ref.kind === ref.kind && nodeClass.ref.name === ref.name;
}

/**
 * `NodeClassReady` (Karpenter's `nodepool.readiness`), with the cloud provider's node class rules (see
 * {@link NodeClassSupport}; the simulated provider's are in its class doc):
 * - inline node class, or a kind the provider does not manage → True (the message says which);
 * - no reference at all (an object stored under an older CRD) → False `NodeClassNotFound`;
 * - managed kind, object missing → False `NodeClassNotFound`;
 * - object being deleted → False `NodeClassTerminating`;
 * - the provider says not ready → False with its reason and message;
 * - else True `NodeClassReady`.
 * `lookup` returns the object a reference names, or undefined.
 */
export function nodeClassReadyCondition(nodeClass: PoolNodeClass, support: NodeClassSupport, lookup: (ref: NodeClassReference) => NodeClassObject | undefined): ConditionUpdate {
  const ready = (message = ''): ConditionUpdate => ({ type: CONDITION_NODE_CLASS_READY, status: 'True', reason: CONDITION_NODE_CLASS_READY, message });
  const notReady = (reason: string, message: string): ConditionUpdate => ({ type: CONDITION_NODE_CLASS_READY, status: 'False', reason, message });
  if ('inline' in nodeClass) return ready('the node class is inline (spec.provider)');
  if ('missing' in nodeClass) return notReady('NodeClassNotFound', `${nodeClass.missing} is not set: reference a node class`);
  const { ref, field } = nodeClass;
  const named = `${ref.kind} "${ref.name}"`;
  if (!isManagedNodeClass(support, ref)) return ready(`${ref.group}/${ref.kind} is not a node class kind the cloud provider manages; it launches without one`);
  const object = lookup(ref);
  if (!object) return notReady('NodeClassNotFound', `${named} not found on cluster: create it, or point ${field} at one that exists`);
  if (object.metadata.deletionTimestamp) return notReady('NodeClassTerminating', `${named} is terminating`);
  const verdict = support.nodeClassReadiness(object);
  if (!verdict.ready) return notReady(verdict.reason, verdict.message ? `${named}: ${verdict.message}` : `${named} is not ready`);
  return ready();
}
