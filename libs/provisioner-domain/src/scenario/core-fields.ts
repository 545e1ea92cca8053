/**
 * Strict field checking of the core kinds a scenario reads, like `kubectl apply --validate=strict`: a field the
 * Kubernetes API does not define (`replcas`, `resources.request`) is an error with the nearest known field,
 * not a silently empty pod; and object names must be DNS-1123 subdomains (namespaces: labels), as the API
 * server requires. Only the parts of the objects the simulation reads are checked field by field (object,
 * metadata, workload spec, pod template, pod spec, containers and their resources); deeper structures are
 * left to the schemas.
 */
import { nearMiss } from '../explain/near-miss.js';
import type { FieldPath } from './yaml-documents.js';

/** A node of the field tree: known fields, each with its own subtree (`null`: not checked further). `[]` marks list items. */
interface FieldTree {
  [field: string]: FieldTree | null;
}

const META: FieldTree = Object.fromEntries(
  ['name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'].map((f) => [f, null]),
);
const RESOURCES: FieldTree = { limits: null, requests: null, claims: null };
const CONTAINER: FieldTree = {
  ...Object.fromEntries(
    ['name', 'image', 'command', 'args', 'workingDir', 'ports', 'envFrom', 'env', 'resizePolicy', 'restartPolicy', 'volumeMounts', 'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'].map((f) => [f, null]),
  ),
  resources: RESOURCES,
};
const POD_SPEC: FieldTree = {
  ...Object.fromEntries(
    [
      'volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName',
      'serviceAccount', 'automountServiceAccountToken', 'nodeName', 'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets',
      'hostname', 'subdomain', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig', 'readinessGates', 'runtimeClassName',
      'enableServiceLinks', 'preemptionPolicy', 'overhead', 'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims', 'resources',
    ].map((f) => [f, null]),
  ),
  containers: { '[]': CONTAINER },
  initContainers: { '[]': CONTAINER },
};
const TEMPLATE: FieldTree = { metadata: META, spec: POD_SPEC };
const fields = (names: string[], extra: FieldTree = {}): FieldTree => ({ ...Object.fromEntries(names.map((f) => [f, null])), ...extra });
const object = (spec: FieldTree | null): FieldTree => ({ apiVersion: null, kind: null, metadata: META, spec, status: null });

/** Field trees of the core kinds a scenario reads. */
const KINDS: Readonly<Record<string, FieldTree>> = {
  Pod: object(POD_SPEC),
  Deployment: object(fields(['replicas', 'selector', 'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'], { template: TEMPLATE })),
  ReplicaSet: object(fields(['replicas', 'minReadySeconds', 'selector'], { template: TEMPLATE })),
  StatefulSet: object(
    fields(['replicas', 'selector', 'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit', 'minReadySeconds', 'persistentVolumeClaimRetentionPolicy', 'ordinals'], { template: TEMPLATE }),
  ),
  Job: object(
    fields(
      ['parallelism', 'completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit', 'backoffLimitPerIndex', 'maxFailedIndexes', 'selector', 'manualSelector', 'ttlSecondsAfterFinished', 'completionMode', 'suspend', 'podReplacementPolicy', 'managedBy'],
      { template: TEMPLATE },
    ),
  ),
  DaemonSet: object(fields(['selector', 'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'], { template: TEMPLATE })),
  Node: object(null),
  PersistentVolume: object(null),
  PersistentVolumeClaim: object(null),
  PodDisruptionBudget: object(null),
  Namespace: object(null),
  StorageClass: { apiVersion: null, kind: null, metadata: META, provisioner: null, parameters: null, reclaimPolicy: null, mountOptions: null, allowVolumeExpansion: null, volumeBindingMode: null, allowedTopologies: null },
};

/** One strict-check finding: where, a stable code and the message. */
export interface CoreFieldFinding {
  path: FieldPath;
  code: 'unknown-field' | 'invalid-name';
  message: string;
}

const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(value: unknown, tree: FieldTree, path: (string | number)[], out: CoreFieldFinding[]): void {
  if (Array.isArray(value)) {
    const item = tree['[]'];
    if (item) value.forEach((v, i) => walk(v, item, [...path, i], out));
    return;
  }
  if (!isRecord(value)) return;
  const known = Object.keys(tree);
  for (const [key, child] of Object.entries(value)) {
    if (!(key in tree)) {
      const meant = nearMiss(key, known.filter((k) => k !== '[]'));
      const where = path.length ? `"${String(path[path.length - 1])}"` : 'the object';
      out.push({ path: [...path, key], code: 'unknown-field', message: `unknown field "${key}" in ${where}${meant ? ` (did you mean "${meant}"?)` : ''}: the API server rejects it with strict validation; fix or remove it` });
      continue;
    }
    const sub = tree[key];
    if (sub) walk(child, sub, [...path, key], out);
  }
}

/**
 * Strict findings for a core object of `kind` (none for other kinds): unknown fields with a did-you-mean, and a
 * `metadata.name` that is not a DNS-1123 subdomain (a DNS-1123 label for a Namespace).
 */
export function coreFieldFindings(kind: string, value: unknown): CoreFieldFinding[] {
  const tree = KINDS[kind];
  if (!tree) return [];
  const out: CoreFieldFinding[] = [];
  walk(value, tree, [], out);
  const name = isRecord(value) && isRecord(value['metadata']) ? value['metadata']['name'] : undefined;
  if (typeof name === 'string' && name !== '') {
    const label = kind === 'Namespace';
    if (name.length > (label ? 63 : 253) || !(label ? LABEL : SUBDOMAIN).test(name)) {
      out.push({
        path: ['metadata', 'name'],
        code: 'invalid-name',
        message: `${kind} name "${name}" is invalid: use at most ${label ? 63 : 253} lowercase letters, digits${label ? '' : ', dots'} and "-", starting and ending with a letter or digit (e.g. "${name.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '') || 'my-name'}")`,
      });
    }
  }
  return out;
}
