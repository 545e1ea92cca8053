import type { NodeClaim } from '@karpenter-ts/provisioner-domain';
import { afterEach, describe, expect, it } from 'vitest';
import { launchedClaim, nodePool } from '../../testing/builders.js';
import { newTestContext, type TestContext } from '../../testing/context.js';
import { disruptedLabels } from './disrupted-labels.js';

let t: TestContext | undefined;
afterEach(async () => t?.stop());

const withGrace = (grace: string | undefined): NodeClaim => {
  const claim = launchedClaim('c1');
  return { ...claim, spec: { ...claim.spec, ...(grace === undefined ? {} : { terminationGracePeriod: grace }) } } as NodeClaim;
};

describe('karpenter_nodeclaims_disrupted_total labels', () => {
  it.each([
    [undefined, 'graceful'],
    ['1h', 'eventual'],
    ['0s', 'forceful'],
  ])('terminationGracePeriod %s → termination_mode %s; the pool policy in snake_case', async (grace, mode) => {
    t = await newTestContext({ nodePools: [nodePool('default', { consolidationPolicy: 'WhenEmptyOrUnderutilized', consolidateAfter: '30s' })] });
    expect(disruptedLabels(t.ctx, withGrace(grace), 'underutilized')).toEqual({
      reason: 'underutilized',
      nodepool: 'default',
      capacity_type: 'on-demand',
      consolidation_policy: 'when_empty_or_underutilized',
      termination_mode: mode,
    });
  });

  it('a NodeClaim whose pool is gone has an empty consolidation_policy', async () => {
    t = await newTestContext();
    expect(disruptedLabels(t.ctx, withGrace(undefined), 'expired')).toMatchObject({ nodepool: 'default', consolidation_policy: '', termination_mode: 'graceful' });
  });
});
