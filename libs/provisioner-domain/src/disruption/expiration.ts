/**
 * Expiration (Karpenter's `nodeclaim/expiration`): a NodeClaim lives at most `spec.expireAfter` after its
 * creation, then it is deleted whatever the budgets say (forceful disruption; the drain still honours PDBs
 * until `terminationGracePeriod` runs out). Pure: the caller passes `nowMs`.
 */
import { parseDuration } from '../apis/duration.js';
import type { NodeClaim } from '../apis/nodeclaim.js';
import { DEFAULT_EXPIRE_AFTER } from '../apis/nodepool.defaults.js';
import { timestampMs } from './emptiness.js';

/** The answer of {@link nodeClaimExpiration}. */
export type Expiration =
  /** `expireAfter: Never`: the NodeClaim never expires. */
  | { kind: 'never' }
  /** Not yet: look again at `expiresAtMs` (ms since the Unix epoch). */
  | { kind: 'pending'; expiresAtMs: number }
  /** Expired at `expiresAtMs` (≤ now): delete the NodeClaim. */
  | { kind: 'expired'; expiresAtMs: number }
  /** `spec.expireAfter` or `metadata.creationTimestamp` cannot be read: never act on it; `message` says what to fix. */
  | { kind: 'invalid'; message: string };

/**
 * When the NodeClaim expires: `metadata.creationTimestamp + spec.expireAfter` (absent means the default 720h,
 * the NodeClaim CRD's default; `Never` never expires). Returns `expired` once `nowMs` reaches that instant.
 */
export function nodeClaimExpiration(nodeClaim: NodeClaim, nowMs: number): Expiration {
  const text = nodeClaim.spec.expireAfter ?? DEFAULT_EXPIRE_AFTER;
  const duration = parseDuration(text);
  const name = nodeClaim.metadata.name ?? '';
  if (duration === undefined) return { kind: 'invalid', message: `NodeClaim ${name} has spec.expireAfter "${text}", which is not a duration such as "720h" or "Never"` };
  if (duration === 'Never') return { kind: 'never' };
  const createdMs = timestampMs(nodeClaim.metadata.creationTimestamp);
  if (createdMs === undefined) return { kind: 'invalid', message: `NodeClaim ${name} has no readable metadata.creationTimestamp` };
  const expiresAtMs = createdMs + duration;
  return nowMs >= expiresAtMs ? { kind: 'expired', expiresAtMs } : { kind: 'pending', expiresAtMs };
}
