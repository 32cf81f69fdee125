// The public entry of iotypes.
export * from './errno/index.js';
export * from './io/index.js';
