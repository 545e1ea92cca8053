/**
 * The controller's settings as one zod schema (Karpenter's `operator/options`: each setting has an environment
 * variable, a command-line flag, a default and a unit, with Karpenter's names where Karpenter has the setting).
 *
 * - {@link settingSpecs}: the table (name, env, flag, default, unit, description) the `--help` text, the docs
 *   and the Helm chart's values are derived from.
 * - {@link controllerSettingsSchema}: a zod object keyed by setting name (`batchIdleDuration`) whose input is
 *   the human form (`"1s"`, `8080`, `true`, `"SpotToSpotConsolidation=true"`) and whose output is the typed
 *   {@link Options} value the controller uses (`batchIdleMs: 1000`).
 * - {@link controllerSettingsJsonSchema}: JSON Schema draft-07 of that input, generated from the same zod
 *   schema, so the chart's `values.schema.json` and the process never disagree.
 * - {@link parseSettings}: flags and environment in, options out, or every problem at once as plain sentences.
 */
import { z } from 'zod';

/** The feature gates Karpenter knows, with Karpenter's defaults (FEATURE_GATES). */
export const featureGateDefaults = {
  NodeRepair: false,
  ReservedCapacity: true,
  SpotToSpotConsolidation: false,
  NodeOverlay: false,
  StaticCapacity: false,
  CapacityBuffer: false,
} as const;
export type FeatureGate = keyof typeof featureGateDefaults;
export type FeatureGates = Record<FeatureGate, boolean>;

export const logLevels = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof logLevels)[number];

