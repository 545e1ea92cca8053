import {
  CreateError,
  InsufficientCapacityError,
  LABEL_CAPACITY_TYPE,
  LABEL_HOSTNAME,
  LABEL_INSTANCE_TYPE,
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  NodeClaimNotFoundError,
  Requirements,
  TAINT_UNREGISTERED,
  allocatable,
  defaultCatalog,
  formatResourceList,
  shapeInstanceTypesByNodeClass,
  type CloudProvider,
  type EC2NodeClass,
  type InstanceType,
  type Node,
  type NodeClaim,
  type NodeClassReference,
  type NodePool,
  type Offering,
} from '@karpenter-ts/provisioner-domain';
import type { KubeClient } from '../../kube/client.js';
import { delay, systemClock, type Clock } from '../../kube/clock.js';
import { UnavailableOfferings } from '../unavailable-offerings.js';
import type { NodeClassKind, NodeClassObject, NodeClassReadiness, NodeClassSupport } from '../nodeclass.js';
import { isAlreadyExists, isNotFound } from '../../kube/errors.js';
import { resources } from '../../kube/resources.js';

/** Annotation (and label) KWOK selects the nodes it runs by. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
/** Provider ID scheme of simulated instances: `kwok://<node name>`. */
export const PROVIDER_ID_PREFIX = 'kwok://';
/** Image ID reported for simulated instances. */
export const SIMULATED_IMAGE_ID = 'simulated://pause';

/** Injected launch failures (for tests of what a real cloud does: throttling, outages, capacity errors). */
export interface SimulatedLaunchFailures {
  /** The first `firstCreates` calls of `create` fail. Default 0. */
  firstCreates?: number;
  /** Afterwards, each call fails with this probability (0..1), drawn from a generator seeded with `seed`. Default 0. */
  rate?: number;
  /** Seed of the failure draws, so a run can be repeated. Default 1. */
  seed?: number;
  /**
   * `error`: a CreateError (reason LaunchFailed), as an API outage or throttling; `insufficient-capacity`: an
   * InsufficientCapacityError naming the offering it would have launched, which is then marked unavailable.
   * Default `error`.
   */
  kind?: 'error' | 'insufficient-capacity';
}

export interface SimulatedCloudProviderOptions {
  client: KubeClient;
  /** Instance types offered; default the domain's `defaultCatalog()` (Karpenter's kwok provider catalog). */
  instanceTypes?: readonly InstanceType[];
  /** Time source for the delays and the unavailable-offerings cache. Default the system clock. */
  clock?: Clock;
  /** `create` takes this long before the instance exists (a cloud API's launch latency), ms. Default 0. */
  launchDelayMs?: number;
  /**
   * A launched instance boots for this long before its Node registers (and KWOK makes it Ready at once), ms.
   * Default 0. Meanwhile the instance exists for `get`, `list` and `delete` (which cancels the boot) but has no
   * Node. Booting instances live in this process only: after a restart their NodeClaims' instances are gone,
   * and garbage collection deletes those NodeClaims so that their pods are provisioned again.
   */
  readyDelayMs?: number;
  failures?: SimulatedLaunchFailures;
  /** The ICE cache; default a new one on `clock`. */
  unavailableOfferings?: UnavailableOfferings;
  /**
   * Looks up the EC2NodeClass a NodePool or NodeClaim references (e.g. from the controller's informer cache).
   * When it returns one, the offered types are shaped by it (`shapeInstanceTypesByNodeClass`: OS of the AMI
   * family, root volume size as ephemeral-storage, kubelet maxPods/podsPerCore/reservations/eviction), as the
   * AWS provider shapes its instance types; without it, or when it returns undefined, the catalog is offered as is.
   */
  nodeClass?: (ref: NodeClassReference) => EC2NodeClass | undefined;
}

/** One launch decision: an instance type and its offering. */
interface Pick {
  instanceType: InstanceType;
  offering: Offering;
}

