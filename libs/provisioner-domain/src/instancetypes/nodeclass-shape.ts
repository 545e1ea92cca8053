/**
 * What an EC2NodeClass does to the instance types a NodePool can launch: the AMI family fixes the operating
 * system, the root volume sets the ephemeral-storage capacity, and the kubelet settings change the pod capacity
 * and the reservations, as the AWS provider computes them (aws/karpenter-provider-aws pkg/providers/instancetype
 * and pkg/providers/amifamily). The v1alpha5 AWSNodeTemplate reaches here converted to an EC2NodeClass.
 */
import type { EC2NodeClass } from '../apis/index.js';
import { toCanonicalAmount } from '../quantity/convert.js';
import { formatQuantity } from '../quantity/format.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { LABEL_OS } from '../scheduling/well-known-labels.js';
import type { InstanceType } from './types.js';

const GIB = 2 ** 30;
/** The AWS provider's `DefaultEBS` volume size. */
export const DEFAULT_EBS_VOLUME_BYTES = 20 * GIB;

/** An AMI family as the AWS provider knows it; `Custom` when the node class names neither a family nor an alias. */
export type AmiFamilyName = 'AL2' | 'AL2023' | 'Bottlerocket' | 'Custom' | 'Windows2019' | 'Windows2022' | 'Windows2025';

/** The volume that backs the node's ephemeral storage, as used for its capacity. */
export interface EphemeralVolume {
  deviceName: string | undefined;
  sizeBytes: number;
  /** Where the size came from, for messages: `spec.blockDeviceMappings[1] (/dev/xvdb)` or `/dev/xvdb (the Bottlerocket default)`. */
  source: string;
}

/** Per family: the device the kubelet's filesystem lives on, and the default mappings' size of it. */
const FAMILY_EPHEMERAL_DEVICE: Record<AmiFamilyName, { device: string | undefined; defaultBytes: number }> = {
  AL2: { device: '/dev/xvda', defaultBytes: DEFAULT_EBS_VOLUME_BYTES },
  AL2023: { device: '/dev/xvda', defaultBytes: DEFAULT_EBS_VOLUME_BYTES },
  // Bottlerocket: /dev/xvda (4Gi) holds the OS, /dev/xvdb (20Gi) the data volume the kubelet uses.
  Bottlerocket: { device: '/dev/xvdb', defaultBytes: DEFAULT_EBS_VOLUME_BYTES },
  Custom: { device: undefined, defaultBytes: DEFAULT_EBS_VOLUME_BYTES },
  Windows2019: { device: '/dev/sda1', defaultBytes: 50 * GIB },
  Windows2022: { device: '/dev/sda1', defaultBytes: 50 * GIB },
  Windows2025: { device: '/dev/sda1', defaultBytes: 50 * GIB },
};

const ALIAS_FAMILIES: Record<string, AmiFamilyName> = {
  al2: 'AL2',
  al2023: 'AL2023',
  bottlerocket: 'Bottlerocket',
  windows2019: 'Windows2019',
  windows2022: 'Windows2022',
  windows2025: 'Windows2025',
};

/**
 * The AMI family of a node class: `spec.amiFamily`, else the family of the first `alias` AMI selector term
 * (`al2023@latest` → AL2023), else Custom (AMIs chosen by id, name or tags).
 */
export function amiFamilyOf(nodeClass: EC2NodeClass): AmiFamilyName {
  if (nodeClass.spec.amiFamily) return nodeClass.spec.amiFamily;
  for (const term of nodeClass.spec.amiSelectorTerms ?? []) {
    const family = term.alias ? ALIAS_FAMILIES[term.alias.split('@')[0]?.toLowerCase() ?? ''] : undefined;
    if (family) return family;
  }
  return 'Custom';
}

/** The operating system of an AMI family: `windows` for the Windows families, `linux` for every other. */
export function amiFamilyOS(family: AmiFamilyName): 'linux' | 'windows' {
  return family.startsWith('Windows') ? 'windows' : 'linux';
}

/**
 * The volume that gives the node its ephemeral storage (the AWS provider's ephemeral-storage capacity): among
 * `blockDeviceMappings`, the one marked `rootVolume`, else the one on the family's ephemeral device (/dev/xvda;
 * /dev/xvdb for Bottlerocket; /dev/sda1 for Windows), else the last; without mappings, the family's default
 * (20Gi; 50Gi for Windows). A mapping without `ebs.volumeSize` has the default EBS size, 20Gi.
 * @throws QuantityParseError when a volume size is malformed.
 */
