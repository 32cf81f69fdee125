// Layer: adapters/browser (public subpath `iotypes/browser`). Browser host objects as I/O types:
// origin private file system files as arrays, and console output as a stream; and running a
// command over asynchronous I/O objects (JSPI in the page, or a worker).
export { OpfsArray } from './opfs.js';
export type { FileSystemSyncAccessHandle, OpfsArrayOptions } from './opfs.js';
export { ConsoleOutput, splitLines } from './console.js';
export { runInWorker, run, NEEDS_ISOLATION } from './worker.js';
export type { ModuleSource, BrowserWorkerOptions, BrowserRunOptions } from './worker.js';
export { chooseRunner, hostGuest } from '../../src/async-run.js';
export type { AsyncRunOptions, AsyncRunResult, Runner } from '../../src/async-run.js';
