/**
 * Well-known label, annotation, taint and finalizer names of Karpenter (karpenter.sh/v1) and of its AWS
 * provider (karpenter.k8s.aws/v1), and the rules that decide which label keys a NodePool may set.
 *
 * Mirrors Karpenter: the restricted domains are `kubernetes.io`, `k8s.io` and `karpenter.sh` (plus
 * `karpenter.k8s.aws` for the AWS provider); keys under `node.kubernetes.io`, `node-restriction.kubernetes.io`
 * and `kops.k8s.io` are exempt; the well-known labels are allowed in requirements; `kubernetes.io/hostname`
 * is always restricted; beta aliases (`beta.kubernetes.io/arch`, `failure-domain.beta.kubernetes.io/zone`, ...)
 * are normalised to their stable names.
 */

/** API group of NodePool and NodeClaim. */
export const KARPENTER_GROUP = 'karpenter.sh';
/** API group of EC2NodeClass and AWSNodeTemplate. */
export const AWS_GROUP = 'karpenter.k8s.aws';
/** Group used by Karpenter for compatibility annotations (`compatibility.karpenter.sh/provider`). */
export const COMPATIBILITY_GROUP = 'compatibility.karpenter.sh';

// Karpenter labels
export const LABEL_NODEPOOL = 'karpenter.sh/nodepool';
export const LABEL_CAPACITY_TYPE = 'karpenter.sh/capacity-type';
export const LABEL_NODE_INITIALIZED = 'karpenter.sh/initialized';
export const LABEL_NODE_REGISTERED = 'karpenter.sh/registered';
/** v1alpha5 label naming the Provisioner that launched a node. */
export const LABEL_PROVISIONER_NAME = 'karpenter.sh/provisioner-name';

// Kubernetes well-known labels (stable names)
export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_INSTANCE_TYPE = 'node.kubernetes.io/instance-type';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
export const LABEL_WINDOWS_BUILD = 'node.kubernetes.io/windows-build';

// Kubernetes deprecated beta aliases
export const LABEL_ARCH_BETA = 'beta.kubernetes.io/arch';
export const LABEL_OS_BETA = 'beta.kubernetes.io/os';
export const LABEL_INSTANCE_TYPE_BETA = 'beta.kubernetes.io/instance-type';
export const LABEL_ZONE_BETA = 'failure-domain.beta.kubernetes.io/zone';
export const LABEL_REGION_BETA = 'failure-domain.beta.kubernetes.io/region';

// Annotations
export const ANNOTATION_DO_NOT_DISRUPT = 'karpenter.sh/do-not-disrupt';
export const ANNOTATION_NODEPOOL_HASH = 'karpenter.sh/nodepool-hash';
export const ANNOTATION_NODEPOOL_HASH_VERSION = 'karpenter.sh/nodepool-hash-version';
export const ANNOTATION_NODECLAIM_TERMINATION_TIMESTAMP = 'karpenter.sh/nodeclaim-termination-timestamp';
/** v1alpha5: the pre-v1 spelling of do-not-disrupt on pods. */
export const ANNOTATION_DO_NOT_EVICT = 'karpenter.sh/do-not-evict';
/** v1alpha5: the pre-v1 node annotation that kept a node from consolidation. */
export const ANNOTATION_DO_NOT_CONSOLIDATE = 'karpenter.sh/do-not-consolidate';

/** Finalizer on Nodes and NodeClaims that Karpenter removes after the drain and the instance deletion. */
export const FINALIZER_TERMINATION = 'karpenter.sh/termination';

/** Capacity types. */
export const CAPACITY_TYPE_SPOT = 'spot';
export const CAPACITY_TYPE_ON_DEMAND = 'on-demand';
export const CAPACITY_TYPE_RESERVED = 'reserved';
export const CAPACITY_TYPES: readonly string[] = [CAPACITY_TYPE_ON_DEMAND, CAPACITY_TYPE_SPOT, CAPACITY_TYPE_RESERVED];
export const ARCHITECTURES: readonly string[] = ['amd64', 'arm64'];
export const OPERATING_SYSTEMS: readonly string[] = ['linux', 'windows'];

/** A taint with its key, effect and optional value, as Karpenter uses them. */
export interface WellKnownTaint {
  key: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  value?: string;
}
/** Put on a node Karpenter is about to disrupt, so nothing new lands on it. */
export const TAINT_DISRUPTED: WellKnownTaint = { key: 'karpenter.sh/disrupted', effect: 'NoSchedule' };
/** Put on a launched node until it registers and Karpenter has synced its labels and taints. */
export const TAINT_UNREGISTERED: WellKnownTaint = { key: 'karpenter.sh/unregistered', effect: 'NoExecute' };

