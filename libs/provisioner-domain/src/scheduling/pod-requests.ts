import type { Container, Pod, PodSpec } from '../core/types.js';
import { toResourceList } from '../quantity/convert.js';
import { addResources, maxResources, PODS, type ResourceList } from '../quantity/resourcelist.js';

/**
 * A container's effective requests: its `requests`, plus each resource that only has a `limits` entry taken at
 * its limit (the API server's defaulting, applied here because manifests may not have been through it).
 * @throws QuantityParseError on a malformed quantity.
 */
export function containerRequests(container: Container): ResourceList {
  const requests = toResourceList(container.resources?.requests);
  const limits = toResourceList(container.resources?.limits);
  const out: Record<string, number> = { ...requests };
  for (const key in limits) if (!(key in requests)) out[key] = limits[key] ?? 0;
  return out;
}

/**
 * A pod spec's requests exactly as kube-scheduler's NodeResourcesFit computes them (component-helpers
 * `PodRequests`), without the `pods` count:
 * - the sum over regular containers, plus every restartable init container (sidecar, `restartPolicy: Always`);
 * - at least, per resource, each regular init container's requests plus the sidecars started before it
 *   (and each sidecar together with the sidecars before it);
 * - plus `spec.overhead` (RuntimeClass overhead).
 * Canonical units (see ResourceList).
 * @throws QuantityParseError on a malformed quantity.
 */
export function podSpecRequests(spec: PodSpec): ResourceList {
  let sum: ResourceList = {};
  for (const container of spec.containers ?? []) sum = addResources(sum, containerRequests(container));
  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const init of spec.initContainers ?? []) {
    const own = containerRequests(init);
    let whileRunning: ResourceList;
    if (init.restartPolicy === 'Always') {
      sum = addResources(sum, own);
      sidecars = addResources(sidecars, own);
      whileRunning = sidecars;
    } else {
      whileRunning = addResources(own, sidecars);
    }
    initPeak = maxResources(initPeak, whileRunning);
  }
  const requests = maxResources(sum, initPeak);
  return spec.overhead ? addResources(requests, toResourceList(spec.overhead)) : requests;
}

/** Requests per pod object already computed: pods are values (never edited in place), collected with them. */
const requestsByPod = new WeakMap<Pod, ResourceList>();

/**
 * A pod's requests as the scheduler fits them: `podSpecRequests` plus `pods: 1` (every pod takes one of the
 * node's pod slots). Canonical units; resources requested at zero are kept with value 0. Memoised per pod
 * object (a WeakMap, so the entry goes with the pod): the result is frozen, and a pod must not be edited in place
 * after it was read (the domain treats pods as values; disruption simulations read the same pods many times).
 * @throws QuantityParseError on a malformed quantity.
 */
export function podRequests(pod: Pod): ResourceList {
  const known = requestsByPod.get(pod);
  if (known) return known;
  const requests = Object.freeze(addResources(podSpecRequests(pod.spec), { [PODS]: 1 }));
  requestsByPod.set(pod, requests);
  return requests;
}
