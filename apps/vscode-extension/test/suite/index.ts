/** The mocha entry VS Code's extension host calls (`extensionTestsPath`): runs the bundled extension.test.cjs. */
import { runSuite } from './run-suite.js';

export const run = (): Promise<void> => runSuite('extension.test.cjs');
