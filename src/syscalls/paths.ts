// Layer: syscalls. Imports src/errno, src/io, src/path and src/fdtable only (and this folder).
// Calls that name things by path beneath a directory descriptor: the rights each needs, then the
// walk (src/path: the sandbox) and the operation on what it found (src/path/operations.ts, which
// chooses the errno of every path case for both fronts); a backend carries out the operation on
// a single name, reporting its own failures.

import { Errno, WasiError } from '../errno/index.js';
import type { Directory, FileNode, OpenFileOptions, Stat } from '../io/directory.js';
import { finalStat, release, resolve, takeDir, type Resolved } from '../path/index.js';
import {
  linkAt, mkdirAt, openTarget, readlinkAt, renameAt, rmdirAt, setTimesAt, statAt, symlinkAt, unlinkAt,
} from '../path/operations.js';
import {
  ALL_FDFLAGS, DirDescriptor, FileDescriptor, pathOpenRights, Rights, StreamDescriptor, type FdTable,
} from '../fdtable/index.js';
import { FstFlags, LookupFlags, OFlags, timeSpec, utf8 } from './context.js';

/** Rights that make an opened file one the caller means to write. */
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

function lookupFollows(flags: number): boolean {
  if (flags & ~LookupFlags.SYMLINK_FOLLOW) throw new WasiError(Errno.EINVAL, `unknown lookup flags ${flags}`);
  return flags !== 0;
}

/**
 * `dir.openFile(name)`, or undefined when the backend refused it with an errno other than ENOENT
 * (a missing name is thrown as is; so is anything but a WasiError, such as a pending operation):
 * the caller then looks at the name to report the case.
 */
function tryOpenFile(dir: Directory, name: string, options: OpenFileOptions): FileNode | undefined {
  try {
    return dir.openFile(name, options);
  } catch (e) {
    if (!(e instanceof WasiError) || e.errno === Errno.ENOENT) throw e;
    return undefined;
  }
}