// AWS provider labels (karpenter.k8s.aws)
export const LABEL_AWS_INSTANCE_HYPERVISOR = 'karpenter.k8s.aws/instance-hypervisor';
export const LABEL_AWS_INSTANCE_ENCRYPTION_IN_TRANSIT_SUPPORTED = 'karpenter.k8s.aws/instance-encryption-in-transit-supported';
export const LABEL_AWS_INSTANCE_CATEGORY = 'karpenter.k8s.aws/instance-category';
export const LABEL_AWS_INSTANCE_FAMILY = 'karpenter.k8s.aws/instance-family';
export const LABEL_AWS_INSTANCE_GENERATION = 'karpenter.k8s.aws/instance-generation';
export const LABEL_AWS_INSTANCE_LOCAL_NVME = 'karpenter.k8s.aws/instance-local-nvme';
export const LABEL_AWS_INSTANCE_SIZE = 'karpenter.k8s.aws/instance-size';
export const LABEL_AWS_INSTANCE_CPU = 'karpenter.k8s.aws/instance-cpu';
export const LABEL_AWS_INSTANCE_CPU_MANUFACTURER = 'karpenter.k8s.aws/instance-cpu-manufacturer';
export const LABEL_AWS_INSTANCE_CPU_SUSTAINED_CLOCK_SPEED_MHZ = 'karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz';
export const LABEL_AWS_INSTANCE_MEMORY = 'karpenter.k8s.aws/instance-memory';
export const LABEL_AWS_INSTANCE_EBS_BANDWIDTH = 'karpenter.k8s.aws/instance-ebs-bandwidth';
export const LABEL_AWS_INSTANCE_NETWORK_BANDWIDTH = 'karpenter.k8s.aws/instance-network-bandwidth';
export const LABEL_AWS_INSTANCE_GPU_NAME = 'karpenter.k8s.aws/instance-gpu-name';
export const LABEL_AWS_INSTANCE_GPU_MANUFACTURER = 'karpenter.k8s.aws/instance-gpu-manufacturer';
export const LABEL_AWS_INSTANCE_GPU_COUNT = 'karpenter.k8s.aws/instance-gpu-count';
export const LABEL_AWS_INSTANCE_GPU_MEMORY = 'karpenter.k8s.aws/instance-gpu-memory';
export const LABEL_AWS_INSTANCE_ACCELERATOR_NAME = 'karpenter.k8s.aws/instance-accelerator-name';
export const LABEL_AWS_INSTANCE_ACCELERATOR_MANUFACTURER = 'karpenter.k8s.aws/instance-accelerator-manufacturer';
export const LABEL_AWS_INSTANCE_ACCELERATOR_COUNT = 'karpenter.k8s.aws/instance-accelerator-count';
export const LABEL_AWS_INSTANCE_CAPABILITY_FLEX = 'karpenter.k8s.aws/instance-capability-flex';
export const LABEL_AWS_CAPACITY_RESERVATION_ID = 'karpenter.k8s.aws/capacity-reservation-id';
export const LABEL_AWS_CAPACITY_RESERVATION_TYPE = 'karpenter.k8s.aws/capacity-reservation-type';
export const LABEL_AWS_CAPACITY_RESERVATION_INTERRUPTIBLE = 'karpenter.k8s.aws/capacity-reservation-interruptible';
export const LABEL_AWS_EC2NODECLASS = 'karpenter.k8s.aws/ec2nodeclass';
export const LABEL_AWS_TOPOLOGY_ZONE_ID = 'topology.k8s.aws/zone-id';

