import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dateTimeSchema, isKubeDateTime } from './common.js';
import { nodeClaimSchema } from './nodeclaim.js';

describe('isKubeDateTime (the API server format date-time)', () => {
  it.each([
    ['2026-01-01T00:00:00Z', true],
    ['2026-01-01T00:00:00.123Z', true],
    ['2026-01-01t23:59:59z', true],
    ['2026-01-01T00:00:00+02:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2026-01-01', false],
    ['2026-01-01T00:00:00', false],
    ['2026-02-30T00:00:00Z', false],
    ['2025-02-29T00:00:00Z', false],
    ['2026-13-01T00:00:00Z', false],
    ['2026-01-01T24:00:00Z', false],
    ['2026-01-01T00:60:00Z', false],
    ['yesterday', false],
    ['', false],
  ])('%s → %s', (text, ok) => {
    expect(isKubeDateTime(text)).toBe(ok);
    expect(dateTimeSchema.safeParse(text).success).toBe(ok);
  });

  it('NodeClaim status.lastPodEventTime is a date-time in zod and in the JSON schema the CRD is generated from', () => {
    const claim = (lastPodEventTime: string) => ({
      apiVersion: 'karpenter.sh/v1',
      kind: 'NodeClaim',
      metadata: { name: 'c' },
      spec: { requirements: [], nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass', name: 'default' } },
      status: { lastPodEventTime },
    });
    expect(nodeClaimSchema.safeParse(claim('2026-01-01T00:00:25.000Z')).success).toBe(true);
    const bad = nodeClaimSchema.safeParse(claim('soon'));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['status', 'lastPodEventTime'], params: { code: 'date-time' } });
    expect(z.toJSONSchema(dateTimeSchema, { io: 'input' })).toMatchObject({ type: 'string', format: 'date-time' });
    expect(z.toJSONSchema(dateTimeSchema, { io: 'input' })).not.toHaveProperty('pattern');
  });
});
