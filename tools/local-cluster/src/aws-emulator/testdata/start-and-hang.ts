// Test fixture: starts an emulator, prints its endpoint, then waits to be killed (never stops it itself).
import { silentLog } from '../../log.js';
import { startAwsEmulator } from '../emulator.js';

const emulator = await startAwsEmulator({ log: silentLog });
process.stdout.write(`${emulator.endpoint}\n`);
setInterval(() => {}, 60_000);
