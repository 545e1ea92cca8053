/**
 * Informer transforms: what an {@link Informer} keeps of each object it caches (client-go's
 * `SharedInformer.SetTransform`, which Karpenter and most controllers use to drop `managedFields`).
 *
 * Caches hold every Pod and Node of the cluster, so their size is the controller's memory (DESIGN §6: RSS
 * under 150 MB at 1,000 pods, 500 MB at 20,000). A transform runs once per list item and watch event, before
 * the object is stored and handed to handlers; it returns a new object and never mutates its input.
 *
 * - Every kind ({@link trimMetadata}): drops `metadata.managedFields` (server-side apply bookkeeping, often
 *   the largest part of an object), the `kubectl.kubernetes.io/last-applied-configuration` annotation (a
 *   second copy of the object) and every other metadata field the domain's `ObjectMeta` does not declare.
 * - Pods ({@link trimPod}): keeps exactly the fields of the domain's `Pod` type, which are all the controller
 *   and the scheduler read: scheduling constraints, volumes, container `name`/`resources`/`ports`/
 *   `restartPolicy`, status `phase`/`conditions`/`nominatedNodeName`. Dropped: container images, commands,
 *   env, probes, mounts, security contexts, container statuses, IPs, QoS class and the like.
 * - Nodes ({@link trimNode}): keeps `spec.providerID/taints/unschedulable/podCIDR` and status
 *   `capacity/allocatable/conditions/phase`. Dropped: `status.images` (large on real nodes), `nodeInfo`,
 *   `addresses`, `daemonEndpoints`, attached volumes.
 * - Namespaces ({@link trimNamespace}): name, uid, resourceVersion and labels (the API's team label).
 * - Other kinds (NodePools, NodeClaims, DaemonSets, node classes): metadata only; they are few, and their
 *   specs are read whole.
 *
 * Cached objects are therefore partial: never write one back with PUT (`replace`); patch the fields you mean
 * to change, as every controller does.
 */
import type { Container, Namespace, Node, ObjectMeta, Pod } from '@karpenter-ts/provisioner-domain';
import type { KubeObject } from './client.js';

/** Maps an object read from the API server to what the cache keeps. Pure; must not mutate its input. */
export type InformerTransform<T extends KubeObject> = (object: T) => T;

/** Annotation `kubectl apply` writes: the whole last applied manifest, never read by the controller. */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

const METADATA_KEYS = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
] as const satisfies readonly (keyof ObjectMeta)[];

const POD_SPEC_KEYS = [
  'nodeName',
  'nodeSelector',
  'affinity',
  'tolerations',
  'topologySpreadConstraints',
  'overhead',
  'priority',
  'priorityClassName',
  'schedulerName',
  'volumes',
  'hostNetwork',
  'terminationGracePeriodSeconds',
] as const satisfies readonly (keyof Pod['spec'])[];

const CONTAINER_KEYS = ['name', 'resources', 'ports', 'restartPolicy'] as const satisfies readonly (keyof Container)[];
const POD_STATUS_KEYS = ['phase', 'conditions', 'nominatedNodeName'] as const satisfies readonly (keyof NonNullable<Pod['status']>)[];
const NODE_SPEC_KEYS = ['providerID', 'taints', 'unschedulable', 'podCIDR'] as const satisfies readonly (keyof NonNullable<Node['spec']>)[];
const NODE_STATUS_KEYS = ['capacity', 'allocatable', 'conditions', 'phase'] as const satisfies readonly (keyof NonNullable<Node['status']>)[];

/** The declared `ObjectMeta` fields of `metadata`, without the last-applied-configuration annotation. */
export function trimMetadata(metadata: ObjectMeta): ObjectMeta {
  const out = pick(metadata, METADATA_KEYS);
  if (out.annotations && LAST_APPLIED_ANNOTATION in out.annotations) {
    const { [LAST_APPLIED_ANNOTATION]: _dropped, ...annotations } = out.annotations;
    out.annotations = annotations;
  }
  return out;
}

/** Any object with {@link trimMetadata} applied; everything outside `metadata` is kept as is. */
export function trimObject<T extends KubeObject>(object: T): T {
  return { ...object, metadata: trimMetadata(object.metadata) };
}

/** A Pod reduced to the fields of the domain's `Pod` type (see the module doc). */
export function trimPod(pod: Pod): Pod {
  const spec: Pod['spec'] = { ...pick(pod.spec, POD_SPEC_KEYS), containers: (pod.spec.containers ?? []).map(trimContainer) };
  if (pod.spec.initContainers) spec.initContainers = pod.spec.initContainers.map(trimContainer);
  const out: Pod = { metadata: trimMetadata(pod.metadata), spec };
  if (pod.apiVersion !== undefined) out.apiVersion = pod.apiVersion;
  if (pod.kind !== undefined) out.kind = pod.kind;
  if (pod.status) out.status = pick(pod.status, POD_STATUS_KEYS);
  return out;
}

/** A Node reduced to the fields of the domain's `Node` type (see the module doc). */
export function trimNode(node: Node): Node {
  const out: Node = { metadata: trimMetadata(node.metadata) };
  if (node.apiVersion !== undefined) out.apiVersion = node.apiVersion;
  if (node.kind !== undefined) out.kind = node.kind;
  if (node.spec) out.spec = pick(node.spec, NODE_SPEC_KEYS);
  if (node.status) out.status = pick(node.status, NODE_STATUS_KEYS);
  return out;
}

/**
 * A Namespace reduced to its name, uid, resourceVersion and labels: the API reads only its team label
 * (annotations, finalizers, spec and status are dropped).
 */
export function trimNamespace(namespace: Namespace): Namespace {
  const { name, uid, resourceVersion, labels } = namespace.metadata;
  const metadata: ObjectMeta = {};
  if (name !== undefined) metadata.name = name;
  if (uid !== undefined) metadata.uid = uid;
  if (resourceVersion !== undefined) metadata.resourceVersion = resourceVersion;
  if (labels !== undefined) metadata.labels = labels;
  return { metadata };
}

function trimContainer(container: Container): Container {
  return pick(container, CONTAINER_KEYS) as Container;
}

/** The listed keys of `source` that are present (not undefined), in a new object. */
function pick<S extends object, K extends keyof S>(source: S, keys: readonly K[]): Pick<S, K> {
  const out = {} as Pick<S, K>;
  for (const key of keys) {
    if (source[key] !== undefined) out[key] = source[key];
  }
  return out;
}
