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

  it('reads the API options (port, auth switch, team label key, CORS origins, limits)', () => {
    expect(defaultOptions()).toMatchObject({ apiPort: 8090, apiAuthDisabled: false, teamLabelKey: 'team', apiCorsAllowedOrigins: [], apiMaxBodyBytes: 1_048_576 });
    expect(
      parseOptions({
        API_PORT: '0',
        API_AUTH_DISABLED: 'true',
        API_TEAM_LABEL_KEY: 'example.com/team',
        API_CORS_ALLOWED_ORIGINS: 'https://backstage.example.com, http://localhost:3000',
        API_SIMULATE_TIMEOUT: '2s',
        API_TOKEN_CACHE_SIZE: '50',
      }),
    ).toMatchObject({
      apiPort: 0,
      apiAuthDisabled: true,
      teamLabelKey: 'example.com/team',
      apiCorsAllowedOrigins: ['https://backstage.example.com', 'http://localhost:3000'],
      apiSimulateTimeoutMs: 2_000,
      apiTokenCacheSize: 50,
    });
  });

  it('names the fix for a bad team label key or CORS origin', () => {
    expect(() => parseOptions({ API_TEAM_LABEL_KEY: 'team name' })).toThrow(/API_TEAM_LABEL_KEY: "team name" is not a label key/);
    expect(() => parseOptions({ API_CORS_ALLOWED_ORIGINS: 'https://backstage.example.com/' })).toThrow(/use https:\/\/backstage.example.com/);
    expect(() => parseOptions({ API_CORS_ALLOWED_ORIGINS: 'backstage' })).toThrow(/not an origin/);
  });

  it('rejects an idle window longer than the max window', () => {
    expect(() => parseOptions({ BATCH_IDLE_DURATION: '20s' })).toThrow(OptionsError);
  });

  it('rejects a renew deadline not shorter than the lease (two replicas could act as leader at once)', () => {
    expect(() => parseOptions({ LEADER_ELECTION_RENEW_DEADLINE: '15s' })).toThrow(/LEADER_ELECTION_RENEW_DEADLINE .* must be shorter than LEADER_ELECTION_LEASE_DURATION/);
    expect(parseOptions({ LEADER_ELECTION_RENEW_DEADLINE: '14s' }).leaderElectionRenewDeadlineMs).toBe(14_000);
  });

  // issue 13 (helper awsb)
  it('CLOUD_PROVIDER=aws needs CLUSTER_NAME and CLUSTER_ENDPOINT, and reads the AWS settings', () => {
    expect(() => parseOptions({ CLOUD_PROVIDER: 'aws' })).toThrow(/CLUSTER_NAME: required with CLOUD_PROVIDER=aws[\s\S]*CLUSTER_ENDPOINT: required/);
    expect(() => parseOptions({ CLOUD_PROVIDER: 'gcp' })).toThrow(/cloud provider "gcp" is not available \(simulated, aws\)/);
    expect(() => parseOptions({ AWS_ENDPOINT_OVERRIDE: 'localhost:5000' })).toThrow(/AWS_ENDPOINT_OVERRIDE: .* is not/);
    const options = parseOptions({ CLOUD_PROVIDER: 'aws', CLUSTER_NAME: 'demo', CLUSTER_ENDPOINT: 'https://api.demo', AWS_REGION: 'us-west-2', INTERRUPTION_QUEUE: 'demo', AWS_EMULATED_KUBELET: 'true' });
    expect(options).toMatchObject({ cloudProvider: 'aws', clusterName: 'demo', clusterEndpoint: 'https://api.demo', awsRegion: 'us-west-2', interruptionQueue: 'demo', awsEmulatedKubelet: true, awsEndpointOverride: '' });
  });

  it('documents every option with env var, default and unit', () => {
    for (const spec of optionSpecs) {
      expect(spec.env).toMatch(/^[A-Z_]+$/);
      expect(spec.unit).not.toBe('');
      expect(spec.description).not.toBe('');
    }
  });
});
