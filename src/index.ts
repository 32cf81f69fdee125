// The public entry of iotypes.
export * from './errno/index.js';
export * from './io/index.js';
export { WASI } from './wasi.js';
export type {
  WASIOptions, WASIImportObject, StdioOptions, FdSpec, StreamFdSpec, FileFdSpec, DirectoryFdSpec,
} from './wasi.js';
export type { Tracer } from './abi/trace.js';
export { SIGNATURES as PREVIEW1_SIGNATURES, type ImportModule, type Preview1Name } from './abi/preview1.js';
export { fileTypeOfCode } from './abi/layout.js';
export { resolve as resolvePath, type Resolved } from './path/index.js';
export { wasiImportProblem } from './abi/imports.js';
export { commandShape, type CommandShape } from './abi/shape.js';
export { Clock, defaultClocks, type Clocks } from './syscalls/index.js';
export { hasJspi } from './abi/jspi.js';
export { runSuspending, hostGuest, guestMain, chooseRunner } from './async-run.js';
export type { AsyncRunOptions, WorkerRunOptions, AsyncRunResult, AsyncOutputOption, Runner, GuestWorker } from './async-run.js';
