/**
 * Every controller option: its environment variable, default and unit, in one table (Karpenter's
 * `operator/options` with the same variable names where Karpenter has one). `parseOptions(env)` reads them,
 * collecting every problem instead of stopping at the first.
 */

export interface Options {
  /** Path of a kubeconfig file; unset = $KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeconfig: string | undefined;
  /** Idle time after the last pending-pod event before a provisioning round starts, ms. */
  batchIdleMs: number;
  /** Longest a provisioning batch window stays open after its first pod, ms. */
  batchMaxMs: number;
  /** Port of /metrics (0 = any free port). */
  metricsPort: number;
  /** Port of /healthz and /readyz (0 = any free port). */
  healthProbePort: number;
  /** Address the HTTP servers bind to. */
  bindAddress: string;
  /** pino level: trace, debug, info, warn, error. */
  logLevel: string;
  /** Run controllers without taking the leader Lease (single replica, local use). */
  disableLeaderElection: boolean;
  /** Namespace holding the leader Lease (the controller's own namespace in-cluster). */
  systemNamespace: string;
  /** Leader Lease name. */
  leaderElectionName: string;
  /** Lease validity without renewal, ms. */
  leaderElectionLeaseDurationMs: number;
  /** A leader that could not renew for this long stops, ms. */
  leaderElectionRenewDeadlineMs: number;
  /** Time between lease acquire/renew attempts, ms. */
  leaderElectionRetryPeriodMs: number;
  /** Cloud provider implementation: `simulated` (nodes are created in the cluster and run by KWOK) or `aws` (EC2). */
  cloudProvider: 'simulated' | 'aws';
  /** How often the disruption controller re-evaluates every node, ms (it is also woken by pod and node events). */
  disruptionPollMs: number;
  /** A launched NodeClaim whose node has not registered after this long is deleted, ms. */
  registrationTtlMs: number;
  /** A NodeClaim whose launch keeps failing is deleted this long after its first attempt, ms (Karpenter's LaunchTimeout, 5 min). */
  launchTimeoutMs: number;
  /** Time after SIGTERM after which the process exits even if shutdown has not finished, ms. */
  shutdownGracePeriodMs: number;
  /** Workers per controller work queue. */
  reconcileConcurrency: number;
  /** Period of the `memory usage` debug log line (RSS, heap, peak RSS), ms; 0 = off. */
  memoryLogIntervalMs: number;
  /** Simulated provider: each launch takes this long before the instance exists, ms. */
  simulatedLaunchDelayMs: number;
  /** Simulated provider: a launched instance boots this long before its node registers and turns Ready, ms. */
  simulatedReadyDelayMs: number;
  /** Simulated provider: the first N launches fail. */
  simulatedLaunchFailures: number;
  /** Simulated provider: afterwards each launch fails with this probability (0..1). */
  simulatedLaunchFailureRate: number;
  /** Simulated provider: seed of the failure draws. */
  simulatedLaunchFailureSeed: number;
  /** Simulated provider: what an injected failure is: `error` (outage, throttling) or `insufficient-capacity`. */
  simulatedLaunchFailureKind: 'error' | 'insufficient-capacity';
  /** Port of the read-only API (/api/v1/...; 0 = any free port), separate from metrics and health. */
  apiPort: number;
  /** Serve the API without TokenReview / SubjectAccessReview (local use only; logged at start). */
  apiAuthDisabled: boolean;
  /** Label key naming a team on NodePool templates and namespaces. */
  teamLabelKey: string;
  /** Browser origins allowed to call the API (CORS); empty = CORS off. */
  apiCorsAllowedOrigins: string[];
  /** Largest POST /api/v1/simulate body, bytes. */
  apiMaxBodyBytes: number;
  /** Longest simulation run, ms. */
  apiSimulateTimeoutMs: number;
  /** How long a TokenReview answer is reused, ms. */
  apiTokenCacheTtlMs: number;
  /** Most tokens whose TokenReview answer is cached. */
  apiTokenCacheSize: number;
  // issue 13 (helper awsb): the AWS cloud provider (CLOUD_PROVIDER=aws)
  /** AWS region; empty = the SDK's resolution (AWS_REGION of the SDK, profile, instance metadata). */
  awsRegion: string;
  /** Endpoint of every AWS service, e.g. an emulator (tests and local runs only); empty = AWS itself. */
  awsEndpointOverride: string;
  /** Name of the EKS cluster: tags, instance profile names, user data. Required with CLOUD_PROVIDER=aws. */
  clusterName: string;
  /** API server URL the nodes join (user data). Required with CLOUD_PROVIDER=aws. */
  clusterEndpoint: string;
  /** Base64 PEM of the cluster CA for the nodes' user data; empty = left out. */
  clusterCABundle: string;
  /** SQS queue (name or URL) of EC2 interruption events; empty = interruption handling off. */
  interruptionQueue: string;
  /** Tests/local: create a KWOK Node for each launched instance (a kubelet simulator with the instance's providerID). */
  awsEmulatedKubelet: boolean;
  // issue 13 (helper awsa)
  /** AWS provider: fraction of an instance type's memory the hypervisor keeps (Karpenter's VM_MEMORY_OVERHEAD_PERCENT), 0..1. */
  vmMemoryOverheadPercent: number;
}

