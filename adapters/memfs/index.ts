// Layer: adapters/memfs. Imports src/io, src/errno and adapters/shared only (no node:* modules,
// and not memfs).
// The memfs backend (`iotypes/memfs`): a Directory over a memfs `Volume`, or over any object with
// memfs's synchronous API (`MemfsLike`), so that files kept in memfs are mounted as they are:
//
//   new WASI({ preopens: { '/': memfsDirectory(vol, '/') } })
//
// Each directory handle holds its absolute memfs path; a file is an IOArray over a memfs fd.
// Files created by the host in the volume are visible to the guest at once, and vice versa.

import { Errno, WasiError } from '../../src/errno/index.js';
import {
  IOArray, IOError,
  type Directory, type DirEntry, type FileNode, type FlushMode, type OpenFileOptions,
  type Stat, type TimeSpec,
} from '../../src/io/index.js';
import { fromHostError, rofs } from '../shared/errors.js';
import { fileTypeOf } from '../shared/file-type.js';

// ---------------------------------------------------------------------------------------------
// The part of memfs's synchronous API this adapter uses.

/** Metadata as memfs's `Stats` reports it (numbers, or bigints with `{ bigint: true }`). */
export interface MemfsStats {
  dev: number | bigint;
  ino: number | bigint;
  nlink: number | bigint;
  size: number | bigint;
  atimeMs: number | bigint;
  mtimeMs: number | bigint;
  ctimeMs: number | bigint;
  /** Present on bigint stats. */
  atimeNs?: bigint | undefined;
  mtimeNs?: bigint | undefined;
  ctimeNs?: bigint | undefined;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}

/**
 * The synchronous methods of a memfs `Volume` that the adapter calls. Failures are thrown as
 * errors with a string `code` ('ENOENT', 'EEXIST', ...), as memfs and Node's fs do.
 */
export interface MemfsLike {
  lstatSync(path: string, options: { bigint: true }): MemfsStats;
  fstatSync(fd: number, options: { bigint: true }): MemfsStats;
  /** Entry names (strings with the default encoding). */
  readdirSync(path: string): readonly unknown[];
  mkdirSync(path: string): void;
  rmdirSync(path: string): void;
  unlinkSync(path: string): void;
  renameSync(oldPath: string, newPath: string): void;
  linkSync(existingPath: string, newPath: string): void;
  symlinkSync(target: string, path: string): void;
  readlinkSync(path: string): string | Uint8Array;
  openSync(path: string, flags: number, mode?: number): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  ftruncateSync(fd: number, len: number): void;
  fsyncSync(fd: number): void;
  fdatasyncSync(fd: number): void;
  /** Times in seconds since the epoch. */
  futimesSync(fd: number, atime: number, mtime: number): void;
  lutimesSync(path: string, atime: number, mtime: number): void;
}

