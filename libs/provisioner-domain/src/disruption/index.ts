/**
 * Disruption rules: emptiness and NodePool budgets (with cron schedules), decided as data by `disrupt`.
 */
export * from './types.js';
export * from './cron.js';
export * from './budgets.js';
export * from './pods.js';
export * from './emptiness.js';
export * from './disrupt.js';
export * from './drain.js';
