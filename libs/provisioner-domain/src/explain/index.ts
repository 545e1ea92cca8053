export * from './rejection.js';
export * from './near-miss.js';
