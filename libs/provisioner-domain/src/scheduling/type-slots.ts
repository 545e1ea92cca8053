import type { HostPort } from './host-ports.js';
import { instanceTypeCompatible, offeringAllowed, offeringFilter } from './instance-type-filter.js';
import type { CandidateType } from './nodeclaim-template.js';
import { fitsVector, maxInto, type ResourceIndex } from './resource-vector.js';
import type { Requirements } from './requirements.js';
import { LABEL_CAPACITY_TYPE, LABEL_TOPOLOGY_ZONE } from './well-known-labels.js';

/** A candidate instance type with its amounts as vectors of the round's ResourceIndex. */
export interface TypeSlot {
  readonly type: CandidateType;
  /** allocatable − DaemonSet overhead. */
  readonly available: Float64Array;
  readonly capacity: Float64Array;
}

export function makeSlots(types: readonly CandidateType[], index: ResourceIndex): TypeSlot[] {
  return types.map((type) => ({ type, available: index.vector(type.available), capacity: index.vector(type.capacity) }));
}

/**
 * The slots that can still host a NodeClaim with `used + add` requests under `requirements`.
 * When `requirementsChanged` is false the label/offering compatibility is known to hold and only the resource
 * fit is checked (the common case: most pods do not narrow a claim's requirements).
 */
export function filterSlots(
  slots: readonly TypeSlot[],
  requirementsChanged: boolean,
  requirements: Requirements,
  used: Float64Array,
  add: Float64Array,
): TypeSlot[] {
  const out: TypeSlot[] = [];
  const allowed = requirementsChanged ? offeringFilter(requirements) : undefined;
  for (const slot of slots) {
    if (!fitsVector(used, add, slot.available)) continue;
    if (allowed && !instanceTypeCompatible(slot.type.instanceType, slot.type.labels, requirements, allowed)) continue;
    out.push(slot);
  }
  return out;
}

/** Element-wise max over slots of (available − used): no pod larger than this can fit any remaining slot. */
export function headroom(slots: readonly TypeSlot[], used: Float64Array, size: number): Float64Array {
  const out = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
  for (const slot of slots) maxInto(out, slot.available);
  for (let i = 0; i < size; i++) out[i] = (out[i] as number) - (used[i] as number);
  return out;
}

/**
 * Karpenter's minValues: for every requirement with `minValues`, the slots must together offer at least that
 * many distinct allowed values of the key (zone and capacity type through allowed offerings). Returns the first
 * shortfall, else `undefined`.
 */
export function minValuesShortfall(slots: readonly TypeSlot[], requirements: Requirements): { key: string; minValues: number; available: number } | undefined {
  for (const req of requirements) {
    if (req.minValues === undefined) continue;
    const values = new Set<string>();
    for (const slot of slots) {
      if (req.key === LABEL_TOPOLOGY_ZONE || req.key === LABEL_CAPACITY_TYPE) {
        for (const o of slot.type.instanceType.offerings) {
          if (offeringAllowed(o, requirements)) values.add(req.key === LABEL_TOPOLOGY_ZONE ? o.zone : o.capacityType);
        }
      } else {
        const v = slot.type.labels[req.key];
        if (v !== undefined && req.has(v)) values.add(v);
      }
      if (values.size >= req.minValues) break;
    }
    if (values.size < req.minValues) return { key: req.key, minValues: req.minValues, available: values.size };
  }
  return undefined;
}

/** True when some requirement carries minValues (so the check is worth running). */
export function hasMinValues(requirements: Requirements): boolean {
  for (const req of requirements) if (req.minValues !== undefined) return true;
  return false;
}

/** The union of the host ports the slots' DaemonSets bind (deduplicated, first seen first). */
export function daemonPortsOf(slots: readonly TypeSlot[]): HostPort[] {
  const out: HostPort[] = [];
  const seen = new Set<string>();
  for (const s of slots) {
    for (const p of s.type.daemonHostPorts) {
      const k = `${p.protocol}/${p.ip}:${p.port}`;
      if (!seen.has(k)) {
        seen.add(k);
        out.push(p);
      }
    }
  }
  return out;
}
