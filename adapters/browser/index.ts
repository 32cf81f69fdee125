// Layer: adapters/browser (public subpath `iotypes/browser`). Browser host objects as I/O types:
// the origin private file system as an asynchronous directory (and its files, in a worker, as
// arrays), Blobs and picked Files, URLs fetched by range, WHATWG streams, and console output; and
// running a command over asynchronous I/O objects (JSPI in the page, or a worker).
// No Node.js API: this subpath runs in pages and workers.
export { OpfsArray } from './opfs.js';
export type { FileSystemSyncAccessHandle, OpfsArrayOptions } from './opfs.js';
export { opfsDirectory } from './opfs-directory.js';
export type { OpfsAsyncDirectory, OpfsDirectoryOptions } from './opfs-directory.js';
export { blobArray, filesDirectory, importFiles } from './files.js';
export type { FileContent } from './files.js';
export { urlArray } from './url.js';
export type { UrlArray, UrlArrayOptions, UrlArrayStats } from './url.js';
export { fromReadableStream, toWritableStream } from './streams.js';
export { ERRNO_OF_DOM_EXCEPTION } from './errors.js';
export { ConsoleOutput, splitLines } from './console.js';
export { runInWorker, run, NEEDS_ISOLATION } from './worker.js';
export type { ModuleSource, BrowserWorkerOptions, BrowserRunOptions } from './worker.js';
export { chooseRunner, hostGuest } from '../../src/async-run.js';
export type { AsyncRunOptions, AsyncRunResult, Runner } from '../../src/async-run.js';
export { PushSource } from '../../src/io/index.js';
export type { AsyncArray, AsyncDirectory, AsyncFileNode, AsyncSink, AsyncSource } from '../../src/io/index.js';