/** The typed settings the controller reads (the output of {@link controllerSettingsSchema}). */
export interface Options {
  /** Path of a kubeconfig file; unset = $KUBECONFIG / ~/.kube/config / in-cluster. */
  kubeconfig: string | undefined;
  /** Name of the cluster (CLUSTER_NAME): tags and discovery of cloud resources; empty with the simulated provider. */
  clusterName: string;
  /** API server endpoint nodes join (CLUSTER_ENDPOINT), an https URL; required with the aws provider, unused by the simulated one. */
  clusterEndpoint: string;
  /** Name of the SQS queue carrying interruption events (INTERRUPTION_QUEUE); empty = interruption handling off. */
  interruptionQueue: string;
  /** Feature gates (FEATURE_GATES), every known gate present with Karpenter's default unless set. */
  featureGates: FeatureGates;
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
  logLevel: LogLevel;
  /** `json` (Karpenter's zap JSON lines) or `text` (one readable line per entry). */
  logFormat: 'json' | 'text';
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
  /** Cloud provider: `simulated` (nodes created in the cluster and run by KWOK) or `aws` (EC2). */
  cloudProvider: 'simulated' | 'aws';
  /** How often the disruption controller re-evaluates every node, ms (it is also woken by pod and node events). */
  disruptionPollMs: number;
  /** Wait between a disruption decision and its re-check against fresh state before acting, ms (Karpenter's 15 s consolidation validation). */
  disruptionValidationMs: number;
  /** A replace command gives up (deletes its replacements, untaints its candidates) when they are not Initialized after this long, ms. */
  disruptionReplacementTimeoutMs: number;
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
  /** AWS region; empty = the SDK's resolution (profile, instance metadata). */
  awsRegion: string;
  /** Endpoint of every AWS service, e.g. an emulator (tests and local runs only); empty = AWS itself. */
  awsEndpointOverride: string;
  /** Base64 PEM of the cluster CA for the nodes' user data; empty = left out. */
  clusterCABundle: string;
  /** Tests/local: create a KWOK Node for each launched instance (a kubelet simulator with the instance's providerID). */
  awsEmulatedKubelet: boolean;
  /** AWS provider: fraction of an instance type's memory the hypervisor keeps (Karpenter's VM_MEMORY_OVERHEAD_PERCENT), 0..1. */
  vmMemoryOverheadPercent: number;
  // issue 13 (helper awsp): AWS instance types and prices.
  /** AWS provider: time between reads of the instance types, on-demand and spot prices, ms (default 12 h). */
  awsPriceRefreshMs: number;
  /** AWS provider: export one price gauge per offering (karpenter_cloudprovider_instance_type_offering_price_estimate). */
  awsOfferingPriceMetrics: boolean;
  /** AWS provider: no Pricing API (Karpenter's ISOLATED_VPC); on-demand prices from the shipped table. */
  isolatedVpc: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// Value schemas (input: the human form; output: the typed value)

const DURATION_UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const DURATION_PATTERN = '^(0|([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$';

/** Go's time.ParseDuration syntax (`500ms`, `1s`, `1.5s`, `1h30m`, `0`), in whole milliseconds. */
export function durationToMs(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * (DURATION_UNIT_MS[m[2] ?? 's'] ?? 0);
  return Math.round(total);
}

const duration = z
  .string({ error: 'is not a duration such as 1s, 500ms, 2m or 1h30m' })
  .regex(new RegExp(DURATION_PATTERN), { error: (issue) => `"${String(issue.input)}" is not a duration such as 1s, 500ms, 2m or 1h30m` })
  .transform(durationToMs);
const port = z
  .number({ error: (issue) => `"${String(issue.input)}" is not a port (0-65535)` })
  .int({ error: (issue) => `"${String(issue.input)}" is not a port (0-65535)` })
  .min(0, { error: (issue) => `"${String(issue.input)}" is not a port (0-65535)` })
  .max(65535, { error: (issue) => `"${String(issue.input)}" is not a port (0-65535)` });
const wholeNumber = (what: string, min: number) =>
  z
    .number({ error: (issue) => `"${String(issue.input)}" is not ${what}` })
    .int({ error: (issue) => `"${String(issue.input)}" is not ${what}` })
    .min(min, { error: (issue) => `"${String(issue.input)}" is not ${what}` });
const nonNegativeInt = wholeNumber('a whole number (0 or more)', 0);
const positiveInt = wholeNumber('a positive whole number', 1);
const boolean = z.boolean({ error: (issue) => `"${String(issue.input)}" is not a boolean (true or false)` });
const text = z.string();
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => `"${String(issue.input)}" is not one of ${values.join(', ')}${didYouMean(String(issue.input), values)}` });
const probability = z
  .number({ error: (issue) => `"${String(issue.input)}" is not a probability between 0 and 1, e.g. 0.2` })
  .min(0, { error: (issue) => `"${String(issue.input)}" is not a probability between 0 and 1, e.g. 0.2` })
  .max(1, { error: (issue) => `"${String(issue.input)}" is not a probability between 0 and 1, e.g. 0.2` });
/** A label key: optional DNS-subdomain prefix and `/`, then a name of at most 63 alphanumerics, `-`, `_`, `.`. */
const labelKey = z
  .string()
  .max(317)
  .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, {
    error: (issue) => `"${String(issue.input)}" is not a label key such as team or example.com/team`,
  });
