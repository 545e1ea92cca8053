import { rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBinaries, type BinPaths } from './binaries.js';
import { registerCleanup } from './cleanup.js';
import { writeClusterFiles } from './cluster-files.js';
import { apiserverArgs, controllerManagerArgs, etcdArgs, kwokArgs, schedulerArgs } from './components.js';
import { KubeHttp } from './kube-http.js';
import { defaultLog, type Log } from './log.js';
import type { CertFiles } from './pki.js';
import { waitFor } from './poll.js';
import { logTail, signalGroup, startProcess, type ManagedProcess } from './proc.js';
import { probeStatus } from './probes.js';
import { reapStaleClusters, writeState } from './reaper.js';
import { processRun, Supervisor, type RestartPolicy, type SupervisorClock, type SupervisorEvent } from './supervisor.js';
import { prepareWorkDir } from './workdir.js';

export { controllerGroup, controllerUser } from './cluster-files.js';

/** Default `--manage-nodes-with-annotation-selector` of KWOK. */
export const defaultKwokManageAnnotation = 'kwok.x-k8s.io/node=fake';

/** Options of {@link startCluster}. */
export interface StartClusterOptions {
  /**
   * Directory for certificates, kubeconfigs, etcd data and logs. Default: a new
   * `${os.tmpdir()}/karpenter-ts-cluster-XXXXXX`, deleted by `stop()`. A given directory must be
   * empty or hold a previous cluster (whose leftovers are killed and replaced); it is kept by `stop()`.
   */
  workDir?: string;
  /** Progress lines. Default: stderr. */
  log?: Log;
  /** Annotation selector (`key=value`) of the Nodes KWOK manages. Default `kwok.x-k8s.io/node=fake`. */
  kwokManageAnnotation?: string;
  /**
   * Run each kube-controller-manager controller under its own ServiceAccount, as kubeadm does.
   * Default false: controllers share KCM's identity (in system:masters), which makes the cluster
   * ready about 5 s sooner (KCM otherwise creates ~40 ServiceAccounts and tokens at start).
   */
  perControllerCredentials?: boolean;
  /** Give up when the control plane is not ready after this many milliseconds. Default 120000. */
  readyTimeoutMs?: number;
  /**
   * Keep the control plane up once it is ready (what `npm start` wants; tests that stop components on
   * purpose leave it off): a component that exits is reported through `onEvent` (exit code or signal, its
   * last log lines) and started again with the same flags and data after a backoff (see
   * {@link RestartPolicy}), counting as up again once its health endpoint answers. Default: off; an exit
   * is only logged.
   */
  supervise?: {
    onEvent: (event: SupervisorEvent) => void;
    policy?: Partial<RestartPolicy>;
    /** Give up on one restart attempt when the component is not healthy after this long. Default 60000 ms. */
    restartReadyTimeoutMs?: number;
    clock?: SupervisorClock;
  };
}

/** A running local control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, KWOK). */
export interface LocalCluster {
  workDir: string;
  /** e.g. `https://127.0.0.1:41234` */
  serverUrl: string;
  /** Path of a kubeconfig for user `karpenter-ts-admin` in group `system:masters` (cluster-admin). */
  adminKubeconfig: string;
  /** Path of a kubeconfig for user `karpenter-ts-controller`, group `karpenter-ts`; has no RBAC until someone binds it. */
  controllerKubeconfig: string;
  /** Path of the kubectl binary matching the apiserver version. */
  kubectl: string;
  /** All binaries in use. */
  binaries: BinPaths;
  /** CA certificate that signed the apiserver's serving certificate and every client certificate. */
  caFile: string;
  /** Client certificate of the admin identity (for HTTP clients that do not read kubeconfigs). */
  adminCert: CertFiles;
  /** Directory holding one `<component>.log` per process. */
  logDir: string;
  /** The component processes now (each leads its own process group); a restarted component has a new pid. */
  readonly processes: ReadonlyArray<{ name: string; pid: number; logFile: string }>;
  /** Milliseconds from the call to `/readyz` OK and to fully ready (default ServiceAccounts present). */
  timingsMs: { readyz: number; ready: number };
  /**
   * Stops every component (SIGTERM, then SIGKILL after 5 s, process groups included), waits until
   * each has exited, and deletes `workDir` if `startCluster` created it, unless `keepWorkDir`
   * (e.g. to read the logs of a failed test). Idempotent; never throws.
   */
  stop(options?: { keepWorkDir?: boolean }): Promise<void>;
  /**
   * Stops one component (`etcd`, `kube-apiserver`, `kube-controller-manager`, `kube-scheduler`, `kwok`):
   * SIGTERM, SIGKILL after 5 s; resolves once it exited. The others keep running (e.g. an API server outage
   * for the clients of this cluster). Throws for an unknown name, and on a cluster started with `supervise`
   * (its supervisor would restart the component at once). Idempotent.
   */
  stopComponent(name: ComponentName): Promise<void>;
  /**
   * Starts a stopped component again with the same arguments (its log is appended to) and waits until its
   * health endpoint answers (kube-apiserver: /readyz 200). No-op when it is running.
   */
  startComponent(name: ComponentName): Promise<void>;
}

