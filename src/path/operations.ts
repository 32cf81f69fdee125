// Layer: path. Imports src/errno, src/io and src/path only.
// What each path operation decides once the walk has found its final name: the errno of every
// case (EEXIST, EISDIR, ENOTDIR, ELOOP, ENOENT, EPERM, ENXIO, EINVAL, EBUSY), in one place for
// both fronts (src/syscalls for Preview 1, preview2/ for components), which add only what is
// theirs (rights, flag decoding). A backend then carries out the operation on a single name.

import { Errno, WasiError } from '../errno/index.js';
import type { Stat, TimeSpec } from '../io/directory.js';
import { finalStat, type Resolved } from './index.js';

/** What an open asks for, in the terms both fronts (Preview 1 flags, Preview 2 flags) share. */
export interface OpenIntent {
  create: boolean;
  exclusive: boolean;
  /** The name must be a directory (O_DIRECTORY). */
  directory: boolean;
  truncate: boolean;
  write: boolean;
}

/**
 * What opening the resolved path finds: a name to create, a regular file, a directory, or a
 * bound stream; anything else is refused here, with the errno of every case (the one place
 * that chooses them, for Preview 1 and components alike).
 */
export function openTarget(r: Resolved, intent: OpenIntent, path: string): 'new' | 'file' | 'directory' | 'stream' {
  const st = finalStat(r);
  if (st === null) {
    if (!intent.create) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
    if (r.mustBeDir || intent.directory) throw new WasiError(Errno.EISDIR, `cannot create ${path} as a regular file`);
    return 'new';
  }
  if (intent.exclusive) throw new WasiError(Errno.EEXIST, `${path} exists`);
  // NOTE: O_NOFOLLOW on a symlink is ELOOP (Linux), also with O_DIRECTORY.
  if (st.type === 'symbolic-link') throw new WasiError(Errno.ELOOP, `${path} is a symlink`);
  if (st.type === 'directory') {
    if (intent.truncate || intent.write) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
    return 'directory';
  }
  if (intent.directory || r.mustBeDir) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  if (st.type === 'character-device' && r.dir.openStream) return 'stream';
  // NOTE: FIFOs, sockets and devices are not opened: opening a FIFO would block the host, and a
  // device is not an array. ENXIO, as for a special file that cannot be opened.
  if (st.type !== 'regular-file') throw new WasiError(Errno.ENXIO, `${path} is not a regular file`);
  return 'file';
}

/**
 * Refuses a symlink target a guest may not create: NUL inside (EINVAL), or an absolute target.
 * NOTE: an absolute target is refused when the link is created, with EPERM, as wasmtime (cap-std
 * refuses a rooted target as an escape attempt, reported as not-permitted) and uvwasi do.
 * Following one is refused by the walk anyway; refusing it here also keeps the link from
 * misleading host programs that would follow it outside the sandbox.
 */
export function checkSymlinkTarget(target: string): void {
  if (target.includes('\0')) throw new WasiError(Errno.EINVAL, 'target contains a NUL byte');
  if (target.startsWith('/')) throw new WasiError(Errno.EPERM, `absolute symlink target ${JSON.stringify(target)}`);
}

/** What `r` names, which must exist (ENOENT) and be a directory if the path says so (ENOTDIR). */
export function statAt(r: Resolved, path: string): Stat {
  const st = finalStat(r);
  if (st === null) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
  if (r.mustBeDir && st.type !== 'directory') throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  return st;
}

/** utimensat(2): the times of what `r` names. */
export function setTimesAt(r: Resolved, path: string, atim: TimeSpec, mtim: TimeSpec): void {
  statAt(r, path);
  if (r.name === undefined) r.dir.setTimesSelf(atim, mtim);
  else r.dir.setTimes(r.name, atim, mtim);
}

/** mkdirat(2) */
export function mkdirAt(r: Resolved, path: string): void {
  if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
  r.dir.mkdir(r.name);
}

/** rmdir(2) */
export function rmdirAt(r: Resolved, path: string): void {
  // NOTE: removing "." or a path ending in ".." is EINVAL, as Linux says for ".".
  if (r.name === undefined) throw new WasiError(Errno.EINVAL, `cannot remove ${path}`);
  r.dir.rmdir(r.name);
}

/** unlinkat(2) */
export function unlinkAt(r: Resolved, path: string): void {
  if (r.name === undefined) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
  if (!r.mustBeDir && r.stat === undefined) {
    // The common unlink is one backend call (every backend refuses a directory itself); a
    // refusal is explained below, looking at the name, so that each case has POSIX's errno.
    try {
      r.dir.unlink(r.name);
      return;
    } catch (e) {
      if (!(e instanceof WasiError)) throw e;
    }
  }
  const st = finalStat(r);
  if (st === null) throw new WasiError(Errno.ENOENT, `${path} does not exist`);
  // NOTE: unlink of a directory is EISDIR (Linux says EISDIR; POSIX allows EPERM).
  if (st.type === 'directory') throw new WasiError(Errno.EISDIR, `${path} is a directory`);
  if (r.mustBeDir) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  r.dir.unlink(r.name);
}

/** readlinkat(2): the target's text. */
export function readlinkAt(r: Resolved, path: string): string {
  if (r.name === undefined) throw new WasiError(Errno.EINVAL, `${path} is not a symlink`);
  return r.dir.readlink(r.name);
}

/** symlinkat(2): a link at `r` to `target`. */
export function symlinkAt(r: Resolved, target: string, path: string): void {
  checkSymlinkTarget(target);
  if (r.name === undefined) throw new WasiError(Errno.EEXIST, `${path} exists`);
  if (r.mustBeDir) throw new WasiError(Errno.ENOENT, `${path} names a directory`);
  r.dir.symlink(target, r.name);
}

/** linkat(2): `dst` becomes another name of what `src` names. */
export function linkAt(src: Resolved, dst: Resolved, oldPath: string, newPath: string): void {
  const st = statAt(src, oldPath);
  // NOTE: a hard link to a directory is EPERM (Linux).
  if (st.type === 'directory' || src.name === undefined) throw new WasiError(Errno.EPERM, 'cannot link a directory');
  if (dst.name === undefined) throw new WasiError(Errno.EEXIST, `${newPath} exists`);
  if (dst.mustBeDir) throw new WasiError(Errno.ENOENT, `${newPath} names a directory`);
  src.dir.link(src.name, dst.dir, dst.name);
}

/** renameat(2) */
export function renameAt(src: Resolved, dst: Resolved, oldPath: string): void {
  if (src.name === undefined || dst.name === undefined) throw new WasiError(Errno.EBUSY, 'cannot rename a directory handle itself');
  const st = finalStat(src);
  if (st === null) throw new WasiError(Errno.ENOENT, `${oldPath} does not exist`);
  if ((src.mustBeDir || dst.mustBeDir) && st.type !== 'directory') throw new WasiError(Errno.ENOTDIR, `${oldPath} is not a directory`);
  src.dir.rename(src.name, dst.dir, dst.name);
}