const httpsUrlOrEmpty = z.string().refine((value) => value === '' || /^https:\/\/[^\s/]+(\/.*)?$/.test(value), {
  error: (issue) => `"${String(issue.input)}" is not an https URL such as https://ABCDEF.gr7.us-west-2.eks.amazonaws.com`,
});
const httpUrlOrEmpty = z.string().refine((value) => value === '' || /^https?:\/\/[^\s/]+(\/.*)?$/.test(value), {
  error: (issue) => `"${String(issue.input)}" is not an http(s) URL such as http://127.0.0.1:5000`,
});
const originList = z.string().transform((value, ctx) => {
  const origins = value
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '');
  for (const origin of origins) {
    if (origin === '*') continue;
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin such as https://backstage.example.com` });
    else if (parsed.origin !== origin) ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin (scheme://host[:port], no path or trailing slash): use ${parsed.origin}` });
  }
  return origins;
});
/** FEATURE_GATES: `Name=true|false` pairs separated by commas; gates not named keep Karpenter's default. */
const featureGates = z
  .string()
  .regex(/^\s*([A-Za-z]+\s*=\s*(true|false)\s*(,\s*[A-Za-z]+\s*=\s*(true|false)\s*)*)?$/, {
    error: (issue) => `"${String(issue.input)}" is not a list of feature gates such as SpotToSpotConsolidation=true,NodeRepair=false`,
  })
  .transform((value, ctx) => {
    const gates: FeatureGates = { ...featureGateDefaults };
    const known = Object.keys(featureGateDefaults) as FeatureGate[];
    for (const pair of value.split(',').filter((p) => p.trim() !== '')) {
      const [name = '', setting = ''] = pair.split('=').map((s) => s.trim());
      if ((known as string[]).includes(name)) gates[name as FeatureGate] = setting === 'true';
      else ctx.addIssue({ code: 'custom', message: `unknown feature gate "${name}" (known: ${known.join(', ')})${didYouMean(name, known)}` });
    }
    return gates;
  });

// ---------------------------------------------------------------------------------------------------------
// The table

/** How a flag or environment text becomes the schema's input. */
type TextKind = 'string' | 'number' | 'boolean';

/** One setting: its names, default (human form), unit, meaning, and the zod schema of its value. */
export interface SettingSpec<K extends keyof Options = keyof Options> {
  /** Key in {@link controllerSettingsSchema} and in the chart's settings values, e.g. `batchIdleDuration`. */
  name: string;
  /** Key of the typed value in {@link Options}, e.g. `batchIdleMs`. */
  key: K;
  /** Environment variable, e.g. `BATCH_IDLE_DURATION`. */
  env: string;
  /** Command-line flag, e.g. `--batch-idle-duration`. */
  flag: string;
  /** Default in the human form (`"1s"`, `8080`, `false`), or undefined when unset means "none". */
  default: string | number | boolean | undefined;
  unit: string;
  description: string;
  schema: z.ZodType<Options[K]>;
  /** Type of the schema's input (flags and environment values are text and are converted first). */
  kind: TextKind;
}

const flagOf = (env: string): string => `--${env.toLowerCase().replaceAll('_', '-')}`;
const nameOf = (env: string): string => env.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function setting<K extends keyof Options>(
  key: K,
  env: string,
  def: SettingSpec<K>['default'],
  unit: string,
  description: string,
  schema: z.ZodType<Options[K]>,
  kind: TextKind = 'string',
  names: { name?: string; flag?: string } = {},
): SettingSpec<K> {
  return { name: names.name ?? nameOf(env), key, env, flag: names.flag ?? flagOf(env), default: def, unit, description, schema, kind };
}

