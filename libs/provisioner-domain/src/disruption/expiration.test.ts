import { describe, expect, it } from 'vitest';
import type { NodeClaim } from '../apis/nodeclaim.js';
import { consolidatable } from './consolidatable.js';
import { nodeClaimExpiration } from './expiration.js';
import { HOUR, MINUTE, T0, iso, managed, pool } from './test-fixtures.js';

const claim = (expireAfter?: string, created: number | null = T0): NodeClaim => {
  const c = managed('n1').nodeClaim;
  return { ...c, metadata: { ...c.metadata, ...(created === null ? {} : { creationTimestamp: iso(created) }) }, spec: { ...c.spec, ...(expireAfter ? { expireAfter } : {}) } };
};

describe('nodeClaimExpiration', () => {
  it.each([
    ['1h', T0 + HOUR - 1, { kind: 'pending', expiresAtMs: T0 + HOUR }],
    ['1h', T0 + HOUR, { kind: 'expired', expiresAtMs: T0 + HOUR }],
    ['Never', T0 + 10_000 * HOUR, { kind: 'never' }],
    [undefined, T0 + 719 * HOUR, { kind: 'pending', expiresAtMs: T0 + 720 * HOUR }],
  ])('expireAfter %s at %d -> %o', (expireAfter, now, expected) => {
    expect(nodeClaimExpiration(claim(expireAfter), now)).toEqual(expected);
  });

  it('unreadable input is reported, never acted on', () => {
    expect(nodeClaimExpiration(claim('30 days'), T0)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('spec.expireAfter "30 days"') });
    expect(nodeClaimExpiration(claim('1h', null), T0)).toMatchObject({ kind: 'invalid', message: expect.stringContaining('creationTimestamp') });
  });
});

describe('consolidatable', () => {
  it('true consolidateAfter after the last pod event; pending before; Never never', () => {
    const node = managed('n1', { lastPodEventMs: T0 + MINUTE });
    expect(consolidatable(node, pool('default', { consolidateAfter: '30s' }), T0 + MINUTE + 29_000)).toMatchObject({ consolidatable: false, reason: 'ConsolidateAfterPending', retryAtMs: T0 + MINUTE + 30_000 });
    expect(consolidatable(node, pool('default', { consolidateAfter: '30s' }), T0 + MINUTE + 30_000)).toEqual({ consolidatable: true, sinceMs: T0 + MINUTE + 30_000 });
    expect(consolidatable(node, pool('default', { consolidateAfter: 'Never' }), T0 + 100 * HOUR)).toMatchObject({ consolidatable: false, reason: 'ConsolidateAfterNever' });
    expect(consolidatable(managed('n2', { initializedAtMs: null }), pool(), T0 + HOUR)).toMatchObject({ consolidatable: false, reason: 'NotInitialized' });
  });
});
