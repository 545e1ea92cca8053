/**
 * Start harness shared by the controller's e2e tests, `npm start` and other suites: run the controller as a
 * child process (`node --import tsx src/main.ts`, exactly what `tsx src/main.ts` runs; or, when asked,
 * the esbuild bundle `node dist/main.mjs` that the Helm chart runs) against a cluster, and install what it
 * needs there (CRDs, namespace, RBAC).
 *
 * - `startController({ kubeconfig, env, onLog })` resolves once `/readyz` answers 200; the returned handle
 *   exposes the parsed JSON log lines, `waitForLog`, the metrics/health URLs and `stop()` (SIGTERM, then
 *   SIGKILL after `stopTimeoutMs`).
 * - `installControllerPrereqs(kubectl, adminKubeconfig)` applies chart/crds, config/namespace.yaml and
 *   config/rbac.yaml with kubectl (server-side apply) and waits until every CRD is Established.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of apps/controller. */
export const controllerAppDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Generated CRDs installed with the controller. */
export const crdDir = join(controllerAppDir, 'chart/crds');
/** ClusterRole + ClusterRoleBinding for user `karpenter-ts-controller` and ServiceAccount karpenter/karpenter-ts. */
export const rbacManifest = join(controllerAppDir, 'config/rbac.yaml');
/** The user config/rbac.yaml binds (the identity of LocalCluster.controllerKubeconfig). */
const controllerRbacUser = 'karpenter-ts-controller';
/** The `karpenter` namespace (leader Lease, ServiceAccount). */
export const namespaceManifest = join(controllerAppDir, 'config/namespace.yaml');
/** The esbuild bundle of src/main.ts (`npm run build -w @karpenter-ts/controller`). */
export const controllerBundle = join(controllerAppDir, 'dist/main.mjs');
/**
 * The seed story's manifests (default-nodepool.yaml: NodePool + EC2NodeClass; default-provisioner.yaml;
 * inflate.yaml): what `npm start` applies and what the e2e fixtures are read from.
 */
export const samplesDir = join(controllerAppDir, 'config/samples');
/** Environment variable that makes {@link startController} run the bundle by default: `1` or `true`. */
export const CONTROLLER_BUNDLE_ENV = 'KARPENTER_TS_CONTROLLER_BUNDLE';

/** One controller log line (pino JSON, Karpenter's field names). */
export interface ControllerLogLine {
  level: string;
  message: string;
  time?: string;
  [field: string]: unknown;
}

export interface StartControllerOptions {
  /** Kubeconfig the controller connects with (e.g. LocalCluster.controllerKubeconfig). */
  kubeconfig: string;
  /**
   * Extra environment (options of src/options.ts: BATCH_IDLE_DURATION, LOG_LEVEL, API_PORT, API_AUTH_DISABLED,
   * API_TEAM_LABEL_KEY, API_CORS_ALLOWED_ORIGINS, ...).
   */
  env?: Record<string, string>;
  /** Called with every parsed log line. */
  onLog?: (line: ControllerLogLine) => void;
  /** Called with every stdout/stderr line that is not JSON (stack traces, tsx errors). */
  onOutput?: (line: string) => void;
  /** Give up when /readyz is not 200 after this long. Default 60 000 ms. */
  readyTimeoutMs?: number;
  /** Grace after SIGTERM before SIGKILL in `stop()`. Default 20 000 ms. */
  stopTimeoutMs?: number;
  /**
   * Run the built bundle (`node dist/main.mjs`, see {@link controllerBundle}) instead of the sources through
   * tsx. Default: true when $KARPENTER_TS_CONTROLLER_BUNDLE is `1` or `true`, else false (tests need no build).
   * Rejects with {@link ControllerStartError} when the bundle has not been built.
   */
  bundle?: boolean;
}