interface OptionSpec<K extends keyof Options> {
  key: K;
  env: string;
  default: Options[K];
  unit: string;
  description: string;
  parse: (text: string) => Options[K] | Error;
}

const durationMs = (text: string): number | Error => {
  // Go duration subset: 500ms, 1s, 1.5s, 2m, 1h30m
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  if (!/^(\d+(?:\.\d+)?(ms|s|m|h))+$/.test(text)) {
    if (/^\d+$/.test(text)) return Number(text) * 1000;
    return new Error(`"${text}" is not a duration such as 1s, 500ms, 2m`);
  }
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const m of text.matchAll(re)) total += Number(m[1]) * (units[m[2] ?? 's'] ?? 1000);
  return Math.round(total);
};
const port = (text: string): number | Error => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 && n < 65536 ? n : new Error(`"${text}" is not a port (0-65535)`);
};
const bool = (text: string): boolean | Error =>
  /^(true|1|yes)$/i.test(text) ? true : /^(false|0|no|)$/i.test(text) ? false : new Error(`"${text}" is not a boolean`);
const str = (text: string): string => text;
const nonNegativeInt = (text: string): number | Error => {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : new Error(`"${text}" is not a whole number (0 or more)`);
};
const fraction = (text: string): number | Error => {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) && n >= 0 && n <= 1 ? n : new Error(`"${text}" is not a probability between 0 and 1, e.g. 0.2`);
};
/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 alphanumerics, `-`, `_`, `.`. */
const labelKey = (text: string): string | Error => {
  const name = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
  return name.test(text) && text.length <= 317 ? text : new Error(`"${text}" is not a label key such as team or example.com/team`);
};
const originList = (text: string): string[] | Error => {
  const origins = text.split(',').map((o) => o.trim()).filter((o) => o !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return new Error(`"${origin}" is not an origin such as https://backstage.example.com`);
    }
    if (parsed.origin !== origin) return new Error(`"${origin}" is not an origin (scheme://host[:port], no path or trailing slash): use ${parsed.origin}`);
  }
  return origins;
};
const url = (text: string): string | Error => {
  try {
    return new URL(text).protocol.startsWith('http') ? text : new Error(`"${text}" is not an http(s) URL`);
  } catch {
    return new Error(`"${text}" is not a URL such as https://example.com`);
  }
};
const positiveInt = (text: string): number | Error => {
  const n = Number(text);
  return Number.isInteger(n) && n > 0 ? n : new Error(`"${text}" is not a positive integer`);
};

