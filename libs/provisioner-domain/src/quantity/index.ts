export * from './errors.js';
export * from './quantity.js';
export * from './resourcelist.js';
export * from './convert.js';
export * from './format.js';
export * from './human.js';
