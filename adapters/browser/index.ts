// Layer: adapters/browser (public subpath `iotypes/browser`). Browser host objects as I/O types:
// origin private file system files as arrays, and console output as a stream.
export { OpfsArray } from './opfs.js';
export type { FileSystemSyncAccessHandle, OpfsArrayOptions } from './opfs.js';
export { ConsoleOutput, splitLines } from './console.js';