/** Every setting, in `--help` order. The chart's values and `docs` are derived from it. */
export const settingSpecs: readonly SettingSpec[] = [
  setting('clusterName', 'CLUSTER_NAME', '', 'name', 'name of the cluster: tags and discovers cloud resources (required with CLOUD_PROVIDER=aws)', text),
  setting('clusterEndpoint', 'CLUSTER_ENDPOINT', '', 'https URL', 'API server endpoint new nodes join (required with CLOUD_PROVIDER=aws; unused by the simulated provider)', httpsUrlOrEmpty),
  setting('interruptionQueue', 'INTERRUPTION_QUEUE', '', 'SQS queue name', 'queue of spot interruption and instance health events; empty = interruption handling off', text),
  setting('cloudProvider', 'CLOUD_PROVIDER', 'simulated', 'simulated | aws', 'cloud provider that launches instances', oneOf(['simulated', 'aws'] as const)),
  setting(
    'featureGates',
    'FEATURE_GATES',
    Object.entries(featureGateDefaults)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(','),
    'Name=bool list',
    `optional features on or off; gates not named keep their default (${Object.keys(featureGateDefaults).join(', ')})`,
    featureGates,
  ),
  setting('batchIdleMs', 'BATCH_IDLE_DURATION', '1s', 'duration', 'idle time after the last pending pod that closes a provisioning batch', duration),
  setting('batchMaxMs', 'BATCH_MAX_DURATION', '10s', 'duration', 'longest provisioning batch window', duration),
  setting('logLevel', 'LOG_LEVEL', 'info', 'trace | debug | info | warn | error', 'least severe log level written', oneOf(logLevels)),
  setting('logFormat', 'LOG_FORMAT', 'json', 'json | text', 'json: one Karpenter-shaped JSON object per line; text: one readable line per entry', oneOf(['json', 'text'] as const)),
  setting('kubeconfig', 'KUBECONFIG', undefined, 'path', 'kubeconfig file; unset = in-cluster service account', z.string().optional()),
  setting('metricsPort', 'METRICS_PORT', 8080, 'port', 'port of /metrics (0 = any free port)', port, 'number'),
  setting('healthProbePort', 'HEALTH_PROBE_PORT', 8081, 'port', 'port of /healthz and /readyz (0 = any free port)', port, 'number'),
  setting('bindAddress', 'BIND_ADDRESS', '0.0.0.0', 'address', 'address the HTTP servers listen on', text),
  setting('disableLeaderElection', 'DISABLE_LEADER_ELECTION', false, 'boolean', 'run without the leader Lease (one replica only)', boolean, 'boolean'),
  setting('systemNamespace', 'SYSTEM_NAMESPACE', 'karpenter', 'namespace', 'namespace of the leader Lease (the controller\'s own)', text),
  setting('leaderElectionName', 'LEADER_ELECTION_NAME', 'karpenter-leader-election', 'name', 'name of the leader Lease', text),
  setting('leaderElectionLeaseDurationMs', 'LEADER_ELECTION_LEASE_DURATION', '15s', 'duration', 'how long a lease is valid without renewal', duration),
  setting('leaderElectionRenewDeadlineMs', 'LEADER_ELECTION_RENEW_DEADLINE', '10s', 'duration', 'a leader that could not renew for this long stops its controllers', duration),
  setting('leaderElectionRetryPeriodMs', 'LEADER_ELECTION_RETRY_PERIOD', '2s', 'duration', 'interval of lease acquire and renew attempts', duration),
  setting('disruptionPollMs', 'DISRUPTION_POLL_PERIOD', '10s', 'duration', 'disruption re-evaluation period', duration),
  setting('disruptionValidationMs', 'DISRUPTION_VALIDATION_PERIOD', '15s', 'duration', 'wait before a disruption decision is re-checked against fresh state and acted on', duration),
  setting('disruptionReplacementTimeoutMs', 'DISRUPTION_REPLACEMENT_TIMEOUT', '10m', 'duration', 'replacement NodeClaims not Initialized after this are deleted and the command abandoned', duration),
  setting('registrationTtlMs', 'REGISTRATION_TTL', '15m', 'duration', 'launched NodeClaims not registered after this are deleted', duration),
  setting('launchTimeoutMs', 'LAUNCH_TIMEOUT', '5m', 'duration', 'NodeClaims that failed to launch for this long are deleted', duration),
  setting('shutdownGracePeriodMs', 'SHUTDOWN_GRACE_PERIOD', '20s', 'duration', 'forced exit this long after SIGTERM', duration),
  setting('reconcileConcurrency', 'RECONCILE_CONCURRENCY', 10, 'count', 'workers per controller queue', positiveInt, 'number'),
  setting('memoryLogIntervalMs', 'MEMORY_LOG_INTERVAL', '0s', 'duration', 'period of the memory usage log line (0s = off)', duration),
  setting('simulatedLaunchDelayMs', 'SIMULATED_LAUNCH_DELAY', '0s', 'duration', 'simulated provider: time before a launched instance exists', duration),
  setting('simulatedReadyDelayMs', 'SIMULATED_READY_DELAY', '0s', 'duration', 'simulated provider: boot time until the node registers and turns Ready', duration),
  setting('simulatedLaunchFailures', 'SIMULATED_LAUNCH_FAILURES', 0, 'count', 'simulated provider: the first N launches fail', nonNegativeInt, 'number'),
  setting('simulatedLaunchFailureRate', 'SIMULATED_LAUNCH_FAILURE_RATE', 0, 'probability', 'simulated provider: probability that a later launch fails', probability, 'number'),
  setting('simulatedLaunchFailureSeed', 'SIMULATED_LAUNCH_FAILURE_SEED', 1, 'integer', 'simulated provider: seed of the failure draws', nonNegativeInt, 'number'),
  setting(
    'simulatedLaunchFailureKind',
    'SIMULATED_LAUNCH_FAILURE_KIND',
    'error',
    'error | insufficient-capacity',
    'simulated provider: kind of the injected launch failures',
    oneOf(['error', 'insufficient-capacity'] as const),
  ),
  setting('apiPort', 'API_PORT', 8090, 'port', 'port of the read-only API /api/v1 (0 = any free port)', port, 'number'),
  setting('apiAuthDisabled', 'API_AUTH_DISABLED', false, 'boolean', 'serve the API without TokenReview/SubjectAccessReview (local use only)', boolean, 'boolean'),
  setting('teamLabelKey', 'API_TEAM_LABEL_KEY', 'team', 'label key', 'label naming a team on NodePool templates and namespaces', labelKey),
  setting('apiCorsAllowedOrigins', 'API_CORS_ALLOWED_ORIGINS', '', 'comma-separated origins', 'browser origins allowed to call the API (empty = CORS off)', originList),
  setting('apiMaxBodyBytes', 'API_MAX_BODY_BYTES', 1_048_576, 'bytes', 'largest POST /api/v1/simulate body', positiveInt, 'number'),
  setting('apiSimulateTimeoutMs', 'API_SIMULATE_TIMEOUT', '10s', 'duration', 'longest simulation run', duration),
  setting('apiTokenCacheTtlMs', 'API_TOKEN_CACHE_TTL', '10s', 'duration', 'how long a TokenReview answer is reused', duration),
  setting('apiTokenCacheSize', 'API_TOKEN_CACHE_SIZE', 1_000, 'count', 'most cached TokenReview answers', positiveInt, 'number'),
  setting('awsRegion', 'AWS_REGION', '', 'region', 'AWS region; empty = the SDK default chain (profile, instance metadata)', text),
  setting('awsEndpointOverride', 'AWS_ENDPOINT_OVERRIDE', '', 'http(s) URL', 'endpoint of every AWS service, e.g. an EC2 emulator (tests and local runs only); empty = AWS', httpUrlOrEmpty),
  setting('clusterCABundle', 'CLUSTER_CA_BUNDLE', '', 'base64 PEM', "cluster CA written into the nodes' user data; empty = left out", text, 'string', { name: 'clusterCABundle' }),
  setting('awsEmulatedKubelet', 'AWS_EMULATED_KUBELET', false, 'boolean', 'create a KWOK Node for each launched instance (tests and local runs with an EC2 emulator)', boolean, 'boolean'),
  setting('vmMemoryOverheadPercent', 'VM_MEMORY_OVERHEAD_PERCENT', 0.075, 'fraction 0..1', 'AWS: share of each instance type\'s memory the hypervisor keeps, subtracted from its capacity', probability, 'number'),
  // issue 13 (helper awsp): AWS instance types and prices.
  setting('awsPriceRefreshMs', 'AWS_PRICE_REFRESH_PERIOD', '12h', 'duration', 'AWS: how often the instance types, on-demand prices (Pricing API) and spot prices are read again', duration),
  setting('awsOfferingPriceMetrics', 'AWS_OFFERING_PRICE_METRICS', false, 'boolean', 'AWS: export karpenter_cloudprovider_instance_type_offering_price_estimate (one series per instance type, zone and capacity type)', boolean, 'boolean'),
  setting('isolatedVpc', 'ISOLATED_VPC', false, 'boolean', 'AWS: the cluster cannot reach the Pricing API; on-demand prices come from the shipped, dated table', boolean, 'boolean'),
];

