// Layer: adapters/memory. Imports src/io, src/errno and adapters/shared only.
// The in-memory backend (`iotypes/memory`): a directory tree whose files are sparse anonymous
// arrays, with inodes, hard links, symlinks, nanosecond timestamps and a read-only view of the
// same tree. Runs anywhere (no host APIs beyond TextEncoder/TextDecoder).

import { Errno, WasiError } from '../../src/errno/index.js';
import {
  AnonymousArray, IOArray, readOnlyArray,
  type Directory, type DirEntry, type FileNode, type OpenFileOptions, type Stat,
  type TimeSpec,
} from '../../src/io/index.js';
import { coalescedClock } from '../../src/io/time.js';
import { rofs } from '../shared/errors.js';

export interface MemoryFSOptions {
  /**
   * The clock, in nanoseconds since the Unix epoch, read for every stamp. Default: `Date.now()`
   * in ns, read once for the changes a guest makes between two looks at the time (src/io/time.ts).
   */
  now?: () => bigint;
}

/** Symlink hops the host helpers follow before giving up with ELOOP (Linux's MAXSYMLINKS). */
const MAX_SYMLINK_HOPS = 40;

const encoder = new TextEncoder();
let nextDev = 1n;

// ---------------------------------------------------------------------------------------------
// The volume: state shared by every handle on one tree.

class Volume {
  readonly dev: bigint;
  readonly #clock: () => bigint;
  #last = 0n;
  #nextIno = 1n;

  constructor(clock: () => bigint) {
    this.dev = nextDev++;
    this.#clock = clock;
  }

  /** The clock, never going backwards. */
  now(): bigint {
    const t = this.#clock();
    if (t > this.#last) this.#last = t;
    return this.#last;
  }

  ino(): bigint {
    return this.#nextIno++;
  }
}

// ---------------------------------------------------------------------------------------------
// Inodes.

abstract class InodeBase {
  readonly vol: Volume;
  readonly ino: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;

  constructor(vol: Volume) {
    this.vol = vol;
    this.ino = vol.ino();
    this.atim = this.mtim = this.ctim = vol.now();
  }

  /** The data (or the entry list) changed: mtim and ctim. */
  modified(): void {
    this.mtim = this.ctim = this.vol.now();
  }

  /** Only the metadata changed (links, rename): ctim. */
  changed(): void {
    this.ctim = this.vol.now();
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (atim === undefined && mtim === undefined) return;
    const now = this.vol.now();
    if (atim !== undefined) this.atim = atim === 'now' ? now : atim;
    if (mtim !== undefined) this.mtim = mtim === 'now' ? now : mtim;
    this.ctim = now;
  }
}

/** A file's bytes: an anonymous array that stamps its inode's mtim/ctim on every change. */
class FileData extends AnonymousArray {
  readonly #inode: FileInode;

  constructor(inode: FileInode, name: string) {
    super({ name });
    this.#inode = inode;
  }

  protected override writeAtCore(from: Uint8Array, offset: number): number {
    const n = super.writeAtCore(from, offset);
    this.#inode.modified();
    return n;
  }

  protected override setLenCore(len: number): void {
    super.setLenCore(len);
    this.#inode.modified();
  }
}

class FileInode extends InodeBase {
  readonly kind = 'file';
  readonly type = 'regular-file';
  readonly data: FileData;
  /** Names referring to this inode; it lives on while a FileNode holds it. */
  links = 1;
  /** Opening it for writing or truncation is EPERM, by any name (see MemoryFS.setReadOnly). */
  readOnly = false;

  constructor(vol: Volume, name: string) {
    super(vol);
    this.data = new FileData(this, name);
  }
}

class LinkInode extends InodeBase {
  readonly kind = 'symlink';
  readonly type = 'symbolic-link';
  readonly target: string;
  readonly size: number;
  links = 1;

  constructor(vol: Volume, target: string) {
    super(vol);
    this.target = target;
    this.size = encoder.encode(target).length;
  }
}

class DirInode extends InodeBase {
  readonly kind = 'dir';
  readonly type = 'directory';
  /** Entries in insertion order. */
  readonly entries = new Map<string, Inode>();
  /** The containing directory (undefined for the root and for a removed directory). */
  parent: DirInode | undefined;
  subdirs = 0;
  /** Removed by rmdir or replaced by rename: nothing can be created in it any more. */
  removed = false;

