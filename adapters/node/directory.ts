// Layer: adapters/node. Imports src/io, src/errno and node:* only.
// A Directory over a host folder. A handle is the preopened folder's real path plus a list of
// components; every operation walks those components again with lstat, one at a time (each must
// still be a real directory, not a symlink, and the last must be the same inode the handle was
// opened on), and then acts on a single final name without following symlinks (lstat, lutimes,
// O_NOFOLLOW, link/rename/unlink of the name itself). So neither `..`, an absolute path, nor a
// symlink, planted on the host or made by the guest, can lead outside the folder. What remains
// is a time-of-check/time-of-use window against *other host processes* changing the folder
// between the walk and the system call (see the README's sandbox section).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { Errno, WasiError } from '../../src/errno/index.js';
import {
  IOArray, type Directory, type DirEntry, type FileNode, type FileType, type OpenFileOptions,
  type Stat, type TimeSpec, type FlushMode,
} from '../../src/io/index.js';
import { fromNode, host } from './errors.js';

const C = fs.constants;

export interface NodeDirectoryOptions {
  /** Refuse every mutation with EROFS. */
  readOnly?: boolean;
}

function fileType(st: fs.BigIntStats | fs.Stats): FileType {
  if (st.isFile()) return 'regular-file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symbolic-link';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isSocket()) return 'socket-stream';
  return 'unknown';
}

export function toStat(st: fs.BigIntStats): Stat {
  return {
    dev: st.dev, ino: st.ino, type: fileType(st), nlink: Number(st.nlink), size: Number(st.size),
    atim: st.atimeNs, mtim: st.mtimeNs, ctim: st.ctimeNs,
  };
}

/** Seconds as Node's utimes wants them; 'now' and "unchanged" resolved against `current`. */
function seconds(t: TimeSpec, currentNs: bigint): number {
  if (t === 'now') return Date.now() / 1000;
  const ns = t ?? currentNs;
  // NOTE: Node's utimes takes seconds as a double: about a microsecond of precision survives,
  // not every nanosecond. Whole seconds and microseconds round-trip exactly.
  return Number(ns / 1000n) / 1e6;
}

/**
 * Sets times to the nanosecond. Node's utimes takes seconds as a double, which keeps about a
 * microsecond; a time with finer digits is then set again with coreutils' `touch -d @S.N`, which
 * keeps all nine. `path` names the file itself (the final component is never followed: -h).
 */
function setTimesExact(path: string, atim: TimeSpec, mtim: TimeSpec, current: Stat, byFd?: number): void {
  const a = seconds(atim, current.atim);
  const m = seconds(mtim, current.mtim);
  host(() => (byFd === undefined ? fs.lutimesSync(path, a, m) : fs.futimesSync(byFd, a, m)));
  for (const [flag, t] of [['-a', atim], ['-m', mtim]] as const) {
    if (typeof t !== 'bigint' || t < 0n || t % 1000n === 0n) continue;
    const stamp = `@${t / 1_000_000_000n}.${(t % 1_000_000_000n).toString().padStart(9, '0')}`;
    // With a descriptor, /proc/<pid>/fd/<n> reaches the open file even if it was renamed.
    const target = byFd === undefined ? path : `/proc/${process.pid}/fd/${byFd}`;
    const args = byFd === undefined ? ['-h', flag, '-d', stamp, '--', target] : [flag, '-c', '-d', stamp, '--', target];
    const r = spawnSync('touch', args, { stdio: 'ignore' });
    // NOTE: without coreutils' touch (not Linux), times keep microsecond precision.
    if (r.error !== undefined || r.status !== 0) return;
  }
}

