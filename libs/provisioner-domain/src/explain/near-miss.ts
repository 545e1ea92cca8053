import { editDistance } from '../apis/validate/messages.js';

/**
 * The known word closest to `word` when it is plausibly a typo: case-insensitive edit distance at most a third
 * of the longer word (at least 2), ties by the known words' order. `undefined` when nothing is close.
 */
export function nearMiss(word: string, known: Iterable<string>): string | undefined {
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
