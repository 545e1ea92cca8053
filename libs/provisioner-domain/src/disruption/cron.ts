/**
 * Disruption budget schedules: standard five-field cron (and the `@daily`-style macros) evaluated in UTC, as
 * Karpenter evaluates them with `cron.ParseStandard("TZ=UTC " + schedule)` (robfig/cron v3).
 *
 * The search for the next hit is `cron-parser`'s, always given the reference time (it reads no clock and does
 * no I/O on this path). Before it runs, the text is checked and normalised to robfig's dialect so both read a
 * schedule the same way: exactly five fields; per field a list of `*`, `?`, `N`, `N-M`, each with an optional
 * `/step` (`N/step` meaning `N-max/step`); names only for months (`jan`..`dec`) and weekdays (`sun`..`sat`),
 * any case; weekdays 0-6 (7 is refused, as robfig does); `?` and `*` (with no step or step 1) make a field a wildcard, so a
 * restricted day-of-month and a restricted day-of-week match when either does (`0 0 13 * 5`: the 13th or any
 * Friday), while a wildcard in one of them leaves only the other. cron-parser's own extensions (`L`, `W`, `#`,
 * `H`, seconds fields) are refused like robfig refuses them. One difference remains: a schedule that can
 * never fire (`0 0 31 2 *`) is an error here, while robfig quietly reports no next hit.
 */
import { CronExpressionParser } from 'cron-parser';

/** A schedule that passed {@link parseCronSchedule}: the normalised five-field expression. */
export interface CronSchedule {
  /** The text as written in the NodePool. */
  source: string;
  /** The five-field expression handed to cron-parser. */
  expression: string;
}

export type CronParseResult = { ok: true; schedule: CronSchedule } | { ok: false; error: string };

/** robfig/cron's descriptors and the five-field schedules they stand for (`@every` is not allowed by Karpenter's CRD). */
export const CRON_MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: WEEKDAYS },
];

const ITEM = /^(?:(\*|\?)|([0-9a-z]+)(?:-([0-9a-z]+))?)(?:\/([0-9]+))?$/;

/** The numeric value of `text` in `field` (a number or, where allowed, a name), or an error text. */
function fieldValue(text: string, field: FieldSpec): number | string {
  let n: number;
  if (/^[0-9]+$/.test(text)) n = Number(text);
  else {
    const index = field.names?.indexOf(text) ?? -1;
    if (index < 0) return `"${text}" is not a valid ${field.name}`;
    n = index + (field.name === 'month' ? 1 : 0);
  }
  if (n < field.min || n > field.max) return `${field.name} ${text} is outside ${field.min}-${field.max}`;
  return n;
}

/** Checks one field and returns it in cron-parser's spelling, or an error text. */
function normaliseField(text: string, field: FieldSpec): { ok: true; text: string } | { ok: false; error: string } {
  const items = text.toLowerCase().split(',');
  const out: string[] = [];
  let wildcard = false;
  for (const item of items) {
    const m = ITEM.exec(item);
    if (!m) return { ok: false, error: `"${item}" is not a valid ${field.name} (use *, N, N-M, names where allowed, and /step)` };
    const [, star, from, to, stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return { ok: false, error: `the step in "${item}" must be a positive number` };
    if (star !== undefined) {
      if (step === 1) wildcard = true;
      else out.push(`*/${step}`);
      continue;
    }
    const start = fieldValue(from ?? '', field);
    if (typeof start === 'string') return { ok: false, error: start };
    let end = start;
    if (to !== undefined) {
      const parsed = fieldValue(to, field);
      if (typeof parsed === 'string') return { ok: false, error: parsed };
      end = parsed;
    } else if (stepText !== undefined) {
      end = field.max; // robfig: "N/step" is "N-max/step"
    }
    if (start > end) return { ok: false, error: `the range "${item}" of ${field.name} runs backwards` };
    out.push(start === end ? `${start}` : `${start}-${end}${step === 1 ? '' : `/${step}`}`);
  }
  return { ok: true, text: wildcard ? '*' : out.join(',') };
}

/**
 * Parses a budget schedule (`"0 9 * * mon-fri"`, `"@daily"`) in robfig/cron's standard dialect (see the file
 * comment). Returns the normalised schedule, or `{ ok: false, error }` with a sentence for a person.
 */
export function parseCronSchedule(text: string): CronParseResult {
  const trimmed = text.trim();
  let expression = trimmed;
  if (trimmed.startsWith('@')) {
    const macro = CRON_MACROS[trimmed.toLowerCase()];
    if (!macro) return { ok: false, error: `unknown schedule macro "${trimmed}" (use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)` };
    expression = macro;
  }
  const parts = expression.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) return { ok: false, error: `schedule "${text}" must have five fields (minute hour day-of-month month day-of-week), it has ${parts.length}` };
  const normalised: string[] = [];
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i] as FieldSpec;
    const result = normaliseField(part, field);
    if (!result.ok) return { ok: false, error: `schedule "${text}": ${result.error}` };
    normalised.push(result.text);
  }
  const schedule: CronSchedule = { source: text, expression: normalised.join(' ') };
  try {
    // Validates what only a search can tell (e.g. a day that no month has) without reading the clock.
    nextCronHitMs(schedule, 0);
  } catch (error) {
    return { ok: false, error: `schedule "${text}" never fires: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { ok: true, schedule };
}

/**
 * The first time the schedule fires strictly after `afterMs` (ms since the Unix epoch, UTC), as ms. Hits are on
 * whole minutes. Throws when the expression cannot be evaluated (only for schedules {@link parseCronSchedule}
 * did not return).
 */
export function nextCronHitMs(schedule: CronSchedule, afterMs: number): number {
  const expression = CronExpressionParser.parse(schedule.expression, { currentDate: new Date(afterMs), tz: 'UTC' });
  return expression.next().getTime();
}
