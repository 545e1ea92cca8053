/**
 * Drift: whether a launched NodeClaim still matches what its NodePool asks for today (Karpenter's
 * `nodeclaim/disruption` drift check). Pure: the caller passes the NodeClaim, its Node, the NodePool, the pool's
 * instance types and what the cloud provider said.
 *
 * Two kinds of NodePool fields, as in Karpenter:
 * - static fields (template labels, annotations, taints, startup taints, nodeClassRef, expireAfter,
 *   terminationGracePeriod) are compared through a hash stamped on the NodeClaim at creation
 *   (`karpenter.sh/nodepool-hash`, with the algorithm's version in `karpenter.sh/nodepool-hash-version`);
 * - requirements are left out of the hash and checked against the NodeClaim's labels instead, so widening a
 *   requirement that the node still satisfies drifts nothing.
 * Behavioural fields (weight, limits, disruption) never drift a node.
 */
import { DEFAULT_EXPIRE_AFTER } from '../apis/nodepool.defaults.js';
import { ANNOTATION_NODEPOOL_HASH, ANNOTATION_NODEPOOL_HASH_VERSION, LABEL_CAPACITY_TYPE, LABEL_INSTANCE_TYPE, LABEL_TOPOLOGY_ZONE } from '../apis/labels.js';
import type { NodeClaim } from '../apis/nodeclaim.js';
import type { NodePool } from '../apis/nodepool.js';
import type { Node } from '../core/types.js';
import type { InstanceType } from '../instancetypes/types.js';
import { Requirements } from '../scheduling/requirements.js';
import { normalizeNodeLabels } from '../scheduling/well-known-labels.js';

/**
 * Version of {@link nodePoolTemplateHash}'s algorithm and field set. A NodeClaim stamped with another version
 * is never called drifted by the hash: the `nodepool.hash` controller stamps it with the current hash instead
 * (Karpenter's `karpenter.sh/nodepool-hash-version` handling on upgrades).
 */
export const NODEPOOL_HASH_VERSION = 'kts-v1';

/** Why a NodeClaim is drifted, as Karpenter names the `Drifted` condition's reason. */
export type DriftReason = 'NodePoolDrifted' | 'RequirementsDrifted' | 'InstanceTypeNotFound' | 'CloudProviderDrifted';

/** A drift finding: the condition reason and a sentence for a person. */
export interface Drift {
  reason: DriftReason;
  message: string;
}

/** Input of {@link detectDrift}. */
export interface DriftInput {
  nodeClaim: NodeClaim;
  /** The registered Node, when there is one (its labels complete the NodeClaim's). */
  node?: Node;
  nodePool: NodePool;
  /**
   * The pool's instance types as the cloud provider lists them now. When absent the instance-type check is
   * skipped (no catalog, no verdict).
   */
  instanceTypes?: readonly InstanceType[];
  /** `CloudProvider.isDrifted`'s answer (e.g. `AMIDrift`); empty or absent when the provider sees no drift. */
  cloudProviderReason?: string;
}

/**
 * A stable text of a JSON value: object keys sorted, `undefined`/`null`/empty strings, arrays and objects
 * dropped (Karpenter hashes with IgnoreZeroValue and ZeroNil), and arrays treated as sets (sorted by their
 * own canonical text, duplicates removed; Karpenter's SlicesAsSets), so taint order does not matter.
 */
