// Layer: syscalls. Imports src/errno, src/io, src/path and src/fdtable only (and this folder).
// Calls that name things by path beneath a directory descriptor. src/path walks the path (the
// sandbox); this file alone decides the errno of every path case (EEXIST, EISDIR, ENOTDIR,
// ELOOP, ENOENT, EPERM), and backends only carry out the operation on a single name.

import { Errno, WasiError } from '../errno/index.js';
import type { Stat } from '../io/directory.js';
import { resolve, type Resolved } from '../path/index.js';
import {
  ALL_FDFLAGS, DirDescriptor, FileDescriptor, Rights, StreamDescriptor, type FdTable,
} from '../fdtable/index.js';
import { FstFlags, LookupFlags, OFlags, timeSpec, utf8 } from './context.js';

export class PathCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  #lookup(flags: number): boolean {
    if (flags & ~LookupFlags.SYMLINK_FOLLOW) throw new WasiError(Errno.EINVAL, `unknown lookup flags ${flags}`);
    return flags !== 0;
  }

  #at(fd: number, path: string, follow: boolean, right: bigint): { desc: DirDescriptor; r: Resolved } {
    const desc = this.#fds.dir(fd);
    desc.requireRights(right);
    return { desc, r: resolve(desc.dir, path, follow) };
  }

  /** Stat of a resolved path; the directory itself when the path names it. */
  #stat(r: Resolved): Stat {
    const st = r.name === undefined ? r.dir.statSelf() : r.dir.stat(r.name);
    if (r.mustBeDir && st.type !== 'directory') throw new WasiError(Errno.ENOTDIR, 'not a directory');
    return st;
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
    const follow = this.#lookup(lookupFlags) && !excl;
    const { desc, r } = this.#at(fd, path, follow, Rights.PATH_OPEN);
    // Rights of the new descriptor: what was asked, within what the directory passes on.
    const base = rightsBase & desc.rightsInheriting;
    const inheriting = rightsInheriting & desc.rightsInheriting;
    const writes = (base & (Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE)) !== 0n;
    if (create) desc.requireRights(Rights.PATH_CREATE_FILE);

    let st: Stat | undefined;
    try {
      st = r.name === undefined ? r.dir.statSelf() : r.dir.stat(r.name);
    } catch (e) {
      if (!(e instanceof WasiError && e.errno === Errno.ENOENT)) throw e;
    }
    if (st !== undefined) {
      if (excl) throw new WasiError(Errno.EEXIST, `${path} exists`);
      if (st.type === 'symbolic-link') {
        // NOTE: O_NOFOLLOW on a symlink is ELOOP (Linux), also with O_DIRECTORY.
        throw new WasiError(Errno.ELOOP, `${path} is a symlink`);
      }
      if (st.type === 'directory') {
        if (trunc || writes) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
        const dir = r.name === undefined ? r.dir : r.dir.openDir(r.name);
        const parentIno = r.name === undefined ? undefined : r.dir.statSelf().ino;
        return this.#fds.add(new DirDescriptor(dir, base, inheriting, undefined, parentIno));
      }
      if (wantDir || r.mustBeDir) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
    } else {
      if (!create) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
      if (r.mustBeDir || wantDir || r.name === undefined) {
        throw new WasiError(Errno.EISDIR, `cannot create ${path} as a regular file`);
      }
    }
    if (st?.type === 'character-device' && r.dir.openStream) {
      // A bound stream (a typed argument): a stream descriptor with only the sides it has.
      const node = r.dir.openStream(r.name!);
      const wantsRead = (base & Rights.FD_READ) !== 0n;
      const wantsWrite = (base & Rights.FD_WRITE) !== 0n;
      if ((wantsRead && !node.input) || (wantsWrite && !node.output)) {
        throw new WasiError(Errno.EACCES, `${path} cannot be opened for ${wantsRead && !node.input ? 'reading' : 'writing'}`);
      }
      return this.#fds.add(new StreamDescriptor({ input: wantsRead ? node.input : undefined, output: wantsWrite ? node.output : undefined }));
    }
    const node = r.dir.openFile(r.name!, { create, exclusive: excl, truncate: trunc, write: writes || trunc });
    return this.#fds.add(new FileDescriptor(node, fdflags, base));
  }

  /** mkdirat(2) */
  pathCreateDirectory(fd: number, path: string): void {
    const { r } = this.#at(fd, path, false, Rights.PATH_CREATE_DIRECTORY);
    if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
    r.dir.mkdir(r.name);
  }

  /** fstatat(2) */
  pathFilestatGet(fd: number, lookupFlags: number, path: string): Stat {
    const follow = this.#lookup(lookupFlags);
    return this.#stat(this.#at(fd, path, follow, Rights.PATH_FILESTAT_GET).r);
  }

  /** utimensat(2) */
  pathFilestatSetTimes(fd: number, lookupFlags: number, path: string, atim: bigint, mtim: bigint, flags: number): void {
    const follow = this.#lookup(lookupFlags);
    const a = timeSpec(atim, flags, FstFlags.ATIM, FstFlags.ATIM_NOW);
    const m = timeSpec(mtim, flags, FstFlags.MTIM, FstFlags.MTIM_NOW);
    const { r } = this.#at(fd, path, follow, Rights.PATH_FILESTAT_SET_TIMES);
    this.#stat(r);
    if (r.name === undefined) r.dir.setTimesSelf(a, m);
    else r.dir.setTimes(r.name, a, m);
  }

  /** linkat(2) */
  pathLink(oldFd: number, lookupFlags: number, oldPath: string, newFd: number, newPath: string): void {
    const follow = this.#lookup(lookupFlags);
    const src = this.#at(oldFd, oldPath, follow, Rights.PATH_LINK_SOURCE).r;
    const dst = this.#at(newFd, newPath, false, Rights.PATH_LINK_TARGET).r;
    const st = this.#stat(src);
    if (st.type === 'directory' || src.name === undefined) throw new WasiError(Errno.EPERM, 'cannot link a directory');
    if (dst.name === undefined) throw new WasiError(Errno.EEXIST, `${newPath} exists`);
    if (dst.mustBeDir) throw new WasiError(Errno.ENOENT, `${newPath} names a directory`);
    src.dir.link(src.name, dst.dir, dst.name);
  }

  /** readlinkat(2): the target's bytes (the caller truncates to its buffer). */
  pathReadlink(fd: number, path: string): Uint8Array {
    const { r } = this.#at(fd, path, false, Rights.PATH_READLINK);
    if (r.name === undefined) throw new WasiError(Errno.EINVAL, `${path} is not a symlink`);
    return utf8.encode(r.dir.readlink(r.name));
  }

  /** unlinkat(fd, path, AT_REMOVEDIR) */
  pathRemoveDirectory(fd: number, path: string): void {
    const { r } = this.#at(fd, path, false, Rights.PATH_REMOVE_DIRECTORY);
    // NOTE: rmdir of "." or a path ending in ".." is EINVAL, as Linux says for ".".
    if (r.name === undefined) throw new WasiError(Errno.EINVAL, `cannot remove ${path}`);
    r.dir.rmdir(r.name);
  }

  /** renameat(2) */
  pathRename(oldFd: number, oldPath: string, newFd: number, newPath: string): void {
    const src = this.#at(oldFd, oldPath, false, Rights.PATH_RENAME_SOURCE).r;
    const dst = this.#at(newFd, newPath, false, Rights.PATH_RENAME_TARGET).r;
    if (src.name === undefined || dst.name === undefined) throw new WasiError(Errno.EBUSY, 'cannot rename a directory handle itself');
    const st = src.dir.stat(src.name);
    if ((src.mustBeDir || dst.mustBeDir) && st.type !== 'directory') {
      throw new WasiError(Errno.ENOTDIR, `${oldPath} is not a directory`);
    }
    src.dir.rename(src.name, dst.dir, dst.name);
  }

  /** symlinkat(2) */
  pathSymlink(target: string, fd: number, path: string): void {
    const { r } = this.#at(fd, path, false, Rights.PATH_SYMLINK);
    if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
    if (target.includes('\0')) throw new WasiError(Errno.EINVAL, 'target contains a NUL byte');
    if (r.mustBeDir) throw new WasiError(Errno.ENOENT, `${path} names a directory`);
    r.dir.symlink(target, r.name);
  }

  /** unlinkat(2) */
  pathUnlinkFile(fd: number, path: string): void {
    const { r } = this.#at(fd, path, false, Rights.PATH_UNLINK_FILE);
    if (r.name === undefined) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
    if (r.mustBeDir) {
      const st = r.dir.stat(r.name);
      throw new WasiError(st.type === 'directory' ? Errno.EISDIR : Errno.ENOTDIR, `cannot unlink ${path}`);
    }
    r.dir.unlink(r.name);
  }
}
