/**
 * @karpenter-ts/backstage-plugin: per-team node capacity, usage, cost and pending pods from the karpenter-ts
 * controller's read-only API, for Backstage's legacy frontend system (`createPlugin`). The new frontend system
 * is under `@karpenter-ts/backstage-plugin/alpha`.
 */
export * from './api';