  constructor(vol: Volume, parent: DirInode | undefined) {
    super(vol);
    this.parent = parent;
  }
}

type Inode = FileInode | LinkInode | DirInode;

function statOf(node: Inode): Stat {
  let nlink: number;
  let size: number;
  switch (node.kind) {
    case 'file':
      nlink = node.links;
      size = node.data.len();
      break;
    case 'symlink':
      nlink = node.links;
      size = node.size;
      break;
    case 'dir':
      // NOTE: a removed directory reports nlink 0, as Linux does for a held, rmdir'ed directory.
      nlink = node.removed ? 0 : 2 + node.subdirs;
      size = node.entries.size;
      break;
  }
  return {
    dev: node.vol.dev, ino: node.ino, type: node.type, nlink, size,
    atim: node.atim, mtim: node.mtim, ctim: node.ctim,
  };
}

/** Drops one name of `node`, which has just been taken out of `dir`'s entry map. */
function dropName(dir: DirInode, node: Inode): void {
  if (node.kind === 'dir') {
    node.removed = true;
    node.parent = undefined;
    dir.subdirs--;
  } else {
    node.links--;
  }
  node.changed();
}

// ---------------------------------------------------------------------------------------------
// Handles: directories and opened files.

class MemoryFile implements FileNode {
  readonly array: IOArray;
  readonly #inode: FileInode;
  readonly #readOnly: boolean;

  constructor(inode: FileInode, readOnly: boolean) {
    this.#inode = inode;
    this.#readOnly = readOnly;
    this.array = readOnly ? readOnlyArray(inode.data) : inode.data;
  }

