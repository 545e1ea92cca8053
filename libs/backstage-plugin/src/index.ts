/**
 * @karpenter-ts/backstage-plugin: per-team node capacity, usage, cost and pending pods from the karpenter-ts
 * controller's read-only API, for Backstage's legacy frontend system (`createPlugin`). The new frontend system
 * is under `@karpenter-ts/backstage-plugin/alpha`.
 */
export { karpenterTsPlugin, KarpenterCapacityPage, EntityKarpenterCapacityCard, PROXY_PATH_CONFIG_KEY } from './plugin';
export { rootRouteRef } from './routes';
export { teamOfEntity, TEAM_ANNOTATION } from './components/TeamCapacityCard/teamOfEntity';
export * from './api';
