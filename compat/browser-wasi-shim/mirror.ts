// Layer: compat/browser-wasi-shim. Imports iotypes, iotypes/memory, iotypes/browser,
// ./objects.js and ./opfs.js.
// The two-way sync between the user's File/Directory objects and the guest: a MemoryFS copy of
// them is filled when an instance is attached (`push`), and the objects are updated from it when
// the guest returns or the host reads them while a reactor runs (`pull`). Only what differs is
// copied either way: file identity by inode number, file changes by ctim.

import { OpfsArray } from '../../adapters/browser/index.js';
import { MemoryFS } from '../../adapters/memory/index.js';
import { Errno, WasiError, type Directory as IODirectory, type FileNode } from '../../src/index.js';
import { attached, Directory, File, raw, Symlink, type HostSync, type Inode } from './objects.js';
import { SyncOPFSFile } from './opfs.js';

/** A clock that never returns the same value twice: every change gets a distinct ctim. */
function strictClock(): () => bigint {
  let last = 0n;
  return () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    last = now > last ? now : last + 1n;
    return last;
  };
}

type FileLike = File | SyncOPFSFile;

interface FileRecord {
  node: FileNode;
  /** The bytes last copied either way (identity tells whether `File.data` was reassigned). */
  data: Uint8Array | undefined;
  /** The inode's ctim after that copy (a different ctim means the guest changed it). */
  ctim: bigint;
  /** A name of the file when it was mirrored, to make hard links from. */
  at: { dir: IODirectory; name: string };
}

function isMissing(e: unknown): boolean {
  return e instanceof WasiError && e.errno === Errno.ENOENT;
}

function removeTree(dir: IODirectory, name: string): void {
  if (dir.stat(name).type === 'directory') {
    const sub = dir.openDir(name);
    for (const e of [...sub.entries()]) removeTree(sub, e.name);
    dir.rmdir(name);
  } else {
    dir.unlink(name);
  }
}

/** A MemoryFS copy of the user's File/Directory objects, that the guest works on. */
export class Mirror implements HostSync {
  readonly #fs = new MemoryFS({ now: strictClock() });
  /** Mounted directories: the user's object and its folder in the mirror. */
  readonly #roots: { shim: Directory; dir: IODirectory }[] = [];
  /** Files mounted on their own (an OpenFile in `fds`), kept alive and synced. */
  readonly #loose = new Set<FileLike>();
  readonly #files = new Map<FileLike, FileRecord>();
  readonly #byIno = new Map<bigint, Inode>();
  readonly #assigned = new Set<File>();
  #linked = new Set<Inode>();
  #mounts = 0;
  #live = false;
  /** The host may have changed the objects since the last push. */
  hostDirty = false;
  /** The guest may have changed the mirror since the last pull. */
  guestDirty = false;