/** The processes of a {@link LocalCluster}. */
export type ComponentName = 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok';

/** Error thrown when the control plane fails to start; processes are already stopped. */
export class ClusterStartError extends Error {
  readonly code = 'ClusterStart' as const;
}

/**
 * Starts a Kubernetes control plane on 127.0.0.1 (free ports chosen now): etcd, kube-apiserver
 * (client-cert authn, Node+RBAC authz), kube-controller-manager, kube-scheduler and KWOK (fake
 * kubelets for Nodes annotated per `kwokManageAnnotation`; stages node-initialize,
 * node-heartbeat-with-lease, pod-ready, pod-complete, pod-delete). Builds the binaries first if
 * needed (see ensureBinaries). Resolves once /readyz is OK, every component's health endpoint
 * answers, and the `default` ServiceAccounts of `default` and `kube-system` exist.
 * Registers a process-exit/signal safety net that kills the cluster if `stop()` is never called.
 * Throws ClusterStartError (with the failing component's log tail) on failure, after cleaning up.
 */
export async function startCluster(options: StartClusterOptions = {}): Promise<LocalCluster> {
  const started = Date.now();
  const log = options.log ?? defaultLog;
  const timeoutMs = options.readyTimeoutMs ?? 120_000;
  const perControllerCredentials = options.perControllerCredentials ?? false;
  const reaped = reapStaleClusters();
  if (reaped.length > 0) log(`removed ${reaped.length} cluster(s) left by dead processes`);
  const binaries = await ensureBinaries({ log });
  const { dir: workDir, owned } = await prepareWorkDir(options.workDir);
  const processes: ManagedProcess[] = [];
  const supervisors = new Map<string, Supervisor>();
  let stopping = false;
  const recordState = (): void => writeState(workDir, { ownerPid: process.pid, pgids: processes.map((p) => p.pid) });
  recordState();

  let stopped: Promise<void> | undefined;
  const stopAll = (removeOwnedDir: boolean): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      // Supervised components: stopping the supervisor ends restarts and stops the current run.
      const stopNamed = (names: string[]) =>
        Promise.all(names.map((name) => supervisors.get(name)?.stop() ?? Promise.all(processes.filter((p) => p.name === name).map((p) => p.stop()))));
      await stopNamed(['kwok', 'kube-scheduler', 'kube-controller-manager']);
      await stopNamed(['kube-apiserver']);
      await stopNamed(['etcd']);
      if (owned && removeOwnedDir) await rm(workDir, { recursive: true, force: true }).catch(() => undefined);
      else writeState(workDir, { ownerPid: process.pid, pgids: [], stopped: true });
    })());
  const unregister = registerCleanup({
    stop: () => stopAll(true),
    killSync: () => {
      for (const p of processes) signalGroup(p.pid, 'SIGKILL');
      if (owned) rmSync(workDir, { recursive: true, force: true });
    },
  });

  try {
    const logDir = join(workDir, 'logs');
    await mkdir(logDir, { recursive: true });
    const files = await writeClusterFiles(workDir, perControllerCredentials);
    const { layout, serverUrl, adminKubeconfig, controllerKubeconfig } = files;
    const { etcdClient, controllerManager, scheduler, kwok } = layout.ports;
    /** Components stopped on purpose by stopComponent (their exit is expected). */
    const stoppedOnPurpose = new Set<ManagedProcess>();
    /** How each component was started (supervised restarts and startComponent launch it the same way). */
    const launches = new Map<string, { command: string; args: string[]; env: NodeJS.ProcessEnv | undefined; healthy: () => Promise<boolean> }>();
    const launch = (name: string, command: string, args: string[], healthy: () => Promise<boolean>, env?: NodeJS.ProcessEnv): ManagedProcess => {
      launches.set(name, { command, args, env, healthy });
      const p = startProcess({ name, command, args, logFile: join(logDir, `${name}.log`), cwd: workDir, env });
      const previous = processes.findIndex((q) => q.name === name);
      if (previous >= 0) processes.splice(previous, 1, p);
      else processes.push(p);
      recordState();
      void p.exited.then((how) => {
        if (!stopping && options.supervise === undefined && !stoppedOnPurpose.has(p)) log(`${name} exited unexpectedly (${how.signal ?? `code ${how.code}`}); see ${p.logFile}`);
      });
      return p;
    };
    const current = (name: string): ManagedProcess | undefined => {
      if (!launches.has(name)) throw new Error(`unknown component ${name}; one of ${[...launches.keys()].join(', ')}`);
      return processes.filter((p) => p.name === name && p.exit === undefined).at(-1);
    };
    const abortIfDied = (): Error | undefined => {
      const dead = processes.find((p) => p.exit !== undefined);
      if (dead === undefined) return undefined;
      const how = dead.exit?.signal ?? `code ${dead.exit?.code}`;
      return new ClusterStartError(`${dead.name} exited (${how}) during startup; ${dead.logFile}:\n${logTail(dead.logFile)}`);
    };
    const waited: string[] = [];
    const wait = async <T>(description: string, check: () => Promise<T | undefined | false>): Promise<T> => {
      const value = await waitFor(check, { description, timeoutMs: Math.max(1000, started + timeoutMs - Date.now()), intervalMs: 100, abortIf: abortIfDied });
      waited.push(`${description} at ${Date.now() - started} ms`);
      return value;
    };

    const admin = new KubeHttp(serverUrl, files.caFile, files.adminCert);
    const etcdHealthy = async () => (await probeStatus(`http://127.0.0.1:${etcdClient}/health`)) === 200;
    const apiserverReady = async () => (await admin.request({ path: '/readyz', timeoutMs: 2000 })).status === 200;
    const kcmHealthy = async () => (await probeStatus(`https://127.0.0.1:${controllerManager}/healthz`)) === 200;
    const schedulerHealthy = async () => (await probeStatus(`https://127.0.0.1:${scheduler}/healthz`)) === 200;
    const kwokHealthy = async () => (await probeStatus(`http://127.0.0.1:${kwok}/healthz`)) === 200;

    log(`starting etcd on 127.0.0.1:${etcdClient}, work dir ${workDir}`);
    launch('etcd', binaries.etcd, etcdArgs(layout), etcdHealthy);
    await wait('etcd /health', etcdHealthy);

    log(`starting kube-apiserver on ${serverUrl}`);
    launch('kube-apiserver', binaries.kubeApiserver, apiserverArgs(layout), apiserverReady);
    await wait('kube-apiserver /readyz', apiserverReady);
    const readyzMs = Date.now() - started;

    log('starting kube-controller-manager, kube-scheduler, kwok');
    launch('kube-controller-manager', binaries.kubeControllerManager, controllerManagerArgs(layout), kcmHealthy);
    launch('kube-scheduler', binaries.kubeScheduler, schedulerArgs(layout), schedulerHealthy);
    launch('kwok', binaries.kwok, kwokArgs(layout, options.kwokManageAnnotation ?? defaultKwokManageAnnotation), kwokHealthy, {
      ...process.env,
      KWOK_WORKDIR: join(workDir, 'kwok'), // ignore any ~/.kwok/kwok.yaml of the user
    });
    const exists = async (path: string): Promise<boolean> => (await admin.request({ path, timeoutMs: 2000 })).status === 200;
    await Promise.all([
      wait('kube-controller-manager /healthz', kcmHealthy),
      wait('kube-scheduler /healthz', schedulerHealthy),
      wait('kwok /healthz', kwokHealthy),
      wait('ServiceAccount default/default', () => exists('/api/v1/namespaces/default/serviceaccounts/default')),
      wait('ServiceAccount kube-system/default', () => exists('/api/v1/namespaces/kube-system/serviceaccounts/default')),
    ]);
    const readyMs = Date.now() - started;
    log(`control plane ready in ${readyMs} ms (${waited.join(', ')}); KUBECONFIG=${adminKubeconfig}`);

    const supervise = options.supervise;
    if (supervise !== undefined) {
      for (const initial of [...processes]) {
        const { name } = initial;
        const spec = launches.get(name);
        if (spec === undefined) continue;
        const restart = async (signal: AbortSignal) => {
          const p = launch(name, spec.command, spec.args, spec.healthy, spec.env);
          try {
            await waitFor(spec.healthy, {
              description: `${name} healthy after a restart`,
              timeoutMs: supervise.restartReadyTimeoutMs ?? 60_000,
              intervalMs: 200,
              abortIf: () =>
                p.exit !== undefined
                  ? new Error(`${name} exited again (${p.exit.signal ?? `code ${p.exit.code}`}) before it was healthy`)
                  : signal.aborted
                    ? new Error('cluster stopping')
                    : undefined,
            });
          } catch (error) {
            await p.stop();
            const message = error instanceof Error ? error.message : String(error);
            throw new Error(`${message}; last lines of ${p.logFile}:\n${logTail(p.logFile, 10)}`, { cause: error });
          }
          return processRun(p);
        };
        supervisors.set(name, new Supervisor({ name, initial: processRun(initial), restart, onEvent: supervise.onEvent, ...(supervise.policy ? { policy: supervise.policy } : {}), ...(supervise.clock ? { clock: supervise.clock } : {}) }));
      }
    }

    return {
      workDir,
      serverUrl,
      adminKubeconfig,
      controllerKubeconfig,
      kubectl: binaries.kubectl,
      binaries,
      caFile: files.caFile,
      adminCert: files.adminCert,
      logDir,
      get processes() {
        return processes.map(({ name, pid, logFile }) => ({ name, pid, logFile }));
      },
      timingsMs: { readyz: readyzMs, ready: readyMs },
      stop: async (stopOptions) => {
        await stopAll(stopOptions?.keepWorkDir !== true);
        unregister();
      },
      stopComponent: async (name) => {
        if (supervisors.size > 0) throw new Error(`stopComponent(${name}): the cluster supervises its components and would restart it; start it without \`supervise\``);
        const p = current(name);
        if (!p) return;
        stoppedOnPurpose.add(p);
        await p.stop();
        processes.splice(processes.indexOf(p), 1);
        recordState();
      },
      startComponent: async (name) => {
        if (stopping) throw new Error('the cluster is stopped');
        if (current(name)) return;
        const spec = launches.get(name);
        if (spec === undefined) return;
        log(`starting ${name} again`);
        launch(name, spec.command, spec.args, spec.healthy, spec.env);
        await waitFor(spec.healthy, { description: `${name} healthy again`, timeoutMs, intervalMs: 100 });
      },
    };
  } catch (error) {
    await stopAll(false); // keep the logs; reapStaleClusters removes the directory once this process is gone
    unregister();
    const message = error instanceof Error ? error.message : String(error);
    throw new ClusterStartError(`local cluster failed to start: ${message} (logs in ${workDir}/logs)`, { cause: error });
  }
}
