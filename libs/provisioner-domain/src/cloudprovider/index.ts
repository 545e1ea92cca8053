export type { CloudProvider } from './cloudprovider.js';
export * from './errors.js';
