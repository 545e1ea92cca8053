/**
 * Deterministic names and uids for the objects a scenario makes up (pods of workloads): the same input always
 * gives the same text, so simulation output is stable across runs and machines.
 */

/** Kubernetes' `rand.SafeEncodeString` alphabet (no vowels, no look-alikes), used for pod-template-hash. */
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** 32-bit FNV-1a of `text`, continued from `seed`. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** `length` characters of the safe alphabet derived from `text` (like a Deployment's pod-template-hash). */
export function stableHash(text: string, length = 10): string {
  let out = '';
  let h = fnv1a(text);
  while (out.length < length) {
    out += SAFE_ALPHABET[h % SAFE_ALPHABET.length];
    h = Math.floor(h / SAFE_ALPHABET.length);
    if (h < SAFE_ALPHABET.length) h = fnv1a(`${out}:${text}`, h);
  }
  return out;
}

/** A UUID-shaped uid (8-4-4-4-12 hex digits) derived from `text`. */
export function stableUid(text: string): string {
  let hex = '';
  for (let i = 0; hex.length < 32; i++) hex += fnv1a(`${i}:${text}`).toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Creation times handed out in load order: the n-th object made up gets `2024-01-01T00:00:00Z` plus n seconds. */
export const SCENARIO_EPOCH_MS = Date.UTC(2024, 0, 1);

/** RFC 3339 text of `SCENARIO_EPOCH_MS + n` seconds. */
export function scenarioTimestamp(n: number): string {
  return new Date(SCENARIO_EPOCH_MS + n * 1000).toISOString().replace('.000Z', 'Z');
}