/**
 * A CloudProvider whose instances are Node objects in the cluster itself, run by KWOK (mirrors Karpenter's kwok
 * provider). `create` picks the cheapest available offering allowed by the NodeClaim's requirements and creates
 * a Node named after the NodeClaim, with providerID `kwok://<name>`, the `kwok.x-k8s.io/node: fake` annotation
 * and label, the instance type's labels, zone, capacity type, NodePool and template labels, hostname,
 * status capacity/allocatable, and the `karpenter.sh/unregistered:NoExecute` taint that registration removes.
 * `delete` deletes that Node. Errors follow the CloudProvider contract.
 *
 * Knobs for tests of a slow or failing cloud (see {@link SimulatedCloudProviderOptions}): a launch delay, a
 * boot time before the Node registers and turns Ready, and injected launch failures (the first N creates, or a seeded failure rate; outage errors or
 * capacity errors). Capacity errors mark the offering unavailable in the {@link UnavailableOfferings} cache for
 * 3 minutes; `getInstanceTypes` reports cached offerings `available: false` and `create` never picks them.
 *
 * Node classes (its {@link NodeClassSupport}): the simulated provider stands in for AWS, so it manages
 * `karpenter.k8s.aws/EC2NodeClass` — the kind the seed NodePools and `karpenter-ts convert` output reference —
 * and treats such a node class as ready when the object exists and is not being deleted. There are no
 * subnets, security groups or AMIs to resolve, and no controller in this process writes EC2NodeClass status, so
 * the object's existence is what counts; only an explicit `Ready=False` condition in its status (written by
 * someone simulating a broken node class) makes it not ready. A `nodeClassRef` of any other kind (e.g. Karpenter
 * kwok's `karpenter.kwok.sh/KWOKNodeClass`) is not managed here and is ready without an object: the simulated
 * provider launches from the NodePool alone.
 */
