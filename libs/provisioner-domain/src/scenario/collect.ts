/**
 * Reads one scenario document by its kind into a `Collected` accumulator: schema check, defaults, expansion of
 * workloads. Cross-document checks (duplicates, references, conversion) happen in load.ts.
 */
import type { z } from 'zod';
import { awsNodeTemplateSchema, ec2NodeClassSchema, nodePoolSchema, provisionerSchema, type AWSNodeTemplate, type EC2NodeClass, type NodePool, type Provisioner } from '../apis/index.js';
import type {
  DaemonSet,
  LimitRange,
  Namespace,
  Node,
  ObjectMeta,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimSpec,
  Pod,
  PodDisruptionBudget,
  PodTemplateSpec,
  StorageClass,
} from '../core/types.js';
import { catalogFindingCode, catalogPricesAsOf, isInstanceTypeCatalogDocument, safeParseInstanceTypeCatalog } from '../instancetypes/index.js';
import type { InstanceType } from '../instancetypes/types.js';
import { selectorMatches } from '../scheduling/label-selector.js';
import {
  daemonSetSchema,
  deploymentSchema,
  jobSchema,
  limitRangeSchema,
  namespaceSchema,
  nodeSchema,
  persistentVolumeClaimSchema,
  persistentVolumeSchema,
  podDisruptionBudgetSchema,
  podSchema,
  statefulSetSchema,
  storageClassSchema,
} from './core-schemas.js';
import { stableHash, stableUid } from './hash.js';
import type { ScenarioIssue } from './types.js';
import { expandDeployment, expandJob, expandReplicaSet, expandStatefulSet } from './workloads.js';
import { issueAt, type FieldPath, type SourceDocument } from './yaml-documents.js';
import { zodIssues } from './zod-issues.js';
import { coreFieldFindings } from './core-fields.js';
import { SCENARIO_KINDS, misspeltKindMessage } from '../apis/validate/kind-typos.js';
import { KARPENTER_GROUPS } from '../apis/validate/kinds.js';

type StatefulSetClaimTemplate = { metadata: ObjectMeta; spec: PersistentVolumeClaimSpec };

/** Where an object came from, for later issues. */
export interface Origin {
  doc: SourceDocument;
  base: FieldPath;
}

/** Everything read so far, with origins where later checks need them. */
export interface Collected {
  nodePools: { value: NodePool; origin: Origin }[];
  provisioners: { value: Provisioner; origin: Origin }[];
  nodeTemplates: AWSNodeTemplate[];
  nodeClasses: EC2NodeClass[];
  catalogs: { instanceTypes: InstanceType[]; origin: Origin; pricesAsOf?: string }[];
  pods: { value: Pod; origin: Origin }[];
  daemonSets: DaemonSet[];
  nodes: { value: Node; origin: Origin }[];
  persistentVolumes: PersistentVolume[];
  persistentVolumeClaims: PersistentVolumeClaim[];
  /** PVCs made for StatefulSet pods; added unless a PVC of the same name was given. */
  generatedClaims: PersistentVolumeClaim[];
  storageClasses: StorageClass[];
  podDisruptionBudgets: PodDisruptionBudget[];
  namespaces: Namespace[];
  limitRanges: LimitRange[];
  /** `Kind/namespace/name` → where first seen. */
  seen: Map<string, Origin>;
  issues: ScenarioIssue[];
  /** Creation time for the next object made up (load order). */
  timestamp: () => string;
}

/** Kinds a scenario reads (plus `List`, whose items are read one by one); one list with the typo check's. */
export const SUPPORTED_KINDS: readonly string[] = SCENARIO_KINDS;

const CLUSTER_SCOPED = new Set(['NodePool', 'Provisioner', 'EC2NodeClass', 'AWSNodeTemplate', 'Node', 'PersistentVolume', 'StorageClass', 'Namespace']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse<S extends z.ZodType>(schema: S, value: unknown, origin: Origin, c: Collected): z.output<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  c.issues.push(...zodIssues(origin.doc, origin.base, result.error, schema, value));
  return undefined;
}

