import type { CloudProvider, Condition } from '@karpenter-ts/provisioner-domain';
import type { KubeObject } from '../kube/client.js';

/** A node class kind as a NodePool's `nodeClassRef` names it (`karpenter.k8s.aws` / `EC2NodeClass`). */
export interface NodeClassKind {
  group: string;
  kind: string;
}

/** A node class object as the controller reads it: metadata plus, when its provider writes one, a status. */
export type NodeClassObject = KubeObject & { status?: { conditions?: Condition[] } & Record<string, unknown> };

/** Whether a node class object can be used now; when not, a CamelCase reason and a message for people. */
export type NodeClassReadiness = { ready: true } | { ready: false; reason: string; message: string };

/**
 * The node class side of a cloud provider (Karpenter's `CloudProvider.GetSupportedNodeClasses` plus the node
 * class's own `Ready` condition), kept beside the domain's `CloudProvider` port because only the controller
 * needs it. `nodepool.readiness` uses it to set a NodePool's `NodeClassReady` condition:
 * - a `nodeClassRef` whose group/kind is not in `supportedNodeClasses` is ready without any object (the
 *   provider launches without one);
 * - a supported kind must exist, must not be terminating, and `nodeClassReadiness` must say it is ready.
 */
export interface NodeClassSupport {
  /** Node class kinds this provider manages and the controller looks up. */
  readonly supportedNodeClasses: readonly NodeClassKind[];
  /** Judges an existing, not-terminating node class object of a supported kind. */
  nodeClassReadiness(nodeClass: NodeClassObject): NodeClassReadiness;
}

/** A provider that manages no node class kind: every `nodeClassRef` is ready. */
export const NO_MANAGED_NODE_CLASSES: NodeClassSupport = {
  supportedNodeClasses: [],
  nodeClassReadiness: () => ({ ready: true }),
};

/** True when `ref` names one of `support`'s kinds. */
export function isManagedNodeClass(support: NodeClassSupport, ref: NodeClassKind): boolean {
  return support.supportedNodeClasses.some((k) => k.group === ref.group && k.kind === ref.kind);
}

/**
 * The provider's node class side when it has one (structurally: `supportedNodeClasses` and
 * `nodeClassReadiness`), else {@link NO_MANAGED_NODE_CLASSES}.
 */
export function nodeClassSupportOf(provider: CloudProvider): NodeClassSupport {
  const candidate = provider as Partial<NodeClassSupport>;
  return Array.isArray(candidate.supportedNodeClasses) && typeof candidate.nodeClassReadiness === 'function'
    ? (provider as CloudProvider & NodeClassSupport)
    : NO_MANAGED_NODE_CLASSES;
}
