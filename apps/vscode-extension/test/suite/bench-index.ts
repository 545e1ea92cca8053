/** The mocha entry of the activation benchmark: runs the bundled bench.test.cjs. */
import { runSuite } from './run-suite.js';

export const run = (): Promise<void> => runSuite('bench.test.cjs');
