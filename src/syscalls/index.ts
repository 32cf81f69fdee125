// Layer: syscalls. Imports src/errno, src/io, src/path and src/fdtable only.
// The semantics of every wasi_snapshot_preview1 call, on typed host values. Nothing here sees a
// pointer or a DataView: src/abi decodes arguments, calls these methods and encodes results.
// Failures throw WasiError; the binding wrapper turns it into the call's return value.

import { Errno, ProcExit, WasiError } from '../errno/index.js';
import type { Advice } from '../io/array.js';
import type { Directory, FileType, Stat, TimeSpec } from '../io/directory.js';
import { IOError } from '../io/errors.js';
import { resolve, type Resolved } from '../path/index.js';
import {
  ALL_FDFLAGS, DirDescriptor, FdFlags, FdTable, FileDescriptor, Rights, StreamDescriptor,
  type AnyDescriptor,
} from '../fdtable/index.js';
import { Clock, type Clocks, type ClockId } from './clock.js';

export { Clock, defaultClocks, defaultSleep, type Clocks, type ClockId } from './clock.js';

export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;
const ADVICE: readonly Advice[] = ['normal', 'sequential', 'random', 'willneed', 'dontneed', 'noreuse'];

export interface FdStat {
  filetype: FileType;
  flags: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
}

/** One entry of a directory listing, with its name already in UTF-8. */
export interface ListedEntry {
  name: Uint8Array;
  type: FileType;
  ino: bigint;
}

export type Subscription =
  | { userdata: bigint; kind: 'clock'; clock: ClockId; timeout: bigint; abstime: boolean }
  | { userdata: bigint; kind: 'fd_read' | 'fd_write'; fd: number };

export interface PollEvent {
  userdata: bigint;
  errno: number;
  kind: 'clock' | 'fd_read' | 'fd_write';
  nbytes: bigint;
  hangup: boolean;
}

export interface SyscallOptions {
  fds: FdTable;
  args: readonly string[];
  env: readonly string[];
  clocks: Clocks;
  /** Fills a buffer with cryptographically secure random bytes. */
  random: (into: Uint8Array) => void;
  /** Blocks the calling thread for `ns` nanoseconds. */
  sleep: (ns: bigint) => void;
}

const utf8 = new TextEncoder();
// NOTE: default actions as the witx documents them: none, SIGPIPE (13), SIGCHLD, SIGCONT, SIGSTOP,
// SIGTSTP, SIGTTIN, SIGTTOU, SIGURG and SIGWINCH are ignored (a guest has no process to stop);
// every other signal terminates with 128 + signal.
const SIGNALS_IGNORED = new Set([0, 13, 16, 17, 18, 19, 20, 21, 22, 27]);
const MAX_SIGNAL = 30;

/** Converts a transfer failure after partial progress into POSIX's "return what moved". */
function partial(e: unknown, done: number): number {
  if (e instanceof IOError) {
    const moved = done + e.moved;
    if (moved > 0) return moved;
    throw new WasiError(e.errno, e.message);
  }
  throw e;
}

function checkedPosition(value: bigint): number {
  // NOTE: a resulting offset that is negative or beyond 2^53 is EINVAL (Linux: EINVAL for
  // negative; wasmtime: EINVAL).
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new WasiError(Errno.EINVAL, `offset ${value} is out of range`);
  }
  return Number(value);
}

function timeSpec(value: bigint, flags: number, set: number, now: number): TimeSpec {
  if (flags & ~0xf) throw new WasiError(Errno.EINVAL, `unknown fst flags ${flags}`);
  if (flags & set && flags & now) throw new WasiError(Errno.EINVAL, 'both a time and "now" requested');
  if (flags & now) return 'now';
  if (flags & set) return value;
  return undefined;
}

export class Syscalls {
  readonly fds: FdTable;
  readonly #args: Uint8Array[];
  readonly #env: Uint8Array[];
  readonly #clocks: Clocks;
  readonly #random: (into: Uint8Array) => void;
  readonly #sleep: (ns: bigint) => void;

  constructor(options: SyscallOptions) {
    this.fds = options.fds;
    // Encoded once: the guest sees exact UTF-8 byte counts, each string NUL-terminated.
    this.#args = options.args.map((a) => utf8.encode(`${a}\0`));
    this.#env = options.env.map((e) => utf8.encode(`${e}\0`));
    this.#clocks = options.clocks;
    this.#random = options.random;
    this.#sleep = options.sleep;
  }

  // --- args, environ --------------------------------------------------------------------------

