// Layer: adapters/node. Imports src/io, src/errno and node:* only.
// A Directory over a host folder. Each handle holds the host folder open (a directory
// descriptor) and names entries relative to it (`atPath` in linux.ts: /proc/self/fd/N/NAME,
// which the kernel resolves like openat): no host path is ever resolved again from the root, so
// no rename, symlink or swap made by anyone (another guest, another host process) between two
// calls can lead a later call outside the folder. Every call acts on a single final name without
// following a symlink (lstat, lutimes, O_NOFOLLOW, link/rename/unlink of the name itself); the
// path layer above never passes "..", "/" or an empty name, and this file refuses them again.
// Where /proc is missing (not Linux) a handle re-walks its folder's path with lstat instead;
// SECURITY.md states what that leaves open. The rules both Node backends follow (names, open
// flags, listings, failures) are in host-folder.ts; async-directory.ts is the same folder over
// node:fs/promises.

import * as fs from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { Errno, WasiError } from '../../src/errno/index.js';
import {
  IOArray, type Directory, type DirEntry, type FileNode, type OpenFileOptions,
  type Stat, type TimeSpec, type FlushMode,
} from '../../src/io/index.js';
import { rofs } from '../shared/errors.js';
import { fromNode, host } from './errors.js';
import {
  checkName, closedHandle, DIR_FLAGS, entryOf, fileFlags, HELD_DIR_FLAGS, linkTarget, listedNames, mayBeSymlink,
  missing, mountNotFolder, notRegularFile, symlinkRefused, toStat,
} from './host-folder.js';
import { atPath, atPathForChild, PROC_FD, reopenForAppend, setTimesExact, type TimesTarget } from './linux.js';

export interface NodeDirectoryOptions {
  /** Refuse every mutation with EROFS. */
  readOnly?: boolean;
  /**
   * How handles name their entries to the host: 'descriptor' (an open directory and
   * /proc/self/fd, Linux; the default where available) or 'walk' (re-walk the folder's path with
   * lstat before each call; the default elsewhere).
   */
  addressing?: 'descriptor' | 'walk';
}

export { toStat };

const STAT_OPTIONS = { bigint: true, throwIfNoEntry: false } as const;