export interface RunningController {
  pid: number;
  /** `http://127.0.0.1:<port>` of /metrics. */
  metricsUrl: string;
  /** `http://127.0.0.1:<port>` of /healthz and /readyz. */
  healthUrl: string;
  /**
   * `http://127.0.0.1:<port>` of the read-only API (/api/v1/capacity, /pending, /instancetypes, /simulate;
   * API_PORT is 0 unless `env` sets it). Authenticated unless `env` has API_AUTH_DISABLED=true.
   */
  apiUrl: string;
  /** Every log line so far. */
  readonly logs: readonly ControllerLogLine[];
  /** Resolves with the first line (already logged or future) matching `predicate`; rejects on timeout or exit. */
  waitForLog(predicate: (line: ControllerLogLine) => boolean, options?: { timeoutMs?: number; description?: string }): Promise<ControllerLogLine>;
  /** Exit code (or null when killed by a signal), once exited. */
  readonly exited: Promise<number | null>;
  /** How it ended: exit code, or the signal that killed it (e.g. `SIGKILL`, code null), once exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last `lines` (default 10) lines it printed on stdout/stderr, JSON log lines as printed; at most 200 are kept. */
  outputTail(lines?: number): string[];
  /** GET /metrics as text. */
  scrapeMetrics(): Promise<string>;
  /** SIGTERM, wait for exit (SIGKILL after stopTimeoutMs); resolves with the exit code. Idempotent. */
  stop(): Promise<number | null>;
}