/**
 * Karpenter settings karpenter-ts does not implement: setting one is not an error (a values file copied from
 * Karpenter's chart keeps working) but is reported as a warning so nobody expects it to act.
 */
export const unsupportedKarpenterSettings: readonly string[] = [
  'KUBE_CLIENT_QPS',
  'KUBE_CLIENT_BURST',
  'ENABLE_PROFILING',
  'MEMORY_LIMIT',
  'CPU_REQUESTS',
  'LOG_OUTPUT_PATHS',
  'LOG_ERROR_OUTPUT_PATHS',
  'PREFERENCE_POLICY',
  'MIN_VALUES_POLICY',
  'LEADER_ELECTION_NAMESPACE',
  'RESERVED_ENIS',
  'EKS_CONTROL_PLANE',
  'IGNORE_DRA_REQUESTS',
];

// ---------------------------------------------------------------------------------------------------------
// The schema and its JSON Schema

const settingsShape = Object.fromEntries(settingSpecs.map((spec) => [spec.name, spec.schema])) as Record<string, z.ZodType>;

/**
 * The settings object: keys are {@link SettingSpec.name}s, values in their human form; unknown keys are
 * rejected. Cross-setting rules: BATCH_IDLE_DURATION <= BATCH_MAX_DURATION, and the renew deadline shorter
 * than the lease (otherwise two replicas could act as leader at once).
 */