export interface MemfsDirectoryOptions {
  /** Refuse every mutation (also writes through files opened from it) with EROFS. */
  readOnly?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Errors: memfs throws libuv's codes, mapped by the one host table (adapters/shared/errors.ts).

/**
 * Runs one memfs call, translating its failure. With `moved`, the call is part of a transfer
 * that already moved that many bytes: its failure is an IOError carrying the count.
 */
function call<T>(fn: () => T, moved?: number): T {
  try {
    return fn();
  } catch (e) {
    const err = fromHostError(e, 'memfs');
    throw moved !== undefined && err instanceof WasiError && !(err instanceof IOError) ? new IOError(err.errno, moved, err.message) : err;
  }
}

// ---------------------------------------------------------------------------------------------
// Stats and times.

const BIGINT: { bigint: true } = { bigint: true };
const NS_PER_MS = 1_000_000n;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

const big = (v: number | bigint): bigint => (typeof v === 'bigint' ? v : BigInt(v));

function nsOf(ns: bigint | undefined, ms: number | bigint): bigint {
  if (typeof ns === 'bigint') return ns;
  return typeof ms === 'bigint' ? ms * NS_PER_MS : BigInt(Math.trunc(ms)) * NS_PER_MS;
}

/**
 * memfs keeps whole milliseconds. The exact nanoseconds of times set through this adapter are
 * kept here, per volume and inode, and reported for as long as memfs still holds the same
 * millisecond (a later write or touch from elsewhere changes it, and then memfs's value stands).
 */
const exactTimes = new WeakMap<MemfsLike, Map<bigint, { atim?: bigint; mtim?: bigint }>>();

function rememberTimes(vol: MemfsLike, ino: bigint, atim: TimeSpec, mtim: TimeSpec): void {
  let byIno = exactTimes.get(vol);
  if (!byIno) exactTimes.set(vol, (byIno = new Map()));
  const entry = byIno.get(ino) ?? {};
  if (typeof atim === 'bigint') entry.atim = atim;
  else if (atim === 'now') delete entry.atim;
  if (typeof mtim === 'bigint') entry.mtim = mtim;
  else if (mtim === 'now') delete entry.mtim;
  byIno.set(ino, entry);
}

function exact(vol: MemfsLike, st: Stat): Stat {
  const entry = exactTimes.get(vol)?.get(st.ino);
  if (entry === undefined) return st;
  const sameMs = (a: bigint, b: bigint) => a / NS_PER_MS === b / NS_PER_MS;
  if (entry.atim !== undefined && sameMs(entry.atim, st.atim)) st.atim = entry.atim;
  if (entry.mtim !== undefined && sameMs(entry.mtim, st.mtim)) st.mtim = entry.mtim;
  return st;
}

function statOf(st: MemfsStats, size = Number(st.size)): Stat {
  return {
    dev: big(st.dev),
    ino: big(st.ino),
    type: fileTypeOf(st),
    nlink: Number(st.nlink),
    size,
    atim: nsOf(st.atimeNs, st.atimeMs),
    mtim: nsOf(st.mtimeNs, st.mtimeMs),
    ctim: nsOf(st.ctimeNs, st.ctimeMs),
  };
}

function text(target: string | Uint8Array): string {
  return typeof target === 'string' ? target : decoder.decode(target);
}

/**
 * The time to hand memfs, in seconds, for a TimeSpec; `current` (ms) when it is left unchanged.
 *
 * NOTE: memfs stores times as JavaScript Dates, that is whole milliseconds; the nanoseconds below
 * are kept beside it (see exactTimes) for times set through this adapter.
 */
function secondsFor(spec: TimeSpec, currentMs: number, nowMs: number): number {
  const ms = spec === undefined ? currentMs : spec === 'now' ? nowMs : Number(spec / NS_PER_MS);
  // memfs stores `new Date(seconds * 1000)`, and Date truncates: when ms / 1000 * 1000 comes
  // out just below `ms` in floating point, aim at the middle of the millisecond instead.
  const seconds = ms / 1000;
  return Math.trunc(seconds * 1000) === ms ? seconds : (ms + 0.5) / 1000;
}

const msOf = (v: number | bigint): number => Math.trunc(Number(v));

// ---------------------------------------------------------------------------------------------
// Files.

// open(2) flags with their Linux values, which memfs uses on every platform.
const O_RDONLY = 0;
const O_RDWR = 2;
const O_CREAT = 0o100;
const O_TRUNC = 0o1000;
const O_NOFOLLOW = 0o400000;

/** Largest transfer handed to memfs in one call (its length argument is an int32). */
const MAX_CHUNK = 1 << 30;

/** A file's bytes over a memfs fd: reads and writes go straight into the caller's buffer. */
class MemfsArray extends IOArray {
  readonly #vol: MemfsLike;
  readonly #fd: number;
  readonly #readOnly: boolean;
  #closed = false;

  constructor(vol: MemfsLike, fd: number, readOnly: boolean, name: string) {
    super({ name });
    this.#vol = vol;
    this.#fd = fd;
    this.#readOnly = readOnly;
  }

