import type { NodePool } from '../apis/index.js';
import type { Taint } from '../core/types.js';
import { allocatable } from '../instancetypes/allocatable.js';
import type { InstanceType } from '../instancetypes/types.js';
import { toResourceList } from '../quantity/convert.js';
import { subtractResources, type ResourceList } from '../quantity/resourcelist.js';
import { daemonSetOverhead, type DaemonSetPodInfo } from './daemonset-overhead.js';
import type { HostPort } from './host-ports.js';
import { instanceTypeCompatible, offeringAllowed } from './instance-type-filter.js';
import { LabelRequirement } from './requirement.js';
import { Requirements } from './requirements.js';
import { ALLOW_UNDEFINED_LABELS, LABEL_CAPACITY_TYPE, LABEL_NODEPOOL, LABEL_TOPOLOGY_ZONE, normalizeNodeLabels } from './well-known-labels.js';

/** An instance type as one NodePool may launch it, with the DaemonSet overhead of that pool on that type. */
export interface CandidateType {
  readonly instanceType: InstanceType;
  /** Normalised labels. */
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: ResourceList;
  /** capacity − reservations. */
  readonly allocatable: ResourceList;
  /** Requests of the DaemonSets that would run on this type in this pool. */
  readonly daemonOverhead: ResourceList;
  readonly daemonHostPorts: readonly HostPort[];
  /** allocatable − daemonOverhead: what pods of the round may use. */
  readonly available: ResourceList;
}

/**
 * A NodePool prepared for one round (Karpenter's NodeClaimTemplate): its requirements (spec requirements ∧
 * template labels ∧ `karpenter.sh/nodepool` ∧ the zones and capacity types its compatible types offer), taints,
 * and the instance types compatible with those requirements that have an allowed, available offering.
 */
export interface NodeClaimTemplate {
  readonly name: string;
  readonly nodePool: NodePool;
  readonly weight: number;
  readonly requirements: Requirements;
  /** `spec.template.metadata.labels`. */
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly startupTaints: readonly Taint[];
  /** Compatible types, in the order the provider listed them. */
  readonly types: readonly CandidateType[];
  /** How many types the provider listed for the pool before filtering. */
  readonly listedTypeCount: number;
  /** `spec.limits` in canonical units (`nodes` included), or undefined without limits. */
  readonly limits: ResourceList | undefined;
  /** Label keys a pod may require although the pool does not define them (well-known + the types' label keys). */
  allowUndefined(key: string): boolean;
}

/**
 * Builds the templates of a round, ordered as Karpenter tries NodePools (`NodePoolList.OrderByWeight` in
 * kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go): weight descending (unset = 0), then, among equal weights,
 * name DESCENDING (`zeta` before `alpha`) — not input order and not alphabetical. See docs/scheduling.md.
 * @throws QuantityParseError when a limit is malformed.
 */
export function buildNodeClaimTemplates(
  nodePools: readonly NodePool[],
  instanceTypes: Readonly<Record<string, readonly InstanceType[]>>,
  daemonSets: readonly DaemonSetPodInfo[],
): NodeClaimTemplate[] {
  return [...nodePools]
    .sort((a, b) => (b.spec.weight ?? 0) - (a.spec.weight ?? 0) || compareNames(b.metadata.name ?? '', a.metadata.name ?? ''))
    .map((np) => cachedTemplate(np, instanceTypes[np.metadata.name ?? ''] ?? NO_TYPES, daemonSets));
}

const NO_TYPES: readonly InstanceType[] = [];

/**
 * Templates already built, per NodePool object and instance-type list object, with the DaemonSets they were
 * built for: rounds over the same inputs (consolidation simulates one cluster many times; the controller
 * provisions with the same NodePools and types) filter the types once. NodePools and instance types are
 * values (never edited in place), like pods; WeakMaps, so entries go with them.
 */
const templateCache = new WeakMap<NodePool, WeakMap<readonly InstanceType[], { daemonSets: readonly DaemonSetPodInfo[]; template: NodeClaimTemplate }>>();

