import { describe, expect, it } from 'vitest';
import { OptionsError, defaultOptions, optionSpecs, parseOptions } from './options.js';

describe('options', () => {
  it('defaults mirror Karpenter (1 s idle / 10 s max batches, metrics 8080, health 8081)', () => {
    expect(parseOptions({})).toEqual(defaultOptions());
    expect(defaultOptions()).toMatchObject({ batchIdleMs: 1_000, batchMaxMs: 10_000, metricsPort: 8080, healthProbePort: 8081, systemNamespace: 'karpenter' });
  });

  it.each([
    { env: { BATCH_IDLE_DURATION: '500ms', BATCH_MAX_DURATION: '2s' }, expected: { batchIdleMs: 500, batchMaxMs: 2_000 } },
    { env: { BATCH_MAX_DURATION: '1m30s' }, expected: { batchMaxMs: 90_000 } },
    { env: { METRICS_PORT: '0', HEALTH_PROBE_PORT: '0' }, expected: { metricsPort: 0, healthProbePort: 0 } },
    { env: { DISABLE_LEADER_ELECTION: 'true' }, expected: { disableLeaderElection: true } },
  ])('reads $env', ({ env, expected }) => {
    expect(parseOptions(env)).toMatchObject(expected);
  });

  it('reports every bad variable at once', () => {
    try {
      parseOptions({ BATCH_IDLE_DURATION: 'soon', METRICS_PORT: '99999', CLOUD_PROVIDER: 'gcp' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(OptionsError);
      expect((error as OptionsError).issues).toHaveLength(3);
    }
  });

  it('rejects an idle window longer than the max window', () => {
    expect(() => parseOptions({ BATCH_IDLE_DURATION: '20s' })).toThrow(OptionsError);
  });

  it('rejects a renew deadline not shorter than the lease (two replicas could act as leader at once)', () => {
    expect(() => parseOptions({ LEADER_ELECTION_RENEW_DEADLINE: '15s' })).toThrow(/LEADER_ELECTION_RENEW_DEADLINE .* must be shorter than LEADER_ELECTION_LEASE_DURATION/);
    expect(parseOptions({ LEADER_ELECTION_RENEW_DEADLINE: '14s' }).leaderElectionRenewDeadlineMs).toBe(14_000);
  });

  it('documents every option with env var, default and unit', () => {
    for (const spec of optionSpecs) {
      expect(spec.env).toMatch(/^[A-Z_]+$/);
      expect(spec.unit).not.toBe('');
      expect(spec.description).not.toBe('');
    }
  });
});
