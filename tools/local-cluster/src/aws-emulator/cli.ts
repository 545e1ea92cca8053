/**
 * `tsx tools/local-cluster/src/aws-emulator/cli.ts install|start`
 *
 * install: makes sure the pinned moto venv exists (the `npm test` stage before the e2e suites).
 * start:   runs the emulator in the foreground, prints its endpoint, stops on Ctrl-C.
 * Exit codes: 0 ok, 1 failure (the message says what failed), 2 usage.
 */
import { defaultLog } from '../log.js';
import { ensureMoto, motoRequirement } from './install.js';
import { startAwsEmulator } from './emulator.js';

async function main(command: string | undefined): Promise<number> {
  if (command === 'install') {
    const paths = await ensureMoto();
    defaultLog(`${motoRequirement} ready in ${paths.dir}`);
    return 0;
  }
  if (command === 'start') {
    const emulator = await startAwsEmulator();
    process.stdout.write(`${emulator.endpoint}\n`);
    defaultLog(`moto ${emulator.version} on ${emulator.endpoint} (log ${emulator.logFile}); Ctrl-C stops it`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await emulator.stop();
    return 0;
  }
  process.stderr.write('usage: cli.ts install|start\n');
  return 2;
}

try {
  process.exitCode = await main(process.argv[2]);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
