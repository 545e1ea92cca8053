/**
 * LimitRange defaults, applied to pods before packing as the LimitRanger admission plugin applies them when the
 * pods are created: a scenario's pods, and the pods a DaemonSet will create, have not been through admission.
 */
import type { Container, DaemonSet, LimitRange, Pod, PodSpec, QuantityMap } from '../core/types.js';

/** What the defaults changed on one pod (or DaemonSet pod template). */
export interface LimitRangeDefaults {
  /** The pod as changed (a copy; the input is never modified). */
  pod: Pod;
  /** `LimitRange <namespace>/<name> set requests cpu=100m, memory=128Mi and limits cpu=500m on container app`, one per container changed. */
  changes: string[];
}

/**
 * The Container defaults of a namespace's LimitRanges, in name order: per item of `type: Container`, the default
 * limits (`default`) and default requests (`defaultRequest`, or `default` when unset, as the API server defaults
 * a LimitRange item).
 */
function containerDefaults(limitRanges: readonly LimitRange[], namespace: string): { name: string; requests: QuantityMap; limits: QuantityMap }[] {
  return limitRanges
    .filter((lr) => (lr.metadata.namespace ?? 'default') === namespace)
    .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0))
    .flatMap((lr) =>
      (lr.spec.limits ?? [])
        .filter((item) => item.type === 'Container' && (item.default !== undefined || item.defaultRequest !== undefined))
        .map((item) => ({ name: `${namespace}/${lr.metadata.name ?? ''}`, requests: { ...(item.default ?? {}), ...(item.defaultRequest ?? {}) }, limits: item.default ?? {} })),
    );
}

function describe(set: Record<string, string>): string {
  return Object.entries(set)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * One container with the defaults applied: for each resource, a missing limit takes the default limit, and a
 * missing request takes the limit the container states (the API server's pod defaulting) or else the default
 * request — the order in which pod defaulting and then LimitRanger run. Returns the changes as text, or none.
 */
function defaultContainer(container: Container, defaults: ReturnType<typeof containerDefaults>): { container: Container; changes: string[] } {
  const requests: Record<string, string | number> = { ...(container.resources?.requests ?? {}) };
  const limits: Record<string, string | number> = { ...(container.resources?.limits ?? {}) };
  // Pod defaulting first: an explicit limit without a request is the request.
  for (const [key, value] of Object.entries(limits)) if (!(key in requests)) requests[key] = value;
  const changes: string[] = [];
  for (const d of defaults) {
    const setRequests: Record<string, string> = {};
    const setLimits: Record<string, string> = {};
    for (const [key, value] of Object.entries(d.requests)) {
      if (key in requests) continue;
      requests[key] = value;
      setRequests[key] = String(value);
    }
    for (const [key, value] of Object.entries(d.limits)) {
      if (key in limits) continue;
      limits[key] = value;
      setLimits[key] = String(value);
    }
    const parts = [Object.keys(setRequests).length > 0 ? `requests ${describe(setRequests)}` : '', Object.keys(setLimits).length > 0 ? `limits ${describe(setLimits)}` : ''].filter(Boolean);
    if (parts.length > 0) changes.push(`LimitRange ${d.name} set ${parts.join(' and ')} on container ${container.name}`);
  }
  if (changes.length === 0) return { container, changes };
  return { container: { ...container, resources: { ...(container.resources ?? {}), requests, limits } }, changes };
}

/**
 * A pod with its namespace's LimitRange defaults applied to every container and init container, as the
 * LimitRanger admission plugin does at creation (kubernetes plugin/pkg/admission/limitranger, `mergePodResourceRequirements`):
 * a resource a container neither requests nor limits gets the default request and the default limit; one it
 * limits only keeps its limit as the request. Returns undefined when nothing changed. Pure: the input is not modified.
 */
export function applyLimitRangeDefaults(pod: Pod, limitRanges: readonly LimitRange[]): LimitRangeDefaults | undefined {
  if (limitRanges.length === 0) return undefined;
  const defaults = containerDefaults(limitRanges, pod.metadata.namespace ?? 'default');
  if (defaults.length === 0) return undefined;
  const changes: string[] = [];
  const fix = (list: readonly Container[] | undefined): Container[] | undefined =>
    list?.map((c) => {
      const r = defaultContainer(c, defaults);
      changes.push(...r.changes);
      return r.container;
    });
  const spec: PodSpec = { ...pod.spec, containers: fix(pod.spec.containers) ?? [] };
  const init = fix(pod.spec.initContainers);
  if (init) spec.initContainers = init;
  return changes.length === 0 ? undefined : { pod: { ...pod, spec }, changes };
}

/**
 * A DaemonSet whose pod template has its namespace's LimitRange defaults applied: the pods it creates will be
 * admitted with them, so the overhead it adds to a new node is counted with them. Karpenter computes the
 * overhead from the template as written, so it misses these defaults while no pod of the DaemonSet exists yet
 * (aws/karpenter-provider-aws#3199). Returns undefined when nothing changed.
 */
export function applyLimitRangeDefaultsToDaemonSet(ds: DaemonSet, limitRanges: readonly LimitRange[]): { daemonSet: DaemonSet; changes: string[] } | undefined {
  const namespace = ds.metadata.namespace ?? 'default';
  const r = applyLimitRangeDefaults({ metadata: { ...(ds.spec.template.metadata ?? {}), namespace }, spec: ds.spec.template.spec }, limitRanges);
  if (!r) return undefined;
  return { daemonSet: { ...ds, spec: { ...ds.spec, template: { ...ds.spec.template, spec: r.pod.spec } } }, changes: r.changes };
}

/** What `admitWithLimitRanges` changed on one pod or DaemonSet. */
export interface LimitRangeChange {
  kind: 'Pod' | 'DaemonSet';
  namespace: string;
  name: string;
  changes: string[];
}

/**
 * The pods and DaemonSets as admission would leave them: LimitRange defaults applied (see
 * `applyLimitRangeDefaults`), `podOf` mapping each changed pod to its copy, and what changed. For pods that have
 * not been through admission (a scenario's); a controller passes its DaemonSets only, its pods being admitted.
 */
export function admitWithLimitRanges(
  pods: readonly Pod[],
  daemonSets: readonly DaemonSet[] | undefined,
  limitRanges: readonly LimitRange[] | undefined,
): { pods: Pod[]; podOf: Map<Pod, Pod>; daemonSets: DaemonSet[]; changes: LimitRangeChange[] } {
  const podOf = new Map<Pod, Pod>();
  const changes: LimitRangeChange[] = [];
  if (!limitRanges || limitRanges.length === 0) return { pods: [...pods], podOf, daemonSets: [...(daemonSets ?? [])], changes };
  const admitted = pods.map((pod) => {
    const r = applyLimitRangeDefaults(pod, limitRanges);
    if (!r) return pod;
    podOf.set(pod, r.pod);
    changes.push({ kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '', changes: r.changes });
    return r.pod;
  });
  const admittedDaemonSets = (daemonSets ?? []).map((ds) => {
    const r = applyLimitRangeDefaultsToDaemonSet(ds, limitRanges);
    if (!r) return ds;
    changes.push({ kind: 'DaemonSet', namespace: ds.metadata.namespace ?? 'default', name: ds.metadata.name ?? '', changes: r.changes });
    return r.daemonSet;
  });
  return { pods: admitted, podOf, daemonSets: admittedDaemonSets, changes };
}
