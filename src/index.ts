// The public entry of iotypes.
export * from './errno/index.js';
export * from './io/index.js';
export { WASI } from './wasi.js';
export type { WASIOptions, WASIImportObject, StdioOptions } from './wasi.js';
export type { Tracer } from './abi/trace.js';
export type { ImportModule, Preview1Name } from './abi/preview1.js';
export { wasiImportProblem } from './abi/imports.js';
export { Clock, defaultClocks, type Clocks } from './syscalls/index.js';
