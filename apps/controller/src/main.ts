/**
 * The controller process: `tsx src/main.ts`. Reads options from the environment (src/options.ts), connects
 * with $KUBECONFIG or the in-cluster service account, starts the operator and stops it gracefully on SIGTERM
 * or SIGINT (controllers stop, the leader Lease is released, the process exits 0). Losing leadership (e.g. an
 * API server outage longer than the lease) stops the controllers and campaigns again without exiting. Exits 1
 * when startup or a controller loop fails, so the Deployment restarts it.
 */
import { createAwsCloudProvider, createAwsClients } from './cloudprovider/aws/index.js';
import { HttpKubeClient } from './kube/http-client.js';
import { loadKubeConfig } from './kube/config.js';
import { createLogger } from './log.js';
import { memoryFigures, startMemoryLog } from './memory.js';
import { startOperator } from './operator.js';
import { parseSettings } from './options.js';

async function main(): Promise<number> {
  // Settings (src/settings/schema.ts): flags and environment, read once; bad ones end the process with exit 2.
  const settings = parseSettings({ argv: process.argv.slice(2), env: process.env });
  if (!settings.ok) {
    if (settings.help) {
      process.stdout.write(settings.text);
      return 0;
    }
    process.stderr.write(`invalid settings:\n  ${settings.issues.join('\n  ')}\n`);
    return 2;
  }
  const options = settings.options;
  const log = createLogger(options.logLevel, undefined, options.logFormat);
  for (const warning of settings.warnings) log.warn({}, warning);
  log.info({ options: { ...options, kubeconfig: options.kubeconfig ? '(set)' : undefined } }, 'starting karpenter-ts controller');
  const client = new HttpKubeClient(loadKubeConfig(options.kubeconfig));
  // issue 13 (helper awsb): CLOUD_PROVIDER=aws builds the EC2 provider over the operator's state.
  const awsClients = options.cloudProvider === 'aws' ? createAwsClients({ region: options.awsRegion || undefined, endpoint: options.awsEndpointOverride || undefined }) : undefined;
  const operator = await startOperator({
    options,
    client,
    log,
    ...(awsClients
      ? { cloudProviderFactory: ({ state, clock }) => createAwsCloudProvider({ options, client, state, clock, clients: awsClients, onWarning: (message, error) => log.warn(error === undefined ? {} : { error: error instanceof Error ? error.message : String(error) }, message) }) }
      : {}),
  });
  const stopMemoryLog = startMemoryLog(log, options.memoryLogIntervalMs);
  const shutdown = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ gracePeriodMs: options.shutdownGracePeriodMs }, 'shutdown timed out, exiting');
      process.exit(1);
    }, options.shutdownGracePeriodMs);
    force.unref();
    void operator.stop();
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const code = await operator.done;
  if (code !== 0) await operator.stop();
  stopMemoryLog();
  log.info({ code, peakRssBytes: memoryFigures().peakRssBytes }, 'stopped');
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // A sentence, not a stack trace; the stack only with LOG_LEVEL=debug or trace.
    const detail = /^(debug|trace)$/i.test(process.env['LOG_LEVEL'] ?? '') && error instanceof Error ? error.stack : undefined;
    process.stderr.write(`fatal: ${error instanceof Error ? error.message : String(error)}\n${detail ? `${detail}\n` : ''}`);
    process.exit(1);
  },
);