/** The bytes of a host file, read and written in place with positioned reads and writes. */
export class HostFileArray extends IOArray {
  readonly #fd: number;
  readonly #readOnly: boolean;
  /** A second descriptor of the same file opened with O_APPEND (-1: none to be had). */
  #appendFd: number | undefined;
  constructor(fd: number, name: string, readOnly: boolean) {
    super({ name });
    this.#fd = fd;
    this.#readOnly = readOnly;
  }
  /**
   * Appends with the host's own O_APPEND: atomic at the end of the file, with no length lookup.
   * The descriptor comes from reopening /proc/self/fd/N, which reaches this very file even if it
   * was renamed or unlinked since; where that is not possible (not Linux), the derived append
   * (length, then a positioned write) is used.
   */
  protected override appendCore(from: Uint8Array): number {
    if (this.#readOnly) throw new WasiError(Errno.EROFS, 'read-only mount');
    if (this.#appendFd === undefined) {
      try {
        this.#appendFd = fs.openSync(`/proc/self/fd/${this.#fd}`, C.O_WRONLY | C.O_APPEND);
      } catch {
        this.#appendFd = -1;
      }
    }
    if (this.#appendFd < 0) return this.writeAtCore(from, this.lenCore());
    const fd = this.#appendFd;
    let done = 0;
    while (done < from.length) done += host(() => fs.writeSync(fd, from, done, from.length - done, null), done);
    return done;
  }
  /** Releases the append descriptor, if one was opened (the main one belongs to its FileNode). */
  closeAppend(): void {
    if (this.#appendFd !== undefined && this.#appendFd >= 0) fs.closeSync(this.#appendFd);
    this.#appendFd = undefined;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    let done = 0;
    while (done < into.length) {
      const n = host(() => fs.readSync(this.#fd, into, done, into.length - done, offset + done), done);
      if (n === 0) break;
      done += n;
    }
    return done;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    if (this.#readOnly) throw new WasiError(Errno.EROFS, 'read-only mount');
    let done = 0;
    while (done < from.length) {
      done += host(() => fs.writeSync(this.#fd, from, done, from.length - done, offset + done), done);
    }
    return done;
  }
  protected lenCore(): number {
    return host(() => fs.fstatSync(this.#fd).size);
  }
  protected setLenCore(len: number): void {
    if (this.#readOnly) throw new WasiError(Errno.EROFS, 'read-only mount');
    host(() => fs.ftruncateSync(this.#fd, len));
  }
  protected override flushCore(mode: FlushMode): void {
    if (this.#readOnly) return;
    host(() => (mode === 'data' ? fs.fdatasyncSync(this.#fd) : fs.fsyncSync(this.#fd)));
  }
}

class HostFile implements FileNode {
  readonly array: HostFileArray;
  readonly #fd: number;
  readonly #path: string;
  readonly #readOnly: boolean;
  #closed = false;
  constructor(fd: number, path: string, readOnly: boolean) {
    this.#fd = fd;
    this.#path = path;
    this.#readOnly = readOnly;
    this.array = new HostFileArray(fd, path, readOnly);
  }
  stat(): Stat {
    return toStat(host(() => fs.fstatSync(this.#fd, { bigint: true })));
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (this.#readOnly) throw new WasiError(Errno.EROFS, 'read-only mount');
    if (atim === undefined && mtim === undefined) return;
    setTimesExact(this.#path, atim, mtim, this.stat(), this.#fd);
  }
  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.array.closeAppend();
      host(() => fs.closeSync(this.#fd));
    }
  }
  toString(): string {
    return this.#path;
  }
}

/** A handle on a folder beneath a mount root; see the header for how paths are checked. */
class NodeDirectory implements Directory {
  readonly readOnly: boolean;
  readonly #root: string;
  readonly #parts: readonly string[];
  readonly #ino: bigint;
  readonly #dev: bigint;

  constructor(root: string, parts: readonly string[], dev: bigint, ino: bigint, readOnly: boolean) {
    this.#root = root;
    this.#parts = parts;
    this.#dev = dev;
    this.#ino = ino;
    this.readOnly = readOnly;
  }

  /** Re-walks the handle's components; returns the host path of this directory. */
  #here(): string {
    let path = this.#root;
    let st: fs.BigIntStats | undefined;
    for (const part of this.#parts) {
      path = join(path, part);
      st = host(() => fs.lstatSync(path, { bigint: true }));
      if (!st.isDirectory()) throw new WasiError(Errno.ENOENT, 'directory was replaced');
    }
    st ??= host(() => fs.lstatSync(path, { bigint: true }));
    if (st.ino !== this.#ino || st.dev !== this.#dev || !st.isDirectory()) {
      throw new WasiError(Errno.ENOENT, 'directory was moved or removed');
    }
    return path;
  }
  #path(name: string): string {
    // The path layer hands over single components only; refuse anything else here too, so a
    // name can never lead elsewhere even if that promise were broken.
    if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
      throw new WasiError(Errno.ENOTCAPABLE, `not a single path component: ${JSON.stringify(name)}`);
    }
    return join(this.#here(), name);
  }
  #writable(): void {
    if (this.readOnly) throw new WasiError(Errno.EROFS, 'read-only mount');
  }
  #other(to: Directory): NodeDirectory {
    if (!(to instanceof NodeDirectory) || to.#root !== this.#root) {
      throw new WasiError(Errno.EXDEV, 'not on the same mount');
    }
    return to;
  }

  statSelf(): Stat {
    const p = this.#here();
    return toStat(host(() => fs.lstatSync(p, { bigint: true })));
  }
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    const p = this.#here();
    this.#utimes(p, atim, mtim);
  }
  stat(name: string): Stat {
    const p = this.#path(name);
    return toStat(host(() => fs.lstatSync(p, { bigint: true })));
  }
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    this.#utimes(this.#path(name), atim, mtim);
  }
  #utimes(p: string, atim: TimeSpec, mtim: TimeSpec): void {
    if (atim === undefined && mtim === undefined) return;
    setTimesExact(p, atim, mtim, toStat(host(() => fs.lstatSync(p, { bigint: true }))));
  }
  openDir(name: string): Directory {
    const p = this.#path(name);
    const st = host(() => fs.lstatSync(p, { bigint: true }));
    if (st.isSymbolicLink()) throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
    if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, `${name} is not a directory`);
    return new NodeDirectory(this.#root, [...this.#parts, name], st.dev, st.ino, this.readOnly);
  }
  openFile(name: string, options: OpenFileOptions): FileNode {
    const p = this.#path(name);
    if (this.readOnly && (options.create || options.truncate || options.write)) {
      // NOTE: opening for writing (or creating) on a read-only mount is EROFS even if the file
      // exists, as Linux does on a read-only filesystem.
      throw new WasiError(Errno.EROFS, 'read-only mount');
    }
    let existing: fs.BigIntStats | undefined;
    try {
      existing = fs.lstatSync(p, { bigint: true });
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') fromNode(e);
    }
    if (existing) {
      if (options.create && options.exclusive) throw new WasiError(Errno.EEXIST, `${name} exists`);
      if (existing.isDirectory()) throw new WasiError(Errno.EISDIR, `${name} is a directory`);
      if (existing.isSymbolicLink()) throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
      // NOTE: FIFOs, sockets and devices inside a mount are not opened: opening a FIFO would
      // block the host, and a device is not an array. ENXIO, as for an unopenable special file.
      if (!existing.isFile()) throw new WasiError(Errno.ENXIO, `${name} is not a regular file`);
    } else if (!options.create) {
      throw new WasiError(Errno.ENOENT, `${name} does not exist`);
    }
    let flags = (options.write ? C.O_RDWR : C.O_RDONLY) | C.O_NOFOLLOW | C.O_NONBLOCK;
    if (options.create) flags |= C.O_CREAT | C.O_RDWR;
    if (options.create && options.exclusive) flags |= C.O_EXCL;
    if (options.truncate) flags |= C.O_TRUNC | C.O_RDWR;
    const fd = host(() => fs.openSync(p, flags, 0o666));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      fs.closeSync(fd);
      throw new WasiError(Errno.ENXIO, `${name} is not a regular file`);
    }
    return new HostFile(fd, p, this.readOnly);
  }
  *entries(): Iterable<DirEntry> {
    const here = this.#here();
    const names = host(() => fs.readdirSync(here));
    for (const name of names) {
      let st: fs.BigIntStats;
      try {
        st = fs.lstatSync(join(here, name), { bigint: true });
      } catch {
        continue; // removed while listing
      }
      yield { name, type: fileType(st), ino: st.ino };
    }
  }
  readlink(name: string): string {
    const p = this.#path(name);
    return host(() => fs.readlinkSync(p, 'utf8'));
  }
  symlink(target: string, name: string): void {
    this.#writable();
    const p = this.#path(name);
    host(() => fs.symlinkSync(target, p));
  }
  mkdir(name: string): void {
    this.#writable();
    const p = this.#path(name);
    host(() => fs.mkdirSync(p));
  }
  rmdir(name: string): void {
    this.#writable();
    const p = this.#path(name);
    host(() => fs.rmdirSync(p));
  }
  unlink(name: string): void {
    this.#writable();
    const p = this.#path(name);
    const st = host(() => fs.lstatSync(p));
    // NOTE: unlink of a directory is EISDIR (Linux says EISDIR; POSIX allows EPERM).
    if (st.isDirectory()) throw new WasiError(Errno.EISDIR, `${name} is a directory`);
    host(() => fs.unlinkSync(p));
  }
  link(name: string, to: Directory, toName: string): void {
    const dest = this.#other(to);
    this.#writable();
    const from = this.#path(name);
    const st = host(() => fs.lstatSync(from));
    if (st.isDirectory()) throw new WasiError(Errno.EPERM, 'cannot link a directory');
    const target = dest.#path(toName);
    host(() => fs.linkSync(from, target));
  }
  rename(name: string, to: Directory, toName: string): void {
    const dest = this.#other(to);
    this.#writable();
    const from = this.#path(name);
    const target = dest.#path(toName);
    host(() => fs.renameSync(from, target));
  }
}

/**
 * A Directory over the host folder `path` (resolved to its real path now). The guest can reach
 * nothing outside it.
 */
export function nodeDirectory(path: string, options: NodeDirectoryOptions = {}): Directory {
  const root = host(() => fs.realpathSync(resolvePath(path)));
  const st = host(() => fs.statSync(root, { bigint: true }));
  if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  return new NodeDirectory(root, [], st.dev, st.ino, options.readOnly ?? false);
}
