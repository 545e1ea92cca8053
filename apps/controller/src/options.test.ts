import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { OptionsError, controllerSettingsJsonSchema, controllerSettingsSchema, defaultOptions, durationToMs, featureGateDefaults, optionSpecs, parseOptions, parseSettings, settingSpecs } from './options.js';

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
    expect(() => parseOptions({ CLOUD_PROVIDER: 'gcp' })).toThrow(/CLOUD_PROVIDER: "gcp" is not one of simulated, aws/);
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

describe('settings schema (flags, environment, JSON Schema)', () => {
  const issuesOf = (input: Parameters<typeof parseSettings>[0]): string[] => {
    const result = parseSettings(input);
    if (result.ok || result.help) throw new Error('expected issues');
    return result.issues;
  };

  it('reads the Karpenter settings added for production (cluster, queue, feature gates, log format, cloud provider)', () => {
    const options = parseOptions({
      CLUSTER_NAME: 'prod',
      CLUSTER_ENDPOINT: 'https://ABC.gr7.us-west-2.eks.amazonaws.com',
      INTERRUPTION_QUEUE: 'prod',
      FEATURE_GATES: 'SpotToSpotConsolidation=true, NodeRepair=false',
      LOG_FORMAT: 'text',
      CLOUD_PROVIDER: 'aws',
    });
    expect(options).toMatchObject({ clusterName: 'prod', interruptionQueue: 'prod', logFormat: 'text', cloudProvider: 'aws' });
    expect(options.featureGates).toEqual({ ...featureGateDefaults, SpotToSpotConsolidation: true, NodeRepair: false });
    expect(defaultOptions().featureGates).toMatchObject({ SpotToSpotConsolidation: false, ReservedCapacity: true });
  });

  it('reads flags, which win over the environment; a bare boolean flag is true', () => {
    const result = parseSettings({
      env: { BATCH_IDLE_DURATION: '2s', METRICS_PORT: '9000' },
      argv: ['--batch-idle-duration=500ms', '--metrics-port', '0', '--disable-leader-election', '--log-level', 'debug'],
    });
    expect(result.ok && result.options).toMatchObject({ batchIdleMs: 500, metricsPort: 0, disableLeaderElection: true, logLevel: 'debug' });
  });

  it('parses Go durations into milliseconds', () => {
    expect(durationToMs('1h30m')).toBe(5_400_000);
    expect(durationToMs('1.5s')).toBe(1_500);
    expect(parseOptions({ MEMORY_LOG_INTERVAL: '0' }).memoryLogIntervalMs).toBe(0);
    expect(() => parseOptions({ BATCH_MAX_DURATION: '10' })).toThrow(/BATCH_MAX_DURATION: "10" is not a duration such as 1s.*\(default 10s\)/);
  });

  it('rejects misspelt variables, unknown flags, unknown feature gates and bad enums, with a did-you-mean', () => {
    expect(issuesOf({ env: { BATCH_IDLE_DURATON: '1s' } })).toEqual([expect.stringMatching(/^BATCH_IDLE_DURATON is not a karpenter-ts setting; did you mean BATCH_IDLE_DURATION\?/)]);
    expect(issuesOf({ env: { KARPENTER_CLUSTER_NAME: 'x' } })[0]).toMatch(/KARPENTER_CLUSTER_NAME is not a karpenter-ts setting; did you mean CLUSTER_NAME\?/);
    expect(issuesOf({ argv: ['--batch-idle-duraton=1s'] })).toEqual([expect.stringMatching(/^unknown flag --batch-idle-duraton; did you mean --batch-idle-duration\?/)]);
    expect(issuesOf({ env: { FEATURE_GATES: 'SpotToSpotConsolidaton=true' } })[0]).toMatch(/unknown feature gate "SpotToSpotConsolidaton".*did you mean SpotToSpotConsolidation\?/);
    expect(issuesOf({ env: { LOG_FORMAT: 'jsn' } })[0]).toMatch(/^LOG_FORMAT: "jsn" is not one of json, text; did you mean json\?/);
    expect(issuesOf({ argv: ['--cloud-provider=gcp'] })[0]).toMatch(/^--cloud-provider: "gcp" is not one of simulated, aws/);
  });

  it('leaves Kubernetes service links, unrelated variables and Karpenter settings it does not implement alone (the latter as warnings)', () => {
    const result = parseSettings({ env: { KARPENTER_SERVICE_HOST: '10.0.0.1', KARPENTER_PORT_8080_TCP_ADDR: '10.0.0.1', KARPENTER_VERSION: '1.8.0', KARPENTER_NAMESPACE: 'kube-system', HOME: '/root', PATH: '/bin', KUBE_CLIENT_QPS: '200' } });
    expect(result.ok && result.warnings).toEqual(['KUBE_CLIENT_QPS is a Karpenter setting karpenter-ts does not implement; it is ignored']);
  });

  it('--help lists every setting with flag, variable and default', () => {
    const result = parseSettings({ argv: ['--help'] });
    expect(result.ok === false && result.help).toBe(true);
    const text = result.ok === false && result.help ? result.text : '';
    for (const spec of settingSpecs) expect(text).toContain(`${spec.flag}`);
    for (const spec of settingSpecs) expect(text).toContain(spec.env);
    expect(text).toMatch(/--batch-idle-duration\s+BATCH_IDLE_DURATION\s+1s\s+duration/);
  });

  it('generates a draft-07 JSON Schema of the human form, with defaults, that accepts the defaults and rejects a bad value', () => {
    const schema = controllerSettingsJsonSchema as { $schema: string; properties: Record<string, { default?: unknown; type?: string; pattern?: string; enum?: string[] }>; additionalProperties: boolean; required?: string[] };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toBeUndefined();
    expect(schema.properties['batchIdleDuration']).toMatchObject({ type: 'string', default: '1s' });
    expect(new RegExp(schema.properties['batchIdleDuration']?.pattern ?? '^$').test('1m30s')).toBe(true);
    expect(new RegExp(schema.properties['batchIdleDuration']?.pattern ?? '^$').test('soon')).toBe(false);
    expect(schema.properties['metricsPort']).toMatchObject({ type: 'integer', default: 8080, maximum: 65535 });
    expect(schema.properties['cloudProvider']?.enum).toEqual(['simulated', 'aws']);
    expect(schema.properties['logFormat']?.enum).toEqual(['json', 'text']);
    expect(Object.keys(schema.properties).sort()).toEqual(settingSpecs.map((s) => s.name).sort());
    // The defaults of the table are valid input of the same zod schema.
    const defaults = Object.fromEntries(settingSpecs.filter((s) => s.default !== undefined).map((s) => [s.name, s.default]));
    expect(controllerSettingsSchema.safeParse(defaults).success).toBe(true);
    expect(controllerSettingsSchema.safeParse({ ...defaults, batchIdleDuration: 'soon' }).success).toBe(false);
    expect(controllerSettingsSchema.safeParse({ ...defaults, batchIdelDuration: '1s' }).success).toBe(false);
  });
});

describe('the controller process with bad settings', () => {
  it('exits 2 with one sentence per problem and no stack trace; --help exits 0', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const bad = spawnSync(process.execPath, [tsx, main, '--batch-idle-duraton=1s'], { env: { PATH: process.env['PATH'], BATCH_MAX_DURATION: 'soon' }, encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown flag --batch-idle-duraton; did you mean --batch-idle-duration?');
    expect(bad.stderr).toContain('BATCH_MAX_DURATION: "soon" is not a duration');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const help = spawnSync(process.execPath, [tsx, main, '--help'], { env: { PATH: process.env['PATH'] }, encoding: 'utf8', timeout: 60_000 });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--feature-gates');
  }, 120_000);
});
