import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['720h', 2_592_000_000],
    ['1h30m', 5_400_000],
    ['1h0m0s', 3_600_000],
    ['0s', 0],
    ['Never', 'Never'],
  ] as const)('%s → %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1d', '30', '1.5h', 'never', '-1s', '10ms'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [30_000, '30s'],
    [90_000, '1m30s'],
    [3_600_000, '1h'],
    [2_592_000_000, '720h'],
    ['Never', 'Never'],
  ] as const)('%s → %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips with parseDuration', () => {
    for (const ms of [0, 1_000, 61_000, 3_661_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
