// Layer: adapters/browser. Imports src/io, src/errno and adapters/browser only.
// The origin private file system (OPFS) as an asynchronous directory: a FileSystemDirectoryHandle
// and everything below it, through the asynchronous File System Access API. Run a program over it
// with `new WASI({ async: true, preopens: { dir: fromAsyncDirectory(opfsDirectory(handle)) } })`.
//
// File contents: on a page's main thread, reads go through `getFile().slice(a, b)` and writes
// through one `createWritable({ keepExistingData: true })` per open file, kept open across writes
// and committed (closed) before anything reads the file again. In a dedicated worker, where
// `createSyncAccessHandle` exists, a sync access handle per open file answers every read and write
// at once. Every opening of one name shares one such state, so all of them see the same bytes.
//
// What OPFS does not have, and what this directory does instead:
// - symlinks: a symlink `name` is the regular file `name.iotypes-symlink` holding the target
//   text (UTF-8). This object lists it as the symlink `name`; other OPFS users see that file. A
//   name ending in `.iotypes-symlink` is reserved: creating one is EINVAL, looking one up ENOENT.
// - hard links: link() fails with EPERM (POSIX's errno for a file system that cannot make them).
// - inode numbers: a number per name, handed out the first time a name is seen and carried along
//   by rename; `dev` is one number per opfsDirectory() call. The same file seen through two
//   opfsDirectory() calls has two inode numbers.
// - times: OPFS keeps only a file's last modification time (milliseconds). Times set by the
//   guest, and the modification times of writes and directory changes made through this object,
//   are kept in memory for the life of this object; a directory's times start at 0 (unknown).
// - rename: a file or directory moves with its handle's move() where the engine has it
//   (Chromium 156 has it for files only); otherwise a file is copied and the old name removed
//   (not atomic) and a directory is EXDEV (so mv(1) and the like copy it instead).
// - an unlinked open file: its bytes are copied into memory when its name is removed, so the
//   descriptors still open on it keep reading and writing, as POSIX promises.
// - several programs or tabs on one folder: each change is one OPFS call, but checks and changes
//   (O_EXCL, rename over a name) are separate calls, so they are not atomic against other writers.
//   A file open here through a sync access handle (a worker) is locked: another tab or worker
//   opening it meanwhile gets EBUSY, as this object does for a file locked elsewhere.

import { Errno, WasiError } from '../../src/errno/index.js';
import {
  AnonymousArray, isThenable,
  type AsyncArray, type AsyncDirectory, type AsyncFileNode, type DirEntry, type MaybePromise, type OpenFileOptions, type Stat, type TimeSpec,
} from '../../src/io/index.js';
import type { FileSystemSyncAccessHandle } from './opfs.js';
import { fromDomError, isDomError } from './errors.js';

export interface OpfsDirectoryOptions {
  /** Refuse every change with EROFS. Default false. */
  readOnly?: boolean;
  /**
   * How open files are read and written: 'sync' (sync access handles; dedicated workers only),
   * 'writable' (getFile() and createWritable(); anywhere) or 'auto' (sync where the engine has
   * it). Default 'auto'.
   */
  access?: 'auto' | 'sync' | 'writable';
  /** The clock for the times this object keeps, in nanoseconds. Default `Date.now()` in ns. */
  now?: () => bigint;
}

/** The parts of the File System Access API used here that TypeScript's DOM library lacks. */
type Handle = FileSystemHandle & {
  move?(parent: FileSystemDirectoryHandle, name: string): Promise<void>;
};
type DirHandle = FileSystemDirectoryHandle & {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
};
type FileHandle = FileSystemFileHandle & {
  createSyncAccessHandle?(): Promise<FileSystemSyncAccessHandle>;
};

let nextDev = 0x0f5_0000n;

