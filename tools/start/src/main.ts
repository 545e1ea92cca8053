/**
 * `npm start`: the seed story on a real local cluster.
 *
 * Boots the local control plane (building it on first use), installs the CRDs and the controller's RBAC,
 * starts the controller with the simulated cloud provider, applies the `default` NodePool (or, with
 * `--provisioner`, the v1alpha5 Provisioner) and the `inflate` Deployment, scales it to 10, streams the
 * controller's logs and prints the nodes it launched with their cost. Then it stays up until Ctrl-C.
 *
 * Flags: `--exit` runs the whole story non-interactively (scale up, wait for Running, delete the
 * deployment, wait for the nodes to go, print timings and the controller's peak RSS, exit 0);
 * `--provisioner` uses the Provisioner; `--replicas N` (default 10); `--quiet` hides the controller's log
 * lines; `--bundle` builds and runs the controller's esbuild bundle (`node dist/main.mjs`, as the Helm chart
 * does) instead of `tsx src/main.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startCluster, ensureBinaries, type LocalCluster } from '@karpenter-ts/local-cluster';
import { installControllerPrereqs, samplesDir, startController, type RunningController } from '@karpenter-ts/controller/testing';
import { formatLogEntry } from './log-format.js';
import { ClusterView } from './cluster-view.js';
import { renderNodeSummary } from './summary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.join(here, '..', '..', '..');

const USAGE = 'usage: npm start [-- [--exit] [--provisioner] [--replicas N] [--quiet] [--bundle]]';

/** Runs the controller's own build (`npm run build -w @karpenter-ts/controller`, about a second). Throws if it fails. */
function buildControllerBundle(): void {
  say('bundling the controller (apps/controller/dist/main.mjs) ...');
  const result = spawnSync('npm', ['run', 'build', '-w', '@karpenter-ts/controller', '--silent'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`the controller bundle build failed (exit ${result.status ?? result.signal})`);
}

function say(text: string): void {
  console.log(`[karpenter-ts] ${text}`);
}

function seconds(fromMs: number, toMs: number): string {
  return `${((toMs - fromMs) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  let values: { exit: boolean; provisioner: boolean; replicas: string; quiet: boolean; bundle: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        exit: { type: 'boolean', default: false },
        provisioner: { type: 'boolean', default: false },
        replicas: { type: 'string', default: '10' },
        quiet: { type: 'boolean', default: false },
        bundle: { type: 'boolean', default: false },
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
  const startedMs = Date.now();

  say('making sure the local control plane binaries are built (the first run builds Kubernetes from source) ...');
  await ensureBinaries({ log: say });
  say('starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok on 127.0.0.1 ...');
  let cluster: LocalCluster | undefined;
  let controller: RunningController | undefined;
  const stopAll = async () => {
    await controller?.stop().catch(() => undefined);
    await cluster?.stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(143)));

  try {
    cluster = await startCluster({ log: say });
    const clusterReadyMs = Date.now();
    say(`control plane ready in ${seconds(startedMs, clusterReadyMs)} (KUBECONFIG=${cluster.adminKubeconfig})`);

    await installControllerPrereqs(cluster.kubectl, cluster.adminKubeconfig);
    if (values.bundle) buildControllerBundle();
    controller = await startController({
      kubeconfig: cluster.controllerKubeconfig,
      env: { CLOUD_PROVIDER: 'simulated' },
      ...(values.bundle ? { bundle: true } : {}),
      onLog: (entry) => {
        if (!values.quiet) console.log(formatLogEntry(entry));
      },
      onOutput: (line) => console.log(line),
    });
    say(`controller running with the simulated cloud provider (${values.bundle ? 'bundle dist/main.mjs' : 'tsx src/main.ts'})`);

    const view = new ClusterView(cluster.adminKubeconfig);
    const poolManifest = values.provisioner ? 'default-provisioner.yaml' : 'default-nodepool.yaml';
    await view.apply(readFileSync(path.join(samplesDir, poolManifest), 'utf8'));
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
      await controller.stop();
      const peakRssBytes = controller.logs.find((line) => line.message === 'stopped')?.['peakRssBytes'];
      if (typeof peakRssBytes === 'number') say(`controller peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
      return 0;
    }

    say(
      `cluster is up. In another terminal (the kubectl built beside the server, same version, is put first on PATH):\n` +
        `  export KUBECONFIG=${cluster.adminKubeconfig} PATH=${path.dirname(cluster.kubectl)}:$PATH\n` +
        '  kubectl get nodepools,nodeclaims,nodes,pods -o wide\nPress Ctrl-C to stop everything.',
    );
    await new Promise<never>(() => undefined);
    return 0;
  } finally {
    await stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`[karpenter-ts] npm start failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
