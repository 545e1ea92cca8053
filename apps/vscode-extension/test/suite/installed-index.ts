/** The mocha entry for the installed .vsix: runs the bundled installed.test.cjs. */
import { runSuite } from './run-suite.js';

export const run = (): Promise<void> => runSuite('installed.test.cjs');