/** The option table; `docs` and the chart's values are derived from it. */
export const optionSpecs = [
  { key: 'kubeconfig', env: 'KUBECONFIG', default: undefined, unit: 'path', description: 'kubeconfig file; unset = in-cluster', parse: str },
  { key: 'batchIdleMs', env: 'BATCH_IDLE_DURATION', default: 1_000, unit: 'duration (ms in code)', description: 'idle time that closes a provisioning batch', parse: durationMs },
  { key: 'batchMaxMs', env: 'BATCH_MAX_DURATION', default: 10_000, unit: 'duration (ms in code)', description: 'longest provisioning batch', parse: durationMs },
  { key: 'metricsPort', env: 'METRICS_PORT', default: 8080, unit: 'port', description: 'port of /metrics (0 = free port)', parse: port },
  { key: 'healthProbePort', env: 'HEALTH_PROBE_PORT', default: 8081, unit: 'port', description: 'port of /healthz and /readyz (0 = free port)', parse: port },
  { key: 'bindAddress', env: 'BIND_ADDRESS', default: '0.0.0.0', unit: 'address', description: 'address the HTTP servers listen on', parse: str },
  { key: 'logLevel', env: 'LOG_LEVEL', default: 'info', unit: 'level', description: 'log level', parse: str },
  { key: 'disableLeaderElection', env: 'DISABLE_LEADER_ELECTION', default: false, unit: 'boolean', description: 'run without the leader Lease', parse: bool },
  { key: 'systemNamespace', env: 'SYSTEM_NAMESPACE', default: 'karpenter', unit: 'namespace', description: 'namespace of the leader Lease', parse: str },
  { key: 'leaderElectionName', env: 'LEADER_ELECTION_NAME', default: 'karpenter-leader-election', unit: 'name', description: 'leader Lease name', parse: str },
  { key: 'leaderElectionLeaseDurationMs', env: 'LEADER_ELECTION_LEASE_DURATION', default: 15_000, unit: 'duration (ms in code)', description: 'lease validity', parse: durationMs },
  { key: 'leaderElectionRenewDeadlineMs', env: 'LEADER_ELECTION_RENEW_DEADLINE', default: 10_000, unit: 'duration (ms in code)', description: 'leader gives up after failing to renew this long', parse: durationMs },
  { key: 'leaderElectionRetryPeriodMs', env: 'LEADER_ELECTION_RETRY_PERIOD', default: 2_000, unit: 'duration (ms in code)', description: 'lease acquire/renew interval', parse: durationMs },
  {
    key: 'cloudProvider',
    env: 'CLOUD_PROVIDER',
    default: 'simulated',
    unit: 'name',
    description: 'cloud provider (simulated, aws)',
    parse: (t: string) => (t === 'simulated' || t === 'aws' ? t : new Error(`cloud provider "${t}" is not available (simulated, aws)`)),
  },
  { key: 'disruptionPollMs', env: 'DISRUPTION_POLL_PERIOD', default: 10_000, unit: 'duration (ms in code)', description: 'disruption re-evaluation period', parse: durationMs },
  { key: 'registrationTtlMs', env: 'REGISTRATION_TTL', default: 900_000, unit: 'duration (ms in code)', description: 'launched NodeClaims not registered after this are deleted', parse: durationMs },
  { key: 'launchTimeoutMs', env: 'LAUNCH_TIMEOUT', default: 300_000, unit: 'duration (ms in code)', description: 'NodeClaims that failed to launch for this long are deleted', parse: durationMs },
  { key: 'shutdownGracePeriodMs', env: 'SHUTDOWN_GRACE_PERIOD', default: 20_000, unit: 'duration (ms in code)', description: 'forced exit after SIGTERM', parse: durationMs },
  { key: 'reconcileConcurrency', env: 'RECONCILE_CONCURRENCY', default: 10, unit: 'count', description: 'workers per controller queue', parse: positiveInt },
  { key: 'simulatedLaunchDelayMs', env: 'SIMULATED_LAUNCH_DELAY', default: 0, unit: 'duration (ms in code)', description: 'simulated provider: time before a launched instance exists', parse: durationMs },
  { key: 'simulatedReadyDelayMs', env: 'SIMULATED_READY_DELAY', default: 0, unit: 'duration (ms in code)', description: 'simulated provider: boot time until the node registers and turns Ready', parse: durationMs },
  { key: 'simulatedLaunchFailures', env: 'SIMULATED_LAUNCH_FAILURES', default: 0, unit: 'count', description: 'simulated provider: the first N launches fail', parse: nonNegativeInt },
  { key: 'simulatedLaunchFailureRate', env: 'SIMULATED_LAUNCH_FAILURE_RATE', default: 0, unit: 'probability', description: 'simulated provider: probability that a later launch fails', parse: fraction },
  { key: 'simulatedLaunchFailureSeed', env: 'SIMULATED_LAUNCH_FAILURE_SEED', default: 1, unit: 'integer', description: 'simulated provider: seed of the failure draws', parse: nonNegativeInt },
  {
    key: 'simulatedLaunchFailureKind',
    env: 'SIMULATED_LAUNCH_FAILURE_KIND',
    default: 'error',
    unit: 'name',
    description: 'simulated provider: injected failure kind (error, insufficient-capacity)',
    parse: (t: string) => (t === 'error' || t === 'insufficient-capacity' ? t : new Error(`"${t}" is not a failure kind (error, insufficient-capacity)`)),
  },
  { key: 'memoryLogIntervalMs', env: 'MEMORY_LOG_INTERVAL', default: 0, unit: 'duration (ms in code)', description: 'period of the memory usage log line (0 = off)', parse: durationMs },
  { key: 'apiPort', env: 'API_PORT', default: 8090, unit: 'port', description: 'port of the read-only API /api/v1 (0 = free port)', parse: port },
  { key: 'apiAuthDisabled', env: 'API_AUTH_DISABLED', default: false, unit: 'boolean', description: 'serve the API without TokenReview/SubjectAccessReview (local use only)', parse: bool },
  { key: 'teamLabelKey', env: 'API_TEAM_LABEL_KEY', default: 'team', unit: 'label key', description: 'label naming a team on NodePool templates and namespaces', parse: labelKey },
  { key: 'apiCorsAllowedOrigins', env: 'API_CORS_ALLOWED_ORIGINS', default: [] as string[], unit: 'comma-separated origins', description: 'browser origins allowed to call the API (empty = CORS off)', parse: originList },
  { key: 'apiMaxBodyBytes', env: 'API_MAX_BODY_BYTES', default: 1_048_576, unit: 'bytes', description: 'largest POST /api/v1/simulate body', parse: positiveInt },
  { key: 'apiSimulateTimeoutMs', env: 'API_SIMULATE_TIMEOUT', default: 10_000, unit: 'duration (ms in code)', description: 'longest simulation run', parse: durationMs },
  { key: 'apiTokenCacheTtlMs', env: 'API_TOKEN_CACHE_TTL', default: 10_000, unit: 'duration (ms in code)', description: 'how long a TokenReview answer is reused', parse: durationMs },
  { key: 'apiTokenCacheSize', env: 'API_TOKEN_CACHE_SIZE', default: 1_000, unit: 'count', description: 'most cached TokenReview answers', parse: positiveInt },
  // issue 13 (helper awsb): the AWS cloud provider
  { key: 'awsRegion', env: 'AWS_REGION', default: '', unit: 'region', description: 'AWS region (empty = SDK default chain / instance metadata)', parse: str },
  { key: 'awsEndpointOverride', env: 'AWS_ENDPOINT_OVERRIDE', default: '', unit: 'URL', description: 'endpoint of every AWS service, e.g. an emulator (tests only)', parse: url },
  { key: 'clusterName', env: 'CLUSTER_NAME', default: '', unit: 'name', description: 'EKS cluster name (required with CLOUD_PROVIDER=aws)', parse: str },
  { key: 'clusterEndpoint', env: 'CLUSTER_ENDPOINT', default: '', unit: 'URL', description: 'API server URL the nodes join (required with CLOUD_PROVIDER=aws)', parse: url },
  { key: 'clusterCABundle', env: 'CLUSTER_CA_BUNDLE', default: '', unit: 'base64 PEM', description: 'cluster CA for the nodes\' user data', parse: str },
  { key: 'interruptionQueue', env: 'INTERRUPTION_QUEUE', default: '', unit: 'SQS queue name or URL', description: 'EC2 interruption events queue (empty = off)', parse: str },
  { key: 'awsEmulatedKubelet', env: 'AWS_EMULATED_KUBELET', default: false, unit: 'boolean', description: 'create KWOK nodes for launched instances (tests/local)', parse: bool },
  // issue 13 (helper awsa)
  { key: 'vmMemoryOverheadPercent', env: 'VM_MEMORY_OVERHEAD_PERCENT', default: 0.075, unit: 'fraction 0..1', description: 'AWS: memory the hypervisor keeps, subtracted from each instance type', parse: fraction },
] as const satisfies readonly OptionSpec<keyof Options>[];