/** The AWS provider's well-known labels under `karpenter.k8s.aws` (allowed in requirements and template labels). */
export const AWS_WELL_KNOWN_LABELS: readonly string[] = [
  LABEL_AWS_INSTANCE_HYPERVISOR,
  LABEL_AWS_INSTANCE_ENCRYPTION_IN_TRANSIT_SUPPORTED,
  LABEL_AWS_INSTANCE_CATEGORY,
  LABEL_AWS_INSTANCE_FAMILY,
  LABEL_AWS_INSTANCE_GENERATION,
  LABEL_AWS_INSTANCE_LOCAL_NVME,
  LABEL_AWS_INSTANCE_SIZE,
  LABEL_AWS_INSTANCE_CPU,
  LABEL_AWS_INSTANCE_CPU_MANUFACTURER,
  LABEL_AWS_INSTANCE_CPU_SUSTAINED_CLOCK_SPEED_MHZ,
  LABEL_AWS_INSTANCE_MEMORY,
  LABEL_AWS_INSTANCE_EBS_BANDWIDTH,
  LABEL_AWS_INSTANCE_NETWORK_BANDWIDTH,
  LABEL_AWS_INSTANCE_GPU_NAME,
  LABEL_AWS_INSTANCE_GPU_MANUFACTURER,
  LABEL_AWS_INSTANCE_GPU_COUNT,
  LABEL_AWS_INSTANCE_GPU_MEMORY,
  LABEL_AWS_INSTANCE_ACCELERATOR_NAME,
  LABEL_AWS_INSTANCE_ACCELERATOR_MANUFACTURER,
  LABEL_AWS_INSTANCE_ACCELERATOR_COUNT,
  LABEL_AWS_INSTANCE_CAPABILITY_FLEX,
  LABEL_AWS_CAPACITY_RESERVATION_ID,
  LABEL_AWS_CAPACITY_RESERVATION_TYPE,
  LABEL_AWS_CAPACITY_RESERVATION_INTERRUPTIBLE,
];

/**
 * Labels in a restricted domain that a NodePool may still constrain with requirements (Karpenter's
 * `WellKnownLabels`, plus the AWS provider's). Pods and NodePools narrow these; instance types offer them.
 */
export const WELL_KNOWN_LABELS: readonly string[] = [
  LABEL_NODEPOOL,
  LABEL_TOPOLOGY_ZONE,
  LABEL_TOPOLOGY_REGION,
  LABEL_INSTANCE_TYPE,
  LABEL_ARCH,
  LABEL_OS,
  LABEL_CAPACITY_TYPE,
  LABEL_WINDOWS_BUILD,
  ...AWS_WELL_KNOWN_LABELS,
  LABEL_AWS_TOPOLOGY_ZONE_ID,
];

/** Label domains that Karpenter reserves or that kubelet refuses to set (suffix match on the key's domain). */
export const RESTRICTED_LABEL_DOMAINS: readonly string[] = ['kubernetes.io', 'k8s.io', 'karpenter.sh', 'karpenter.k8s.aws'];

/** Sub-domains of the restricted domains that are allowed anyway (suffix match). */
export const LABEL_DOMAIN_EXCEPTIONS: readonly string[] = ['kops.k8s.io', 'node.kubernetes.io', 'node-restriction.kubernetes.io'];

/**
 * Label keys a NodePool may never set or constrain: the hostname is per node, and `karpenter.sh/nodepool`
 * is set by Karpenter itself from the NodePool's name.
 */
export const RESTRICTED_LABELS: readonly string[] = [LABEL_HOSTNAME, LABEL_NODEPOOL];

/** Deprecated aliases and the stable label each one means (Karpenter's `NormalizedLabels`). */
export const NORMALIZED_LABELS: Readonly<Record<string, string>> = {
  [LABEL_ZONE_BETA]: LABEL_TOPOLOGY_ZONE,
  [LABEL_ARCH_BETA]: LABEL_ARCH,
  [LABEL_OS_BETA]: LABEL_OS,
  [LABEL_INSTANCE_TYPE_BETA]: LABEL_INSTANCE_TYPE,
  [LABEL_REGION_BETA]: LABEL_TOPOLOGY_REGION,
};

/** The stable name of a label key: beta aliases map to their stable names, other keys are returned as-is. */
export function normalizeLabelKey(key: string): string {
  return NORMALIZED_LABELS[key] ?? key;
}

/**
 * The domain of a label key as Karpenter's CEL rules compute it (`key.find("^([^/]+)")`): the text before the
 * first `/`, or the whole key when it has none.
 */
export function labelDomain(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}

/**
 * One restriction on NodePool/NodeClaim label keys, as data: the CRD's CEL rule and the TypeScript check are
 * both generated from it (see `common.ts`), so the API server and `validate` agree.
 */
export interface LabelRestriction {
  /** The message both engines report. */
  message: string;
  /** True when `key` breaks the restriction. */
  violatedBy(key: string): boolean;
  /** The CEL expression that holds when the key held in CEL variable `v` is allowed. */
  cel(v: string): string;
}

const celList = (keys: readonly string[]): string => `[${keys.map((k) => JSON.stringify(k)).join(', ')}]`;
const celDomain = (v: string): string => `${v}.find("^([^/]+)")`;

