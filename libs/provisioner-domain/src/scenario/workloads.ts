/**
 * Workloads expanded to the pods their controllers would create, deterministically (no randomness, no clock):
 * - Deployment `web` → ReplicaSet `web-<hash>` (hash of the pod template, as `pod-template-hash`) → pods
 *   `web-<hash>-0` … `web-<hash>-<replicas-1>`;
 * - ReplicaSet `rs` → pods `rs-0` …;
 * - StatefulSet `db` → pods `db-0` … with `statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`
 *   labels, and per volumeClaimTemplate `t` a PVC `t-db-<i>` mounted as volume `t` (as the StatefulSet
 *   controller names them);
 * - Job `j` → min(parallelism, completions) pods (parallelism defaults to 1, completions to parallelism) named
 *   `j-0` … with `job-name` / `batch.kubernetes.io/job-name` labels (and the completion index when Indexed).
 * Replicas default to 1. Pods get the workload's namespace (default `default`), the template's labels and
 * annotations, an owner reference, a uid derived from kind/namespace/name and a creation time handed out by
 * `timestamp()` (load order).
 */
import type { ObjectMeta, OwnerReference, PersistentVolumeClaim, PersistentVolumeClaimSpec, Pod, PodSpec, PodTemplateSpec } from '../core/types.js';
import { stableHash, stableUid } from './hash.js';

/** What every expansion needs: the workload's metadata, its pod template and a creation-time source. */
export interface WorkloadInput {
  metadata: ObjectMeta;
  template: PodTemplateSpec;
  /** Creation time for the next pod (RFC 3339). */
  timestamp: () => string;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function owner(kind: string, apiVersion: string, namespace: string, name: string): OwnerReference {
  return { apiVersion, kind, name, uid: stableUid(`${kind}/${namespace}/${name}`), controller: true, blockOwnerDeletion: true };
}

function makePod(input: WorkloadInput, name: string, labels: Record<string, string>, ownerRef: OwnerReference, spec?: PodSpec): Pod {
  const namespace = input.metadata.namespace ?? 'default';
  const annotations = input.template.metadata?.annotations;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      uid: stableUid(`Pod/${namespace}/${name}`),
      creationTimestamp: input.timestamp(),
      labels: { ...(input.template.metadata?.labels ?? {}), ...labels },
      ...(annotations ? { annotations: { ...annotations } } : {}),
      ownerReferences: [ownerRef],
    },
    spec: spec ?? clone(input.template.spec),
  };
}

/** The pod-template-hash of a template (10 safe characters). */
export function podTemplateHash(template: PodTemplateSpec): string {
  return stableHash(JSON.stringify(template), 10);
}

export function expandReplicaSet(input: WorkloadInput & { replicas?: number }, extraLabels: Record<string, string> = {}): Pod[] {
  const name = input.metadata.name ?? 'replicaset';
  const ns = input.metadata.namespace ?? 'default';
  const ref = owner('ReplicaSet', 'apps/v1', ns, name);
  return Array.from({ length: input.replicas ?? 1 }, (_, i) => makePod(input, `${name}-${i}`, extraLabels, ref));
}

export function expandDeployment(input: WorkloadInput & { replicas?: number }): Pod[] {
  const hash = podTemplateHash(input.template);
  const rsName = `${input.metadata.name ?? 'deployment'}-${hash}`;
  return expandReplicaSet({ ...input, metadata: { ...input.metadata, name: rsName } }, { 'pod-template-hash': hash });
}

export function expandStatefulSet(
  input: WorkloadInput & { replicas?: number; volumeClaimTemplates?: { metadata: ObjectMeta; spec: PersistentVolumeClaimSpec }[] },
): { pods: Pod[]; claims: PersistentVolumeClaim[] } {
  const name = input.metadata.name ?? 'statefulset';
  const ns = input.metadata.namespace ?? 'default';
  const ref = owner('StatefulSet', 'apps/v1', ns, name);
  const revision = `${name}-${podTemplateHash(input.template)}`;
  const pods: Pod[] = [];
  const claims: PersistentVolumeClaim[] = [];
  for (let i = 0; i < (input.replicas ?? 1); i++) {
    const podName = `${name}-${i}`;
    const spec = clone(input.template.spec);
    for (const t of input.volumeClaimTemplates ?? []) {
      const volume = t.metadata.name ?? 'data';
      const claimName = `${volume}-${name}-${i}`;
      const volumes = (spec.volumes ?? []).filter((v) => v.name !== volume);
      spec.volumes = [...volumes, { name: volume, persistentVolumeClaim: { claimName } }];
      claims.push({
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: { name: claimName, namespace: ns, uid: stableUid(`PersistentVolumeClaim/${ns}/${claimName}`), labels: { ...(input.template.metadata?.labels ?? {}) } },
        spec: clone(t.spec),
      });
    }
    const labels = { 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i), 'controller-revision-hash': revision };
    pods.push(makePod(input, podName, labels, ref, spec));
  }
  return { pods, claims };
}

export function expandJob(input: WorkloadInput & { parallelism?: number; completions?: number; completionMode?: 'NonIndexed' | 'Indexed' }): Pod[] {
  const name = input.metadata.name ?? 'job';
  const ns = input.metadata.namespace ?? 'default';
  const ref = owner('Job', 'batch/v1', ns, name);
  const parallelism = input.parallelism ?? 1;
  const count = input.completions === undefined ? parallelism : Math.min(parallelism, input.completions);
  const uid = ref.uid;
  return Array.from({ length: count }, (_, i) => {
    const labels: Record<string, string> = {
      'batch.kubernetes.io/job-name': name,
      'job-name': name,
      'batch.kubernetes.io/controller-uid': uid,
      'controller-uid': uid,
      ...(input.completionMode === 'Indexed' ? { 'batch.kubernetes.io/job-completion-index': String(i) } : {}),
    };
    return makePod(input, `${name}-${i}`, labels, ref);
  });
}
