// Layer: adapters/node (public subpath `iotypes/node`). Host folders, files and stdio of Node.js
// as I/O types and Directory handles; host folders over node:fs/promises as AsyncDirectory handles.
export { nodeDirectory, HostFileArray, toStat } from './directory.js';
export type { NodeDirectoryOptions } from './directory.js';
export { nodeAsyncDirectory } from './async-directory.js';
export type { NodeAsyncDirectoryOptions } from './async-directory.js';
export { nodeStdio, HostInput, HostOutput, waitIfWouldBlock } from './stdio.js';
export type { NodeStdio } from './stdio.js';
export { ERRNO_OF_CODE } from '../shared/errors.js';
export { fileTypeOf, type StatsLike } from '../shared/file-type.js';
export { runInWorker } from './worker.js';
export type { NodeWorkerOptions } from './worker.js';