export class SimulatedCloudProvider implements CloudProvider, NodeClassSupport {
  readonly name = 'simulated';
  readonly supportedNodeClasses: readonly NodeClassKind[] = [{ group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' }];
  private readonly client: KubeClient;
  private readonly catalog: readonly InstanceType[];
  private readonly byName: ReadonlyMap<string, InstanceType>;
  private readonly clock: Clock;
  private readonly launchDelayMs: number;
  private readonly readyDelayMs: number;
  private readonly failures: Required<SimulatedLaunchFailures>;
  private readonly random: () => number;
  private createCalls = 0;
  /** Instances still booting (readyDelayMs): their Node, created when the boot timer fires. */
  private readonly booting = new Map<string, { node: Node; cancel: () => void }>();
  readonly unavailableOfferings: UnavailableOfferings;
  private readonly nodeClass: ((ref: NodeClassReference) => EC2NodeClass | undefined) | undefined;

  constructor(options: SimulatedCloudProviderOptions) {
    this.client = options.client;
    this.catalog = options.instanceTypes ?? defaultCatalog();
    this.byName = new Map(this.catalog.map((it) => [it.name, it]));
    this.clock = options.clock ?? systemClock;
    this.launchDelayMs = options.launchDelayMs ?? 0;
    this.readyDelayMs = options.readyDelayMs ?? 0;
    this.failures = { firstCreates: 0, rate: 0, seed: 1, kind: 'error', ...options.failures };
    this.random = mulberry32(this.failures.seed);
    this.unavailableOfferings = options.unavailableOfferings ?? new UnavailableOfferings({ clock: this.clock });
    this.nodeClass = options.nodeClass;
  }

  async getInstanceTypes(nodePool: NodePool): Promise<InstanceType[]> {
    return this.unavailableOfferings.apply(this.typesFor(nodePool.spec.template.spec.nodeClassRef));
  }

  /** The catalog as a node class shapes it (see `SimulatedCloudProviderOptions.nodeClass`). */
  private typesFor(ref: NodeClassReference | undefined): InstanceType[] {
    const nodeClass = ref && this.nodeClass ? this.nodeClass(ref) : undefined;
    return shapeInstanceTypesByNodeClass(this.catalog, nodeClass);
  }

  async create(nodeClaim: NodeClaim): Promise<NodeClaim> {
    const name = nodeClaim.metadata.name;
    if (!name) throw new CreateError('NodeClaim has no name', 'InvalidNodeClaim');
    const call = ++this.createCalls;
    if (this.launchDelayMs > 0) await delay(this.clock, this.launchDelayMs);
    const pick = this.pick(nodeClaim);
    this.injectFailure(call, name, pick);
    const node = this.nodeFor(nodeClaim, name, pick);
    if (this.readyDelayMs > 0) return this.boot(node, nodeClaim);
    let created: Node;
    try {
      created = await this.client.create<Node>(resources.nodes, node);
    } catch (error) {
      if (!isAlreadyExists(error)) throw new CreateError(`creating node ${name}: ${(error as Error).message}`, 'LaunchFailed', { cause: error });
      // A launch that was interrupted after the Node was created: the instance exists, report it.
      created = await this.client.get<Node>(resources.nodes, name);
    }
    return this.asNodeClaim(created, nodeClaim);
  }

  /** Starts a booting instance whose Node registers after readyDelayMs; idempotent per name. */
  private async boot(node: Node, nodeClaim: NodeClaim): Promise<NodeClaim> {
    const name = node.metadata.name ?? '';
    const existing = this.booting.get(name)?.node ?? (await this.client.get<Node>(resources.nodes, name).catch(() => undefined));
    if (existing) return this.asNodeClaim(existing, nodeClaim);
    node.metadata.creationTimestamp = new Date(this.clock.now()).toISOString();
    const cancel = this.clock.setTimer(() => {
      this.booting.delete(name);
      void this.client.create<Node>(resources.nodes, node).catch(() => undefined);
    }, this.readyDelayMs);
    this.booting.set(name, { node, cancel });
    return this.asNodeClaim(node, nodeClaim);
  }

  /** Throws the configured injected failure for create call number `call`, if it is one. */
  private injectFailure(call: number, name: string, pick: Pick): void {
    const { firstCreates, rate, kind } = this.failures;
    const fails = call <= firstCreates || (rate > 0 && this.random() < rate);
    if (!fails) return;
    if (kind === 'insufficient-capacity') {
      const offering = { instanceType: pick.instanceType.name, zone: pick.offering.zone, capacityType: pick.offering.capacityType };
      this.unavailableOfferings.markUnavailable(offering);
      throw new InsufficientCapacityError(`simulated insufficient capacity for ${offering.instanceType} in ${offering.zone} (${offering.capacityType}), launching ${name}`, [offering]);
    }
    throw new CreateError(`simulated launch failure (create call ${call}) for ${name}`, 'LaunchFailed');
  }

  async delete(nodeClaim: NodeClaim): Promise<void> {
    const nodeName = nodeNameOf(nodeClaim.status?.providerID) ?? nodeClaim.metadata.name;
    if (!nodeName) throw new NodeClaimNotFoundError('NodeClaim has no providerID');
    const booting = this.booting.get(nodeName);
    if (booting) {
      booting.cancel();
      this.booting.delete(nodeName);
      return;
    }
    try {
      await this.client.delete(resources.nodes, nodeName);
    } catch (error) {
      if (isNotFound(error)) throw new NodeClaimNotFoundError(`instance ${PROVIDER_ID_PREFIX}${nodeName} not found`, { cause: error });
      throw error;
    }
  }

  async get(providerID: string): Promise<NodeClaim> {
    const nodeName = nodeNameOf(providerID);
    if (!nodeName) throw new NodeClaimNotFoundError(`providerID ${providerID} is not a simulated instance`);
    const booting = this.booting.get(nodeName);
    if (booting) return this.asNodeClaim(booting.node);
    try {
      return this.asNodeClaim(await this.client.get<Node>(resources.nodes, nodeName));
    } catch (error) {
      if (isNotFound(error)) throw new NodeClaimNotFoundError(`instance ${providerID} not found`, { cause: error });
      throw error;
    }
  }

  async list(): Promise<NodeClaim[]> {
    const { items } = await this.client.list<Node>(resources.nodes, { labelSelector: `${KWOK_NODE_ANNOTATION}=fake,${LABEL_NODEPOOL}` });
    const booting = [...this.booting.values()].map((b) => b.node).filter((n) => !items.some((i) => i.metadata.name === n.metadata.name));
    return [...items, ...booting].filter((n) => n.spec?.providerID?.startsWith(PROVIDER_ID_PREFIX)).map((n) => this.asNodeClaim(n));
  }

  async isDrifted(_nodeClaim: NodeClaim): Promise<string | undefined> {
    return undefined;
  }

  /** Ready unless its status carries `Ready=False` (see the class doc). */
  nodeClassReadiness(nodeClass: NodeClassObject): NodeClassReadiness {
    const ready = nodeClass.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'False') return { ready: false, reason: ready.reason || 'NodeClassNotReady', message: ready.message ?? '' };
    return { ready: true };
  }

  /** The cheapest available offering of an instance type that the NodeClaim's requirements allow. */
  private pick(nodeClaim: NodeClaim): Pick {
    const reqs = Requirements.fromNodeSelectorRequirements(nodeClaim.spec.requirements);
    let best: Pick | undefined;
    const tried: { instanceType: string; zone: string; capacityType: string }[] = [];
    for (const instanceType of this.typesFor(nodeClaim.spec.nodeClassRef)) {
      for (const offering of instanceType.offerings) {
        const labels = { ...instanceType.labels, [LABEL_TOPOLOGY_ZONE]: offering.zone, [LABEL_CAPACITY_TYPE]: offering.capacityType };
        if (Requirements.fromLabels(labels).intersects(reqs) !== undefined) continue;
        tried.push({ instanceType: instanceType.name, zone: offering.zone, capacityType: offering.capacityType });
        if (!offering.available || this.unavailableOfferings.isUnavailable({ instanceType: instanceType.name, zone: offering.zone, capacityType: offering.capacityType })) continue;
        if (!best || offering.pricePerHour < best.offering.pricePerHour) best = { instanceType, offering };
      }
    }
    if (!best) throw new InsufficientCapacityError(`no available offering matches the requirements of ${nodeClaim.metadata.name ?? ''}`, tried);
    return best;
  }

  private nodeFor(nodeClaim: NodeClaim, name: string, pick: Pick): Node {
    const reqs = Requirements.fromNodeSelectorRequirements(nodeClaim.spec.requirements);
    const labels: Record<string, string> = {
      ...reqs.singleValueLabels(),
      ...pick.instanceType.labels,
      ...(nodeClaim.metadata.labels ?? {}),
      [LABEL_INSTANCE_TYPE]: pick.instanceType.name,
      [LABEL_TOPOLOGY_ZONE]: pick.offering.zone,
      [LABEL_CAPACITY_TYPE]: pick.offering.capacityType,
      [LABEL_HOSTNAME]: name,
      [KWOK_NODE_ANNOTATION]: 'fake',
    };
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels, annotations: { [KWOK_NODE_ANNOTATION]: 'fake' } },
      spec: { providerID: `${PROVIDER_ID_PREFIX}${name}`, taints: [{ key: TAINT_UNREGISTERED.key, effect: TAINT_UNREGISTERED.effect }] },
      status: {
        capacity: formatResourceList(pick.instanceType.capacity),
        allocatable: formatResourceList(allocatable(pick.instanceType)),
        phase: 'Pending',
      },
    };
  }

  /** The instance behind a Node, described as a NodeClaim (status, resolved labels). */
  private asNodeClaim(node: Node, base?: NodeClaim): NodeClaim {
    const labels = node.metadata.labels ?? {};
    const instanceType = this.byName.get(labels[LABEL_INSTANCE_TYPE] ?? '');
    const resolved: Record<string, string> = {};
    for (const key of [LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE, LABEL_CAPACITY_TYPE, ...Object.keys(instanceType?.labels ?? {})]) {
      const value = labels[key];
      if (value !== undefined) resolved[key] = value;
    }
    const claim: NodeClaim = base ?? {
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      // The instance's launch time is its Node's creation (garbage collection's grace period counts from it).
      metadata: { name: node.metadata.name ?? '', labels: {}, ...(node.metadata.creationTimestamp ? { creationTimestamp: new Date(node.metadata.creationTimestamp).toISOString() } : {}) },
      spec: { requirements: [], nodeClassRef: { group: 'karpenter.kwok.sh', kind: 'KWOKNodeClass', name: 'default' } },
    };
    return {
      ...claim,
      metadata: { ...claim.metadata, labels: { ...(claim.metadata.labels ?? {}), ...resolved } },
      status: {
        ...(claim.status ?? {}),
        providerID: node.spec?.providerID ?? `${PROVIDER_ID_PREFIX}${node.metadata.name ?? ''}`,
        imageID: SIMULATED_IMAGE_ID,
        capacity: stringMap(node.status?.capacity),
        allocatable: stringMap(node.status?.allocatable),
      },
    };
  }
}

function nodeNameOf(providerID: string | undefined): string | undefined {
  return providerID?.startsWith(PROVIDER_ID_PREFIX) ? providerID.slice(PROVIDER_ID_PREFIX.length) : undefined;
}

function stringMap(map: Readonly<Record<string, string | number>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = String(v);
  return out;
}

/** A small seeded PRNG (mulberry32): uniform [0, 1), the same sequence for the same seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
