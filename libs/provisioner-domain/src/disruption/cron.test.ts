import { describe, expect, it } from 'vitest';
import { nextCronHitMs, parseCronSchedule } from './cron.js';

// 2026-01-01 is a Thursday.
const at = (text: string): number => Date.parse(text);
const next = (schedule: string, after: string): string => {
  const parsed = parseCronSchedule(schedule);
  if (!parsed.ok) throw new Error(parsed.error);
  return new Date(nextCronHitMs(parsed.schedule, at(after))).toISOString();
};

describe('nextCronHitMs (UTC, strictly after the reference time)', () => {
  it.each([
    { name: 'a hit exactly at the reference is not "next"', schedule: '0 9 * * *', after: '2026-01-01T09:00:00.000Z', expected: '2026-01-02T09:00:00.000Z' },
    { name: 'a millisecond before the hit finds it', schedule: '0 9 * * *', after: '2026-01-01T08:59:59.999Z', expected: '2026-01-01T09:00:00.000Z' },
    { name: 'weekday names and ranges', schedule: '0 9 * * mon-fri', after: '2026-01-03T00:00:00Z', expected: '2026-01-05T09:00:00.000Z' },
    { name: 'names in any case', schedule: '0 9 * * MON-FRI', after: '2026-01-03T00:00:00Z', expected: '2026-01-05T09:00:00.000Z' },
    { name: 'month names', schedule: '0 0 1 jan *', after: '2026-02-01T00:00:00Z', expected: '2027-01-01T00:00:00.000Z' },
    { name: '@daily', schedule: '@daily', after: '2026-01-01T09:00:00Z', expected: '2026-01-02T00:00:00.000Z' },
    { name: '@midnight (robfig has it, cron-parser does not)', schedule: '@midnight', after: '2026-01-01T09:00:00Z', expected: '2026-01-02T00:00:00.000Z' },
    { name: '@hourly', schedule: '@hourly', after: '2026-01-01T09:00:00Z', expected: '2026-01-01T10:00:00.000Z' },
    { name: '@weekly is Sunday midnight', schedule: '@weekly', after: '2026-01-01T09:00:00Z', expected: '2026-01-04T00:00:00.000Z' },
    { name: '@monthly', schedule: '@monthly', after: '2026-01-01T09:00:00Z', expected: '2026-02-01T00:00:00.000Z' },
    { name: '@yearly', schedule: '@yearly', after: '2026-01-01T09:00:00Z', expected: '2027-01-01T00:00:00.000Z' },
    { name: '@annually', schedule: '@annually', after: '2026-01-01T09:00:00Z', expected: '2027-01-01T00:00:00.000Z' },
    { name: 'restricted day-of-month and day-of-week: either matches (the 13th or a Friday)', schedule: '0 0 13 * 5', after: '2026-01-01T00:00:00Z', expected: '2026-01-02T00:00:00.000Z' },
    { name: 'wildcard day-of-month: only the weekday counts', schedule: '0 0 * * 1', after: '2026-01-01T00:00:00Z', expected: '2026-01-05T00:00:00.000Z' },
    { name: '*/1 is a wildcard, as robfig reads it', schedule: '0 0 */1 * 1', after: '2026-01-01T00:00:00Z', expected: '2026-01-05T00:00:00.000Z' },
    { name: '? is a wildcard', schedule: '0 0 ? * 1', after: '2026-01-01T00:00:00Z', expected: '2026-01-05T00:00:00.000Z' },
    { name: 'N/step means N-max/step', schedule: '5/20 * * * *', after: '2026-01-01T00:06:00Z', expected: '2026-01-01T00:25:00.000Z' },
    { name: 'lists and stepped ranges', schedule: '0 8,18 * * 1-5/2', after: '2026-01-01T09:00:00Z', expected: '2026-01-02T08:00:00.000Z' },
  ])('$name', ({ schedule, after, expected }) => {
    expect(next(schedule, after)).toBe(expected);
  });
});

describe('parseCronSchedule refuses what robfig/cron refuses', () => {
  it.each([
    ['six fields (seconds)', '0 0 9 * * *'],
    ['four fields', '0 9 * *'],
    ['an unknown macro', '@every'],
    ['a macro with more text', '@daily 5'],
    ['weekday 7', '0 0 * * 7'],
    ['minute 60', '60 * * * *'],
    ['day-of-month 0', '0 0 0 * *'],
    ['a backwards range', '0 0 * * 5-1'],
    ['names where numbers belong', '0 mon * * *'],
    ['cron-parser\'s L', '0 0 L * *'],
    ['cron-parser\'s #', '0 0 * * 5#2'],
    ['cron-parser\'s H', 'H 0 * * *'],
    ['step 0', '*/0 * * * *'],
    ['a schedule that never fires', '0 0 31 2 *'],
    ['garbage', 'a b c d e'],
  ])('%s: %s', (_name, schedule) => {
    const parsed = parseCronSchedule(schedule);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain('schedule');
  });
});
