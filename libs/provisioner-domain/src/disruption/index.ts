/**
 * Disruption rules: emptiness, drift and consolidation (single and multi node) with NodePool budgets (cron
 * schedules) and PodDisruptionBudgets, decided as data by `disrupt`.
 */
export * from './types.js';
export * from './cron.js';
export * from './budgets.js';
export * from './pods.js';
export * from './emptiness.js';
export * from './disrupt.js';
export * from './drain.js';
export * from './pdb.js';
export * from './candidates.js';
export * from './consolidation.js';
export * from './apply.js';
// issue 12 (helper dnode): drift, expiration, the Consolidatable condition and the termination step.
export * from './drift.js';
export * from './expiration.js';
export * from './consolidatable.js';
export * from './termination.js';
