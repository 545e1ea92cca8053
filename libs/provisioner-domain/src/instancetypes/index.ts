export * from './types.js';
export * from './allocatable.js';
export * from './offerings.js';
export * from './default-catalog.js';
export * from './catalog-document.js';
export * from './karpenter-overhead.js';
export * from './catalog-coverage.js';
export * from './nodeclass-shape.js';