/** The controller did not become ready, or exited early. `output` holds the last lines it printed. */
export class ControllerStartError extends Error {
  readonly code = 'ControllerStart' as const;
  constructor(
    message: string,
    readonly output: string[],
  ) {
    super(`${message}\n--- last controller output ---\n${output.slice(-40).join('\n')}`);
    this.name = 'ControllerStartError';
  }
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of running) {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/** Starts the controller and waits until it is ready. */
export async function startController(options: StartControllerOptions): Promise<RunningController> {
  const child = spawn(process.execPath, controllerArgs(options.bundle ?? /^(1|true)$/i.test(process.env[CONTROLLER_BUNDLE_ENV] ?? '')), {
    cwd: controllerAppDir,
    env: {
      ...process.env,
      KUBECONFIG: options.kubeconfig,
      METRICS_PORT: '0',
      HEALTH_PROBE_PORT: '0',
      API_PORT: '0',
      BIND_ADDRESS: '127.0.0.1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  running.add(child);
  installExitHook();
  const logs: ControllerLogLine[] = [];
  const rawTail: string[] = [];
  const waiters = new Set<{ predicate: (l: ControllerLogLine) => boolean; resolve: (l: ControllerLogLine) => void }>();
  let metricsPort: number | undefined;
  let healthPort: number | undefined;
  let apiPort: number | undefined;
  // Resolved once the output is drained too ('close'), so that outputTail() holds the last words; a
  // stray holder of the pipes delays it by at most 500 ms.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      const timer = setTimeout(() => resolveExit({ code, signal }), 500);
      child.once('close', () => {
        clearTimeout(timer);
        resolveExit({ code, signal });
      });
    }),
  );
  const exited = exit.then(({ code }) => code);
  const onLine = (line: string): void => {
    if (line.trim() === '') return;
    rawTail.push(line);
    if (rawTail.length > 200) rawTail.shift();
    let parsed: ControllerLogLine | undefined;
    if (line.startsWith('{')) {
      try {
        parsed = JSON.parse(line) as ControllerLogLine;
      } catch {
        parsed = undefined;
      }
    }
    if (!parsed) {
      options.onOutput?.(line);
      return;
    }
    logs.push(parsed);
    if (parsed.message === 'starting server') {
      if (parsed['server'] === 'metrics') metricsPort = Number(parsed['port']);
      if (parsed['server'] === 'health probe') healthPort = Number(parsed['port']);
      if (parsed['server'] === 'api') apiPort = Number(parsed['port']);
    }
    options.onLog?.(parsed);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(parsed)) {
        waiters.delete(waiter);
        waiter.resolve(parsed);
      }
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(onLine);
    });
    stream?.on('end', () => {
      if (partial !== '') onLine(partial);
      partial = '';
    });
  }

  let stopping: Promise<number | null> | undefined;
  const stop = (): Promise<number | null> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }, options.stopTimeoutMs ?? 20_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    })();
    return stopping;
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  let earlyExit = false;
  void exited.then(() => (earlyExit = true));
  for (;;) {
    if (earlyExit) throw new ControllerStartError(`controller exited with code ${String(child.exitCode)} before it was ready`, rawTail);
    if (Date.now() > deadline) {
      await stop();
      throw new ControllerStartError('controller did not become ready in time', rawTail);
    }
    if (healthPort !== undefined) {
      const ok = await fetch(`http://127.0.0.1:${healthPort}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const metricsUrl = `http://127.0.0.1:${metricsPort ?? 0}`;
  return {
    pid: child.pid ?? 0,
    metricsUrl,
    healthUrl: `http://127.0.0.1:${healthPort ?? 0}`,
    apiUrl: `http://127.0.0.1:${apiPort ?? 0}`,
    logs,
    exited,
    exit,
    outputTail: (lines = 10) => rawTail.slice(-lines),
    stop,
    scrapeMetrics: async () => (await fetch(`${metricsUrl}/metrics`)).text(),
    waitForLog(predicate, waitOptions = {}) {
      const found = logs.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise<ControllerLogLine>((resolveLine, reject) => {
        const waiter = {
          predicate,
          resolve: (line: ControllerLogLine) => {
            clearTimeout(timer);
            resolveLine(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new ControllerStartError(`timed out waiting for log: ${waitOptions.description ?? predicate.toString()}`, rawTail));
        }, waitOptions.timeoutMs ?? 60_000);
        waiters.add(waiter);
        void exited.then(() => {
          if (!waiters.delete(waiter)) return;
          clearTimeout(timer);
          reject(new ControllerStartError(`controller exited while waiting for log: ${waitOptions.description ?? ''}`, rawTail));
        });
      });
    },
  };
}

/** Node arguments that run the controller: the bundle, or src/main.ts through the tsx loader. */
function controllerArgs(bundle: boolean): string[] {
  if (!bundle) return ['--import', createRequire(import.meta.url).resolve('tsx'), 'src/main.ts'];
  if (!existsSync(controllerBundle)) {
    throw new ControllerStartError(`${controllerBundle} does not exist: run \`npm run build -w @karpenter-ts/controller\` first`, []);
  }
  return [controllerBundle];
}

export interface InstallPrereqsOptions {
  /** Give up when the CRDs are not Established after this long. Default 60 000 ms. */
  timeoutMs?: number;
}

/**
 * Applies the CRDs (chart/crds), the `karpenter` namespace and the controller's RBAC with
 * `kubectl --kubeconfig <admin> apply --server-side`, waits for every applied CRD to be Established, and then
 * until each of their resources can be listed and the controller's user is authorized by the new RBAC
 * (`kubectl auth can-i ... --as karpenter-ts-controller`): the API server answers `429 storage is
 * (re)initializing` for a moment after Established, and 403 until its RBAC cache has the new binding, which
 * a controller started right away would meet as failed watches.
 * Rejects with the last kubectl error when that takes longer than `timeoutMs`.
 */
export async function installControllerPrereqs(kubectl: string, adminKubeconfig: string, options: InstallPrereqsOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadlineMs = Date.now() + timeoutMs;
  await runKubectl(kubectl, adminKubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', crdDir, '-f', namespaceManifest, '-f', rbacManifest]);
  await runKubectl(kubectl, adminKubeconfig, ['wait', '--for', 'condition=Established', '--timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-f', crdDir]);
  const crdNames = (await runKubectl(kubectl, adminKubeconfig, ['get', '-f', crdDir, '-o', 'jsonpath={.items[*].metadata.name}'])).trim().split(/\s+/);
  for (;;) {
    try {
      await runKubectl(kubectl, adminKubeconfig, ['get', crdNames.join(','), '--all-namespaces', '--request-timeout=5s', '-o', 'name']);
      await runKubectl(kubectl, adminKubeconfig, ['auth', 'can-i', 'watch', 'nodeclaims.karpenter.sh', '--as', controllerRbacUser]);
      await runKubectl(kubectl, adminKubeconfig, ['auth', 'can-i', 'update', 'leases.coordination.k8s.io/karpenter-leader-election', '-n', 'karpenter', '--as', controllerRbacUser]);
      return;
    } catch (error) {
      if (Date.now() > deadlineMs) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Runs kubectl with the given kubeconfig; resolves stdout, rejects with stderr on a non-zero exit. */
export function runKubectl(kubectl: string, kubeconfig: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(kubectl, ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolveRun(stdout);
      else reject(new Error(`kubectl ${args.join(' ')} exited ${String(code)}: ${stderr.trim()}`));
    });
    child.stdin.end(input ?? '');
  });
}