export class PathCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  /** The directory descriptor `fd`, holding `right`. */
  #dir(fd: number, right: bigint): DirDescriptor {
    const desc = this.#fds.dir(fd);
    desc.requireRights(right);
    return desc;
  }

  /** Resolves `path` beneath `fd`, runs `fn` on the result, then gives back what the walk holds. */
  #at<T>(fd: number, path: string, follow: boolean, right: bigint, fn: (r: Resolved) => T): T {
    const r = resolve(this.#dir(fd, right).dir, path, follow);
    try {
      return fn(r);
    } finally {
      release(r);
    }
  }

  /** open(2) / openat(2) */
  pathOpen(
    fd: number, lookupFlags: number, path: string, oflags: number,
    rightsBase: bigint, rightsInheriting: bigint, fdflags: number,
  ): number {
    if (oflags & ~15) throw new WasiError(Errno.EINVAL, `unknown open flags ${oflags}`);
    if (fdflags & ~ALL_FDFLAGS) throw new WasiError(Errno.EINVAL, `unknown fd flags ${fdflags}`);
    const create = (oflags & OFlags.CREAT) !== 0;
    const excl = create && (oflags & OFlags.EXCL) !== 0;
    const wantDir = (oflags & OFlags.DIRECTORY) !== 0;
    const trunc = (oflags & OFlags.TRUNC) !== 0;
    const follow = lookupFollows(lookupFlags) && !excl;
    const needs = pathOpenRights(create, trunc, fdflags);
    const desc = this.#fds.dir(fd);
    desc.requireRights(needs.base, needs.inheriting);
    // Rights of the new descriptor: what was asked, within what the directory passes on.
    const base = rightsBase & desc.rightsInheriting;
    const inheriting = rightsInheriting & desc.rightsInheriting;
    const writes = (base & WRITE_RIGHTS) !== 0n;
    const options = { create, exclusive: excl, truncate: trunc, write: writes || trunc };
    // The final name is not looked at by the walk: where the backend allows it (or for an
    // exclusive creation), the common open (an existing regular file, or one to create) is then
    // a single backend call. Whatever else the open meets (a symlink to follow, a directory, a
    // special file, a refusal) is decided below, looking at the name first, so that each case
    // gets the errno POSIX gives it; a missing name is ENOENT either way.
    let r = resolve(desc.dir, path, false);
    try {
      if (!wantDir && r.name !== undefined && !r.mustBeDir && (excl || r.dir.opensWithoutLook)) {
        const node = tryOpenFile(r.dir, r.name, options);
        if (node !== undefined) return this.#addFile(node, fdflags, base);
      }
      if (follow && finalStat(r)?.type === 'symbolic-link') {
        release(r);
        r = resolve(desc.dir, path, true);
      }
      const target = openTarget(r, { ...options, directory: wantDir, write: writes }, path);
      if (target === 'directory') return this.#openDir(r, base, inheriting);
      if (target === 'stream') return this.#openStream(r, base, path);
      return this.#addFile(r.dir.openFile(r.name!, options), fdflags, base);
    } finally {
      release(r);
    }
  }

  /** A descriptor for an opened file (closing the file if the table refuses it). */
  #addFile(node: FileNode, fdflags: number, base: bigint): number {
    try {
      return this.#fds.add(new FileDescriptor(node, fdflags, base));
    } catch (e) {
      node.close?.();
      throw e;
    }
  }

  #openDir(r: Resolved, base: bigint, inheriting: bigint): number {
    const parentIno = r.name === undefined ? undefined : r.dir.statSelf().ino;
    const dir = r.name === undefined ? takeDir(r) : r.dir.openDir(r.name);
    try {
      return this.#fds.add(new DirDescriptor(dir, base, inheriting, undefined, parentIno));
    } catch (e) {
      dir.close?.();
      throw e;
    }
  }

  /** A bound stream (a typed argument): a stream descriptor with only the sides it has. */
  #openStream(r: Resolved, base: bigint, path: string): number {
    const node = r.dir.openStream!(r.name!);
    const wantsRead = (base & Rights.FD_READ) !== 0n;
    const wantsWrite = (base & Rights.FD_WRITE) !== 0n;
    if ((wantsRead && !node.input) || (wantsWrite && !node.output)) {
      throw new WasiError(Errno.EACCES, `${path} cannot be opened for ${wantsRead && !node.input ? 'reading' : 'writing'}`);
    }
    return this.#fds.add(new StreamDescriptor({ input: wantsRead ? node.input : undefined, output: wantsWrite ? node.output : undefined }));
  }

  /** mkdirat(2) */
  pathCreateDirectory(fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_CREATE_DIRECTORY, (r) => mkdirAt(r, path));
  }

  /** fstatat(2) */
  pathFilestatGet(fd: number, lookupFlags: number, path: string): Stat {
    return this.#at(fd, path, lookupFollows(lookupFlags), Rights.PATH_FILESTAT_GET, (r) => statAt(r, path));
  }

  /** utimensat(2) */
  pathFilestatSetTimes(fd: number, lookupFlags: number, path: string, atim: bigint, mtim: bigint, flags: number): void {
    const follow = lookupFollows(lookupFlags);
    const a = timeSpec(atim, flags, FstFlags.ATIM, FstFlags.ATIM_NOW);
    const m = timeSpec(mtim, flags, FstFlags.MTIM, FstFlags.MTIM_NOW);
    this.#at(fd, path, follow, Rights.PATH_FILESTAT_SET_TIMES, (r) => setTimesAt(r, path, a, m));
  }

  /** linkat(2) */
  pathLink(oldFd: number, lookupFlags: number, oldPath: string, newFd: number, newPath: string): void {
    const follow = lookupFollows(lookupFlags);
    this.#at(oldFd, oldPath, follow, Rights.PATH_LINK_SOURCE, (src) => {
      this.#at(newFd, newPath, false, Rights.PATH_LINK_TARGET, (dst) => linkAt(src, dst, oldPath, newPath));
    });
  }

  /** readlinkat(2): the target's bytes (the caller truncates to its buffer). */
  pathReadlink(fd: number, path: string): Uint8Array {
    return this.#at(fd, path, false, Rights.PATH_READLINK, (r) => utf8.encode(readlinkAt(r, path)));
  }

  /** unlinkat(fd, path, AT_REMOVEDIR) */
  pathRemoveDirectory(fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_REMOVE_DIRECTORY, (r) => rmdirAt(r, path));
  }

  /** renameat(2) */
  pathRename(oldFd: number, oldPath: string, newFd: number, newPath: string): void {
    this.#at(oldFd, oldPath, false, Rights.PATH_RENAME_SOURCE, (src) => {
      this.#at(newFd, newPath, false, Rights.PATH_RENAME_TARGET, (dst) => renameAt(src, dst, oldPath));
    });
  }

  /** symlinkat(2) */
  pathSymlink(target: string, fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_SYMLINK, (r) => symlinkAt(r, target, path));
  }

  /** unlinkat(2) */
  pathUnlinkFile(fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_UNLINK_FILE, (r) => unlinkAt(r, path));
  }
}