/** The suffix of the OPFS file that holds a symlink (see the notes above). */
export const SYMLINK_SUFFIX = '.iotypes-symlink';
type Kind = 'file' | 'directory' | 'symlink';
/** The OPFS name of the entry `name` of that kind. */
const stored = (name: string, kind: Kind): string => (kind === 'symlink' ? name + SYMLINK_SUFFIX : name);
const reserved = (name: string): boolean => name.endsWith(SYMLINK_SUFFIX);
const TYPE_OF = { file: 'regular-file', directory: 'directory', symlink: 'symbolic-link' } as const;

/** Nanoseconds since the epoch from a File's lastModified (milliseconds). */
const msToNs = (ms: number): bigint => BigInt(Math.trunc(ms)) * 1_000_000n;

/** `then` without a promise when `value` is already there. */
function after<T, U>(value: MaybePromise<T>, f: (v: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable(value) ? (value as Promise<T>).then(f) : f(value as T);
}

// ---------------------------------------------------------------------------------------------
// Nodes: what this object knows about one name (its inode number, times, open state).

class Node {
  /** The handle, or undefined when it must be looked up again from the root (after a rename). */
  handle: Handle | undefined;
  removed = false;
  atim: bigint | undefined;
  mtim: bigint | undefined;
  ctim: bigint | undefined;
  /** The shared state of the open descriptors of a file. */
  open: OpenFile | undefined;
  constructor(readonly ino: bigint, public path: string, readonly kind: Kind, handle: Handle | undefined) {
    this.handle = handle;
  }
}

/** How an open file's bytes are reached. */
interface Backing {
  read(offset: number, length: number): MaybePromise<Uint8Array>;
  write(offset: number, bytes: Uint8Array): MaybePromise<void>;
  len(): MaybePromise<number>;
  setLen(len: number): MaybePromise<void>;
  /** Makes the writes so far visible to other readers of the file (commits a writable). */
  flush(): MaybePromise<void>;
  /** Lets go of the host objects (locks); they are taken again on the next operation. */
  release(): MaybePromise<void>;
}

class OpenFile {
  users = 0;
  constructor(public backing: Backing) {}
}

/** Main thread: reads from getFile(), writes through one writable kept open between writes. */
class WritableBacking implements Backing {
  #writable: FileSystemWritableFileStream | undefined;
  /** The file's length while the writable is open (the file itself shows the old one). */
  #size = 0;
  constructor(readonly vol: Volume, readonly node: Node) {}
  /** The file as last read, kept until this object changes it (a File is a snapshot). */
  #snapshot: File | undefined;
  async #file(fresh = false): Promise<File> {
    await this.#commit();
    if (this.#snapshot === undefined || fresh) this.#snapshot = await ((await this.vol.handleOf(this.node)) as FileHandle).getFile();
    return this.#snapshot;
  }
  async #open(): Promise<FileSystemWritableFileStream> {
    this.#snapshot = undefined;
    if (this.#writable) return this.#writable;
    const handle = (await this.vol.handleOf(this.node)) as FileHandle;
    this.#size = (await handle.getFile()).size;
    this.#writable = await handle.createWritable({ keepExistingData: true });
    return this.#writable;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    try {
      return new Uint8Array(await (await this.#file()).slice(offset, offset + length).arrayBuffer());
    } catch (e) {
      // A snapshot of a file changed since (by another tab) can no longer be read: take a new one.
      if (!isDomError(e, 'NotReadableError')) throw e;
      return new Uint8Array(await (await this.#file(true)).slice(offset, offset + length).arrayBuffer());
    }
  }
  async write(offset: number, bytes: Uint8Array): Promise<void> {
    const w = await this.#open();
    // A copy: the stream may hold the chunk after the guest's memory has moved on.
    await w.write({ type: 'write', position: offset, data: bytes.slice() });
    this.#size = Math.max(this.#size, offset + bytes.length);
  }
  async len(): Promise<number> {
    if (this.#writable) return this.#size;
    return ((await this.vol.handleOf(this.node)) as FileHandle).getFile().then((f) => f.size);
  }
  async setLen(len: number): Promise<void> {
    const w = await this.#open();
    await w.truncate(len);
    this.#size = len;
  }
  flush(): Promise<void> {
    return this.#commit();
  }
  release(): Promise<void> {
    this.#snapshot = undefined;
    return this.#commit();
  }
  async #commit(): Promise<void> {
    const w = this.#writable;
    if (w === undefined) return;
    this.#snapshot = undefined;
    this.#writable = undefined;
    await w.close();
  }
}

/** A dedicated worker: one sync access handle, which answers at once once it is open. */
class SyncBacking implements Backing {
  #sync: FileSystemSyncAccessHandle | undefined;
  /** The file's lastModified when the handle was opened (getFile() fails while it is open). */
  lastModified = 0;
  constructor(readonly vol: Volume, readonly node: Node) {}
  #get(): MaybePromise<FileSystemSyncAccessHandle> {
    if (this.#sync) return this.#sync;
    return (async () => {
      const handle = (await this.vol.handleOf(this.node)) as FileHandle;
      this.lastModified = (await handle.getFile()).lastModified;
      this.#sync = await handle.createSyncAccessHandle!();
      return this.#sync;
    })();
  }
  read(offset: number, length: number): MaybePromise<Uint8Array> {
    return after(this.#get(), (s) => {
      const buf = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = s.read(buf.subarray(done), { at: offset + done });
        if (n <= 0) break;
        done += n;
      }
      return buf.subarray(0, done);
    });
  }
  write(offset: number, bytes: Uint8Array): MaybePromise<void> {
    return after(this.#get(), (s) => {
      let done = 0;
      while (done < bytes.length) done += s.write(bytes.subarray(done), { at: offset + done });
    });
  }
  len(): MaybePromise<number> {
    return after(this.#get(), (s) => s.getSize());
  }
  setLen(len: number): MaybePromise<void> {
    return after(this.#get(), (s) => s.truncate(len));
  }
  flush(): MaybePromise<void> {
    this.#sync?.flush();
  }
  release(): void {
    const s = this.#sync;
    if (s === undefined) return;
    this.#sync = undefined;
    s.flush();
    s.close();
  }
}

/** An unlinked open file: its bytes, now in memory only. */
class MemoryBacking implements Backing {
  constructor(readonly array: AnonymousArray) {}
  read(offset: number, length: number): Uint8Array {
    const buf = new Uint8Array(length);
    return buf.subarray(0, this.array.readAt(buf, offset));
  }
  write(offset: number, bytes: Uint8Array): void {
    this.array.writeAt(bytes, offset);
  }
  len(): number {
    return this.array.len();
  }
  setLen(len: number): void {
    this.array.setLen(len);
  }
  flush(): void {}
  release(): void {}
}

const COPY_CHUNK = 16 << 20;

// ---------------------------------------------------------------------------------------------
// The volume: what every directory object of one opfsDirectory() call shares.

class Volume {
  readonly dev = nextDev++;
  readonly nodes = new Map<string, Node>();
  readonly root: Node;
  #nextIno = 1n;
  #tail: Promise<void> | undefined;
  readonly #clock: () => bigint;
  readonly #sync: boolean;
  constructor(handle: FileSystemDirectoryHandle, readonly readOnly: boolean, sync: boolean, clock: () => bigint) {
    this.root = new Node(this.#nextIno++, '', 'directory', handle);
    this.nodes.set('', this.root);
    this.#sync = sync;
    this.#clock = clock;
  }

  now(): bigint {
    return this.#clock();
  }

  /**
   * Runs the operations of this volume one at a time, in the order asked (a close that nobody
   * waits for finishes before the next operation starts). One that can answer at once does.
   */
  run<T>(fn: () => MaybePromise<T>): MaybePromise<T> {
    if (this.#tail === undefined) {
      let result: MaybePromise<T>;
      try {
        result = fn();
      } catch (e) {
        throw fromDomError(e);
      }
      if (!isThenable(result)) return result;
      return this.#track(Promise.resolve(result));
    }
    return this.#track(this.#tail.then(fn));
  }
  #track<T>(p: Promise<T>): Promise<T> {
    const tail: Promise<void> = p.then(() => {}, () => {}).then(() => {
      if (this.#tail === tail) this.#tail = undefined;
    });
    this.#tail = tail;
    return p.catch((e: unknown) => {
      throw fromDomError(e);
    });
  }

  /** Resolves once every operation asked so far has finished (closes nobody waited for too). */
  async settled(): Promise<void> {
    while (this.#tail !== undefined) await this.#tail;
  }

  /** The node of `name` in `dir`, made (with a new inode number) the first time, or when the kind changed. */
  nodeFor(dir: Node, name: string, kind: Kind, handle: Handle | undefined): Node {
    const path = dir.path === '' ? name : `${dir.path}/${name}`;
    let node = this.nodes.get(path);
    if (node === undefined || node.kind !== kind) {
      if (node) this.forget(node);
      node = new Node(this.#nextIno++, path, kind, handle);
      this.nodes.set(path, node);
    } else if (handle !== undefined) {
      node.handle = handle;
    }
    return node;
  }

  /** Drops `node` and every node below it (removed or replaced). */
  forget(node: Node): void {
    for (const [path, n] of this.nodes) {
      if (path === node.path || path.startsWith(`${node.path}/`)) {
        n.removed = true;
        this.nodes.delete(path);
      }
    }
  }

  /** The handle of `node`, looked up again from the root when a rename made it unknown. */
  async handleOf(node: Node): Promise<Handle> {
    if (node.removed) throw new WasiError(Errno.ENOENT, 'removed');
    if (node.handle) return node.handle;
    let h = this.root.handle as FileSystemDirectoryHandle;
    const parts = node.path.split('/');
    for (const part of parts.slice(0, -1)) h = await h.getDirectoryHandle(part);
    const last = parts[parts.length - 1]!;
    node.handle = node.kind === 'directory' ? await h.getDirectoryHandle(last) : await h.getFileHandle(stored(last, node.kind));
    return node.handle;
  }

  async dirHandle(node: Node): Promise<DirHandle> {
    return (await this.handleOf(node)) as DirHandle;
  }

  /** The entry `name` of `dir`: its node and handle, or undefined when there is none. */
  async child(dir: Node, name: string): Promise<{ node: Node; handle: Handle } | undefined> {
    if (reserved(name)) return undefined;
    const parent = await this.dirHandle(dir);
    let handle: Handle;
    let kind: Kind;
    try {
      handle = await named(parent.getFileHandle(name));
      kind = 'file';
    } catch (e) {
      if (isDomError(e, 'TypeMismatchError')) {
        handle = await named(parent.getDirectoryHandle(name));
        kind = 'directory';
      } else if (isDomError(e, 'NotFoundError')) {
        try {
          handle = await named(parent.getFileHandle(stored(name, 'symlink')));
          kind = 'symlink';
        } catch (e2) {
          if (isDomError(e2, 'NotFoundError') || isDomError(e2, 'TypeMismatchError')) return undefined;
          throw e2;
        }
      } else {
        throw e;
      }
    }
    return { node: this.nodeFor(dir, name, kind, handle), handle };
  }

  /** Refuses to create a name this object reserves for symlinks. */
  creatable(name: string): void {
    if (reserved(name)) throw new WasiError(Errno.EINVAL, `names ending in ${SYMLINK_SUFFIX} are reserved`);
  }

  /** The target text of the symlink `node`. */
  async target(node: Node): Promise<string> {
    return ((await this.handleOf(node)) as FileHandle).getFile().then((f) => f.text());
  }

  async mustChild(dir: Node, name: string): Promise<{ node: Node; handle: Handle }> {
    const found = await this.child(dir, name);
    if (found === undefined) throw new WasiError(Errno.ENOENT, name);
    return found;
  }

  backing(node: Node): Backing {
    return this.#sync ? new SyncBacking(this, node) : new WritableBacking(this, node);
  }

  /** Lets go of the locks of the open files at or below `node` (before a move or a removal). */
  async release(node: Node): Promise<void> {
    for (const [path, n] of this.nodes) {
      if (n.open && (path === node.path || path.startsWith(`${node.path}/`))) await n.open.backing.release();
    }
  }

  /** Before `node`'s name goes away: its open descriptors keep its bytes, in memory. */
  async detach(node: Node): Promise<void> {
    const open = node.open;
    if (open === undefined || open.backing instanceof MemoryBacking) return;
    const array = new AnonymousArray({ name: 'unlinked opfs file' });
    const len = await open.backing.len();
    for (let at = 0; at < len; at += COPY_CHUNK) {
      const bytes = await open.backing.read(at, Math.min(COPY_CHUNK, len - at));
      array.writeAt(bytes, at);
    }
    array.setLen(len);
    await open.backing.release();
    open.backing = new MemoryBacking(array);
  }

  async stat(node: Node): Promise<Stat> {
    let size = 0;
    let mtim = node.mtim ?? 0n;
    if (node.kind === 'symlink') {
      const file = await ((await this.handleOf(node)) as FileHandle).getFile();
      size = file.size;
      mtim = node.mtim ?? msToNs(file.lastModified);
    } else if (node.kind === 'file') {
      if (node.open) {
        const backing = node.open.backing;
        size = await backing.len();
        if (node.mtim === undefined && backing instanceof SyncBacking) mtim = msToNs(backing.lastModified);
        else if (node.mtim === undefined && backing instanceof WritableBacking) {
          mtim = msToNs((await ((await this.handleOf(node)) as FileHandle).getFile()).lastModified);
        }
      } else {
        const file = await ((await this.handleOf(node)) as FileHandle).getFile();
        size = file.size;
        mtim = node.mtim ?? msToNs(file.lastModified);
      }
    }
    return {
      dev: this.dev, ino: node.ino, type: TYPE_OF[node.kind],
      // NOTE: no hard links: 1 for every live name (a directory too, as btrfs reports: "unknown").
      nlink: node.removed ? 0 : 1,
      size, atim: node.atim ?? mtim, mtim, ctim: node.ctim ?? mtim,
    };
  }

  setTimes(node: Node, atim: TimeSpec, mtim: TimeSpec): void {
    if (atim === undefined && mtim === undefined) return;
    const now = this.now();
    if (atim !== undefined) node.atim = atim === 'now' ? now : atim;
    if (mtim !== undefined) node.mtim = mtim === 'now' ? now : mtim;
    node.ctim = now;
  }

  /** The data (or the entry list) of `node` changed through this object. */
  modified(node: Node): void {
    node.mtim = node.ctim = this.now();
  }
}

// NOTE: a name OPFS refuses (a TypeError: Chromium refuses a backslash, a path separator on
// Windows, on every platform) is EINVAL, the errno Linux gives for a name a file system cannot
// hold (vfat).
/** Runs a call that takes a name, turning OPFS's refusal of the name into EINVAL. */
async function named<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof TypeError) throw new WasiError(Errno.EINVAL, `name not allowed by the origin private file system: ${e.message}`);
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Directory and file objects.

class OpfsFile implements AsyncFileNode {
  readonly array: AsyncArray;
  constructor(readonly vol: Volume, readonly node: Node, readonly open: OpenFile) {
    const b = () => open.backing;
    const writable = () => {
      if (vol.readOnly) throw new WasiError(Errno.EROFS, 'read-only file system');
    };
    this.array = {
      read: (offset, length) => vol.run(() => b().read(offset, length)),
      write: (offset, bytes) => vol.run(() => (writable(), vol.modified(node), b().write(offset, bytes))),
      len: () => vol.run(() => b().len()),
      setLen: (len) => vol.run(() => (writable(), vol.modified(node), b().setLen(len))),
      flush: () => vol.run(() => b().flush()),
    };
  }
  stat(): MaybePromise<Stat> {
    return this.vol.run(() => this.vol.stat(this.node));
  }
  setTimes(atim: TimeSpec, mtim: TimeSpec): MaybePromise<void> {
    return this.vol.run(() => {
      if (this.vol.readOnly) throw new WasiError(Errno.EROFS, 'read-only file system');
      this.vol.setTimes(this.node, atim, mtim);
    });
  }
  close(): MaybePromise<void> {
    return this.vol.run(() => {
      if (--this.open.users > 0) return;
      if (this.node.open === this.open) this.node.open = undefined;
      return this.open.backing.release();
    });
  }
}

/** An OPFS folder as an asynchronous directory (see `opfsDirectory`). */
export interface OpfsAsyncDirectory extends AsyncDirectory {
  /**
   * Resolves once every operation started so far has finished, including the closes of a
   * program's files that nobody waits for: await it before removing or reading the folder
   * through other handles after a run.
   */
  settled(): Promise<void>;
}

class OpfsDirectory implements OpfsAsyncDirectory {
  readonly readOnly: boolean;
  constructor(readonly vol: Volume, readonly node: Node) {
    this.readOnly = vol.readOnly;
  }
  #run<T>(fn: () => MaybePromise<T>): MaybePromise<T> {
    return this.vol.run(fn);
  }
  #writable(): void {
    if (this.readOnly) throw new WasiError(Errno.EROFS, 'read-only file system');
  }
  /** POSIX: nothing can be created in a directory that has been removed. */
  #live(): void {
    if (this.node.removed) throw new WasiError(Errno.ENOENT, 'directory has been removed');
  }
  #peer(to: AsyncDirectory): OpfsDirectory {
    if (to instanceof OpfsDirectory && to.vol === this.vol) return to;
    throw new WasiError(Errno.EXDEV, 'not a directory of the same opfsDirectory()');
  }

  settled(): Promise<void> {
    return this.vol.settled();
  }
  statSelf(): MaybePromise<Stat> {
    return this.#run(() => this.vol.stat(this.node));
  }
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): MaybePromise<void> {
    return this.#run(() => {
      this.#writable();
      this.vol.setTimes(this.node, atim, mtim);
    });
  }
  stat(name: string): MaybePromise<Stat> {
    return this.#run(async () => {
      this.#live();
      return this.vol.stat((await this.vol.mustChild(this.node, name)).node);
    });
  }
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): MaybePromise<void> {
    return this.#run(async () => {
      this.#writable();
      this.#live();
      this.vol.setTimes((await this.vol.mustChild(this.node, name)).node, atim, mtim);
    });
  }
  openDir(name: string): MaybePromise<AsyncDirectory> {
    return this.#run(async () => {
      this.#live();
      const { node } = await this.vol.mustChild(this.node, name);
      if (node.kind === 'symlink') throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
      if (node.kind !== 'directory') throw new WasiError(Errno.ENOTDIR, name);
      return new OpfsDirectory(this.vol, node);
    });
  }
  openFile(name: string, options: OpenFileOptions): MaybePromise<AsyncFileNode> {
    return this.#run(async () => {
      if (options.create === true || options.truncate === true || options.write === true) this.#writable();
      this.#live();
      let found = await this.vol.child(this.node, name);
      if (found === undefined) {
        if (options.create !== true) throw new WasiError(Errno.ENOENT, name);
        this.vol.creatable(name);
        const handle = await named((await this.vol.dirHandle(this.node)).getFileHandle(name, { create: true }));
        found = { node: this.vol.nodeFor(this.node, name, 'file', handle), handle };
        this.vol.modified(this.node);
      } else {
        if (options.create === true && options.exclusive === true) throw new WasiError(Errno.EEXIST, name);
        if (found.node.kind === 'symlink') throw new WasiError(Errno.ELOOP, `${name} is a symlink`);
        if (found.node.kind !== 'file') throw new WasiError(Errno.EISDIR, name);
      }
      const node = found.node;
      const open = (node.open ??= new OpenFile(this.vol.backing(node)));
      if (options.truncate === true) {
        await open.backing.setLen(0);
        this.vol.modified(node);
      }
      open.users++;
      return new OpfsFile(this.vol, node, open);
    });
  }
  entries(): MaybePromise<readonly DirEntry[]> {
    return this.#run(async () => {
      if (this.node.removed) return [];
      const found: DirEntry[] = [];
      for await (const [name, handle] of (await this.vol.dirHandle(this.node)).entries()) {
        const link = handle.kind === 'file' && reserved(name);
        const kind: Kind = link ? 'symlink' : handle.kind;
        const shown = link ? name.slice(0, -SYMLINK_SUFFIX.length) : name;
        found.push({ name: shown, type: TYPE_OF[kind], ino: this.vol.nodeFor(this.node, shown, kind, handle).ino });
      }
      // A stable order for an unchanged directory, whatever order the engine lists in.
      return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    });
  }
  readlink(name: string): MaybePromise<string> {
    return this.#run(async () => {
      this.#live();
      const { node } = await this.vol.mustChild(this.node, name);
      if (node.kind !== 'symlink') throw new WasiError(Errno.EINVAL, `${name} is not a symlink`);
      return this.vol.target(node);
    });
  }
  symlink(target: string, name: string): MaybePromise<void> {
    return this.#run(async () => {
      this.#writable();
      this.#live();
      if (await this.vol.child(this.node, name)) throw new WasiError(Errno.EEXIST, name);
      this.vol.creatable(name);
      // NOTE: an empty target is ENOENT, as Linux's symlink(2) does.
      if (target === '') throw new WasiError(Errno.ENOENT, 'empty symlink target');
      const handle = await named((await this.vol.dirHandle(this.node)).getFileHandle(stored(name, 'symlink'), { create: true }));
      const w = await handle.createWritable();
      await w.write(new TextEncoder().encode(target));
      await w.close();
      this.vol.nodeFor(this.node, name, 'symlink', handle);
      this.vol.modified(this.node);
    });
  }
  link(name: string, to: AsyncDirectory, toName: string): MaybePromise<void> {
    return this.#run(async () => {
      const peer = this.#peer(to);
      this.#writable();
      this.#live();
      await this.vol.mustChild(this.node, name);
      if (await this.vol.child(peer.node, toName)) throw new WasiError(Errno.EEXIST, toName);
      // NOTE: EPERM, POSIX's errno for a file system that does not support hard links.
      throw new WasiError(Errno.EPERM, 'the origin private file system has no hard links');
    });
  }
  mkdir(name: string): MaybePromise<void> {
    return this.#run(async () => {
      this.#writable();
      this.#live();
      if (await this.vol.child(this.node, name)) throw new WasiError(Errno.EEXIST, name);
      this.vol.creatable(name);
      const handle = await named((await this.vol.dirHandle(this.node)).getDirectoryHandle(name, { create: true }));
      this.vol.nodeFor(this.node, name, 'directory', handle);
      this.vol.modified(this.node);
    });
  }
  rmdir(name: string): MaybePromise<void> {
    return this.#run(async () => {
      this.#writable();
      this.#live();
      const { node } = await this.vol.mustChild(this.node, name);
      if (node.kind !== 'directory') throw new WasiError(Errno.ENOTDIR, name);
      // Not recursive: a directory with entries is InvalidModificationError, ENOTEMPTY.
      await (await this.vol.dirHandle(this.node)).removeEntry(name);
      this.vol.forget(node);
      this.vol.modified(this.node);
    });
  }
  unlink(name: string): MaybePromise<void> {
    return this.#run(async () => {
      this.#writable();
      this.#live();
      const { node } = await this.vol.mustChild(this.node, name);
      // NOTE: EISDIR for a directory, as Linux and wasmtime do (POSIX allows EPERM).
      if (node.kind === 'directory') throw new WasiError(Errno.EISDIR, name);
      await this.vol.detach(node);
      await (await this.vol.dirHandle(this.node)).removeEntry(stored(name, node.kind));
      this.vol.forget(node);
      this.vol.modified(this.node);
    });
  }
  rename(name: string, to: AsyncDirectory, toName: string): MaybePromise<void> {
    return this.#run(async () => {
      const peer = this.#peer(to);
      this.#writable();
      this.#live();
      peer.#live();
      const vol = this.vol;
      const src = await vol.mustChild(this.node, name);
      if (peer.node === this.node && name === toName) return;
      vol.creatable(toName);
      const destPath = peer.node.path === '' ? toName : `${peer.node.path}/${toName}`;
      if (src.node.kind === 'directory' && (destPath.startsWith(`${src.node.path}/`))) {
        throw new WasiError(Errno.EINVAL, `cannot move ${name} into itself`);
      }
      const dest = await vol.child(peer.node, toName);
      if (dest !== undefined) {
        if (src.node.kind === 'directory' && dest.node.kind !== 'directory') throw new WasiError(Errno.ENOTDIR, toName);
        if (src.node.kind !== 'directory' && dest.node.kind === 'directory') throw new WasiError(Errno.EISDIR, toName);
        if (dest.node.kind === 'directory' && !(await (dest.handle as DirHandle).entries().next()).done) throw new WasiError(Errno.ENOTEMPTY, toName);
      }
      const move = (src.handle as Handle).move;
      // NOTE: without FileSystemHandle.move() a directory cannot be renamed: EXDEV, which tells
      // mv(1) and the like to copy and remove instead.
      if (move === undefined && src.node.kind === 'directory') throw new WasiError(Errno.EXDEV, 'this engine cannot move an OPFS directory');
      const destDir = await vol.dirHandle(peer.node);
      if (dest !== undefined) {
        await vol.release(dest.node);
        await vol.detach(dest.node);
        // Not recursive: a directory with entries is ENOTEMPTY, and nothing has changed yet.
        await destDir.removeEntry(stored(toName, dest.node.kind));
        vol.forget(dest.node);
      }
      await vol.release(src.node);
      if (move !== undefined) {
        await move.call(src.handle, destDir, stored(toName, src.node.kind));
      } else {
        const bytes = await (src.handle as FileHandle).getFile();
        const copy = await named(destDir.getFileHandle(stored(toName, src.node.kind), { create: true }));
        const w = await copy.createWritable();
        await w.write(bytes);
        await w.close();
        await (await vol.dirHandle(this.node)).removeEntry(stored(name, src.node.kind));
      }
      // The nodes at and below the old name now live under the new one; their handles are
      // looked up again when next needed.
      const oldPath = src.node.path;
      for (const [path, n] of [...vol.nodes]) {
        if (path !== oldPath && !path.startsWith(`${oldPath}/`)) continue;
        vol.nodes.delete(path);
        n.path = destPath + path.slice(oldPath.length);
        n.handle = undefined;
        vol.nodes.set(n.path, n);
      }
      src.node.ctim = vol.now();
      vol.modified(this.node);
      if (peer.node !== this.node) vol.modified(peer.node);
    });
  }
}

/**
 * An OPFS directory (`await navigator.storage.getDirectory()`, or a folder below it) as an
 * asynchronous directory. Its guest sees regular files and directories only (see the notes at
 * the top of this file for links, times and inode numbers).
 */
export function opfsDirectory(handle: FileSystemDirectoryHandle, options: OpfsDirectoryOptions = {}): OpfsAsyncDirectory {
  if (handle?.kind !== 'directory' || typeof handle.getFileHandle !== 'function') {
    throw new TypeError('opfsDirectory: expected a FileSystemDirectoryHandle');
  }
  const { readOnly = false, access = 'auto', now = () => BigInt(Date.now()) * 1_000_000n } = options;
  const hasSync = typeof (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle === 'function'
    && typeof (globalThis as { FileSystemFileHandle?: { prototype: FileHandle } }).FileSystemFileHandle?.prototype.createSyncAccessHandle === 'function';
  if (access === 'sync' && !hasSync) throw new TypeError("opfsDirectory: access 'sync' needs sync access handles (a dedicated worker)");
  const sync = access === 'sync' || (access === 'auto' && hasSync);
  const vol = new Volume(handle, readOnly, sync, now);
  return new OpfsDirectory(vol, vol.root);
}