export function canonicalJson(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    const items = [...new Set(value.map(canonicalJson).filter((x): x is string => x !== undefined))].sort();
    return items.length === 0 ? undefined : `[${items.join(',')}]`;
  }
  if (typeof value === 'object') {
    const entries: string[] = [];
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const text = canonicalJson((value as Record<string, unknown>)[key]);
      if (text !== undefined) entries.push(`${JSON.stringify(key)}:${text}`);
    }
    return entries.length === 0 ? undefined : `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/** 64-bit FNV-1a over the UTF-16 code units of `text`, as a decimal string (the shape of Karpenter's hashes). */
export function fnv1a64(text: string): string {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    hash ^= BigInt(unit & 0xff);
    hash = (hash * FNV_PRIME) & MASK_64;
    hash ^= BigInt(unit >> 8);
    hash = (hash * FNV_PRIME) & MASK_64;
  }
  return hash.toString(10);
}

/**
 * The static-drift hash of a NodePool's template (Karpenter's `NodePool.Hash`): a 64-bit FNV-1a of the
 * canonical JSON of template labels, annotations, taints, startup taints, nodeClassRef, expireAfter (absent
 * counts as its default 720h) and terminationGracePeriod. Requirements are not part of it (checked by
 * {@link detectDrift} against the node's labels); neither are weight, limits or disruption. Stable under key
 * order, taint order and absent-vs-empty fields. Returns a decimal string; never throws.
 */
export function nodePoolTemplateHash(nodePool: NodePool): string {
  const template = nodePool.spec.template;
  const spec = template.spec;
  const hashed = {
    labels: template.metadata?.labels,
    annotations: template.metadata?.annotations,
    taints: spec.taints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    startupTaints: spec.startupTaints?.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    nodeClassRef: spec.nodeClassRef,
    expireAfter: spec.expireAfter ?? DEFAULT_EXPIRE_AFTER,
    terminationGracePeriod: spec.terminationGracePeriod,
  };
  return fnv1a64(canonicalJson(hashed) ?? '');
}

/** The two annotations a NodePool (and each NodeClaim created from it) carries: the hash and its version. */
export function nodePoolHashAnnotations(nodePool: NodePool): Record<string, string> {
  return { [ANNOTATION_NODEPOOL_HASH]: nodePoolTemplateHash(nodePool), [ANNOTATION_NODEPOOL_HASH_VERSION]: NODEPOOL_HASH_VERSION };
}

/**
 * Whether the NodeClaim's hash annotations must be rewritten to the pool's current hash rather than compared
 * (Karpenter re-stamps NodeClaims when the hash version changes, so an upgrade of the algorithm drifts
 * nothing): true when the NodeClaim has no hash, or one of another version. A NodeClaim already Drifted keeps
 * its old hash (re-stamping would hide a real change).
 */
export function needsHashRestamp(nodeClaim: NodeClaim): boolean {
  const annotations = nodeClaim.metadata.annotations ?? {};
  if ((nodeClaim.status?.conditions ?? []).some((c) => c.type === 'Drifted' && c.status === 'True')) return false;
  return annotations[ANNOTATION_NODEPOOL_HASH] === undefined || annotations[ANNOTATION_NODEPOOL_HASH_VERSION] !== NODEPOOL_HASH_VERSION;
}

/** The NodeClaim's labels completed by its Node's (the NodeClaim's win), with stable keys for beta aliases. */
function effectiveLabels(nodeClaim: NodeClaim, node: Node | undefined): Readonly<Record<string, string>> {
  return normalizeNodeLabels({ ...(node?.metadata.labels ?? {}), ...(nodeClaim.metadata.labels ?? {}) });
}

/**
 * Whether a launched NodeClaim has drifted from its NodePool, checked in Karpenter's order (the first finding
 * wins):
 * 1. NodePoolDrifted: the NodeClaim's `karpenter.sh/nodepool-hash` differs from {@link nodePoolTemplateHash}
 *    of the pool, both of version {@link NODEPOOL_HASH_VERSION} (another or no version: no verdict, see
 *    {@link needsHashRestamp});
 * 2. InstanceTypeNotFound: `instanceTypes` is given and has no type named by the node's
 *    `node.kubernetes.io/instance-type` label, or that type no longer has an offering in the node's zone and
 *    capacity type (availability does not matter: a type out of capacity still exists);
 * 3. RequirementsDrifted: the node's labels no longer satisfy the pool's requirements plus its template labels
 *    (kube-scheduler semantics: In/Exists need the label, NotIn/DoesNotExist accept its absence);
 * 4. CloudProviderDrifted: `cloudProviderReason` is a non-empty string (its text is kept in the message).
 * Returns undefined when none holds. Pure; never throws.
 */
export function detectDrift(input: DriftInput): Drift | undefined {
  const { nodeClaim, node, nodePool } = input;
  const annotations = nodeClaim.metadata.annotations ?? {};
  const claimHash = annotations[ANNOTATION_NODEPOOL_HASH];
  if (claimHash !== undefined && annotations[ANNOTATION_NODEPOOL_HASH_VERSION] === NODEPOOL_HASH_VERSION) {
    const poolHash = nodePoolTemplateHash(nodePool);
    if (claimHash !== poolHash) {
      return { reason: 'NodePoolDrifted', message: `NodePool ${nodePool.metadata.name ?? ''} template changed (hash ${claimHash} on the NodeClaim, ${poolHash} now)` };
    }
  }
  const labels = effectiveLabels(nodeClaim, node);
  if (input.instanceTypes) {
    const typeName = labels[LABEL_INSTANCE_TYPE];
    if (typeName !== undefined) {
      const type = input.instanceTypes.find((t) => t.name === typeName);
      if (!type) return { reason: 'InstanceTypeNotFound', message: `instance type ${typeName} is no longer offered to NodePool ${nodePool.metadata.name ?? ''}` };
      const zone = labels[LABEL_TOPOLOGY_ZONE];
      const capacityType = labels[LABEL_CAPACITY_TYPE];
      const offered = type.offerings.some((o) => (zone === undefined || o.zone === zone) && (capacityType === undefined || o.capacityType === capacityType));
      if (!offered) {
        const where = [capacityType, zone && `in ${zone}`].filter(Boolean).join(' ');
        return { reason: 'InstanceTypeNotFound', message: `instance type ${typeName} has no offering ${where} any more` };
      }
    }
  }
  const required = Requirements.fromNodeSelectorRequirements(nodePool.spec.template.spec.requirements).intersect(
    Requirements.fromLabels(nodePool.spec.template.metadata?.labels),
  );
  const conflict = required.matchLabels(labels);
  if (conflict) {
    const actual = labels[conflict.key];
    return {
      reason: 'RequirementsDrifted',
      message: `label ${conflict.key}${actual === undefined ? ' is absent' : `=${actual}`}, NodePool ${nodePool.metadata.name ?? ''} requires ${conflict.wanted.describe()}`,
    };
  }
  if (input.cloudProviderReason) return { reason: 'CloudProviderDrifted', message: `the cloud provider reports drift: ${input.cloudProviderReason}` };
  return undefined;
}