  /** The guest's handle on `shim` (mounted on first use). */
  dirHandle(shim: Directory): IODirectory {
    let root = this.#roots.find((r) => r.shim === shim);
    if (root === undefined) {
      const name = `m${this.#mounts++}`;
      this.#fs.root.mkdir(name);
      root = { shim, dir: this.#fs.root.openDir(name) };
      this.#roots.push(root);
      this.#syncDir(shim, root.dir);
    }
    return root.dir;
  }

  /** The guest's handle on the file `shim` (mounted on its own if it is in no mounted folder). */
  fileHandle(shim: FileLike): FileNode {
    const known = this.#files.get(shim);
    if (known !== undefined) return known.node;
    const name = `m${this.#mounts++}`;
    this.#fs.root.mkdir(name);
    this.#loose.add(shim);
    this.#syncEntry(this.#fs.root.openDir(name), 'file', shim);
    return this.#files.get(shim)!.node;
  }

  /** Copies the user's objects into the mirror, changing only what differs. */
  push(): void {
    this.hostDirty = false;
    for (const r of this.#roots) this.#syncDir(r.shim, r.dir);
    for (const f of this.#loose) this.#syncContent(f);
    this.#assigned.clear();
  }

  /** Updates the user's objects from the mirror. */
  pull(): void {
    this.guestDirty = false;
    const before = this.#linked;
    this.#linked = new Set();
    for (const r of this.#roots) {
      this.#link(r.shim);
      this.#pullDir(r.dir, r.shim);
    }
    for (const [f, rec] of this.#files) {
      this.#pullContent(f, rec);
      const st = rec.node.stat();
      if (this.#loose.has(f) || st.nlink > 0) {
        this.#link(f);
      } else {
        // A file no name refers to any more is dropped from the mirror's books.
        this.#files.delete(f);
        this.#byIno.delete(st.ino);
      }
    }
    // Objects the guest removed are plain objects again.
    for (const node of before) if (!this.#linked.has(node) && attached.get(node) === this) attached.delete(node);
  }

  /** Objects now show the guest's changes when read (a running guest). */
  attach(): void {
    this.#live = true;
    for (const node of this.#linked) attached.set(node, this);
  }

  /** Objects are plain again (the guest has finished). */
  detach(): void {
    this.#live = false;
    for (const node of this.#linked) if (attached.get(node) === this) attached.delete(node);
  }

  hostReads(): void {
    if (this.#live && this.guestDirty) this.pull();
  }
  hostMayChange(): void {
    if (this.#live) this.hostDirty = true;
  }
  fileAssigned(file: File): void {
    if (!this.#live) return;
    this.#assigned.add(file);
    this.hostDirty = true;
  }

  #link(node: Inode): void {
    this.#linked.add(node);
    if (this.#live) attached.set(node, this);
  }

  #syncDir(shim: Directory, dir: IODirectory): void {
    this.#link(shim);
    this.#byIno.set(dir.statSelf().ino, shim);
    const want = raw.contents(shim);
    for (const e of [...dir.entries()]) {
      const node = want.get(e.name);
      if (node === undefined || this.#byIno.get(e.ino) !== node || (node instanceof Symlink && dir.readlink(e.name) !== node.target)) {
        removeTree(dir, e.name);
      }
    }
    for (const [name, node] of want) this.#syncEntry(dir, name, node);
  }

  #syncEntry(dir: IODirectory, name: string, node: Inode): void {
    let exists = true;
    try {
      dir.stat(name);
    } catch (e) {
      if (!isMissing(e)) throw e;
      exists = false;
    }
    if (node instanceof File || node instanceof SyncOPFSFile) {
      this.#link(node);
      if (exists) {
        this.#syncContent(node);
        return;
      }
      const known = this.#files.get(node);
      if (known !== undefined && this.#names(known)) {
        known.at.dir.link(known.at.name, dir, name);
        return;
      }
      const fileNode = dir.openFile(name, { create: true, exclusive: true, write: true });
      const ino = fileNode.stat().ino;
      this.#files.set(node, { node: fileNode, data: undefined, ctim: -1n, at: { dir, name } });
      this.#byIno.set(ino, node);
      // NOTE: a read-only File refuses writable opens with EPERM, as browser_wasi_shim does.
      if (node.readonly) this.#fs.setReadOnly(dir, name);
      this.#syncContent(node);
    } else if (node instanceof Directory) {
      if (!exists) dir.mkdir(name);
      this.#syncDir(node, dir.openDir(name));
    } else if (node instanceof Symlink) {
      this.#link(node);
      if (!exists) dir.symlink(node.target, name);
      this.#byIno.set(dir.stat(name).ino, node);
    } else {
      throw new TypeError(`browser-wasi-shim: cannot put a ${node.constructor.name} in a directory (use File, Directory, Symlink or SyncOPFSFile)`);
    }
  }

  /** Whether the name a file was mirrored under still names it. */
  #names(rec: FileRecord): boolean {
    try {
      return rec.at.dir.stat(rec.at.name).ino === rec.node.stat().ino;
    } catch (e) {
      if (e instanceof WasiError) return false;
      throw e;
    }
  }

  #syncContent(file: FileLike): void {
    const rec = this.#files.get(file)!;
    const array = rec.node.array;
    if (file instanceof File) {
      const data = raw.data(file);
      if (data === rec.data && !this.#assigned.has(file)) return;
      array.setLen(0);
      array.writeAt(data, 0);
      rec.data = data;
    } else if (rec.data === undefined) {
      const opfs = new OpfsArray(file.handle);
      const bytes = new Uint8Array(opfs.len());
      const done = opfs.readAt(bytes, 0);
      array.setLen(0);
      array.writeAt(bytes.subarray(0, done), 0);
      rec.data = bytes;
    } else {
      return;
    }
    rec.ctim = rec.node.stat().ctim;
  }

  #pullContent(file: FileLike, rec: FileRecord): void {
    const st = rec.node.stat();
    if (st.ctim === rec.ctim) return;
    const bytes = new Uint8Array(rec.node.array.len());
    rec.node.array.readAt(bytes, 0);
    if (file instanceof File) {
      raw.setData(file, bytes);
    } else if (!file.readonly) {
      const opfs = new OpfsArray(file.handle);
      opfs.setLen(bytes.length);
      opfs.writeAt(bytes, 0);
      opfs.flush('data');
    }
    rec.data = bytes;
    rec.ctim = st.ctim;
  }

  #pullDir(dir: IODirectory, shim: Directory): void {
    const next = new Map<string, Inode>();
    for (const e of dir.entries()) {
      const known = this.#byIno.get(e.ino);
      let node: Inode;
      if (e.type === 'regular-file') {
        if ((known instanceof File || known instanceof SyncOPFSFile) && this.#files.has(known)) {
          node = known;
        } else {
          const file = new File(new ArrayBuffer(0));
          this.#files.set(file, { node: dir.openFile(e.name, {}), data: undefined, ctim: -1n, at: { dir, name: e.name } });
          node = file;
        }
      } else if (e.type === 'directory') {
        const sub = known instanceof Directory ? known : new Directory(new Map());
        raw.setParent(sub, shim);
        this.#pullDir(dir.openDir(e.name), sub);
        node = sub;
      } else if (e.type === 'symbolic-link') {
        const target = dir.readlink(e.name);
        node = known instanceof Symlink && known.target === target ? known : new Symlink(target);
      } else {
        continue;
      }
      this.#byIno.set(e.ino, node);
      this.#link(node);
      next.set(e.name, node);
    }
    const map = raw.contents(shim);
    let same = map.size === next.size;
    if (same) {
      for (const [k, v] of next) {
        if (map.get(k) !== v) {
          same = false;
          break;
        }
      }
    }
    if (!same) {
      map.clear();
      for (const [k, v] of next) map.set(k, v);
    }
  }
}