/** Problems found while reading options: one line per bad variable. */
export class OptionsError extends Error {
  readonly code = 'InvalidOptions' as const;
  constructor(readonly issues: string[]) {
    super(`invalid options:\n  ${issues.join('\n  ')}`);
    this.name = 'OptionsError';
  }
}

/** The defaults, as a complete Options value. */
export function defaultOptions(): Options {
  const out: Record<string, unknown> = {};
  for (const spec of optionSpecs) out[spec.key] = spec.default;
  return out as unknown as Options;
}

/**
 * Reads every option from `env` (unset or empty = default). Throws {@link OptionsError} listing every
 * invalid variable.
 */
export function parseOptions(env: NodeJS.ProcessEnv = process.env): Options {
  const out: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const spec of optionSpecs) {
    const text = env[spec.env];
    if (text === undefined || text === '') {
      out[spec.key] = spec.default;
      continue;
    }
    const value = spec.parse(text);
    if (value instanceof Error) issues.push(`${spec.env}: ${value.message}`);
    else out[spec.key] = value;
  }
  if (issues.length > 0) throw new OptionsError(issues);
  const options = out as unknown as Options;
  if (options.batchIdleMs > options.batchMaxMs) {
    throw new OptionsError([`BATCH_IDLE_DURATION (${options.batchIdleMs} ms) must not exceed BATCH_MAX_DURATION (${options.batchMaxMs} ms)`]);
  }
  // The leader must stop acting (renew deadline) before any other replica may take the lease (lease duration).
  if (options.leaderElectionRenewDeadlineMs >= options.leaderElectionLeaseDurationMs) {
    throw new OptionsError([
      `LEADER_ELECTION_RENEW_DEADLINE (${options.leaderElectionRenewDeadlineMs} ms) must be shorter than LEADER_ELECTION_LEASE_DURATION (${options.leaderElectionLeaseDurationMs} ms)`,
    ]);
  }
  // issue 13 (helper awsb): what the AWS provider cannot start without.
  if (options.cloudProvider === 'aws') {
    const missing = [options.clusterName ? '' : 'CLUSTER_NAME', options.clusterEndpoint ? '' : 'CLUSTER_ENDPOINT'].filter(Boolean);
    if (missing.length > 0) throw new OptionsError(missing.map((m) => `${m}: required with CLOUD_PROVIDER=aws`));
  }
  return options;
}