export const controllerSettingsSchema = z
  .strictObject(settingsShape)
  .superRefine((value, ctx) => {
    const v = value as Record<string, unknown>;
    const idle = v['batchIdleDuration'];
    const max = v['batchMaxDuration'];
    if (typeof idle === 'number' && typeof max === 'number' && idle > max) {
      ctx.addIssue({ code: 'custom', path: ['batchIdleDuration'], message: `(${idle} ms) must not exceed BATCH_MAX_DURATION (${max} ms)` });
    }
    if (v['cloudProvider'] === 'aws') {
      for (const [name, env] of [['clusterName', 'CLUSTER_NAME'], ['clusterEndpoint', 'CLUSTER_ENDPOINT']] as const) {
        if (!v[name]) ctx.addIssue({ code: 'custom', path: [name], message: `required with CLOUD_PROVIDER=aws (set ${env}, or the chart value settings.${name})` });
      }
    }
    const renew = v['leaderElectionRenewDeadline'];
    const lease = v['leaderElectionLeaseDuration'];
    if (typeof renew === 'number' && typeof lease === 'number' && renew >= lease) {
      ctx.addIssue({
        code: 'custom',
        path: ['leaderElectionRenewDeadline'],
        message: `(${renew} ms) must be shorter than LEADER_ELECTION_LEASE_DURATION (${lease} ms): the leader must stop before another replica may take the lease`,
      });
    }
  });

/**
 * JSON Schema (draft-07) of the settings' human form, generated from {@link controllerSettingsSchema}: every
 * property optional, with its default and a description naming its environment variable and unit. The Helm
 * chart's `values.schema.json` embeds it so that a wrong value fails at install time.
 */
