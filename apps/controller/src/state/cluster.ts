import { isProvisionable, isTerminalPod, type DaemonSet, type EC2NodeClass, type LimitRange, type Namespace, type Node, type NodeClaim, type NodeClassReference, type NodePool, type Pod, type PodDisruptionBudget, type Provisioner } from '@karpenter-ts/provisioner-domain';
import { objectKey, type KubeObject } from '../kube/client.js';
import type { Informer } from '../kube/informer.js';
import { resolveNodePools, type ResolvedNodePool } from './nodepools.js';
import { isGoingAway } from './going-away.js';

/** The informers the cluster state reads. */
export interface ClusterInformers {
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  nodeClaims: Informer<NodeClaim>;
  nodePools: Informer<NodePool>;
  provisioners: Informer<Provisioner>;
  daemonSets: Informer<DaemonSet>;
  /** karpenter.k8s.aws/v1 EC2NodeClasses (node classes NodePools reference; empty when the CRD is not installed). */
  ec2NodeClasses: Informer<EC2NodeClass>;
  /** LimitRanges: their Container defaults apply to DaemonSet pod templates when overhead is computed. */
  limitRanges: Informer<LimitRange>;
  /** Namespaces, trimmed to name and labels (the read-only API's team label). */
  namespaces: Informer<Namespace>;
  /** PodDisruptionBudgets (issue 12): consolidation plans no move a budget would refuse. */
  podDisruptionBudgets: Informer<PodDisruptionBudget>;
}

/**
 * The controller's view of the cluster, read from informer caches: pods by node, nodes and NodeClaims by
 * providerID, pending pods and the resolved NodePools. Indexes follow informer events, so every read is
 * from memory and reflects our own writes as soon as they are `assume`d into the caches.
 */
export class ClusterState {
  private readonly podsByNode = new Map<string, Map<string, Pod>>();
  private readonly nodeNameByProviderID = new Map<string, string>();
  private readonly claimNameByProviderID = new Map<string, string>();
  /** Node or NodeClaim name → until when (ms) and for which pods it is nominated. */
  private readonly nominations = new Map<string, { untilMs: number; pods: Set<string> }>();
  /** Pod key (namespace/name) → when (ms) the provisioner first found it a place (dropped when bound or deleted). */
  private readonly schedulableSinceMs = new Map<string, number>();
  /** NodeClaim name → when (ms) its instance's termination was first requested (dropped when the NodeClaim goes). */
  private readonly instanceTerminationSinceMs = new Map<string, number>();

  constructor(readonly informers: ClusterInformers) {
    informers.pods.on({
      onAdd: (pod) => this.indexPod(undefined, pod),
      onUpdate: (previous, pod) => this.indexPod(previous, pod),
      onDelete: (pod) => this.indexPod(pod, undefined),
    });
    informers.nodes.on({
      onAdd: (node) => this.indexProvider(this.nodeNameByProviderID, undefined, node.spec?.providerID, node.metadata.name),
      onUpdate: (prev, node) => this.indexProvider(this.nodeNameByProviderID, prev.spec?.providerID, node.spec?.providerID, node.metadata.name),
      onDelete: (node) => this.indexProvider(this.nodeNameByProviderID, node.spec?.providerID, undefined, node.metadata.name),
    });
    informers.nodeClaims.on({
      onAdd: (c) => this.indexProvider(this.claimNameByProviderID, undefined, c.status?.providerID, c.metadata.name),
      onUpdate: (prev, c) => this.indexProvider(this.claimNameByProviderID, prev.status?.providerID, c.status?.providerID, c.metadata.name),
      onDelete: (c) => {
        this.indexProvider(this.claimNameByProviderID, c.status?.providerID, undefined, c.metadata.name);
        if (c.metadata.name) this.instanceTerminationSinceMs.delete(c.metadata.name);
      },
    });
  }

  /** True once every informer has listed. */
  get synced(): boolean {
    return allInformers(this.informers).every((i) => i.synced);
  }

  pods(): Pod[] {
    return this.informers.pods.list();
  }

  /** Pods bound to `nodeName` that still hold resources (not Succeeded/Failed). */
  podsOnNode(nodeName: string): Pod[] {
    return [...(this.podsByNode.get(nodeName)?.values() ?? [])].filter((p) => !isTerminalPod(p));
  }

  nodes(): Node[] {
    return this.informers.nodes.list();
  }

  node(name: string): Node | undefined {
    return this.informers.nodes.get(name);
  }

  nodeClaims(): NodeClaim[] {
    return this.informers.nodeClaims.list();
  }

  nodeClaim(name: string): NodeClaim | undefined {
    return this.informers.nodeClaims.get(name);
  }

  /** A Namespace by name (trimmed: name and labels). */
  namespace(name: string): Namespace | undefined {
    return this.informers.namespaces.get(name);
  }

  /** Every Namespace (trimmed: name and labels). */
  namespaces(): Namespace[] {
    return this.informers.namespaces.list();
  }

  daemonSets(): DaemonSet[] {
    return this.informers.daemonSets.list();
  }

  limitRanges(): LimitRange[] {
    return this.informers.limitRanges.list();
  }

  podDisruptionBudgets(): PodDisruptionBudget[] {
    return this.informers.podDisruptionBudgets.list();
  }

  /**
   * The node class object a NodePool's `nodeClassRef` names, for the kinds the controller watches
   * (karpenter.k8s.aws EC2NodeClass); `undefined` when it does not exist or its kind is not watched.
   */
  nodeClass(ref: NodeClassReference): EC2NodeClass | undefined {
    const type = this.informers.ec2NodeClasses.type;
    if (ref.group !== type.group || ref.kind !== type.kind) return undefined;
    return this.informers.ec2NodeClasses.get(ref.name);
  }