/** Records `kind/namespace/name`; reports a duplicate and returns false when it was seen before. */
function claimName(kind: string, namespace: string | undefined, name: string, origin: Origin, c: Collected): boolean {
  const key = CLUSTER_SCOPED.has(kind) ? `${kind}/${name}` : `${kind}/${namespace ?? 'default'}/${name}`;
  const first = c.seen.get(key);
  if (first) {
    const where = `${first.doc.file}:${first.doc.locate(first.base).line}`;
    c.issues.push(issueAt(origin.doc, [...origin.base, 'metadata', 'name'], 'error', 'duplicate-object', `${key} is defined twice (first at ${where}): rename or remove one`));
    return false;
  }
  c.seen.set(key, origin);
  return true;
}

function checkSelector(selector: Parameters<typeof selectorMatches>[0], labels: Record<string, string> | undefined, origin: Origin, c: Collected): boolean {
  if (selectorMatches(selector, labels ?? {})) return true;
  c.issues.push(issueAt(origin.doc, [...origin.base, 'spec', 'selector'], 'error', 'selector-mismatch', 'spec.selector does not match spec.template.metadata.labels: make the template carry the labels the selector asks for'));
  return false;
}

function addPod(pod: Pod, origin: Origin, c: Collected): void {
  const name = pod.metadata.name ?? '';
  if (!claimName('Pod', pod.metadata.namespace, name, origin, c)) return;
  c.pods.push({ value: pod, origin });
}

function readPod(value: unknown, origin: Origin, c: Collected): void {
  const parsed = parse(podSchema, value, origin, c);
  if (!parsed) return;
  const pod = parsed as unknown as Pod;
  const namespace = pod.metadata.namespace ?? 'default';
  const name = pod.metadata.name || `${pod.metadata.generateName ?? ''}${stableHash(`${origin.doc.file}#${origin.doc.document}`, 5)}`;
  addPod(
    {
      ...pod,
      metadata: {
        ...pod.metadata,
        name,
        namespace,
        uid: pod.metadata.uid ?? stableUid(`Pod/${namespace}/${name}`),
        creationTimestamp: pod.metadata.creationTimestamp ?? c.timestamp(),
      },
    },
    origin,
    c,
  );
}

/** Most pods a whole scenario may hold (Pod documents plus expanded workloads). */
export const MAX_SCENARIO_PODS = 250_000;

function withinPodLimit(count: number, origin: Origin, c: Collected): boolean {
  if (c.pods.length + count <= MAX_SCENARIO_PODS) return true;
  c.issues.push(issueAt(origin.doc, [...origin.base, 'spec'], 'error', 'too-many-pods', `the scenario would hold ${c.pods.length + count} pods; a simulation reads at most ${MAX_SCENARIO_PODS}: lower the replicas`));
  return false;
}

