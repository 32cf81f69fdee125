// Layer: fdtable. Imports nothing.
// Preview 1 rights bits, fd flags and the rights each kind of descriptor can hold.

export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

export const ALL_RIGHTS = (1n << 30n) - 1n;

const R = Rights;
/** What a regular-file descriptor can hold. */
export const FILE_RIGHTS =
  R.FD_DATASYNC | R.FD_READ | R.FD_SEEK | R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_TELL | R.FD_WRITE |
  R.FD_ADVISE | R.FD_ALLOCATE | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_SIZE | R.FD_FILESTAT_SET_TIMES |
  R.POLL_FD_READWRITE;
/** What a directory descriptor can hold for itself. */
export const DIR_RIGHTS =
  R.FD_FDSTAT_SET_FLAGS | R.FD_SYNC | R.FD_DATASYNC | R.PATH_CREATE_DIRECTORY | R.PATH_CREATE_FILE |
  R.PATH_LINK_SOURCE | R.PATH_LINK_TARGET | R.PATH_OPEN | R.FD_READDIR | R.PATH_READLINK |
  R.PATH_RENAME_SOURCE | R.PATH_RENAME_TARGET | R.PATH_FILESTAT_GET | R.PATH_FILESTAT_SET_SIZE |
  R.PATH_FILESTAT_SET_TIMES | R.FD_FILESTAT_GET | R.FD_FILESTAT_SET_TIMES | R.PATH_SYMLINK |
  R.PATH_REMOVE_DIRECTORY | R.PATH_UNLINK_FILE;
/** What a stream descriptor can hold (no seek, no tell). */
export const STREAM_RIGHTS =
  R.FD_READ | R.FD_WRITE | R.FD_FDSTAT_SET_FLAGS | R.FD_FILESTAT_GET | R.POLL_FD_READWRITE | R.FD_SYNC |
  R.FD_DATASYNC | R.SOCK_SHUTDOWN;

export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const ALL_FDFLAGS = 31;

/**
 * The rights path_open needs on the directory, as the witx ties them to open flags and fd flags:
 * `base` in the directory's base rights, `inheriting` in the rights it passes on.
 * - PATH_OPEN always; O_CREAT needs PATH_CREATE_FILE; O_TRUNC needs PATH_FILESTAT_SET_SIZE (not
 *   FD_FILESTAT_SET_SIZE: truncating at open is a directory's right, resizing an fd is the fd's).
 * - fdflags DSYNC needs FD_DATASYNC, RSYNC and SYNC need FD_SYNC, among the inherited rights.
 * NOTE: the same rules as wasmtime's wasi-common (its `open_rights`); a missing one is ENOTCAPABLE.
 * Every other path_* call needs the one right named after it (PathCalls passes it).
 */
export function pathOpenRights(create: boolean, truncate: boolean, fdflags: number): { readonly base: bigint; readonly inheriting: bigint } {
  const dsync = (fdflags & FdFlags.DSYNC) !== 0;
  const sync = (fdflags & (FdFlags.RSYNC | FdFlags.SYNC)) !== 0;
  return OPEN_RIGHTS[(create ? 1 : 0) | (truncate ? 2 : 0) | (dsync ? 4 : 0) | (sync ? 8 : 0)]!;
}

/** pathOpenRights for each combination of its four conditions, made once (no BigInt per open). */
const OPEN_RIGHTS = Array.from({ length: 16 }, (_, k) => {
  let base = R.PATH_OPEN;
  if (k & 1) base |= R.PATH_CREATE_FILE;
  if (k & 2) base |= R.PATH_FILESTAT_SET_SIZE;
  let inheriting = 0n;
  if (k & 4) inheriting |= R.FD_DATASYNC;
  if (k & 8) inheriting |= R.FD_SYNC;
  return Object.freeze({ base, inheriting });
});
