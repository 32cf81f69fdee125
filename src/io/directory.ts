// Layer: io. Imports src/io only.
// Directories are metacompute at the edge: a Directory resolves one name at a time and lists
// its entries lazily. It never sees a path: src/path walks paths one component at a time through
// this interface, which is where the sandbox lives, once, for every backend.
//
// Every `name` handed to these methods is a single component: never empty, never ".", "..", and
// never containing "/" or NUL. Failures throw WasiError with a detailed errno (ENOENT, EEXIST,
// ENOTDIR, EISDIR, ENOTEMPTY, EROFS, ...).

import type { IOArray } from './array.js';
import type { InputStream, OutputStream } from './stream.js';

export type FileType =
  | 'unknown' | 'block-device' | 'character-device' | 'directory' | 'regular-file'
  | 'socket-dgram' | 'socket-stream' | 'symbolic-link';

/** Metadata of a node. Times are nanoseconds since the Unix epoch. */
export interface Stat {
  dev: bigint;
  ino: bigint;
  type: FileType;
  nlink: number;
  size: number;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** A time to set: a value in nanoseconds, 'now', or undefined to leave it unchanged. */
export type TimeSpec = bigint | 'now' | undefined;

export interface DirEntry {
  name: string;
  type: FileType;
  ino: bigint;
}

export interface OpenFileOptions {
  /** Create the file if it does not exist (O_CREAT). */
  create?: boolean;
  /** With `create`: fail with EEXIST if it exists (O_EXCL). */
  exclusive?: boolean;
  /** Truncate to length 0 (O_TRUNC). */
  truncate?: boolean;
  /** The caller means to write; a read-only directory refuses with EROFS. */
  write?: boolean;
}

/** A regular file opened through a directory: its bytes as an array, and its metadata. */
export interface FileNode {
  readonly array: IOArray;
  stat(): Stat;
  setTimes(atim: TimeSpec, mtim: TimeSpec): void;
  /** Releases host resources (closes a host fd). The array is unusable afterwards. */
  close?(): void;
}

/**
 * A name bound to a stream rather than an array (a typed argument: "this output stream"). Opening
 * it gives a stream descriptor with no cursor.
 */
export interface StreamNode {
  readonly input?: InputStream | undefined;
  readonly output?: OutputStream | undefined;
  stat(): Stat;
}

export interface Directory {
  /** Whether mutations are refused (EROFS). */
  readonly readOnly: boolean;
  /**
   * Optional, for handles that hold a host resource (an open host directory): a new handle on
   * the same directory, closed independently of this one.
   */
  reopen?(): Directory;
  /**
   * Optional: releases the host resource this handle holds. The handle is not used afterwards.
   * Handles from `openDir` are closed by whoever asked for them (the path walk, a descriptor).
   */
  close?(): void;
  /** Metadata of this directory itself. */
  statSelf(): Stat;
  /** Sets this directory's own times. */
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void;
  /** Metadata of the entry `name`, not following a symlink (lstat). */
  stat(name: string): Stat;
  /**
   * Optional: `stat`, answering undefined instead of throwing ENOENT for a missing entry (the
   * path walk asks this of every name a program probes or creates).
   */
  find?(name: string): Stat | undefined;
  /**
   * Optional: true when `openFile` may be tried on a name before it is looked at, because
   * opening a name that is not a regular file, only to refuse it, has no effect on it. A host
   * folder leaves it unset: opening a FIFO or a device there reaches the other end or the driver
   * (a FIFO's writer sees a reader come and go), so its names are looked at first, except for an
   * exclusive creation, which never opens an existing name.
   */
  readonly opensWithoutLook?: boolean;
  /** Sets the times of the entry `name` (not following a symlink). */
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void;
  /** The subdirectory `name` (ENOTDIR if it is not one; a symlink is not followed). */
  openDir(name: string): Directory;
  /**
   * Opens or creates the regular file `name`. A backend carries out the open atomically (O_EXCL
   * with `exclusive`; a symlink is never followed) and refuses anything but a regular file with
   * an errno (ENOENT for a missing name without `create`). Where it may (`opensWithoutLook`, or
   * an exclusive creation), the syscall layer calls it first, without looking at the name; when
   * it is refused with anything but ENOENT, the syscall layer looks at the name and chooses the
   * errno of each path case (EEXIST, EISDIR, ELOOP, ENOTDIR) itself, so a backend's own choice
   * among those does not reach the guest.
   */
  openFile(name: string, options: OpenFileOptions): FileNode;
  /** Optional: the stream bound to `name`, for entries whose stat type is 'character-device'. */
  openStream?(name: string): StreamNode;
  /** Lists entries, without "." and "..", in a stable order for an unchanged directory. */
  entries(): Iterable<DirEntry>;
  /** The target text of the symlink `name` (EINVAL if it is not a symlink). */
  readlink(name: string): string;
  symlink(target: string, name: string): void;
  mkdir(name: string): void;
  /** Removes the empty directory `name` (ENOTEMPTY, ENOTDIR). */
  rmdir(name: string): void;
  /** Removes the non-directory `name` (EISDIR for a directory). */
  unlink(name: string): void;
  /** Makes `to/toName` a hard link to the non-directory `name` (same backend only: EXDEV). */
  link(name: string, to: Directory, toName: string): void;
  /**
   * Renames `name` to `to/toName` with POSIX rules: a file replaces a file, a directory replaces
   * an empty directory (ENOTEMPTY otherwise), a file over a directory is EISDIR, a directory
   * over a file ENOTDIR, a directory into itself EINVAL; other backends EXDEV.
   */
  rename(name: string, to: Directory, toName: string): void;
}