  /** The fd, or EBADF once closed (memfs hands a closed fd number out again). */
  get fd(): number {
    if (this.#closed) throw new WasiError(Errno.EBADF, 'file has been closed');
    return this.#fd;
  }

  get closed(): boolean {
    return this.#closed;
  }

  markClosed(): void {
    this.#closed = true;
  }

  protected readAtCore(into: Uint8Array, offset: number): number {
    const fd = this.fd;
    let done = 0;
    while (done < into.length) {
      const len = Math.min(MAX_CHUNK, into.length - done);
      const got = call(() => this.#vol.readSync(fd, into, done, len, offset + done), done);
      if (got === 0) break;
      done += got;
    }
    return done;
  }

  protected writeAtCore(from: Uint8Array, offset: number): number {
    if (this.#readOnly) throw rofs();
    const fd = this.fd;
    let done = 0;
    while (done < from.length) {
      const len = Math.min(MAX_CHUNK, from.length - done);
      const put = call(() => this.#vol.writeSync(fd, from, done, len, offset + done), done);
      if (put <= 0) throw new IOError(Errno.EIO, done, 'memfs wrote nothing');
      done += put;
    }
    return done;
  }

  protected lenCore(): number {
    const fd = this.fd;
    return Number(call(() => this.#vol.fstatSync(fd, BIGINT)).size);
  }

  protected setLenCore(len: number): void {
    if (this.#readOnly) throw rofs();
    const fd = this.fd;
    call(() => this.#vol.ftruncateSync(fd, len));
  }

  protected override flushCore(mode: FlushMode): void {
    const fd = this.fd;
    call(() => (mode === 'data' ? this.#vol.fdatasyncSync(fd) : this.#vol.fsyncSync(fd)));
  }
}

class MemfsFile implements FileNode {
  readonly array: MemfsArray;
  readonly #vol: MemfsLike;
  readonly #readOnly: boolean;

  constructor(vol: MemfsLike, fd: number, readOnly: boolean, name: string) {
    this.#vol = vol;
    this.#readOnly = readOnly;
    this.array = new MemfsArray(vol, fd, readOnly, name);
  }

  stat(): Stat {
    const fd = this.array.fd;
    return exact(this.#vol, statOf(call(() => this.#vol.fstatSync(fd, BIGINT))));
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (this.#readOnly) throw rofs();
    if (atim === undefined && mtim === undefined) return;
    const fd = this.array.fd;
    const st = call(() => this.#vol.fstatSync(fd, BIGINT));
    const now = Date.now();
    const a = secondsFor(atim, msOf(st.atimeMs), now);
    const m = secondsFor(mtim, msOf(st.mtimeMs), now);
    call(() => this.#vol.futimesSync(fd, a, m));
    rememberTimes(this.#vol, big(st.ino), atim, mtim);
  }

  close(): void {
    if (this.array.closed) return;
    const fd = this.array.fd;
    this.array.markClosed();
    call(() => this.#vol.closeSync(fd));
  }
}

// ---------------------------------------------------------------------------------------------
// Directories.

/**
 * A directory of a memfs volume, named by its absolute path.
 *
 * NOTE: a handle follows its path, not its inode (memfs's API is path-based): after the
 * directory is renamed or replaced, the handle names whatever is at that path then; after it is
 * removed, creating in it fails with ENOENT and it lists as empty, as a removed directory does.
 */
class MemfsDirectory implements Directory {
  readonly readOnly: boolean;
  /** Opening never acts on a name it refuses (memfs has no FIFOs or devices). */
  readonly opensWithoutLook = true;
  readonly #vol: MemfsLike;
  readonly #path: string;

  constructor(vol: MemfsLike, path: string, readOnly: boolean) {
    this.#vol = vol;
    this.#path = path;
    this.readOnly = readOnly;
  }

  statSelf(): Stat {
    const st = exact(this.#vol, statOf(this.#lstat(this.#path)));
    if (this.#path === '/') {
      // memfs counts its volume root's own "." and ".." among the root's links (an empty root
      // says 5); a directory has 2 + one per subdirectory.
      let subdirs = 0;
      for (const name of call(() => this.#vol.readdirSync('/'))) {
        if (typeof name === 'string' && this.#lstat(`/${name}`).isDirectory()) subdirs++;
      }
      st.nlink = 2 + subdirs;
    }
    return st;
  }

  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    this.#setTimes(this.#path, atim, mtim);
  }

  stat(name: string): Stat {
    const path = this.#join(name);
    const st = this.#lstat(path);
    if (st.isSymbolicLink()) {
      // NOTE: lstat of a symlink reports the byte length of its target, as POSIX says; memfs
      // itself reports 0.
      return exact(this.#vol, statOf(st, encoder.encode(text(call(() => this.#vol.readlinkSync(path)))).length));
    }
    return exact(this.#vol, statOf(st));
  }

  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    this.#setTimes(this.#join(name), atim, mtim);
  }

  openDir(name: string): Directory {
    const path = this.#join(name);
    const st = this.#lstat(path);
    if (st.isSymbolicLink()) throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
    if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, name);
    return new MemfsDirectory(this.#vol, path, this.readOnly);
  }

  openFile(name: string, options: OpenFileOptions): FileNode {
    const create = options.create === true;
    const truncate = options.truncate === true;
    // NOTE: a read-only mount refuses create/truncate/write up front with EROFS, even when the
    // file exists (as the in-memory backend does).
    if (create || truncate || options.write === true) this.#writable();
    const path = this.#join(name);
    const st = this.#lstatOrUndefined(path);
    if (st === undefined) {
      if (!create) throw new WasiError(Errno.ENOENT, name);
    } else {
      if (create && options.exclusive === true) throw new WasiError(Errno.EEXIST, name);
      // The syscall layer has refused directories and symlinks already; this holds for direct use.
      if (!st.isFile()) throw new WasiError(Errno.ENXIO, `${name} is not a regular file`);
    }
    // Read-only access unless the caller means to write: memfs checks the permission bits
    // against the access mode, and a read-only file stays readable.
    let flags = this.readOnly || (options.write !== true && !truncate) ? O_RDONLY : O_RDWR;
    flags |= O_NOFOLLOW;
    if (st === undefined) flags |= O_CREAT;
    if (truncate) flags |= O_TRUNC;
    const fd = call(() => this.#vol.openSync(path, flags, 0o666));
    return new MemfsFile(this.#vol, fd, this.readOnly, name);
  }

  *entries(): Iterable<DirEntry> {
    let names: readonly unknown[];
    try {
      names = this.#vol.readdirSync(this.#path);
    } catch (e) {
      const err = fromHostError(e, 'memfs');
      // A removed directory lists as empty (see the class NOTE).
      if (err instanceof WasiError && err.errno === Errno.ENOENT) return;
      throw err;
    }
    // memfs lists names sorted: a stable order for an unchanged directory.
    for (const raw of names) {
      if (typeof raw !== 'string') throw new TypeError('memfs readdirSync returned a non-string name');
      const st = this.#lstatOrUndefined(this.#join(raw));
      if (st === undefined) continue; // removed since the listing was taken
      yield { name: raw, type: fileTypeOf(st), ino: big(st.ino) };
    }
  }

  readlink(name: string): string {
    const path = this.#join(name);
    return text(call(() => this.#vol.readlinkSync(path)));
  }

  symlink(target: string, name: string): void {
    this.#writable();
    const path = this.#join(name);
    this.#absent(path, name);
    // NOTE: an empty target is ENOENT, as Linux's symlink(2) does (and memfs).
    if (target === '') throw new WasiError(Errno.ENOENT, 'empty symlink target');
    call(() => this.#vol.symlinkSync(target, path));
  }

  mkdir(name: string): void {
    this.#writable();
    const path = this.#join(name);
    call(() => this.#vol.mkdirSync(path));
  }

  rmdir(name: string): void {
    this.#writable();
    const path = this.#join(name);
    // memfs: ENOENT, ENOTDIR (also for a symlink to a directory), ENOTEMPTY.
    call(() => this.#vol.rmdirSync(path));
  }

  unlink(name: string): void {
    this.#writable();
    const path = this.#join(name);
    // NOTE: EISDIR for a directory, as Linux and wasmtime do (memfs says EPERM, as macOS does).
    if (this.#lstat(path).isDirectory()) throw new WasiError(Errno.EISDIR, name);
    call(() => this.#vol.unlinkSync(path));
  }

  link(name: string, to: Directory, toName: string): void {
    const target = this.#sameVolume(to);
    this.#writable();
    target.#writable();
    const from = this.#join(name);
    // memfs would hard-link a directory: refuse it as POSIX does.
    if (this.#lstat(from).isDirectory()) throw new WasiError(Errno.EPERM, `${name} is a directory`);
    const dest = target.#join(toName);
    target.#absent(dest, toName);
    call(() => this.#vol.linkSync(from, dest));
  }

  rename(name: string, to: Directory, toName: string): void {
    const target = this.#sameVolume(to);
    this.#writable();
    target.#writable();
    const from = this.#join(name);
    const dest = target.#join(toName);
    const st = this.#lstat(from);
    // The destination directory must still exist before anything is replaced.
    if (!target.#lstat(target.#path).isDirectory()) throw new WasiError(Errno.ENOTDIR, 'destination');
    const existing = this.#lstatOrUndefined(dest);
    // POSIX: renaming one name of an inode onto another name of the same inode does nothing.
    if (existing !== undefined && big(existing.ino) === big(st.ino) && big(existing.dev) === big(st.dev)) return;
    if (st.isDirectory() && (target.#path === from || target.#path.startsWith(`${from}/`))) {
      throw new WasiError(Errno.EINVAL, `cannot move ${name} into itself`);
    }
    // memfs's rename applies none of POSIX's replacement rules (it drops the replaced entry
    // without unlinking it): check them here and remove the replaced entry first.
    if (existing !== undefined) {
      if (st.isDirectory()) {
        if (!existing.isDirectory()) throw new WasiError(Errno.ENOTDIR, toName);
        if (call(() => this.#vol.readdirSync(dest)).length > 0) throw new WasiError(Errno.ENOTEMPTY, toName);
        call(() => this.#vol.rmdirSync(dest));
      } else {
        if (existing.isDirectory()) throw new WasiError(Errno.EISDIR, toName);
        call(() => this.#vol.unlinkSync(dest));
      }
    }
    if (st.isSymbolicLink()) {
      // memfs's rename follows a final symlink (it would move the target): move the link's
      // inode by linking it under the new name and dropping the old one.
      call(() => this.#vol.linkSync(from, dest));
      call(() => this.#vol.unlinkSync(from));
    } else {
      call(() => this.#vol.renameSync(from, dest));
    }
  }

  #join(name: string): string {
    return this.#path === '/' ? `/${name}` : `${this.#path}/${name}`;
  }

  #lstat(path: string): MemfsStats {
    return call(() => this.#vol.lstatSync(path, BIGINT));
  }

  /** lstat, or undefined when nothing is there (ENOENT). */
  #lstatOrUndefined(path: string): MemfsStats | undefined {
    try {
      return this.#vol.lstatSync(path, BIGINT);
    } catch (e) {
      const err = fromHostError(e, 'memfs');
      if (err instanceof WasiError && err.errno === Errno.ENOENT) return undefined;
      throw err;
    }
  }

  #absent(path: string, name: string): void {
    if (this.#lstatOrUndefined(path) !== undefined) throw new WasiError(Errno.EEXIST, name);
  }

  #setTimes(path: string, atim: TimeSpec, mtim: TimeSpec): void {
    const st = this.#lstat(path);
    if (atim === undefined && mtim === undefined) return;
    const now = Date.now();
    const a = secondsFor(atim, msOf(st.atimeMs), now);
    const m = secondsFor(mtim, msOf(st.mtimeMs), now);
    call(() => this.#vol.lutimesSync(path, a, m));
    rememberTimes(this.#vol, big(st.ino), atim, mtim);
  }

  #writable(): void {
    if (this.readOnly) throw rofs();
  }

  #sameVolume(to: Directory): MemfsDirectory {
    if (!(to instanceof MemfsDirectory) || to.#vol !== this.#vol) {
      throw new WasiError(Errno.EXDEV, 'not the same memfs volume');
    }
    return to;
  }
}

/** Normalizes an absolute memfs path: no empty or "." components, no trailing "/". */
function normalize(path: string): string {
  if (!path.startsWith('/')) throw new WasiError(Errno.EINVAL, `memfs mount path must be absolute: ${path}`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new WasiError(Errno.EINVAL, `memfs mount path must not contain "..": ${path}`);
  return `/${parts.join('/')}`;
}

/**
 * The directory `path` (default the root) of a memfs volume, as a Directory to preopen.
 * It must exist and be a directory itself, not a symlink to one (ENOENT, ENOTDIR, ELOOP).
 */
export function memfsDirectory(vol: MemfsLike, path = '/', options: MemfsDirectoryOptions = {}): Directory {
  const at = normalize(path);
  const st = call(() => vol.lstatSync(at, BIGINT));
  if (st.isSymbolicLink()) throw new WasiError(Errno.ELOOP, `${at} is a symlink`);
  if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, at);
  return new MemfsDirectory(vol, at, options.readOnly === true);
}