  stat(): Stat {
    return statOf(this.#inode);
  }

  setTimes(atim: TimeSpec, mtim: TimeSpec): void {
    if (this.#readOnly) throw rofs();
    this.#inode.setTimes(atim, mtim);
  }
}

/** The inode named `name` in `dir`, a handle on the volume `vol` (else EXDEV). */
let entryOf: (dir: Directory, vol: Volume, name: string) => Inode;

class MemoryDirectory implements Directory {
  readonly readOnly: boolean;
  /** Opening never acts on a name it refuses (no FIFOs or devices here). */
  readonly opensWithoutLook = true;
  readonly #vol: Volume;
  readonly #node: DirInode;

  static {
    entryOf = (dir, vol, name) => {
      if (!(dir instanceof MemoryDirectory) || dir.#vol !== vol) throw new WasiError(Errno.EXDEV, 'not a handle on this in-memory file system');
      return dir.#get(name);
    };
  }

  constructor(vol: Volume, node: DirInode, readOnly: boolean) {
    this.#vol = vol;
    this.#node = node;
    this.readOnly = readOnly;
  }

  statSelf(): Stat {
    return statOf(this.#node);
  }

  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    this.#node.setTimes(atim, mtim);
  }

  stat(name: string): Stat {
    return statOf(this.#get(name));
  }

  find(name: string): Stat | undefined {
    const node = this.#node.entries.get(name);
    return node === undefined ? undefined : statOf(node);
  }

  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.#writable();
    this.#get(name).setTimes(atim, mtim);
  }

  openDir(name: string): Directory {
    const node = this.#get(name);
    if (node.kind === 'symlink') throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
    if (node.kind !== 'dir') throw new WasiError(Errno.ENOTDIR, name);
    return new MemoryDirectory(this.#vol, node, this.readOnly);
  }

  openFile(name: string, options: OpenFileOptions): FileNode {
    // NOTE: a read-only view refuses create/truncate/write up front with EROFS, even when the
    // file exists (Linux lets O_CREAT without O_EXCL open an existing file on a read-only mount).
    if (options.create === true || options.truncate === true || options.write === true) this.#writable();
    let node = this.#node.entries.get(name);
    if (node === undefined) {
      if (options.create !== true) throw new WasiError(Errno.ENOENT, name);
      this.#creatable();
      node = new FileInode(this.#vol, name);
      this.#add(name, node);
    } else {
      if (node.kind === 'file' && node.readOnly && (options.truncate === true || options.write === true)) throw new WasiError(Errno.EPERM, `${name} is read-only`);
      if (options.create === true && options.exclusive === true) throw new WasiError(Errno.EEXIST, name);
      // The syscall layer has refused directories and symlinks already; this holds for direct use.
      if (node.kind !== 'file') throw new WasiError(Errno.ENXIO, `${name} is not a regular file`);
      if (options.truncate === true) node.data.setLen(0);
    }
    return new MemoryFile(node, this.readOnly);
  }

  *entries(): Iterable<DirEntry> {
    for (const [name, node] of this.#node.entries) {
      yield { name, type: node.type, ino: node.ino };
    }
  }

  readlink(name: string): string {
    const node = this.#get(name);
    if (node.kind !== 'symlink') throw new WasiError(Errno.EINVAL, `${name} is not a symlink`);
    return node.target;
  }

  symlink(target: string, name: string): void {
    this.#writable();
    this.#absent(name);
    this.#creatable();
    // NOTE: an empty target is ENOENT, as Linux's symlink(2) does.
    if (target === '') throw new WasiError(Errno.ENOENT, 'empty symlink target');
    this.#add(name, new LinkInode(this.#vol, target));
  }

  mkdir(name: string): void {
    this.#writable();
    this.#absent(name);
    this.#creatable();
    this.#add(name, new DirInode(this.#vol, this.#node));
  }

  rmdir(name: string): void {
    this.#writable();
    const node = this.#get(name);
    if (node.kind !== 'dir') throw new WasiError(Errno.ENOTDIR, name);
    if (node.entries.size > 0) throw new WasiError(Errno.ENOTEMPTY, name);
    this.#remove(name, node);
  }

  unlink(name: string): void {
    this.#writable();
    const node = this.#get(name);
    // NOTE: EISDIR for a directory, as Linux and wasmtime do (POSIX allows EPERM).
    if (node.kind === 'dir') throw new WasiError(Errno.EISDIR, name);
    this.#remove(name, node);
  }

  link(name: string, to: Directory, toName: string): void {
    const target = this.#sameVolume(to);
    this.#writable();
    target.#writable();
    const node = this.#get(name);
    if (node.kind === 'dir') throw new WasiError(Errno.EPERM, `${name} is a directory`);
    target.#absent(toName);
    target.#creatable();
    node.links++;
    node.changed();
    target.#add(toName, node);
  }

  rename(name: string, to: Directory, toName: string): void {
    const target = this.#sameVolume(to);
    this.#writable();
    target.#writable();
    const node = this.#get(name);
    target.#creatable();
    const dest = target.#node;
    const existing = dest.entries.get(toName);
    // POSIX: renaming one name of an inode onto another name of the same inode does nothing.
    if (existing === node) return;
    if (node.kind === 'dir') {
      for (let d: DirInode | undefined = dest; d !== undefined; d = d.parent) {
        if (d === node) throw new WasiError(Errno.EINVAL, `cannot move ${name} into itself`);
      }
    }
    if (existing !== undefined) {
      if (node.kind === 'dir') {
        if (existing.kind !== 'dir') throw new WasiError(Errno.ENOTDIR, toName);
        if (existing.entries.size > 0) throw new WasiError(Errno.ENOTEMPTY, toName);
      } else if (existing.kind === 'dir') {
        throw new WasiError(Errno.EISDIR, toName);
      }
      dropName(dest, existing);
    }
    const src = this.#node;
    src.entries.delete(name);
    dest.entries.set(toName, node);
    if (node.kind === 'dir') {
      src.subdirs--;
      dest.subdirs++;
      node.parent = dest;
    }
    node.changed();
    src.modified();
    if (dest !== src) dest.modified();
  }

  /** The entry `name`, or ENOENT. */
  #get(name: string): Inode {
    const node = this.#node.entries.get(name);
    if (node === undefined) throw new WasiError(Errno.ENOENT, name);
    return node;
  }

  #absent(name: string): void {
    if (this.#node.entries.has(name)) throw new WasiError(Errno.EEXIST, name);
  }

  #writable(): void {
    if (this.readOnly) throw rofs();
  }

  /** POSIX: nothing can be created in a directory that has been removed. */
  #creatable(): void {
    if (this.#node.removed) throw new WasiError(Errno.ENOENT, 'directory has been removed');
  }

  #add(name: string, node: Inode): void {
    this.#node.entries.set(name, node);
    if (node.kind === 'dir') this.#node.subdirs++;
    this.#node.modified();
  }

  #remove(name: string, node: Inode): void {
    this.#node.entries.delete(name);
    dropName(this.#node, node);
    this.#node.modified();
  }

  #sameVolume(to: Directory): MemoryDirectory {
    if (!(to instanceof MemoryDirectory) || to.#vol !== this.#vol) {
      throw new WasiError(Errno.EXDEV, 'not the same in-memory file system');
    }
    return to;
  }
}

// ---------------------------------------------------------------------------------------------
// The file system and its host-side helpers.

/** Where a host path leads: an entry `name` of `parent` (maybe absent), or the root itself. */
type Located =
  | { parent: DirInode; name: string; node: Inode | undefined }
  | { parent: undefined; name: undefined; node: DirInode };

let lastMs = 0;
let lastNs = 0n;
/** Date.now() in nanoseconds; the BigInt is made once per millisecond, not once per write. */
function wallClock(): bigint {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastNs = BigInt(ms) * 1_000_000n;
  }
  return lastNs;
}

export class MemoryFS {
  /** The writable root directory. */
  readonly root: Directory;
  readonly #vol: Volume;
  readonly #root: DirInode;
  #readOnlyRoot: Directory | undefined;

