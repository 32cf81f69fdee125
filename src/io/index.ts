// Layer: io. The I/O types: streams, arrays and their constructors.
export { InputStream, OutputStream, END, DEFAULT_MEDIA_TYPE } from './stream.js';
export type { IOOptions, InputStatus, OutputStatus } from './stream.js';
export { IOArray } from './array.js';
export type { Advice, FlushMode } from './array.js';
export { IOError } from './errors.js';
export { Pseudonym } from './pseudonym.js';
export { anonymous, AnonymousArray, PAGE_SIZE } from './anonymous.js';
export type { AnonymousStats } from './anonymous.js';
export { pipe, DEFAULT_PIPE_CAPACITY } from './pipe.js';
export type { Pipe } from './pipe.js';
export {
  nullOutput, fromArray, fromStream, FromStreamError, toArray, readOnlyArray,
  fromBytes, bytesOf, textOf, collect, CollectedOutput, onChunk, ChunkOutput, onLine, lineSplitter,
} from './constructors.js';
export type { Directory, DirEntry, FileNode, StreamNode, FileType, OpenFileOptions, Stat, TimeSpec } from './directory.js';
export {
  AsyncDirectoryAdapter, AsyncArrayAdapter, AsyncInput, AsyncOutput, PushSource,
  fromAsyncDirectory, fromAsyncArray, fromAsyncSource, fromAsyncSink,
} from './async.js';
export type { AsyncArray, AsyncDirectory, AsyncFileNode, AsyncSink, AsyncSource, MaybePromise } from './async.js';
export { Pending, ReplayLog, replayed, suspending, remember, waitFor, wake, nextWake, isThenable } from './pending.js';
export type { Settler } from './pending.js';
export { RemoteOwner, RemoteSettler, remoteBuffer, DEFAULT_REMOTE_BUFFER } from './remote.js';
export type { RemoteMessage, Post } from './remote.js';
