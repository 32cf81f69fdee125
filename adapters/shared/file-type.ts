// Layer: adapters/shared. Imports src/io (types) only.
// The file type of a host's stat result, for every backend whose stats answer isFile(),
// isDirectory()... (node:fs Stats and BigIntStats, memfs Stats).

import type { FileType } from '../../src/io/index.js';

/** The predicates of a Node.js-style Stats object. */
export interface StatsLike {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
  isSocket(): boolean;
}

/** The WASI file type of `st`. */
export function fileTypeOf(st: StatsLike): FileType {
  if (st.isFile()) return 'regular-file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic-link';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isCharacterDevice()) return 'character-device';
  // NOTE: a Unix-domain socket node is reported as a stream socket, a FIFO as 'unknown' (WASI has
  // no FIFO type), as wasmtime does.
  if (st.isSocket()) return 'socket-stream';
  return 'unknown';
}
