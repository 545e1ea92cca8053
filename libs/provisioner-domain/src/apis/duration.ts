/**
 * Durations as Karpenter's API writes them: Go `time.Duration` strings restricted to whole hours, minutes and
 * seconds (`30s`, `1h30m`, `720h`), plus the literal `Never` where a duration may be disabled.
 */

/** `expireAfter`, `consolidateAfter`: one or more `<int>(s|m|h)` groups, or `Never`. */
export const NILLABLE_DURATION_PATTERN = '^(([0-9]+(s|m|h))+|Never)$';
/** `terminationGracePeriod`: one or more `<int>(s|m|h)` groups; `Never` is not allowed. */
export const DURATION_PATTERN = '^([0-9]+(s|m|h))+$';
/** Budget `duration`: hours and/or minutes only (cron has no seconds), with an optional trailing `0s`. */
export const BUDGET_DURATION_PATTERN = '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$';

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000 };
const GROUP = /([0-9]+)(h|m|s)/g;

/** A parsed duration: milliseconds, or `'Never'`. */
export type DurationValue = number | 'Never';

/**
 * Parses a Karpenter duration (`"30s"`, `"1h30m"`, `"720h"`, `"Never"`) into milliseconds, or `'Never'`.
 * Accepts the forms `NILLABLE_DURATION_PATTERN` allows, and also Go's `ms`/`us`/`ns` free forms are NOT accepted.
 * Returns `undefined` for text that is not a duration (callers decide whether that is an error).
 */
export function parseDuration(text: string): DurationValue | undefined {
  if (text === 'Never') return 'Never';
  if (!/^([0-9]+(h|m|s))+$/.test(text)) return undefined;
  let ms = 0;
  for (const m of text.matchAll(GROUP)) {
    const n = Number(m[1]);
    const unit = UNIT_MS[m[2] ?? 's'] ?? 1_000;
    ms += n * unit;
  }
  return ms;
}

/**
 * Formats milliseconds as the shortest Karpenter duration text (`90_000` → `"1m30s"`, `0` → `"0s"`).
 * Sub-second remainders are dropped. `'Never'` passes through.
 */
export function formatDuration(value: DurationValue): string {
  if (value === 'Never') return 'Never';
  let s = Math.floor(value / 1000);
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  let out = '';
  if (h) out += `${h}h`;
  if (m) out += `${m}m`;
  if (s || out === '') out += `${s}s`;
  return out;
}