  /** main(argc, argv): the NUL-terminated UTF-8 arguments. */
  args(): readonly Uint8Array[] {
    return this.#args;
  }
  /** environ: the NUL-terminated UTF-8 NAME=VALUE strings. */
  environ(): readonly Uint8Array[] {
    return this.#env;
  }

  // --- clocks, random, scheduling, process ----------------------------------------------------

  /** clock_getres(2) */
  clockRes(id: number): bigint {
    return this.#clock(id).resolution();
  }
  /** clock_gettime(2) */
  clockTime(id: number): bigint {
    return this.#clock(id).now();
  }
  #clock(id: number): Clock {
    const c = this.#clocks[id as ClockId];
    if (c === undefined) throw new WasiError(Errno.EINVAL, `unknown clock ${id}`);
    return c;
  }
  /** getrandom(2) */
  random(into: Uint8Array): void {
    for (let i = 0; i < into.length; i += 65536) this.#random(into.subarray(i, i + 65536));
  }
  /** sched_yield(2): a single-threaded guest has nobody to yield to. */
  schedYield(): void {}
  /** exit(3) */
  procExit(code: number): never {
    throw new ProcExit(code >>> 0);
  }
  /** raise(3): default actions; terminating signals end the process with 128 + signal. */
  procRaise(sig: number): void {
    if (!Number.isInteger(sig) || sig < 0 || sig > MAX_SIGNAL) throw new WasiError(Errno.EINVAL, `bad signal ${sig}`);
    if (SIGNALS_IGNORED.has(sig)) return;
    throw new ProcExit(128 + sig);
  }

  // --- descriptors ------------------------------------------------------------------------------

  /** close(2) */
  fdClose(fd: number): void {
    this.fds.close(fd);
  }
  /** dup2(2)-like move: Preview 1 fd_renumber. */
  fdRenumber(from: number, to: number): void {
    this.fds.renumber(from, to);
  }
  /** fcntl(F_GETFL) plus the descriptor's type and rights. */
  fdFdstatGet(fd: number): FdStat {
    const d = this.fds.get(fd);
    return { filetype: d.filetype, flags: d.fdflags, rightsBase: d.rightsBase, rightsInheriting: d.rightsInheriting };
  }
  /** fcntl(F_SETFL) */
  fdFdstatSetFlags(fd: number, flags: number): void {
    const d = this.fds.get(fd);
    if (flags & ~ALL_FDFLAGS) throw new WasiError(Errno.EINVAL, `unknown fd flags ${flags}`);
    d.fdflags = flags;
  }
  /** Drops rights; adding rights is ENOTCAPABLE. */
  fdFdstatSetRights(fd: number, base: bigint, inheriting: bigint): void {
    const d = this.fds.get(fd);
    if ((base & ~d.rightsBase) !== 0n || (inheriting & ~d.rightsInheriting) !== 0n) {
      throw new WasiError(Errno.ENOTCAPABLE, 'rights can only be dropped');
    }
    d.rightsBase = base;
    d.rightsInheriting = inheriting;
  }
  /** The guest name of a preopened directory (EBADF for any other descriptor). */
  fdPrestat(fd: number): Uint8Array {
    const d = this.fds.get(fd);
    if (!(d instanceof DirDescriptor) || d.preopen === undefined) throw new WasiError(Errno.EBADF, 'not a preopen');
    return utf8.encode(d.preopen);
  }

  // --- reading and writing ----------------------------------------------------------------------

  /** readv(2) */
  fdRead(fd: number, iovs: readonly Uint8Array[]): number {
    const d = this.fds.readable(fd);
    if (d instanceof FileDescriptor) {
      const n = this.#readAt(d, iovs, d.cursor);
      d.cursor += n;
      return n;
    }
    return this.#readStream(d, iovs);
  }

  /** preadv(2): never moves the cursor. */
  fdPread(fd: number, iovs: readonly Uint8Array[], offset: bigint): number {
    const d = this.fds.readable(fd);
    if (!(d instanceof FileDescriptor)) throw new WasiError(Errno.ESPIPE, 'pread on a stream');
    return this.#readAt(d, iovs, checkedPosition(offset));
  }

  /** writev(2) */
  fdWrite(fd: number, iovs: readonly Uint8Array[]): number {
    const d = this.fds.writable(fd);
    if (d instanceof FileDescriptor) {
      if (d.append) {
        const n = this.#append(d, iovs);
        d.cursorToEnd();
        return n;
      }
      const at = d.cursor;
      const n = this.#writeAt(d, iovs, at);
      d.cursor = at + n;
      return n;
    }
    return this.#writeStream(d, iovs);
  }

  /** pwritev(2): never moves the cursor. */
  fdPwrite(fd: number, iovs: readonly Uint8Array[], offset: bigint): number {
    const d = this.fds.writable(fd);
    if (!(d instanceof FileDescriptor)) throw new WasiError(Errno.ESPIPE, 'pwrite on a stream');
    const at = checkedPosition(offset);
    // NOTE: pwrite on an O_APPEND descriptor appends, as on Linux (POSIX leaves it open).
    return d.append ? this.#append(d, iovs) : this.#writeAt(d, iovs, at);
  }

  /** Writes each buffer at the end of the file (O_APPEND), through the array's append. */
  #append(d: FileDescriptor, iovs: readonly Uint8Array[]): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (const iov of iovs) done += array.append(iov);
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  #readAt(d: FileDescriptor, iovs: readonly Uint8Array[], at: number): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (const iov of iovs) {
        const n = array.readAt(iov, at + done);
        done += n;
        if (n < iov.length) break;
      }
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  #writeAt(d: FileDescriptor, iovs: readonly Uint8Array[], at: number): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (const iov of iovs) done += array.writeAt(iov, at + done);
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  #readStream(d: StreamDescriptor, iovs: readonly Uint8Array[]): number {
    const input = d.input!;
    let done = 0;
    try {
      for (const iov of iovs) {
        if (iov.length === 0) continue;
        const n = input.read(iov);
        done += n;
        // Fill later buffers only while the stream can give more without waiting.
        if (n < iov.length || !input.ready() || input.status !== 'open') break;
      }
    } catch (e) {
      return partial(e, done);
    }
    if (done === 0 && input.status === 'open' && iovs.some((v) => v.length > 0)) {
      throw new WasiError(Errno.EAGAIN, 'no data available yet');
    }
    return done;
  }

  #writeStream(d: StreamDescriptor, iovs: readonly Uint8Array[]): number {
    const output = d.output!;
    let done = 0;
    let wanted = 0;
    try {
      for (const iov of iovs) {
        if (iov.length === 0) continue;
        wanted += iov.length;
        const n = output.write(iov);
        done += n;
        if (n < iov.length) break;
      }
    } catch (e) {
      return partial(e, done);
    }
    if (done === 0 && wanted > 0) throw new WasiError(Errno.EAGAIN, 'stream is full');
    return done;
  }

  /** lseek(2), emulated on the descriptor's cursor. */
  fdSeek(fd: number, offset: bigint, whence: number): bigint {
    const d = this.fds.file(fd);
    d.requireRights(whence === Whence.CUR && offset === 0n ? Rights.FD_TELL : Rights.FD_SEEK);
    let base: number;
    switch (whence) {
      case Whence.SET: base = 0; break;
      case Whence.CUR: base = d.cursor; break;
      case Whence.END: base = d.node.array.len(); break;
      default: throw new WasiError(Errno.EINVAL, `bad whence ${whence}`);
    }
    d.cursor = checkedPosition(BigInt(base) + offset);
    return BigInt(d.cursor);
  }
  /** lseek(fd, 0, SEEK_CUR) */
  fdTell(fd: number): bigint {
    const d = this.fds.file(fd);
    d.requireRights(Rights.FD_TELL);
    return BigInt(d.cursor);
  }

  /** posix_fadvise(2) → array advise */
  fdAdvise(fd: number, offset: bigint, len: bigint, advice: number): void {
    const d = this.fds.file(fd);
    const a = ADVICE[advice];
    if (a === undefined) throw new WasiError(Errno.EINVAL, `bad advice ${advice}`);
    d.node.array.advise(checkedPosition(offset), checkedPosition(len), a);
  }
  /** posix_fallocate(3): grows the file to cover the range. */
  fdAllocate(fd: number, offset: bigint, len: bigint): void {
    const d = this.fds.file(fd);
    if (!(d.rightsBase & Rights.FD_WRITE)) throw new WasiError(Errno.EBADF, 'not open for writing');
    const end = checkedPosition(offset + len);
    if (len === 0n) throw new WasiError(Errno.EINVAL, 'zero length');
    if (end > d.node.array.len()) d.node.array.setLen(end);
  }
  /** fsync(2) → flush of data and metadata */
  fdSync(fd: number): void {
    this.#flush(fd, 'all');
  }
  /** fdatasync(2) → flush of data */
  fdDatasync(fd: number): void {
    this.#flush(fd, 'data');
  }
  #flush(fd: number, mode: 'data' | 'all'): void {
    const d = this.fds.get(fd);
    try {
      if (d instanceof FileDescriptor) d.node.array.flush(mode);
      else if (d instanceof StreamDescriptor) d.output?.flush();
    } catch (e) {
      throw e instanceof IOError ? new WasiError(e.errno, e.message) : e;
    }
  }

  // --- metadata ---------------------------------------------------------------------------------

  /** fstat(2) */
  fdFilestatGet(fd: number): Stat {
    const d = this.fds.get(fd);
    if (d instanceof FileDescriptor) return d.node.stat();
    if (d instanceof DirDescriptor) return d.dir.statSelf();
    return { dev: 0n, ino: 0n, type: d.filetype, nlink: 1, size: 0, atim: 0n, mtim: 0n, ctim: 0n };
  }
  /** ftruncate(2) */
  fdFilestatSetSize(fd: number, size: bigint): void {
    // NOTE: ftruncate on a pipe or socket is EINVAL on Linux (not ESPIPE as for lseek).
    if (this.fds.get(fd) instanceof StreamDescriptor) throw new WasiError(Errno.EINVAL, 'cannot truncate a stream');
    const d = this.fds.file(fd);
    if (!(d.rightsBase & Rights.FD_WRITE)) throw new WasiError(Errno.EBADF, 'not open for writing');
    if (size < 0n) throw new WasiError(Errno.EINVAL, 'negative size');
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.EFBIG, 'size too large');
    d.node.array.setLen(Number(size));
  }
  /** futimens(2) */
  fdFilestatSetTimes(fd: number, atim: bigint, mtim: bigint, flags: number): void {
    const d = this.fds.get(fd);
    const a = timeSpec(atim, flags, FstFlags.ATIM, FstFlags.ATIM_NOW);
    const m = timeSpec(mtim, flags, FstFlags.MTIM, FstFlags.MTIM_NOW);
    if (d instanceof FileDescriptor) d.node.setTimes(a, m);
    else if (d instanceof DirDescriptor) d.dir.setTimesSelf(a, m);
    // NOTE: streams have no stored times; setting them is EBADF (wasmtime: EBADF on stdio).
    else throw new WasiError(Errno.EBADF, 'a stream has no times to set');
  }

  /** readdir(3): the listing from `cookie` on; "." and ".." first. Cookie = index + 1. */
  fdReaddir(fd: number, cookie: bigint): { entries: readonly ListedEntry[]; start: number } {
    const d = this.fds.dir(fd);
    if (cookie === 0n || d.listing === undefined) {
      const self = d.dir.statSelf().ino;
      const listing: ListedEntry[] = [
        { name: utf8.encode('.'), type: 'directory', ino: self },
        { name: utf8.encode('..'), type: 'directory', ino: d.parentIno ?? self },
      ];
      for (const e of d.dir.entries()) listing.push({ name: utf8.encode(e.name), type: e.type, ino: e.ino });
      d.listing = listing;
    }
    const start = cookie > BigInt(d.listing.length) ? d.listing.length : Number(cookie);
    return { entries: d.listing, start };
  }

  // --- paths ------------------------------------------------------------------------------------

  #lookup(flags: number): boolean {
    if (flags & ~LookupFlags.SYMLINK_FOLLOW) throw new WasiError(Errno.EINVAL, `unknown lookup flags ${flags}`);
    return flags !== 0;
  }

  #at(fd: number, path: string, follow: boolean, right: bigint): { desc: DirDescriptor; r: Resolved } {
    const desc = this.fds.dir(fd);
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
        return this.fds.add(new DirDescriptor(dir, base, inheriting, undefined, parentIno));
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
      return this.fds.add(new StreamDescriptor({ input: wantsRead ? node.input : undefined, output: wantsWrite ? node.output : undefined }));
    }
    const node = r.dir.openFile(r.name!, { create, exclusive: excl, truncate: trunc, write: writes || trunc });
    return this.fds.add(new FileDescriptor(node, fdflags, base));
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

  // --- polling ----------------------------------------------------------------------------------

  /** poll(2) over clocks and descriptor readiness. Waits (without spinning) for the first clock. */
  pollOneoff(subs: readonly Subscription[]): PollEvent[] {
    if (subs.length === 0) throw new WasiError(Errno.EINVAL, 'no subscriptions');
    const events: PollEvent[] = [];
    let earliest: { sub: Subscription; deadline: bigint } | undefined;
    const now = this.#clock(Clock.MONOTONIC).now();
    for (const sub of subs) {
      if (sub.kind === 'clock') {
        let deadline: bigint;
        try {
          const clock = this.#clock(sub.clock);
          deadline = sub.abstime ? now + (sub.timeout - clock.now()) : now + sub.timeout;
        } catch (e) {
          if (!(e instanceof WasiError)) throw e;
          events.push({ userdata: sub.userdata, errno: e.errno, kind: 'clock', nbytes: 0n, hangup: false });
          continue;
        }
        if (earliest === undefined || deadline < earliest.deadline) earliest = { sub, deadline };
        continue;
      }
      const ev = this.#readiness(sub);
      if (ev) events.push(ev);
    }
    if (events.length > 0) return events;
    if (earliest === undefined) {
      // NOTE: only descriptors that cannot become ready during this synchronous call (an
      // in-process pipe) and no clock: report them ready with 0 bytes instead of hanging forever.
      return subs.map((s) => ({ userdata: s.userdata, errno: 0, kind: s.kind, nbytes: 0n, hangup: false }));
    }
    const wait = earliest.deadline - this.#clock(Clock.MONOTONIC).now();
    if (wait > 0n) this.#sleep(wait);
    return [{ userdata: earliest.sub.userdata, errno: 0, kind: 'clock', nbytes: 0n, hangup: false }];
  }

  #readiness(sub: Subscription & { kind: 'fd_read' | 'fd_write' }): PollEvent | undefined {
    const ev = (errno: number, nbytes: bigint, hangup = false): PollEvent => ({ userdata: sub.userdata, errno, kind: sub.kind, nbytes, hangup });
    let d: AnyDescriptor;
    try {
      d = sub.kind === 'fd_read' ? this.fds.readable(sub.fd) : this.fds.writable(sub.fd);
    } catch (e) {
      if (e instanceof WasiError) return ev(e.errno, 0n);
      throw e;
    }
    if (d instanceof FileDescriptor) {
      const len = d.node.array.len();
      return ev(0, sub.kind === 'fd_read' ? BigInt(Math.max(0, len - d.cursor)) : 0n);
    }
    if (d instanceof StreamDescriptor) {
      if (sub.kind === 'fd_read') {
        const input = d.input!;
        if (!input.ready()) return undefined;
        return ev(0, input.status === 'open' ? 1n : 0n, input.status !== 'open');
      }
      const room = d.output!.checkWrite();
      if (d.output!.status !== 'open') return ev(0, 0n, true);
      return room > 0 ? ev(0, BigInt(Math.min(room, 2 ** 31))) : undefined;
    }
    return ev(Errno.EBADF, 0n);
  }

  // --- sockets ----------------------------------------------------------------------------------

  /** accept(2): connected stream sockets cannot accept. */
  sockAccept(fd: number, flags: number): number {
    this.fds.socket(fd);
    if (flags & ~FdFlags.NONBLOCK) throw new WasiError(Errno.EINVAL, `bad flags ${flags}`);
    throw new WasiError(Errno.EINVAL, 'socket is not listening');
  }
  /** recv(2) on a connected socket: reads its input stream. Returns [bytes, roflags]. */
  sockRecv(fd: number, iovs: readonly Uint8Array[], flags: number): number {
    const d = this.fds.socket(fd);
    if (flags & ~3) throw new WasiError(Errno.EINVAL, `bad recv flags ${flags}`);
    if (flags & 1) throw new WasiError(Errno.ENOTSUP, 'MSG_PEEK is not supported on streams');
    if (!d.input) throw new WasiError(Errno.ENOTCONN, 'socket has no input');
    return this.#readStream(d, iovs);
  }
  /** send(2) on a connected socket: writes its output stream. */
  sockSend(fd: number, iovs: readonly Uint8Array[], flags: number): number {
    const d = this.fds.socket(fd);
    if (flags !== 0) throw new WasiError(Errno.EINVAL, `bad send flags ${flags}`);
    if (!d.output) throw new WasiError(Errno.ENOTCONN, 'socket has no output');
    return this.#writeStream(d, iovs);
  }
  /** shutdown(2): 1 = read side, 2 = write side. */
  sockShutdown(fd: number, how: number): void {
    const d = this.fds.socket(fd);
    if (how < 1 || how > 3) throw new WasiError(Errno.EINVAL, `bad shutdown ${how}`);
    if (how & 1) d.input?.close();
    if (how & 2) d.output?.close();
  }

  /** The directory behind a descriptor, for hosts (e.g. typed arguments). */
  directoryOf(fd: number): Directory {
    return this.fds.dir(fd).dir;
  }
}
