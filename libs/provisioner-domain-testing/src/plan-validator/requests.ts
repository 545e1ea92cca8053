/**
 * Pod requests for the plan validator, computed from the Kubernetes documentation independently of the
 * scheduler's `podRequests` (only quantity parsing is shared): per resource, the larger of (regular containers
 * + sidecars) and the peak of init containers (each regular init container plus the sidecars started before
 * it), plus `spec.overhead`, plus `pods: 1`. A resource with only a limit is requested at its limit.
 */
import { toCanonicalAmount, type Container, type Pod, type QuantityMap, type ResourceList } from './domain.js';

type Mutable = Record<string, number>;

function amounts(map: QuantityMap | undefined): Mutable {
  const out: Mutable = {};
  for (const [name, value] of Object.entries(map ?? {})) out[name] = toCanonicalAmount(name, value);
  return out;
}

function effective(container: Container): Mutable {
  const out = amounts(container.resources?.limits);
  Object.assign(out, amounts(container.resources?.requests));
  return out;
}

function add(into: Mutable, more: Readonly<Mutable>): Mutable {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v;
  return into;
}

function peak(into: Mutable, more: Readonly<Mutable>): Mutable {
  for (const [k, v] of Object.entries(more)) into[k] = Math.max(into[k] ?? 0, v);
  return into;
}

/** Canonical units (cpu millicores, other resources base units), `pods: 1` included. Throws on a malformed quantity. */
export function requestsOf(pod: Pod): ResourceList {
  const running: Mutable = {};
  for (const c of pod.spec.containers ?? []) add(running, effective(c));
  const sidecars: Mutable = {};
  const initPeak: Mutable = {};
  for (const c of pod.spec.initContainers ?? []) {
    const own = effective(c);
    if (c.restartPolicy === 'Always') {
      add(sidecars, own);
      peak(initPeak, sidecars);
    } else {
      peak(initPeak, add({ ...sidecars }, own));
    }
  }
  add(running, sidecars);
  const total = peak(running, initPeak);
  add(total, amounts(pod.spec.overhead));
  total['pods'] = (total['pods'] ?? 0) + 1;
  return total;
}

/** Sum of lists. */
export function sum(lists: readonly ResourceList[]): ResourceList {
  const out: Mutable = {};
  for (const l of lists) add(out, l);
  return out;
}

/** Resources where `wanted` is positive and above `available` (missing = 0), with both amounts. */
export function overflows(wanted: ResourceList, available: ResourceList): { resource: string; wanted: number; available: number }[] {
  return Object.entries(wanted)
    .filter(([k, v]) => v > 0 && v > (available[k] ?? 0))
    .map(([k, v]) => ({ resource: k, wanted: v, available: available[k] ?? 0 }));
}
