import type {
  Affinity,
  Container,
  NodeSelectorRequirement,
  Pod,
  PodAffinityTerm,
  QuantityMap,
  Timestamp,
  Toleration,
  TopologySpreadConstraint,
  Volume,
} from '@karpenter-ts/provisioner-domain';

/** Everything `pod()` can set; every field optional. */
export interface PodOptions {
  /** Default `pod`. */
  name?: string;
  /** Default `default`. */
  namespace?: string;
  /** Default `uid-<namespace>-<name>`. */
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: Timestamp;
  /** Requests of the single container, e.g. `{cpu: "500m", memory: "1Gi"}`. */
  requests?: QuantityMap;
  limits?: QuantityMap;
  /** Extra containers beside the main one. */
  containers?: Container[];
  initContainers?: Container[];
  overhead?: QuantityMap;
  nodeSelector?: Record<string, string>;
  /** Required node affinity: one term per entry (terms are ORed). */
  nodeRequirements?: NodeSelectorRequirement[][];
  /** Preferred node affinity terms with weights. */
  nodePreferences?: { weight: number; requirements: NodeSelectorRequirement[] }[];
  podAffinity?: PodAffinityTerm[];
  podAntiAffinity?: PodAffinityTerm[];
  preferredPodAffinity?: { weight: number; term: PodAffinityTerm }[];
  preferredPodAntiAffinity?: { weight: number; term: PodAffinityTerm }[];
  /** Replaces the affinity built from the fields above. */
  affinity?: Affinity;
  tolerations?: Toleration[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  /** Host ports of the main container (TCP, any IP). */
  hostPorts?: number[];
  hostNetwork?: boolean;
  volumes?: Volume[];
  /** PVC names mounted as volumes. */
  persistentVolumeClaims?: string[];
  nodeName?: string;
  /** Owner kind and name, e.g. `{kind: 'DaemonSet', name: 'logs'}` (apps/v1, controller). */
  owner?: { kind: string; name: string; apiVersion?: string };
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  priority?: number;
}

/**
 * A Pod with one `pause` container and what the options ask for, as a manifest would have it. Pending and
 * unscheduled unless `nodeName`/`phase` say otherwise. Deterministic: no counters, no randomness.
 */
export function pod(options: PodOptions = {}): Pod {
  const name = options.name ?? 'pod';
  const namespace = options.namespace ?? 'default';
  const main: Container = {
    name: 'main',
    image: 'registry.k8s.io/pause:3.10',
    resources: { ...(options.requests ? { requests: options.requests } : {}), ...(options.limits ? { limits: options.limits } : {}) },
    ...(options.hostPorts ? { ports: options.hostPorts.map((p) => ({ containerPort: p, hostPort: p })) } : {}),
  };
  const volumes = [...(options.volumes ?? []), ...(options.persistentVolumeClaims ?? []).map((claimName, i) => ({ name: `pvc-${i}`, persistentVolumeClaim: { claimName } }))];
  const affinity = options.affinity ?? buildAffinity(options);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: options.uid ?? `uid-${namespace}-${name}`,
      labels: options.labels ?? {},
      ...(options.annotations ? { annotations: options.annotations } : {}),
      ...(options.creationTimestamp ? { creationTimestamp: options.creationTimestamp } : {}),
      ...(options.owner
        ? { ownerReferences: [{ apiVersion: options.owner.apiVersion ?? 'apps/v1', kind: options.owner.kind, name: options.owner.name, uid: `uid-${options.owner.name}`, controller: true }] }
        : {}),
    },
    spec: {
      containers: [main, ...(options.containers ?? [])],
      ...(options.initContainers ? { initContainers: options.initContainers } : {}),
      ...(options.overhead ? { overhead: options.overhead } : {}),
      ...(options.nodeSelector ? { nodeSelector: options.nodeSelector } : {}),
      ...(affinity ? { affinity } : {}),
      ...(options.tolerations ? { tolerations: options.tolerations } : {}),
      ...(options.topologySpreadConstraints ? { topologySpreadConstraints: options.topologySpreadConstraints } : {}),
      ...(options.hostNetwork ? { hostNetwork: true } : {}),
      ...(volumes.length > 0 ? { volumes } : {}),
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
    },
    status: { phase: options.phase ?? (options.nodeName ? 'Running' : 'Pending') },
  };
}

/** `count` pods named `<prefix>-0` … `<prefix>-<count-1>`, each with the same options. */
export function pods(count: number, prefix: string, options: Omit<PodOptions, 'name' | 'uid'> = {}): Pod[] {
  return Array.from({ length: count }, (_, i) => pod({ ...options, name: `${prefix}-${i}` }));
}

function buildAffinity(o: PodOptions): Affinity | undefined {
  const affinity: Affinity = {};
  if (o.nodeRequirements || o.nodePreferences) {
    affinity.nodeAffinity = {
      ...(o.nodeRequirements ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: o.nodeRequirements.map((matchExpressions) => ({ matchExpressions })) } } : {}),
      ...(o.nodePreferences
        ? { preferredDuringSchedulingIgnoredDuringExecution: o.nodePreferences.map((p) => ({ weight: p.weight, preference: { matchExpressions: p.requirements } })) }
        : {}),
    };
  }
  if (o.podAffinity || o.preferredPodAffinity) {
    affinity.podAffinity = {
      ...(o.podAffinity ? { requiredDuringSchedulingIgnoredDuringExecution: o.podAffinity } : {}),
      ...(o.preferredPodAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: o.preferredPodAffinity.map((p) => ({ weight: p.weight, podAffinityTerm: p.term })) } : {}),
    };
  }
  if (o.podAntiAffinity || o.preferredPodAntiAffinity) {
    affinity.podAntiAffinity = {
      ...(o.podAntiAffinity ? { requiredDuringSchedulingIgnoredDuringExecution: o.podAntiAffinity } : {}),
      ...(o.preferredPodAntiAffinity ? { preferredDuringSchedulingIgnoredDuringExecution: o.preferredPodAntiAffinity.map((p) => ({ weight: p.weight, podAffinityTerm: p.term })) } : {}),
    };
  }
  return Object.keys(affinity).length > 0 ? affinity : undefined;
}
