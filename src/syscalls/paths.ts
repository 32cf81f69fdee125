// Layer: syscalls. Imports src/errno, src/io, src/path and src/fdtable only (and this folder).
// Calls that name things by path beneath a directory descriptor. src/path walks the path (the
// sandbox) and reports what it found at the end; this file alone decides the errno of every path
// case (EEXIST, EISDIR, ENOTDIR, ELOOP, ENOENT, EPERM, ENXIO), and a backend only carries out
// the operation on a single name, reporting its own failures.

import { Errno, WasiError } from '../errno/index.js';
import type { Stat } from '../io/directory.js';
import { checkSymlinkTarget, finalStat, openTarget, release, resolve, takeDir, type Resolved } from '../path/index.js';
import {
  ALL_FDFLAGS, DirDescriptor, FileDescriptor, pathOpenRights, Rights, StreamDescriptor, type FdTable,
} from '../fdtable/index.js';
import { FstFlags, LookupFlags, OFlags, timeSpec, utf8 } from './context.js';

function lookupFollows(flags: number): boolean {
  if (flags & ~LookupFlags.SYMLINK_FOLLOW) throw new WasiError(Errno.EINVAL, `unknown lookup flags ${flags}`);
  return flags !== 0;
}

/** What a resolved path names, which must exist (ENOENT) and be a directory if the path says so. */
function existing(r: Resolved, path: string): Stat {
  const st = finalStat(r);
  if (st === null) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
  if (r.mustBeDir && st.type !== 'directory') throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  return st;
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
    const writes = (base & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) !== 0n;
    const r = resolve(desc.dir, path, follow);
    try {
      const target = openTarget(r, { create, exclusive: excl, directory: wantDir, truncate: trunc, write: writes }, path);
      if (target === 'directory') return this.#openDir(r, base, inheriting);
      if (target === 'stream') return this.#openStream(r, base, path);
      const node = r.dir.openFile(r.name!, { create, exclusive: excl, truncate: trunc, write: writes || trunc });
      try {
        return this.#fds.add(new FileDescriptor(node, fdflags, base));
      } catch (e) {
        node.close?.();
        throw e;
      }
    } finally {
      release(r);
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
    this.#at(fd, path, false, Rights.PATH_CREATE_DIRECTORY, (r) => {
      if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
      r.dir.mkdir(r.name);
    });
  }

  /** fstatat(2) */
  pathFilestatGet(fd: number, lookupFlags: number, path: string): Stat {
    const follow = lookupFollows(lookupFlags);
    return this.#at(fd, path, follow, Rights.PATH_FILESTAT_GET, (r) => existing(r, path));
  }

  /** utimensat(2) */
  pathFilestatSetTimes(fd: number, lookupFlags: number, path: string, atim: bigint, mtim: bigint, flags: number): void {
    const follow = lookupFollows(lookupFlags);
    const a = timeSpec(atim, flags, FstFlags.ATIM, FstFlags.ATIM_NOW);
    const m = timeSpec(mtim, flags, FstFlags.MTIM, FstFlags.MTIM_NOW);
    this.#at(fd, path, follow, Rights.PATH_FILESTAT_SET_TIMES, (r) => {
      existing(r, path);
      if (r.name === undefined) r.dir.setTimesSelf(a, m);
      else r.dir.setTimes(r.name, a, m);
    });
  }

  /** linkat(2) */
  pathLink(oldFd: number, lookupFlags: number, oldPath: string, newFd: number, newPath: string): void {
    const follow = lookupFollows(lookupFlags);
    this.#at(oldFd, oldPath, follow, Rights.PATH_LINK_SOURCE, (src) => {
      this.#at(newFd, newPath, false, Rights.PATH_LINK_TARGET, (dst) => {
        const st = existing(src, oldPath);
        // NOTE: a hard link to a directory is EPERM (Linux).
        if (st.type === 'directory' || src.name === undefined) throw new WasiError(Errno.EPERM, 'cannot link a directory');
        if (dst.name === undefined) throw new WasiError(Errno.EEXIST, `${newPath} exists`);
        if (dst.mustBeDir) throw new WasiError(Errno.ENOENT, `${newPath} names a directory`);
        src.dir.link(src.name, dst.dir, dst.name);
      });
    });
  }

  /** readlinkat(2): the target's bytes (the caller truncates to its buffer). */
  pathReadlink(fd: number, path: string): Uint8Array {
    return this.#at(fd, path, false, Rights.PATH_READLINK, (r) => {
      if (r.name === undefined) throw new WasiError(Errno.EINVAL, `${path} is not a symlink`);
      return utf8.encode(r.dir.readlink(r.name));
    });
  }

  /** unlinkat(fd, path, AT_REMOVEDIR) */
  pathRemoveDirectory(fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_REMOVE_DIRECTORY, (r) => {
      // NOTE: rmdir of "." or a path ending in ".." is EINVAL, as Linux says for ".".
      if (r.name === undefined) throw new WasiError(Errno.EINVAL, `cannot remove ${path}`);
      r.dir.rmdir(r.name);
    });
  }

  /** renameat(2) */
  pathRename(oldFd: number, oldPath: string, newFd: number, newPath: string): void {
    this.#at(oldFd, oldPath, false, Rights.PATH_RENAME_SOURCE, (src) => {
      this.#at(newFd, newPath, false, Rights.PATH_RENAME_TARGET, (dst) => {
        if (src.name === undefined || dst.name === undefined) throw new WasiError(Errno.EBUSY, 'cannot rename a directory handle itself');
        const st = finalStat(src);
        if (st === null) throw new WasiError(Errno.ENOENT, `${oldPath} does not exist`);
        if ((src.mustBeDir || dst.mustBeDir) && st.type !== 'directory') {
          throw new WasiError(Errno.ENOTDIR, `${oldPath} is not a directory`);
        }
        src.dir.rename(src.name, dst.dir, dst.name);
      });
    });
  }

  /** symlinkat(2) */
  pathSymlink(target: string, fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_SYMLINK, (r) => {
      checkSymlinkTarget(target);
      if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
      if (r.mustBeDir) throw new WasiError(Errno.ENOENT, `${path} names a directory`);
      r.dir.symlink(target, r.name);
    });
  }

  /** unlinkat(2) */
  pathUnlinkFile(fd: number, path: string): void {
    this.#at(fd, path, false, Rights.PATH_UNLINK_FILE, (r) => {
      if (r.name === undefined) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
      const st = finalStat(r);
      if (st === null) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
      // NOTE: unlink of a directory is EISDIR (Linux says EISDIR; POSIX allows EPERM).
      if (st.type === 'directory') throw new WasiError(Errno.EISDIR, `${path} is a directory`);
      if (r.mustBeDir) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
      r.dir.unlink(r.name);
    });
  }
}
