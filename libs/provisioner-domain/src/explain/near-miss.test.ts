import { describe, expect, it } from 'vitest';
import { nearMiss } from './near-miss.js';

describe('nearMiss', () => {
  it.each<[string, string[], string | undefined]>([
    ['spto', ['spot', 'on-demand'], 'spot'],
    ['Spot', ['spot', 'on-demand'], 'spot'],
    ['us-west-2z', ['us-west-2a', 'us-east-1a'], 'us-west-2a'],
    ['arm64', ['amd64'], undefined],
    ['windows', ['linux'], undefined],
    ['zzzzzz', ['spot'], undefined],
  ])('%s among %j → %s', (word, known, expected) => {
    expect(nearMiss(word, known)).toBe(expected);
  });
});
