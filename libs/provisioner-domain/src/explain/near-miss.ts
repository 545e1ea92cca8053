import { ARCHITECTURES, CAPACITY_TYPES, OPERATING_SYSTEMS } from '../apis/labels.js';
import { editDistance } from '../apis/validate/messages.js';

/** Values that are right somewhere (an architecture, an OS, a capacity type): never offered as someone's typo. */
const ALWAYS_VALID: ReadonlySet<string> = new Set([...ARCHITECTURES, ...OPERATING_SYSTEMS, ...CAPACITY_TYPES]);

/**
 * The known word closest to `word` when it is plausibly a typo: case-insensitive edit distance at most a third
 * of the longer word (at least 2), ties by the known words' order. `undefined` when nothing is close, and for a
 * word that is itself a valid architecture, OS or capacity type (`arm64` is not a typo of `amd64`).
 */
export function nearMiss(word: string, known: Iterable<string>): string | undefined {
  if (ALWAYS_VALID.has(word)) return undefined;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate === word) continue;
    const d = editDistance(word, candidate);
    const limit = Math.max(2, Math.floor(Math.max(word.length, candidate.length) / 3));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
