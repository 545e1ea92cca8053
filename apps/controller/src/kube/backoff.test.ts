import { describe, expect, it } from 'vitest';
import { Backoff, backoffDelayMs } from './backoff.js';

describe('backoffDelayMs', () => {
  it.each([
    { attempt: 0, random: 0, expected: 100 },
    { attempt: 3, random: 0, expected: 800 },
    { attempt: 3, random: 0.999999, expected: 400 },
    { attempt: 20, random: 0, expected: 30_000 },
  ])('attempt $attempt with random $random → $expected ms', ({ attempt, random, expected }) => {
    expect(backoffDelayMs(attempt, { baseMs: 100, maxMs: 30_000, jitter: 0.5, random: () => random })).toBe(expected);
  });

  it('stays within [raw*(1-jitter), raw]', () => {
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(4, { baseMs: 100, jitter: 0.5 });
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1_600);
    }
  });

  it('Backoff counts failures and resets', () => {
    const b = new Backoff({ baseMs: 10, jitter: 0 });
    expect([b.nextDelayMs(), b.nextDelayMs(), b.nextDelayMs()]).toEqual([10, 20, 40]);
    b.reset();
    expect(b.nextDelayMs()).toBe(10);
  });
});
