/** Editor-facing views of the domain: catalog summaries of requirement sets and findings that need workspace context. */
export * from './catalog-summary.js';
export * from './workspace-findings.js';