function readWorkload(kind: string, value: unknown, origin: Origin, c: Collected): void {
  if (kind === 'Deployment' || kind === 'ReplicaSet') {
    const w = parse(deploymentSchema, value, origin, c);
    if (!w || !checkSelector(w.spec.selector, w.spec.template.metadata?.labels, origin, c)) return;
    if (!claimName(kind, w.metadata.namespace, w.metadata.name ?? '', origin, c)) return;
    const input = { metadata: w.metadata, template: w.spec.template as unknown as PodTemplateSpec, timestamp: c.timestamp, replicas: w.spec.replicas };
    if (!withinPodLimit(w.spec.replicas ?? 1, origin, c)) return;
    for (const pod of kind === 'Deployment' ? expandDeployment(input) : expandReplicaSet(input)) addPod(pod, origin, c);
  } else if (kind === 'StatefulSet') {
    const w = parse(statefulSetSchema, value, origin, c);
    if (!w || !checkSelector(w.spec.selector, w.spec.template.metadata?.labels, origin, c)) return;
    if (!claimName(kind, w.metadata.namespace, w.metadata.name ?? '', origin, c)) return;
    if (!withinPodLimit(w.spec.replicas ?? 1, origin, c)) return;
    const { pods, claims } = expandStatefulSet({
      metadata: w.metadata,
      template: w.spec.template as unknown as PodTemplateSpec,
      timestamp: c.timestamp,
      replicas: w.spec.replicas,
      volumeClaimTemplates: w.spec.volumeClaimTemplates as unknown as StatefulSetClaimTemplate[] | undefined,
    });
    for (const pod of pods) addPod(pod, origin, c);
    c.generatedClaims.push(...claims);
  } else {
    const w = parse(jobSchema, value, origin, c);
    if (!w || !claimName(kind, w.metadata.namespace, w.metadata.name ?? '', origin, c)) return;
    const input = { metadata: w.metadata, template: w.spec.template as unknown as PodTemplateSpec, timestamp: c.timestamp, parallelism: w.spec.parallelism, completions: w.spec.completions, completionMode: w.spec.completionMode };
    if (!withinPodLimit(Math.min(w.spec.parallelism ?? 1, w.spec.completions ?? Number.POSITIVE_INFINITY), origin, c)) return;
    for (const pod of expandJob(input)) addPod(pod, origin, c);
  }
}

/** Reads a core object of `kind` with `schema`, names it, and hands it to `keep`. */
function readPlain<S extends z.ZodType>(kind: string, schema: S, value: unknown, origin: Origin, c: Collected, keep: (v: z.output<S>) => void): void {
  const parsed = parse(schema, value, origin, c) as { metadata: { name?: string; namespace?: string } } | undefined;
  if (!parsed || !claimName(kind, parsed.metadata.namespace, parsed.metadata.name ?? '', origin, c)) return;
  const namespaced = !CLUSTER_SCOPED.has(kind);
  keep((namespaced ? { ...parsed, metadata: { ...parsed.metadata, namespace: parsed.metadata.namespace ?? 'default' } } : parsed) as z.output<S>);
}

function readKarpenter(kind: string, value: unknown, origin: Origin, c: Collected): void {
  const name = isRecord(value) && isRecord(value['metadata']) ? value['metadata']['name'] : undefined;
  if (typeof name !== 'string' || name === '') {
    c.issues.push(issueAt(origin.doc, [...origin.base, 'metadata'], 'error', 'required', `"metadata.name" is required: give the ${kind} a name`));
    return;
  }
  if (kind === 'NodePool') {
    const np = parse(nodePoolSchema, value, origin, c);
    if (np && claimName(kind, undefined, name, origin, c)) c.nodePools.push({ value: np, origin });
  } else if (kind === 'Provisioner') {
    const p = parse(provisionerSchema, value, origin, c);
    if (p && claimName(kind, undefined, name, origin, c)) c.provisioners.push({ value: p, origin });
  } else if (kind === 'EC2NodeClass') {
    const nc = parse(ec2NodeClassSchema, value, origin, c);
    if (nc && claimName(kind, undefined, name, origin, c)) c.nodeClasses.push(nc);
  } else {
    const t = parse(awsNodeTemplateSchema, value, origin, c);
    if (t && claimName(kind, undefined, name, origin, c)) c.nodeTemplates.push(t);
  }
}

function readCatalog(value: unknown, origin: Origin, c: Collected): void {
  const result = safeParseInstanceTypeCatalog(value);
  if (result.ok) {
    const pricesAsOf = catalogPricesAsOf(value);
    c.catalogs.push({ instanceTypes: result.instanceTypes, origin, ...(pricesAsOf !== undefined ? { pricesAsOf } : {}) });
    return;
  }
  for (const issue of result.issues) c.issues.push(issueAt(origin.doc, [...origin.base, ...issue.path], 'error', catalogFindingCode(issue.code), issue.message));
}