  /** The Node whose spec.providerID is the NodeClaim's status.providerID. */
  nodeForNodeClaim(claim: NodeClaim): Node | undefined {
    const id = claim.status?.providerID;
    if (!id) return undefined;
    const name = this.nodeNameByProviderID.get(id);
    return name === undefined ? undefined : this.informers.nodes.get(name);
  }

  /** The NodeClaim whose status.providerID is the Node's spec.providerID. */
  nodeClaimForNode(node: Node): NodeClaim | undefined {
    const id = node.spec?.providerID;
    if (!id) return undefined;
    const name = this.claimNameByProviderID.get(id);
    return name === undefined ? undefined : this.informers.nodeClaims.get(name);
  }

  /** Pods waiting for capacity (the domain's `isProvisionable`, after Karpenter's `IsProvisionable`). */
  pendingPods(): Pod[] {
    return this.informers.pods.list().filter(isProvisionable);
  }

  /** NodePools and converted Provisioners, defaults applied. */
  nodePools(): { pools: ResolvedNodePool[]; conflicts: string[] } {
    return resolveNodePools(this.informers.nodePools.list(), this.informers.provisioners.list());
  }

  nodePool(name: string): ResolvedNodePool | undefined {
    return this.nodePools().pools.find((p) => p.name === name);
  }

  /**
   * Marks a node (or in-flight NodeClaim) as the place the provisioner expects `podKeys` (namespace/name) to
   * land, until `untilMs` (Karpenter's nomination window, max(2 × BATCH_MAX_DURATION, 10 s)). Disruption leaves
   * nominated nodes alone: they are empty only because kube-scheduler has not bound their pods yet.
   */
  nominate(name: string, podKeys: readonly string[], untilMs: number): void {
    const current = this.nominations.get(name);
    this.nominations.set(name, { untilMs: Math.max(untilMs, current?.untilMs ?? 0), pods: new Set([...(current?.pods ?? []), ...podKeys]) });
  }

  /**
   * True while `name` is nominated: the window has not lapsed and at least one nominated pod still exists
   * unbound or on a node that is going away (once they are all bound elsewhere or gone, the nomination has
   * served its purpose). Lapsed nominations are
   * dropped as they are read.
   */
  isNominated(name: string, nowMs: number): boolean {
    const nomination = this.nominations.get(name);
    if (!nomination) return false;
    const waiting = [...nomination.pods].some((key) => {
      const pod = this.informers.pods.get(key);
      if (pod === undefined) return false;
      // Unbound, or still on a node that is going away (nominated as replacement capacity for it).
      const node = pod.spec.nodeName ? this.informers.nodes.get(pod.spec.nodeName) : undefined;
      return !pod.spec.nodeName || (node !== undefined && isGoingAway(node));
    });
    if (nomination.untilMs > nowMs && waiting) return true;
    this.nominations.delete(name);
    return false;
  }

  /**
   * Records that the provisioner found the pods (namespace/name keys) a place at `nowMs`, unless it already had
   * (Karpenter's `Cluster.MarkPodSchedulingDecisions`: the first decision counts). Read back with
   * {@link takeSchedulableSince} when the pod binds, for `karpenter_pods_provisioning_bound_duration_seconds`.
   */
  markPodsSchedulable(podKeys: readonly string[], nowMs: number): void {
    for (const key of podKeys) if (!this.schedulableSinceMs.has(key)) this.schedulableSinceMs.set(key, nowMs);
  }

  /** When (ms) the provisioner first found `podKey` a place, forgetting it; `undefined` when it never did. */
  takeSchedulableSince(podKey: string): number | undefined {
    const since = this.schedulableSinceMs.get(podKey);
    this.schedulableSinceMs.delete(podKey);
    return since;
  }

  /**
   * Records the first termination request of a NodeClaim's instance at `nowMs` (Karpenter sets the
   * NodeClaim's `InstanceTerminating` condition then); read back with {@link takeInstanceTerminationSince}
   * once the cloud provider reports the instance gone.
   */
  markInstanceTerminating(nodeClaimName: string, nowMs: number): void {
    if (!this.instanceTerminationSinceMs.has(nodeClaimName)) this.instanceTerminationSinceMs.set(nodeClaimName, nowMs);
  }

  /** When (ms) the instance's termination was first requested, forgetting it; `undefined` when never recorded. */
  takeInstanceTerminationSince(nodeClaimName: string): number | undefined {
    const since = this.instanceTerminationSinceMs.get(nodeClaimName);
    this.instanceTerminationSinceMs.delete(nodeClaimName);
    return since;
  }

  private indexPod(previous: Pod | undefined, pod: Pod | undefined): void {
    if (previous && !pod) this.schedulableSinceMs.delete(objectKey(previous));
    const prevNode = previous?.spec.nodeName;
    if (previous && prevNode) this.podsByNode.get(prevNode)?.delete(objectKey(previous));
    if (prevNode && this.podsByNode.get(prevNode)?.size === 0) this.podsByNode.delete(prevNode);
    const nodeName = pod?.spec.nodeName;
    if (pod && nodeName) {
      let bucket = this.podsByNode.get(nodeName);
      if (!bucket) {
        bucket = new Map();
        this.podsByNode.set(nodeName, bucket);
      }
      bucket.set(objectKey(pod), pod);
    }
  }

  private indexProvider(index: Map<string, string>, previousID: string | undefined, id: string | undefined, name: string | undefined): void {
    if (previousID && previousID !== id && index.get(previousID) === name) index.delete(previousID);
    if (id && name) index.set(id, name);
  }
}

/** The informers as one list (for starting, stopping and sync checks). */
export function allInformers(informers: ClusterInformers): Informer<KubeObject>[] {
  return Object.values(informers) as unknown as Informer<KubeObject>[];
}