  constructor(options: MemoryFSOptions = {}) {
    this.#vol = new Volume(options.now ?? coalescedClock(wallClock));
    this.#root = new DirInode(this.#vol, undefined);
    this.root = new MemoryDirectory(this.#vol, this.#root, false);
  }

  /** A read-only view of the same tree: every mutation through it fails with EROFS. */
  readOnlyRoot(): Directory {
    return (this.#readOnlyRoot ??= new MemoryDirectory(this.#vol, this.#root, true));
  }

  /**
   * Marks the regular file `name` of `dir` (a handle on this file system) read-only, or writable
   * again: opening it for writing or truncation then fails with EPERM, by any of its names, as
   * for a file without write permission. Descriptors already open keep their access.
   */
  setReadOnly(dir: Directory, name: string, readOnly = true): void {
    const node = entryOf(dir, this.#vol, name);
    if (node.kind !== 'file') throw new WasiError(node.kind === 'dir' ? Errno.EISDIR : Errno.EINVAL, `${name} is not a regular file`);
    node.readOnly = readOnly;
  }

  // Host helpers. Paths are '/'-separated, relative to the root (a leading '/' is ignored);
  // symlinks in the middle of a path are followed. Failures throw WasiError.

  /** Creates or truncates the file at `path` (following a final symlink) and writes `data`. */
  writeFile(path: string, data: string | Uint8Array): void {
    const at = this.#locate(path, true);
    if (at.parent === undefined || at.node?.kind === 'dir') throw new WasiError(Errno.EISDIR, path);
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const file = this.#dir(at.parent).openFile(at.name, { create: true, truncate: true, write: true });
    file.array.writeAt(bytes, 0);
  }

  /** The contents of the file at `path` (following symlinks). */
  readFile(path: string): Uint8Array {
    const node = this.#locate(path, true).node;
    if (node === undefined) throw new WasiError(Errno.ENOENT, path);
    if (node.kind === 'dir') throw new WasiError(Errno.EISDIR, path);
    if (node.kind !== 'file') throw new WasiError(Errno.ELOOP, path);
    const out = new Uint8Array(node.data.len());
    node.data.readAt(out, 0);
    return out;
  }

  /** Creates the directory `path`; with `recursive`, missing parents too and no EEXIST. */
  mkdir(path: string, options: { recursive?: boolean } = {}): void {
    if (options.recursive !== true) {
      const at = this.#locate(path, false);
      if (at.parent === undefined) throw new WasiError(Errno.EEXIST, path);
      this.#dir(at.parent).mkdir(at.name);
      return;
    }
    const parts = split(path);
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const at = this.#locate(prefix, true);
      if (at.node === undefined) this.#dir(at.parent!).mkdir(at.name!);
      else if (at.node.kind !== 'dir') throw new WasiError(i === parts.length ? Errno.EEXIST : Errno.ENOTDIR, prefix);
    }
  }

  /** Creates the symlink `path` with the text `target`. */
  symlink(target: string, path: string): void {
    const at = this.#locate(path, false);
    if (at.parent === undefined) throw new WasiError(Errno.EEXIST, path);
    this.#dir(at.parent).symlink(target, at.name);
  }

  /** The names in the directory at `path` (following symlinks), sorted, without "." and "..". */
  readdir(path: string): string[] {
    const node = this.#locate(path, true).node;
    if (node === undefined) throw new WasiError(Errno.ENOENT, path);
    if (node.kind !== 'dir') throw new WasiError(Errno.ENOTDIR, path);
    return [...node.entries.keys()].sort();
  }

  /** Removes the file or symlink at `path` (a final symlink itself, not its target). */
  unlink(path: string): void {
    const at = this.#locate(path, false);
    if (at.parent === undefined) throw new WasiError(Errno.EISDIR, path);
    this.#dir(at.parent).unlink(at.name);
  }

  /**
   * Removes the entry at `path` (a final symlink itself), as Node's fs.rmSync does: a directory
   * only with `recursive` (EISDIR otherwise), everything beneath it too; with `force`, a missing
   * entry is no error.
   */
  rm(path: string, options: { recursive?: boolean; force?: boolean } = {}): void {
    let at: Located;
    try {
      at = this.#locate(path, false);
      if (at.node === undefined) throw new WasiError(Errno.ENOENT, path);
    } catch (e) {
      if (options.force === true && e instanceof WasiError && e.errno === Errno.ENOENT) return;
      throw e;
    }
    if (at.parent === undefined) throw new WasiError(Errno.EBUSY, `cannot remove ${path}`);
    if (at.node.kind !== 'dir') {
      this.#dir(at.parent).unlink(at.name);
      return;
    }
    if (options.recursive !== true) throw new WasiError(Errno.EISDIR, `${path} is a directory`);
    const empty = (parent: DirInode, name: string, node: DirInode): void => {
      for (const [child, inode] of [...node.entries]) {
        if (inode.kind === 'dir') empty(node, child, inode);
        else this.#dir(node).unlink(child);
      }
      this.#dir(parent).rmdir(name);
    };
    empty(at.parent, at.name, at.node);
  }

  /** Whether an entry exists at `path` (a dangling symlink exists). */
  exists(path: string): boolean {
    try {
      return this.#locate(path, false).node !== undefined;
    } catch (e) {
      if (e instanceof WasiError) return false;
      throw e;
    }
  }

  /** Metadata of `path`, not following a final symlink (lstat). */
  stat(path: string): Stat {
    const node = this.#locate(path, false).node;
    if (node === undefined) throw new WasiError(Errno.ENOENT, path);
    return statOf(node);
  }

  #dir(node: DirInode): MemoryDirectory {
    return new MemoryDirectory(this.#vol, node, false);
  }

  #locate(path: string, followLast: boolean): Located {
    const hops = { left: MAX_SYMLINK_HOPS };
    return this.#walk(path, this.#root, followLast, hops);
  }

  #walk(path: string, base: DirInode, followLast: boolean, hops: { left: number }): Located {
    let dir = path.startsWith('/') ? this.#root : base;
    const parts = split(path);
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const last = i === parts.length - 1;
      if (part === '..') {
        dir = dir.parent ?? dir;
        if (last) return { parent: undefined, name: undefined, node: dir };
        continue;
      }
      let node = dir.entries.get(part);
      if (node?.kind === 'symlink' && (!last || followLast)) {
        if (--hops.left < 0) throw new WasiError(Errno.ELOOP, path);
        const via = this.#walk(node.target, dir, true, hops);
        if (last) return via;
        node = via.node;
      }
      if (last) return { parent: dir, name: part, node };
      if (node === undefined) throw new WasiError(Errno.ENOENT, path);
      if (node.kind !== 'dir') throw new WasiError(Errno.ENOTDIR, path);
      dir = node;
    }
    return { parent: undefined, name: undefined, node: dir };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}
