/**
 * @karpenter-ts/provisioner-domain: the pure domain of karpenter-ts (no I/O, no clock).
 * Kubernetes object shapes, the Karpenter API, quantities, instance types, the scheduling simulation,
 * disruption decisions (emptiness, budgets), explanations and the cloud provider port.
 */
export * from './core/types.js';
export * from './apis/index.js';
export * from './cloudprovider/index.js';
export * from './quantity/index.js';
export * from './instancetypes/index.js';
export * from './scheduling/index.js';
export * from './explain/index.js';
export * from './disruption/index.js';
export * from './scenario/index.js';
export * from './authoring/index.js';
export * from './cost/index.js';
