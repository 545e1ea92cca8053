/**
 * The karpenter-ts controller's read-only HTTP API (DESIGN.md §4.3): one zod schema per response, and the
 * types inferred from them. The controller validates what it serves against these in its tests; clients
 * (the Backstage plugin, the VS Code extension) parse what they receive with them. See README.md for the
 * endpoints, authentication and examples.
 */
export * from './common.js';
export * from './pending.js';
export * from './capacity.js';
export * from './instancetypes.js';
export * from './simulate.js';
export * from './paths.js';
export * from './examples.js';