function domainRestriction(domain: string, allowed: readonly string[], exceptions: readonly string[]): LabelRestriction {
  return {
    message: `label domain "${domain}" is restricted: use a well-known label (${allowed.length ? allowed.slice(0, 3).join(', ') + ', ...' : 'none in this domain'}) or a label in your own domain`,
    violatedBy: (key) => {
      if (allowed.includes(key)) return false;
      const d = labelDomain(key);
      if (exceptions.some((e) => d.endsWith(e))) return false;
      return d.endsWith(domain);
    },
    cel: (v) =>
      [
        ...(allowed.length ? [`${v} in ${celList(allowed)}`] : []),
        ...exceptions.map((e) => `${celDomain(v)}.endsWith(${JSON.stringify(e)})`),
        `!${celDomain(v)}.endsWith(${JSON.stringify(domain)})`,
      ].join(' || '),
  };
}

function keyRestriction(key: string, why: string): LabelRestriction {
  return {
    message: `label "${key}" is restricted: ${why}`,
    violatedBy: (k) => k === key,
    cel: (v) => `${v} != ${JSON.stringify(key)}`,
  };
}

/** Keys of the kubernetes.io domain a NodePool may use: the well-known labels and their beta aliases. */
const KUBERNETES_IO_ALLOWED = [
  LABEL_TOPOLOGY_ZONE, LABEL_TOPOLOGY_REGION, LABEL_INSTANCE_TYPE, LABEL_ARCH, LABEL_OS, LABEL_WINDOWS_BUILD,
  LABEL_INSTANCE_TYPE_BETA, LABEL_REGION_BETA, LABEL_OS_BETA, LABEL_ARCH_BETA, LABEL_ZONE_BETA,
];

const RESTRICT_KUBERNETES_IO = domainRestriction('kubernetes.io', KUBERNETES_IO_ALLOWED, ['node.kubernetes.io', 'node-restriction.kubernetes.io']);
const RESTRICT_K8S_IO = domainRestriction('k8s.io', [], ['kops.k8s.io']);
const RESTRICT_KARPENTER_SH = domainRestriction('karpenter.sh', [LABEL_CAPACITY_TYPE, LABEL_NODEPOOL], []);
const RESTRICT_NODEPOOL = keyRestriction(LABEL_NODEPOOL, 'Karpenter sets it to the NodePool\'s name; remove it');
const RESTRICT_HOSTNAME = keyRestriction(LABEL_HOSTNAME, 'it differs per node; remove it and use a topology spread or anti-affinity on pods instead');
const RESTRICT_AWS = domainRestriction('karpenter.k8s.aws', AWS_WELL_KNOWN_LABELS, []);

/**
 * Karpenter's restrictions on the label keys of NodePool requirements and template labels, in the order the
 * CRD lists them: the kubernetes.io, k8s.io, karpenter.sh and karpenter.k8s.aws domains (with their allowed
 * well-known keys and exempt sub-domains), `karpenter.sh/nodepool` (Karpenter sets it from the NodePool's name)
 * and `kubernetes.io/hostname` (per node). Pods may still select on every one of them.
 */
export const LABEL_RESTRICTIONS: readonly LabelRestriction[] = [
  RESTRICT_KUBERNETES_IO,
  RESTRICT_K8S_IO,
  RESTRICT_KARPENTER_SH,
  RESTRICT_NODEPOOL,
  RESTRICT_HOSTNAME,
  RESTRICT_AWS,
];

/**
 * Karpenter's restrictions on the keys of NodeClaim requirements: those of {@link LABEL_RESTRICTIONS} except
 * the `karpenter.sh/nodepool` key rule. A NodeClaim's requirements are its NodePool's narrowed by the pods, so
 * they may carry `karpenter.sh/nodepool` (and `karpenter.sh/capacity-type`), as Karpenter's NodeClaim CRD
 * allows; only NodePools may not constrain their own name.
 */
export const NODECLAIM_REQUIREMENT_RESTRICTIONS: readonly LabelRestriction[] = LABEL_RESTRICTIONS.filter((r) => r !== RESTRICT_NODEPOOL);

/**
 * Why a label key may not be used, or `undefined` when it may: the first broken restriction's message. By
 * default the NodePool rules ({@link LABEL_RESTRICTIONS}: requirements and template labels); pass
 * {@link NODECLAIM_REQUIREMENT_RESTRICTIONS} for a NodeClaim requirement key.
 */
export function restrictedLabelReason(key: string, restrictions: readonly LabelRestriction[] = LABEL_RESTRICTIONS): string | undefined {
  return restrictions.find((r) => r.violatedBy(key))?.message;
}
