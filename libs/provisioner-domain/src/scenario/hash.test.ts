import { describe, expect, it } from 'vitest';
import { scenarioTimestamp, stableHash, stableUid } from './hash.js';

describe('stable names', () => {
  it.each([5, 10, 16])('stableHash gives %i safe characters, the same each time, different per input', (n) => {
    expect(stableHash('a', n)).toMatch(new RegExp(`^[bcdfghjklmnpqrstvwxz2456789]{${n}}$`));
    expect(stableHash('a', n)).toBe(stableHash('a', n));
    expect(stableHash('a', n)).not.toBe(stableHash('b', n));
  });
  it('stableUid is UUID-shaped and stable', () => {
    expect(stableUid('Pod/default/a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(stableUid('Pod/default/a')).toBe(stableUid('Pod/default/a'));
    expect(stableUid('Pod/default/a')).not.toBe(stableUid('Pod/default/b'));
  });
  it('scenarioTimestamp counts seconds from 2024-01-01', () => {
    expect([0, 61].map(scenarioTimestamp)).toEqual(['2024-01-01T00:00:00Z', '2024-01-01T00:01:01Z']);
  });
});