/** Reads one document (or one `List` item) at `origin`. */
export function collectDocument(value: unknown, origin: Origin, c: Collected): void {
  if (!isRecord(value)) {
    c.issues.push(issueAt(origin.doc, origin.base, 'error', 'not-an-object', 'expected a Kubernetes object: a mapping with apiVersion, kind and metadata'));
    return;
  }
  const kind = value['kind'];
  if (typeof kind !== 'string' || kind === '') {
    c.issues.push(issueAt(origin.doc, [...origin.base, 'kind'], 'error', 'required', '"kind" is required: add e.g. "kind: NodePool" or "kind: Pod"'));
    return;
  }
  if (kind === 'List') {
    const items = value['items'];
    if (!Array.isArray(items)) {
      c.issues.push(issueAt(origin.doc, [...origin.base, 'items'], 'error', 'required', '"items" is required in a List: a list of objects'));
      return;
    }
    items.forEach((item: unknown, i: number) => collectDocument(item, { doc: origin.doc, base: [...origin.base, 'items', i] }, c));
    return;
  }
  if (isInstanceTypeCatalogDocument(value)) return readCatalog(value, origin, c);
  const strict = coreFieldFindings(kind, value);
  for (const f of strict) c.issues.push(issueAt(origin.doc, [...origin.base, ...f.path], 'error', f.code, f.message));
  if (strict.length > 0) return;
  switch (kind) {
    case 'NodePool':
    case 'Provisioner':
    case 'EC2NodeClass':
    case 'AWSNodeTemplate':
      return readKarpenter(kind, value, origin, c);
    case 'Pod':
      return readPod(value, origin, c);
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
      return readWorkload(kind, value, origin, c);
    case 'DaemonSet':
      return readPlain(kind, daemonSetSchema, value, origin, c, (v) => c.daemonSets.push(v as unknown as DaemonSet));
    case 'Node':
      return readPlain(kind, nodeSchema, value, origin, c, (v) => c.nodes.push({ value: v as unknown as Node, origin }));
    case 'PersistentVolume':
      return readPlain(kind, persistentVolumeSchema, value, origin, c, (v) => c.persistentVolumes.push(v as unknown as PersistentVolume));
    case 'PersistentVolumeClaim':
      return readPlain(kind, persistentVolumeClaimSchema, value, origin, c, (v) => c.persistentVolumeClaims.push(v as unknown as PersistentVolumeClaim));
    case 'StorageClass':
      return readPlain(kind, storageClassSchema, value, origin, c, (v) => c.storageClasses.push(v as unknown as StorageClass));
    case 'PodDisruptionBudget':
      return readPlain(kind, podDisruptionBudgetSchema, value, origin, c, (v) => c.podDisruptionBudgets.push(v as unknown as PodDisruptionBudget));
    case 'Namespace':
      return readPlain(kind, namespaceSchema, value, origin, c, (v) => c.namespaces.push(v as unknown as Namespace));
    case 'LimitRange':
      return readPlain(kind, limitRangeSchema, value, origin, c, (v) => c.limitRanges.push(v as unknown as LimitRange));
    default: {
      const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : '';
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const typo = misspeltKindMessage(kind) ?? (KARPENTER_GROUPS.includes(group) ? `unknown kind "${kind}" in ${group}: a simulation reads ${SUPPORTED_KINDS.slice(0, 5).join(', ')} of the Karpenter groups` : undefined);
      if (typo) {
        c.issues.push(issueAt(origin.doc, [...origin.base, 'kind'], 'error', 'unknown-kind', typo));
        return;
      }
      c.issues.push(issueAt(origin.doc, [...origin.base, 'kind'], 'warning', 'unknown-kind', `kind ${kind} is not used by the simulation and is ignored (read: ${SUPPORTED_KINDS.join(', ')})`));
    }
  }
}