/** lstat of `path`; a missing entry is ENOENT without a host exception. */
function lstat(path: string, name: string): fs.BigIntStats {
  const st = host(() => fs.lstatSync(path, STAT_OPTIONS));
  if (st === undefined) throw missing(name);
  return st;
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
    if (this.#readOnly) throw rofs();
    this.#appendFd ??= reopenForAppend(this.#fd) ?? -1;
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
    if (this.#readOnly) throw rofs();
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
    if (this.#readOnly) throw rofs();
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
  readonly #name: string;
  readonly #readOnly: boolean;
  #closed = false;
  constructor(fd: number, name: string, readOnly: boolean) {
    this.#fd = fd;
    this.#name = name;
    this.#readOnly = readOnly;
    this.array = new HostFileArray(fd, name, readOnly);
  }
  stat(): Stat {
    return toStat(host(() => fs.fstatSync(this.#fd, { bigint: true })));
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (this.#readOnly) throw rofs();
    if (atim === undefined && mtim === undefined) return;
    host(() => setTimesExact({ fd: this.#fd }, atim, mtim, this.stat()));
  }
  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.array.closeAppend();
      host(() => fs.closeSync(this.#fd));
    }
  }
  toString(): string {
    return this.#name;
  }
}

/**
 * Where a handle is on the host. With descriptors: the open directory `fd`. Walking: the mount's
 * real path, the components below it, and the identity the folder had when it was opened.
 */
type Place =
  | { fd: number }
  | { root: string; parts: readonly string[]; dev: bigint; ino: bigint };

/** Closes the directory descriptors of handles nobody closed (a preopen given up by its owner). */
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
});

/** A handle on a host folder; see the header for how names reach the host. */
class NodeDirectory implements Directory {
  readonly readOnly: boolean;
  readonly #place: Place;
  #closed = false;

  constructor(place: Place, readOnly: boolean) {
    this.#place = place;
    this.readOnly = readOnly;
  }

  /** The host path of this folder: its descriptor's /proc path, or its re-walked real path. */
  #here(): string {
    const place = this.#place;
    if ('fd' in place) {
      if (this.#closed) throw closedHandle();
      return atPath(place.fd, '.');
    }
    let path = place.root;
    let st: fs.BigIntStats | undefined;
    for (const part of place.parts) {
      path = join(path, part);
      st = host(() => fs.lstatSync(path, STAT_OPTIONS));
      if (st === undefined || !st.isDirectory()) throw new WasiError(Errno.ENOENT, 'directory was moved or replaced');
    }
    st ??= host(() => fs.lstatSync(path, STAT_OPTIONS));
    if (st === undefined || st.ino !== place.ino || st.dev !== place.dev || !st.isDirectory()) {
      throw new WasiError(Errno.ENOENT, 'directory was moved or removed');
    }
    return path;
  }
  /** The host path of the entry `name`, resolved beneath this folder without following it. */
  #path(name: string): string {
    checkName(name);
    const place = this.#place;
    if ('fd' in place) {
      if (this.#closed) throw closedHandle();
      return atPath(place.fd, name);
    }
    return join(this.#here(), name);
  }
  #timesTarget(name: string): { path: string; childPath: string } {
    const path = this.#path(name);
    return { path, childPath: 'fd' in this.#place ? atPathForChild(this.#place.fd, name) : path };
  }
  #writable(): void {
    if (this.readOnly) throw rofs();
  }
  #other(to: Directory): NodeDirectory {
    // NOTE: links and renames between two host folders are the host's to allow: both names are
    // reached through folders the guest holds, and the host says EXDEV where a link cannot
    // cross file systems (uvwasi and Linux behave the same).
    if (!(to instanceof NodeDirectory)) throw new WasiError(Errno.EXDEV, 'not a host folder');
    to.#writable();
    return to;
  }

  reopen(): Directory {
    const place = this.#place;
    if (!('fd' in place)) return this;
    const fd = host(() => fs.openSync(this.#here(), HELD_DIR_FLAGS));
    return new NodeDirectory({ fd }, this.readOnly);
  }
  close(): void {
    const place = this.#place;
    if (this.#closed || !('fd' in place)) return;
    this.#closed = true;
    unclosed.unregister(this);
    fs.closeSync(place.fd);
  }
  /** Registers a handle nobody may close (a mount's root) for closing when it is collected. */
  collectable(): this {
    if ('fd' in this.#place) unclosed.register(this, this.#place.fd, this);
    return this;
  }

  statSelf(): Stat {
    const place = this.#place;
    if ('fd' in place) {
      if (this.#closed) throw closedHandle();
      return toStat(host(() => fs.fstatSync(place.fd, { bigint: true })));
    }
    return toStat(lstat(this.#here(), '.'));
  }
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    if (atim === undefined && mtim === undefined) return;
    const current = this.statSelf();
    const place = this.#place;
    const target: TimesTarget = 'fd' in place ? { fd: place.fd } : { path: this.#here(), childPath: this.#here() };
    host(() => setTimesExact(target, atim, mtim, current));
  }
  stat(name: string): Stat {
    return toStat(lstat(this.#path(name), name));
  }
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    if (atim === undefined && mtim === undefined) return;
    const target = this.#timesTarget(name);
    const current = toStat(lstat(target.path, name));
    host(() => setTimesExact(target, atim, mtim, current));
  }
  openDir(name: string): Directory {
    const p = this.#path(name);
    const place = this.#place;
    if ('fd' in place) {
      // O_DIRECTORY | O_NOFOLLOW: anything but a folder is refused by the same system call that
      // opens it (Linux says ENOTDIR for a symlink too; ELOOP is what the Directory contract says).
      let fd: number;
      try {
        fd = fs.openSync(p, DIR_FLAGS);
      } catch (e) {
        if (mayBeSymlink(e) && fs.lstatSync(p, STAT_OPTIONS)?.isSymbolicLink()) throw symlinkRefused(name);
        return fromNode(e);
      }
      return new NodeDirectory({ fd }, this.readOnly);
    }
    const st = lstat(p, name);
    if (st.isSymbolicLink()) throw symlinkRefused(name);
    if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, `${name} is not a directory`);
    return new NodeDirectory({ root: place.root, parts: [...place.parts, name], dev: st.dev, ino: st.ino }, this.readOnly);
  }
  openFile(name: string, options: OpenFileOptions): FileNode {
    const p = this.#path(name);
    const flags = fileFlags(options, this.readOnly);
    const fd = host(() => fs.openSync(p, flags, 0o666));
    let st: fs.Stats;
    try {
      st = fs.fstatSync(fd);
    } catch (e) {
      fs.closeSync(fd);
      return fromNode(e);
    }
    if (!st.isFile()) {
      fs.closeSync(fd);
      throw notRegularFile(name);
    }
    return new HostFile(fd, name, this.readOnly);
  }
  *entries(): Iterable<DirEntry> {
    const here = this.#here();
    const raw = host(() => fs.readdirSync(here, { encoding: 'buffer' }));
    for (const { name, path } of listedNames(here, raw)) {
      const entry = entryOf(name, fs.lstatSync(path, STAT_OPTIONS));
      if (entry !== undefined) yield entry;
    }
  }
  readlink(name: string): string {
    const p = this.#path(name);
    return linkTarget(host(() => fs.readlinkSync(p, { encoding: 'buffer' })), name);
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
    // The host refuses a directory (Linux: EISDIR).
    host(() => fs.unlinkSync(p));
  }
  link(name: string, to: Directory, toName: string): void {
    // The host refuses a directory (EPERM) and does not follow a symlink named as the source.
    this.#fromTo(name, to, toName, fs.linkSync);
  }
  rename(name: string, to: Directory, toName: string): void {
    this.#fromTo(name, to, toName, fs.renameSync);
  }
  /** A host call from the entry `name` here to `toName` in `to` (both mounts writable). */
  #fromTo(name: string, to: Directory, toName: string, call: (from: string, target: string) => void): void {
    this.#writable();
    const dest = this.#other(to);
    const from = this.#path(name);
    const target = dest.#path(toName);
    host(() => call(from, target));
  }
}

/**
 * A Directory over the host folder `path` (resolved to its real path now). The guest can reach
 * nothing outside it. Its host descriptor is closed by `close()`, or when the handle is collected.
 */
export function nodeDirectory(path: string, options: NodeDirectoryOptions = {}): Directory {
  const root = host(() => fs.realpathSync(resolvePath(path)));
  const readOnly = options.readOnly ?? false;
  const addressing = options.addressing ?? (PROC_FD ? 'descriptor' : 'walk');
  if (addressing === 'descriptor') {
    if (!PROC_FD) throw new Error('iotypes: descriptor addressing needs /proc/self/fd (Linux)');
    let fd: number;
    try {
      fd = fs.openSync(root, HELD_DIR_FLAGS);
    } catch (e) {
      throw mountNotFolder(e, path) ?? fromNode(e);
    }
    return new NodeDirectory({ fd }, readOnly).collectable();
  }
  const st = host(() => fs.statSync(root, { bigint: true }));
  if (!st.isDirectory()) throw new WasiError(Errno.ENOTDIR, `${path} is not a directory`);
  return new NodeDirectory({ root, parts: [], dev: st.dev, ino: st.ino }, readOnly);
}