export function ephemeralVolumeOf(nodeClass: EC2NodeClass): EphemeralVolume {
  const family = amiFamilyOf(nodeClass);
  const { device, defaultBytes } = FAMILY_EPHEMERAL_DEVICE[family];
  const mappings = nodeClass.spec.blockDeviceMappings ?? [];
  if (mappings.length === 0) return { deviceName: device, sizeBytes: defaultBytes, source: `${device ? `${device} ` : ''}(the ${family} default)` };
  let index = mappings.findIndex((m) => m.rootVolume === true);
  if (index < 0) index = mappings.findIndex((m) => device !== undefined && m.deviceName === device);
  if (index < 0) index = mappings.length - 1;
  const mapping = mappings[index];
  const size = mapping?.ebs?.volumeSize;
  return {
    deviceName: mapping?.deviceName,
    sizeBytes: size ? toCanonicalAmount('ephemeral-storage', size) : DEFAULT_EBS_VOLUME_BYTES,
    source: `spec.blockDeviceMappings[${index}]${mapping?.deviceName ? ` (${mapping.deviceName})` : ''}`,
  };
}

/** Kubelet eviction signal → the resource it reserves. */
const SIGNAL_RESOURCE: Record<string, string> = { 'memory.available': 'memory', 'nodefs.available': 'ephemeral-storage' };

/** `100Mi` or `10%` of the capacity of the signal's resource, canonical units. */
function thresholdAmount(resource: string, value: string, capacity: ResourceList): number {
  const trimmed = value.trim();
  if (trimmed.endsWith('%')) return Math.ceil(((capacity[resource] ?? 0) * Number(trimmed.slice(0, -1))) / 100);
  return toCanonicalAmount(resource, trimmed);
}

function reservedList(map: Readonly<Record<string, string>> | undefined): ResourceList {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(map ?? {})) if (key !== 'pid') out[key] = toCanonicalAmount(key, value);
  return out;
}

/**
 * The instance types a NodePool of this node class can launch, reshaped as the AWS provider computes them:
 * - types whose `kubernetes.io/os` label is not the AMI family's OS are dropped (a Linux AMI never yields a node
 *   for a Windows pod, nor the reverse); a type without the label gets it;
 * - `ephemeral-storage` capacity is the size of the volume `ephemeralVolumeOf` picks;
 * - `pods` capacity is `kubelet.maxPods` when set, then at most `kubelet.podsPerCore` × vCPUs (ignored for
 *   Bottlerocket, which does not support it, as in the AWS provider);
 * - `kubelet.kubeReserved` and `kubelet.systemReserved` replace the type's reservations per resource (pid is not a
 *   schedulable resource);
 * - `kubelet.evictionHard` / `evictionSoft` (`memory.available`, `nodefs.available`; quantities or percentages of
 *   capacity) replace the type's eviction threshold per resource, the larger of hard and soft where both are set.
 * Without a node class the types are returned as they are. Pure: returns new objects.
 * @throws QuantityParseError when a volume size or kubelet quantity is malformed.
 */
export function shapeInstanceTypesByNodeClass(types: readonly InstanceType[], nodeClass: EC2NodeClass | undefined): InstanceType[] {
  if (!nodeClass) return [...types];
  const family = amiFamilyOf(nodeClass);
  const os = amiFamilyOS(family);
  const volume = ephemeralVolumeOf(nodeClass);
  const kubelet = nodeClass.spec.kubelet;
  const kubeReserved = reservedList(kubelet?.kubeReserved);
  const systemReserved = reservedList(kubelet?.systemReserved);
  const out: InstanceType[] = [];
  for (const type of types) {
    const typeOS = type.labels[LABEL_OS];
    if (typeOS !== undefined && typeOS !== os) continue;
    const capacity: Record<string, number> = { ...type.capacity, 'ephemeral-storage': volume.sizeBytes };
    if (kubelet?.maxPods !== undefined) capacity['pods'] = kubelet.maxPods;
    if (kubelet?.podsPerCore && family !== 'Bottlerocket') {
      const vcpus = Math.floor((type.capacity['cpu'] ?? 0) / 1000);
      capacity['pods'] = Math.min(capacity['pods'] ?? Number.POSITIVE_INFINITY, kubelet.podsPerCore * vcpus);
    }
    const eviction: Record<string, number> = { ...type.overhead.evictionThreshold };
    const signals = new Set([...Object.keys(kubelet?.evictionHard ?? {}), ...Object.keys(kubelet?.evictionSoft ?? {})]);
    for (const signal of signals) {
      const resource = SIGNAL_RESOURCE[signal];
      if (!resource) continue;
      const hard = kubelet?.evictionHard?.[signal];
      const soft = kubelet?.evictionSoft?.[signal];
      eviction[resource] = Math.max(hard ? thresholdAmount(resource, hard, capacity) : 0, soft ? thresholdAmount(resource, soft, capacity) : 0);
    }
    out.push({
      ...type,
      ephemeralStorageSource: `the ${formatQuantity('ephemeral-storage', volume.sizeBytes)} volume ${volume.source} of EC2NodeClass ${nodeClass.metadata.name ?? ''}`,
      labels: typeOS === undefined ? { ...type.labels, [LABEL_OS]: os } : type.labels,
      capacity,
      overhead: {
        kubeReserved: { ...type.overhead.kubeReserved, ...kubeReserved },
        systemReserved: { ...type.overhead.systemReserved, ...systemReserved },
        evictionThreshold: eviction,
      },
    });
  }
  return out;
}
