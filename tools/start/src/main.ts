/**
 * `npm start`: the seed story on a real local cluster.
 *
 * Boots the local control plane (building it on first use), installs the CRDs and the controller's RBAC,
 * starts the controller with the simulated cloud provider, applies the `default` NodePool (or, with
 * `--provisioner`, the v1alpha5 Provisioner) and the `inflate` Deployment, scales it to 10, streams the
 * controller's logs and prints the nodes it launched with their cost. Then it stays up until Ctrl-C.
 *
 * The controller and every control-plane component are supervised: one that exits is reported at once on
 * stderr (exit code or signal, its last log lines) and restarted with backoff (1, 2, 4, 8, 16 s) while the
 * rest keeps serving; after 6 crashes in a row of one process `npm start` stops everything and exits 1.
 * Exit codes: 0 after Ctrl-C or a finished `--exit` story when nothing crashed; 1 when anything crashed
 * during the run (even if it was restarted) or the story failed; 2 for bad flags.
 *
 * Flags: `--exit` runs the whole story non-interactively (scale up, wait for Running, delete the
 * deployment, wait for the nodes to go, print timings and the controller's peak RSS, exit 0);
 * `--provisioner` uses the Provisioner; `--replicas N` (default 10); `--quiet` hides the controller's log
 * lines; `--bundle` builds and runs the controller's esbuild bundle (`node dist/main.mjs`, as the Helm chart
 * does) instead of `tsx src/main.ts`; `--cloud aws-emulator` runs the controller with the AWS cloud provider
 * (CLOUD_PROVIDER=aws) against the EC2 emulator (moto, started and stopped here; a VPC, subnets, security
 * group, AMI, node role and interruption queue are created in it), the nodes of the launched EC2 instances
 * coming from the kubelet simulator with their `aws:///zone/i-...` providerIDs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCluster, ensureBinaries, type LocalCluster, type Supervisor, type SupervisorEvent } from '@karpenter-ts/local-cluster';
import { installControllerPrereqs, samplesDir } from '@karpenter-ts/controller/testing';
import { emulatorNodeClass, seedAwsEmulator, startMoto } from '@karpenter-ts/controller/testing/aws';
import { parseAllDocuments, stringify } from 'yaml';
import { formatLogEntry } from './log-format.js';
import { ClusterView } from './cluster-view.js';
import { renderNodeSummary } from './summary.js';
import { CrashTally, renderSupervisorEvent } from './crash-report.js';
import { startSupervisedController, type ControllerRun } from './supervised-controller.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(here, '..', '..', '..');

const USAGE = 'usage: npm start [-- [--exit] [--provisioner] [--replicas N] [--quiet] [--bundle] [--cloud simulated|aws-emulator]]';

/** Runs the controller's own build (`npm run build -w @karpenter-ts/controller`, about a second). Throws if it fails. */
function buildControllerBundle(): void {
  say('bundling the controller (apps/controller/dist/main.mjs) ...');
  const result = spawnSync('npm', ['run', 'build', '-w', '@karpenter-ts/controller', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the controller bundle build failed (exit ${result.status ?? result.signal})`);
}

function say(text: string): void {
  console.log(`[karpenter-ts] ${text}`);
}

function warn(text: string): void {
  console.error(`[karpenter-ts] ${text}`);
}

function seconds(fromMs: number, toMs: number): string {
  return `${((toMs - fromMs) / 1000).toFixed(1)} s`;
}

/** What the seed story needs from `main`. */
interface StoryContext {
  cluster: LocalCluster;
  controller: Supervisor<ControllerRun>;
  tally: CrashTally;
  values: { exit: boolean; provisioner: boolean };
  /** With `--cloud aws-emulator`: the EC2NodeClass selects the emulator's AMI by tag (moto has no EKS SSM parameters). */
  awsEmulator: boolean;
  replicas: number;
  startedMs: number;
  clusterReadyMs: number;
}

/**
 * Applies the NodePool (or Provisioner) and `inflate`, scales it and prints the launched nodes; with `--exit`
 * also scales down, waits for the nodes to go and resolves with the exit code, else never resolves.
 */
async function seedStory(context: StoryContext): Promise<number> {
  const { cluster, controller, tally, values, replicas, startedMs, clusterReadyMs } = context;
  const view = new ClusterView(cluster.adminKubeconfig);
  const poolManifest = values.provisioner ? 'default-provisioner.yaml' : 'default-nodepool.yaml';
  const poolText = readFileSync(path.join(samplesDir, poolManifest), 'utf8');
  await view.apply(
    context.awsEmulator
      ? parseAllDocuments(poolText)
          .map((d) => d.toJS() as Record<string, unknown>)
          .map((o) => stringify(o['kind'] === 'EC2NodeClass' ? emulatorNodeClass(o) : o))
          .join('---\n')
      : poolText,
  );
  await view.apply(readFileSync(path.join(samplesDir, 'inflate.yaml'), 'utf8'));
  say(`applied ${values.provisioner ? 'Provisioner' : 'NodePool'} "default" and Deployment "inflate"; scaling inflate to ${replicas}`);
  const scaledMs = Date.now();
  await view.scaleDeployment('default', 'inflate', replicas);
  await view.waitForRunningPods('default', 'app=inflate', replicas, { timeoutMs: 300_000, onProgress: say });
  const runningMs = Date.now();
  say(`all ${replicas} inflate pods Running in ${seconds(scaledMs, runningMs)} after the scale-up`);
  console.log(`\n${renderNodeSummary(await view.launchedNodes())}\n`);

  if (values.exit) {
    say('deleting the inflate deployment; empty nodes go after consolidateAfter (30 s)');
    const deletedMs = Date.now();
    await view.deleteDeployment('default', 'inflate');
    await view.waitForNoLaunchedNodes({ timeoutMs: 300_000, onProgress: say });
    const goneMs = Date.now();
    say(`launched nodes removed ${seconds(deletedMs, goneMs)} after the deployment was deleted`);
    say(
      `timings: control plane ${seconds(startedMs, clusterReadyMs)}, pods Running ${seconds(scaledMs, runningMs)}, ` +
        `nodes removed ${seconds(deletedMs, goneMs)}, total ${seconds(startedMs, goneMs)}`,
    );
    const last = controller.current?.controller;
    await controller.stop();
    const peakRssBytes = last?.logs.find((line) => line.message === 'stopped')?.['peakRssBytes'];
    if (typeof peakRssBytes === 'number') say(`controller peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    if (tally.exitCode() !== 0) warn(`the story finished, but processes crashed during it: ${tally.summary()} (exit 1)`);
    return tally.exitCode();
  }

  say(
    `cluster is up. In another terminal (the kubectl built beside the server, same version, is put first on PATH):\n` +
      `  export KUBECONFIG=${cluster.adminKubeconfig} PATH=${path.dirname(cluster.kubectl)}:$PATH\n` +
      '  kubectl get nodepools,nodeclaims,nodes,pods -o wide\nPress Ctrl-C to stop everything.',
  );
  // The cluster's processes are unref'd; keep the event loop alive even while the controller is down.
  return new Promise<never>(() => setInterval(() => undefined, 1 << 30));
}

async function main(): Promise<number> {
  let values: { exit: boolean; provisioner: boolean; replicas: string; quiet: boolean; bundle: boolean; cloud: string };
  try {
    ({ values } = parseArgs({
      options: {
        exit: { type: 'boolean', default: false },
        provisioner: { type: 'boolean', default: false },
        replicas: { type: 'string', default: '10' },
        quiet: { type: 'boolean', default: false },
        bundle: { type: 'boolean', default: false },
        cloud: { type: 'string', default: 'simulated' },
      },
    }));
  } catch (error) {
    console.error(`[karpenter-ts] ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const replicas = Number(values.replicas);
  if (!Number.isInteger(replicas) || replicas < 0) {
    console.error(`[karpenter-ts] --replicas must be a whole number >= 0, got "${values.replicas}"\n${USAGE}`);
    return 2;
  }
  if (values.cloud !== 'simulated' && values.cloud !== 'aws-emulator') {
    console.error(`[karpenter-ts] --cloud must be simulated or aws-emulator, got "${values.cloud}"\n${USAGE}`);
    return 2;
  }
  const awsEmulator = values.cloud === 'aws-emulator';
  const startedMs = Date.now();

  await ensureBinaries({ log: say }); // silent when the binaries are cached; the first run builds Kubernetes
  say('starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1 ...');
  let cluster: LocalCluster | undefined;
  let controller: Supervisor<ControllerRun> | undefined;
  let emulator: { endpoint: string; stop: () => Promise<void> } | undefined;
  const stopAll = async () => {
    await controller?.stop().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
  };
  const tally = new CrashTally();
  let giveUp: (name: string) => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
  const onEvent = (event: SupervisorEvent): void => {
    tally.record(event);
    const [first = '', ...rest] = renderSupervisorEvent(event);
    const print = event.type === 'restarted' ? say : warn;
    print([first, ...rest].join('\n'));
    if (event.type === 'gave-up') giveUp(event.name);
  };
  // `on`, not `once`: the handlers stay installed so that local-cluster's own signal safety net does not
  // re-raise the signal (and exit 130) before the exit code below is chosen. A second signal exits at once;
  // the process-exit hooks of local-cluster and the controller harness SIGKILL whatever is left.
  // npm forwards the terminal's SIGINT to its child too, so one Ctrl-C can arrive twice: only a signal more
  // than a second after the first counts as a second one.
  let signalledAtMs: number | undefined;
  const onSignal = (signal: string) => () => {
    if (signalledAtMs !== undefined) {
      if (Date.now() - signalledAtMs < 1000) return;
      warn(`${signal} again: killing everything now (exit 1)`);
      process.exit(1);
    }
    signalledAtMs = Date.now();
    say(`${signal}: stopping the controller and the control plane ...`);
    void stopAll().then(() => {
      const code = tally.exitCode();
      if (code !== 0) warn(`stopped; crashes during this run: ${tally.summary()} (exit 1)`);
      process.exit(code);
    });
  };
  process.on('SIGINT', onSignal('Ctrl-C'));
  process.on('SIGTERM', onSignal('SIGTERM'));

  try {
    // The local-cluster progress lines (each component's port, what it waited for) stay out of the way;
    // failures still carry them in the error.
    cluster = await startCluster({ log: () => undefined, supervise: { onEvent } });
    const clusterReadyMs = Date.now();
    say(`control plane ready in ${seconds(startedMs, clusterReadyMs)}; component logs in ${cluster.logDir}`);

    await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
    if (values.bundle) buildControllerBundle();
    let env: Record<string, string> = { CLOUD_PROVIDER: 'simulated' };
    if (awsEmulator) {
      emulator = await startMoto();
      const aws = await seedAwsEmulator(emulator.endpoint);
      env = aws.controllerEnv;
      say(`EC2 emulator (moto) on ${emulator.endpoint}: VPC with subnets ${aws.subnetIds.join(', ')}, security group ${aws.securityGroupId}, AMI ${aws.amiId}, queue ${aws.queueUrl}`);
    }
    controller = await startSupervisedController({
      kubeconfig: cluster.controllerKubeconfig,
      env,
      ...(values.bundle ? { bundle: true } : {}),
      onLog: (entry) => {
        if (!values.quiet) console.log(formatLogEntry(entry));
      },
      onOutput: (line) => console.log(line),
      onEvent,
    });
    say(`controller running with the ${awsEmulator ? 'AWS cloud provider against the EC2 emulator' : 'simulated cloud provider'} (${values.bundle ? 'bundle dist/main.mjs' : 'tsx src/main.ts'})`);
    // A process whose restarts ran out ends the run, whatever the story was doing.
    return await Promise.race([
      seedStory({ cluster, controller, tally, values, replicas, startedMs, clusterReadyMs, awsEmulator }),
      gaveUp.then((name) => {
        warn(`stopping everything because ${name} keeps crashing; crashes during this run: ${tally.summary()}`);
        return 1;
      }),
    ]);
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // The message, and its causes' (a local-cluster or controller start error carries the failing process's
    // last log lines in it); no stack trace.
    const messages: string[] = [];
    for (let cause: unknown = error; cause !== undefined && messages.length < 5; cause = cause instanceof Error ? cause.cause : undefined) {
      const message = cause instanceof Error ? cause.message : String(cause);
      if (!messages.some((m) => m.includes(message))) messages.push(message);
    }
    console.error(`[karpenter-ts] npm start failed: ${messages.join('\n  caused by: ')}`);
    process.exit(1);
  },
);
