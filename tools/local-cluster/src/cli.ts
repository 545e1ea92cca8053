/**
 * Command line of @karpenter-ts/local-cluster (run with tsx):
 *   build  builds/locates the binaries and prints their paths as JSON
 *   helm   builds/locates the pinned helm binary and prints its path
 *   start  starts a cluster, prints KUBECONFIG, stays up until Ctrl-C (SIGINT/SIGTERM)
 *   smoke  starts a cluster, runs the smoke scenario (node, pods, PDB eviction), stops, exits 0/1
 */
import { ensureBinaries, ensureHelm, pinnedVersions } from './binaries.js';
import { startCluster } from './cluster.js';
import { defaultLog } from './log.js';
import { runSmoke } from './smoke-scenario.js';

const usage = 'usage: tsx tools/local-cluster/src/cli.ts build|helm|start|smoke';

async function main(command: string | undefined): Promise<number> {
  switch (command) {
    case 'build': {
      const started = Date.now();
      const bins = await ensureBinaries({ log: defaultLog });
      defaultLog(`binaries ready in ${Date.now() - started} ms`);
      process.stdout.write(`${JSON.stringify({ versions: pinnedVersions(), binaries: bins }, null, 2)}\n`);
      return 0;
    }
    case 'helm': {
      const started = Date.now();
      const helm = await ensureHelm({ log: defaultLog });
      defaultLog(`helm ready in ${Date.now() - started} ms`);
      process.stdout.write(`${helm}\n`);
      return 0;
    }
    case 'start': {
      const cluster = await startCluster({ log: defaultLog });
      process.stdout.write(
        `\nLocal cluster is up at ${cluster.serverUrl}\n` +
          `  export KUBECONFIG=${cluster.adminKubeconfig}   # cluster-admin\n` +
          `  controller kubeconfig: ${cluster.controllerKubeconfig}   # user karpenter-ts-controller (no RBAC until bound)\n` +
          `  kubectl: ${cluster.kubectl}\n  logs: ${cluster.logDir}\nPress Ctrl-C to stop.\n`,
      );
      // Child processes are unref'd, so keep the event loop alive until a signal arrives.
      const keepAlive = setInterval(() => undefined, 1 << 30);
      await new Promise<void>((resolve) => {
        const onSignal = (): void => {
          clearInterval(keepAlive);
          resolve();
        };
        // Our own listeners tell cleanup.ts not to re-raise the signal, so we exit 0 after stop().
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
      defaultLog('stopping');
      await cluster.stop();
      defaultLog('stopped');
      return 0;
    }
    case 'smoke':
      return (await runSmoke(defaultLog)) ? 0 : 1;
    default:
      process.stderr.write(`${usage}\n`);
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