function cachedTemplate(nodePool: NodePool, listed: readonly InstanceType[], daemonSets: readonly DaemonSetPodInfo[]): NodeClaimTemplate {
  let byTypes = templateCache.get(nodePool);
  const known = byTypes?.get(listed);
  if (known && sameDaemonSets(known.daemonSets, daemonSets)) return known.template;
  const template = buildTemplate(nodePool, listed, daemonSets);
  if (!byTypes) {
    byTypes = new WeakMap();
    templateCache.set(nodePool, byTypes);
  }
  byTypes.set(listed, { daemonSets, template });
  return template;
}

/** Same DaemonSets for a template: same names and pod specs (the overhead and where they run come from those). */
function sameDaemonSets(a: readonly DaemonSetPodInfo[], b: readonly DaemonSetPodInfo[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as DaemonSetPodInfo;
    const y = b[i] as DaemonSetPodInfo;
    if (x.name !== y.name || x.pod.spec !== y.pod.spec) return false;
  }
  return true;
}

function buildTemplate(nodePool: NodePool, listed: readonly InstanceType[], daemonSets: readonly DaemonSetPodInfo[]): NodeClaimTemplate {
  const name = nodePool.metadata.name ?? '';
  const spec = nodePool.spec.template.spec;
  const labels = nodePool.spec.template.metadata?.labels ?? {};
  const requirements = Requirements.fromNodeSelectorRequirements(spec.requirements)
    .intersect(Requirements.fromLabels(labels))
    .with(LabelRequirement.in(LABEL_NODEPOOL, [name]));
  const taints: Taint[] = (spec.taints ?? []).map((t) => ({ ...t }));
  const startupTaints: Taint[] = (spec.startupTaints ?? []).map((t) => ({ ...t }));
  const typeKeys = new Set<string>();
  for (const t of listed) for (const key of Object.keys(normalizeNodeLabels(t.labels))) typeKeys.add(key);
  const allowUndefined = (key: string): boolean => ALLOW_UNDEFINED_LABELS.has(key) || typeKeys.has(key);
  const types: CandidateType[] = [];
  for (const instanceType of listed) {
    const typeLabels = normalizeNodeLabels(instanceType.labels);
    if (!instanceTypeCompatible(instanceType, typeLabels, requirements)) continue;
    const nodeRequirements = requirements.intersect(Requirements.fromLabels(typeLabels));
    const overhead = daemonSetOverhead(daemonSets, taints, nodeRequirements, allowUndefined);
    const alloc = allocatable(instanceType);
    types.push({
      instanceType,
      labels: typeLabels,
      capacity: instanceType.capacity,
      allocatable: alloc,
      daemonOverhead: overhead.requests,
      daemonHostPorts: overhead.hostPorts,
      available: subtractResources(alloc, overhead.requests),
    });
  }
  const limits = nodePool.spec.limits ? toResourceList(nodePool.spec.limits) : undefined;
  return { name, nodePool, weight: nodePool.spec.weight ?? 0, requirements: withOfferedDomains(requirements, types), labels, taints, startupTaints, types, listedTypeCount: listed.length, limits, allowUndefined };
}

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The requirements narrowed to the zones and capacity types the compatible types actually offer (available,
 * allowed), so that topology picks domains a launch can reach and explanations name real values.
 */
function withOfferedDomains(requirements: Requirements, types: readonly CandidateType[]): Requirements {
  const zones = new Set<string>();
  const capacityTypes = new Set<string>();
  for (const t of types) {
    for (const o of t.instanceType.offerings) {
      if (!offeringAllowed(o, requirements)) continue;
      zones.add(o.zone);
      capacityTypes.add(o.capacityType);
    }
  }
  return requirements.with(LabelRequirement.in(LABEL_TOPOLOGY_ZONE, [...zones].sort()), LabelRequirement.in(LABEL_CAPACITY_TYPE, [...capacityTypes].sort()));
}
