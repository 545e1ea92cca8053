// Entry of the simulation worker thread when the controller runs from its TypeScript sources (tsx, tests):
// worker threads do not inherit the parent's tsx loader on Node 20, so register it here, then load the worker.
// The esbuild bundle runs dist/simulate-worker.mjs instead (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./simulate-worker.ts');
