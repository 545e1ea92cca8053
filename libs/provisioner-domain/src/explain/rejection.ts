import type { Taint } from '../core/types.js';
import { describeResources } from '../quantity/format.js';
import { humanQuantity } from '../quantity/human.js';
import type { ResourceList } from '../quantity/resourcelist.js';
import { formatTaint } from '../scheduling/taints.js';

/**
 * Why a pod cannot go to one NodePool (or one existing node), as data. The scheduler reports the first
 * constraint that excluded the pod, checked in this order: taints, requirements, volumes, host ports,
 * topology, instance types (requirements and offerings, then resources, then minValues), limits.
 */
export type Rejection =
  | { kind: 'taint'; taint: Taint }
  | {
      kind: 'requirement';
      key: string;
      /** What the pod asked for, e.g. `topology.kubernetes.io/zone In [us-east-1z]`. */
      wanted: string;
      /** What the NodePool (or node) allows for the key; absent when it does not define the label at all. */
      allowed?: string;
      /** The node's value, for existing nodes. */
      actual?: string;
      /** The NodePool defines no values for the label (and it is not a well-known label). */
      undefinedLabel: boolean;
      /** A close known label key or value: a likely typo. */
      suggestion?: string;
      /** `allowed` is what the catalog's instance types and offerings have, not what the NodePool says. */
      offeredByCatalog?: boolean;
    }
  | { kind: 'volume'; reason: string }
  /** The required node-affinity term in use selects nodes by name (`matchFields`), which a new NodeClaim has not got yet. */
  | { kind: 'node-name'; fields: string }
  | { kind: 'host-port'; port: string }
  | { kind: 'topology'; constraint: string; reason: string }
  | { kind: 'no-instance-types'; listed: number }
  | { kind: 'no-compatible-instance-type'; requirements: string }
  | { kind: 'no-instance-type-fits'; requests: ResourceList; largest?: { name: string; available: ResourceList; daemonOverhead: ResourceList }; ephemeralStorageLimit?: string }
  | { kind: 'min-values'; key: string; minValues: number; available: number }
  | { kind: 'limits'; resource: string; limit: number; inUse: number }
  | { kind: 'resources'; requests: ResourceList; free: ResourceList; exceeded: string[] }
  | { kind: 'marked-for-deletion' };

/** One sentence for a person. */
export function describeRejection(r: Rejection): string {
  switch (r.kind) {
    case 'taint':
      return `taint ${formatTaint(r.taint)} is not tolerated`;
    case 'requirement': {
      const hint = r.suggestion ? ` (did you mean ${JSON.stringify(r.suggestion)}?)` : '';
      if (r.undefinedLabel) return `label ${JSON.stringify(r.key)} does not have known values${hint}: the pod requires ${r.wanted}`;
      if (r.actual !== undefined || r.allowed === undefined) return `incompatible requirement ${r.wanted}: the node has ${r.key}=${r.actual ?? '(none)'}${hint}`;
      return `incompatible requirement ${r.wanted}: ${r.offeredByCatalog ? "the NodePool's instance types in the catalog offer" : 'the NodePool allows'} ${r.allowed}${hint}`;
    }
    case 'volume':
      return `volume: ${r.reason}`;
    case 'node-name':
      return `its required node affinity selects nodes by name (matchFields ${r.fields}); a new NodeClaim's name is not known before launch, so only existing nodes can match`;
    case 'host-port':
      return `host port ${r.port} is already in use`;
    case 'topology':
      return r.reason;
    case 'no-instance-types':
      return r.listed === 0 ? 'the cloud provider lists no instance types for this NodePool' : 'no instance type of the catalog is compatible with the NodePool requirements (see the catalog line and its warnings)';
    case 'no-compatible-instance-type':
      return `no instance type with an available offering satisfies ${r.requirements}`;
    case 'no-instance-type-fits': {
      const largest = r.largest
        ? `; the largest allowed type ${r.largest.name} has ${describeResources(r.largest.available)} available${isEmpty(r.largest.daemonOverhead) ? '' : ` after DaemonSets (${describeResources(r.largest.daemonOverhead)})`}`
        : '';
      const volume = r.ephemeralStorageLimit ? `; ephemeral-storage is limited by ${r.ephemeralStorageLimit}` : '';
      return `no instance type fits requests ${describeResources(r.requests)}${largest}${volume}`;
    }
    case 'min-values':
      return `requirement ${r.key} needs at least ${r.minValues} distinct values among fitting instance types, only ${r.available} remain`;
    case 'limits':
      return r.resource === 'nodes'
        ? `nodes limit ${r.limit} reached (${r.inUse} nodes in use or planned)`
        : `${r.resource} limit ${humanQuantity(r.resource, r.limit)} reached (${humanQuantity(r.resource, r.inUse)} in use or planned)`;
    case 'resources':
      return `not enough ${r.exceeded.join(', ')}: requests ${describeResources(r.requests)}, free ${describeResources(r.free)}`;
    case 'marked-for-deletion':
      return 'the node is being deleted';
  }
}

function isEmpty(list: ResourceList): boolean {
  return Object.values(list).every((v) => v === 0);
}