export const controllerSettingsJsonSchema: Record<string, unknown> = (() => {
  const generated = z.toJSONSchema(z.strictObject(settingsShape), { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
  } & Record<string, unknown>;
  delete generated.required;
  for (const spec of settingSpecs) {
    const property = generated.properties[spec.name];
    if (!property) continue;
    if (spec.default !== undefined) property['default'] = spec.default;
    property['description'] = `${spec.description} (${spec.env}, ${spec.unit})`;
  }
  // The cross-setting rule the zod refinement enforces at start, stated for install time too: the aws provider
  // cannot run without the cluster's name and endpoint.
  const awsNeedsCluster = {
    if: { properties: { cloudProvider: { const: 'aws' } }, required: ['cloudProvider'] },
    then: { required: ['clusterName', 'clusterEndpoint'], properties: { clusterName: { minLength: 1 }, clusterEndpoint: { minLength: 1 } } },
  };
  return { ...generated, title: 'karpenter-ts controller settings', allOf: [awsNeedsCluster] };
})();

// ---------------------------------------------------------------------------------------------------------
// Flags and environment

/** Result of {@link parseSettings}. */
export type SettingsResult =
  | { ok: true; options: Options; warnings: string[] }
  | { ok: false; help: true; text: string }
  | { ok: false; help?: false; issues: string[] };

/** Levenshtein distance, for did-you-mean suggestions. */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min(current + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** `; did you mean X?` for the closest candidate within a third of the word's length, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance > 0 && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean ${best}?` : '';
}

/** Prefixes only our settings use: an unknown variable with one of them is a typo, not someone else's. */
const OWN_PREFIXES = ['BATCH_', 'LEADER_ELECTION_', 'SIMULATED_', 'FEATURE_GATE', 'DISRUPTION_', 'SHUTDOWN_', 'RECONCILE_', 'REGISTRATION_', 'INTERRUPTION_'];
/** Kubernetes service links (`KARPENTER_SERVICE_HOST`, `KARPENTER_PORT_8080_TCP_ADDR`) and our test harness's variables. */
const FOREIGN = /(_SERVICE_HOST|_SERVICE_PORT(_[A-Z0-9_]+)?|_PORT|_PORT_\d+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?)$|^KARPENTER_TS_/;

/**
 * An environment variable that looks like a setting but is none: it starts with one of our settings' own
 * prefixes, is one or two letters away from a setting's name, or is a setting's name behind `KARPENTER_`
 * (`KARPENTER_CLUSTER_NAME`). Other `KARPENTER_*` variables (a shell that followed Karpenter's getting-started
 * guide has KARPENTER_VERSION and KARPENTER_NAMESPACE) and Kubernetes service links (`KARPENTER_SERVICE_HOST`)
 * are left alone.
 */
function looksLikeSetting(name: string, knownEnv: ReadonlySet<string>): boolean {
  if (knownEnv.has(name) || unsupportedKarpenterSettings.includes(name) || FOREIGN.test(name)) return false;
  if (OWN_PREFIXES.some((p) => name.startsWith(p))) return true;
  const bare = name.replace(/^KARPENTER_/, '');
  if (bare.length < 6) return false;
  for (const known of knownEnv) if (editDistance(bare, known) <= 2) return true;
  return false;
}

function fromText(spec: SettingSpec, value: string): unknown {
  if (spec.kind === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
  if (spec.kind === 'boolean') return /^(true|1|yes)$/i.test(value) ? true : /^(false|0|no)$/i.test(value) ? false : value;
  return value;
}

/** `--help` text: every flag, its environment variable, default, unit and meaning. */
export function settingsHelp(): string {
  const rows = settingSpecs.map((s) => [`${s.flag}`, s.env, s.default === undefined || s.default === '' ? '(none)' : String(s.default), s.unit, s.description]);
  const width = (i: number): number => Math.max(...rows.map((r) => (r[i] ?? '').length));
  const lines = rows.map((r) => `  ${(r[0] ?? '').padEnd(width(0))}  ${(r[1] ?? '').padEnd(width(1))}  ${(r[2] ?? '').padEnd(Math.min(width(2), 24))}  ${r[3] ?? ''}: ${r[4] ?? ''}`);
  return [
    'Usage: karpenter-ts controller [--flag=value ...]',
    '',
    'Every setting is a flag or an environment variable (the flag wins); durations use Go syntax (500ms, 1s, 2m, 1h30m).',
    '',
    '  flag' + ' '.repeat(Math.max(1, width(0) - 2)) + 'environment' + ' '.repeat(Math.max(1, width(1) - 9)) + 'default',
    ...lines,
    '',
    'Exit codes: 0 stopped, 1 a controller failed, 2 bad settings or usage.',
    '',
  ].join('\n');
}

/**
 * Reads the settings from command-line flags (`--batch-idle-duration=1s`, `--batch-idle-duration 1s`, a bare
 * `--disable-leader-election` for true) and environment variables (unset or empty = default); a flag wins
 * over its variable. Returns every problem at once, each a sentence naming the variable or flag and the fix:
 * bad values, unknown flags and variables that look like a misspelt setting (with a did-you-mean). `--help`
 * (or `-h`) returns the help text. Karpenter settings karpenter-ts does not implement become warnings.
 */
export function parseSettings(input: { argv?: readonly string[]; env?: NodeJS.ProcessEnv } = {}): SettingsResult {
  const argv = input.argv ?? [];
  const env = input.env ?? {};
  const issues: string[] = [];
  const warnings: string[] = [];
  const byFlag = new Map(settingSpecs.map((s) => [s.flag, s]));
  const knownEnv = new Set(settingSpecs.map((s) => s.env));
  const raw = new Map<SettingSpec, { value: string; source: string }>();

  for (const spec of settingSpecs) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') raw.set(spec, { value, source: spec.env });
  }
  for (const name of Object.keys(env).sort()) {
    if (unsupportedKarpenterSettings.includes(name) && env[name]) warnings.push(`${name} is a Karpenter setting karpenter-ts does not implement; it is ignored`);
    else if (looksLikeSetting(name, knownEnv)) {
      const bare = name.replace(/^KARPENTER_/, '');
      const suggestion = knownEnv.has(bare) ? `; did you mean ${bare}?` : didYouMean(bare, [...knownEnv]);
      issues.push(`${name} is not a karpenter-ts setting${suggestion} (run with --help for the list)`);
    }
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { ok: false, help: true, text: settingsHelp() };
    if (!arg.startsWith('--')) {
      issues.push(`unexpected argument "${arg}": settings are flags such as --batch-idle-duration=1s (run with --help for the list)`);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const spec = byFlag.get(flag);
    if (!spec) {
      issues.push(`unknown flag ${flag}${didYouMean(flag, [...byFlag.keys()])} (run with --help for the list)`);
      if (eq < 0 && argv[i + 1] !== undefined && !argv[i + 1]?.startsWith('--')) i++;
      continue;
    }
    let value: string | undefined = eq < 0 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      const next = argv[i + 1];
      if (spec.kind === 'boolean' && (next === undefined || !/^(true|false|1|0|yes|no)$/i.test(next))) value = 'true';
      else if (next === undefined || next.startsWith('--')) {
        issues.push(`${flag} needs a value, e.g. ${flag}=${String(spec.default ?? 'VALUE')}`);
        continue;
      } else value = argv[++i];
    }
    raw.set(spec, { value: value ?? '', source: flag });
  }

  const input2: Record<string, unknown> = {};
  for (const spec of settingSpecs) {
    const given = raw.get(spec);
    if (given) input2[spec.name] = fromText(spec, given.value);
    else if (spec.default !== undefined) input2[spec.name] = spec.default;
  }
  const parsed = controllerSettingsSchema.safeParse(input2);
  if (!parsed.success) {
    const byName = new Map(settingSpecs.map((s) => [s.name, s]));
    for (const issue of parsed.error.issues) {
      const spec = byName.get(String(issue.path[0]));
      const source = spec ? (raw.get(spec)?.source ?? spec.env) : String(issue.path[0]);
      const crossSetting = issue.message.startsWith('(');
      const defaultNote = !crossSetting && spec && spec.default !== undefined && spec.default !== '' ? ` (default ${String(spec.default)})` : '';
      issues.push(`${source}${crossSetting ? ' ' : ': '}${issue.message}${defaultNote}`);
    }
  }
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  const out: Record<string, unknown> = {};
  const values = parsed.data as Record<string, unknown>;
  for (const spec of settingSpecs) out[spec.key] = values[spec.name];
  return { ok: true, options: out as unknown as Options, warnings };
}
