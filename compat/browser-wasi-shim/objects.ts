// Layer: compat/browser-wasi-shim. Imports iotypes/browser and ./defs.js only.
// browser_wasi_shim's object model, as user code builds and subclasses it: `Fd` and `Inode`, the
// in-memory `File`, `Symlink` and `Directory`, and the descriptors `OpenFile`, `OpenDirectory`,
// `PreopenDirectory` and `ConsoleStdout`. The guest never runs through these methods (see
// mirror.ts and wasi.ts); they are kept for code that calls them itself. Their path parser is
// part of that API (`get_entry_for_path` takes its `Path`), not a second sandbox: the guest's
// paths are walked by iotypes.

import { splitLines } from '../../adapters/browser/index.js';
import * as wasi from './defs.js';

// NOTE: the `{ ret, ... }` results below are browser_wasi_shim's own API, kept for code that
// subclasses `Fd` or calls these methods; the guest's syscalls never go through them.

// ---------------------------------------------------------------------------------------------
// Fd and Inode: the base classes user code extends.

export abstract class Fd {
  fd_allocate(_offset: bigint, _len: bigint): number {
    return wasi.ERRNO_NOTSUP;
  }
  fd_close(): number {
    return 0;
  }
  fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: wasi.ERRNO_NOTSUP, fdstat: null };
  }
  fd_fdstat_set_flags(_flags: number): number {
    return wasi.ERRNO_NOTSUP;
  }
  fd_fdstat_set_rights(_fs_rights_base: bigint, _fs_rights_inheriting: bigint): number {
    return wasi.ERRNO_NOTSUP;
  }
  fd_filestat_get(): { ret: number; filestat: wasi.Filestat | null } {
    return { ret: wasi.ERRNO_NOTSUP, filestat: null };
  }
  fd_filestat_set_size(_size: bigint): number {
    return wasi.ERRNO_NOTSUP;
  }
  fd_filestat_set_times(_atim: bigint, _mtim: bigint, _fst_flags: number): number {
    return wasi.ERRNO_NOTSUP;
  }
  fd_pread(_size: number, _offset: bigint): { ret: number; data: Uint8Array } {
    return { ret: wasi.ERRNO_NOTSUP, data: new Uint8Array() };
  }
  fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return { ret: wasi.ERRNO_NOTSUP, prestat: null };
  }
  fd_pwrite(_data: Uint8Array, _offset: bigint): { ret: number; nwritten: number } {
    return { ret: wasi.ERRNO_NOTSUP, nwritten: 0 };
  }
  fd_read(_size: number): { ret: number; data: Uint8Array } {
    return { ret: wasi.ERRNO_NOTSUP, data: new Uint8Array() };
  }
  fd_readdir_single(_cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    return { ret: wasi.ERRNO_NOTSUP, dirent: null };
  }
  fd_seek(_offset: bigint, _whence: number): { ret: number; offset: bigint } {
    return { ret: wasi.ERRNO_NOTSUP, offset: 0n };
  }
  fd_sync(): number {
    return 0;
  }
  fd_tell(): { ret: number; offset: bigint } {
    return { ret: wasi.ERRNO_NOTSUP, offset: 0n };
  }
  fd_write(_data: Uint8Array): { ret: number; nwritten: number } {
    return { ret: wasi.ERRNO_NOTSUP, nwritten: 0 };
  }
  path_create_directory(_path: string): number {
    return wasi.ERRNO_NOTSUP;
  }
  path_filestat_get(_flags: number, _path: string): { ret: number; filestat: wasi.Filestat | null } {
    return { ret: wasi.ERRNO_NOTSUP, filestat: null };
  }
  path_filestat_set_times(_flags: number, _path: string, _atim: bigint, _mtim: bigint, _fst_flags: number): number {
    return wasi.ERRNO_NOTSUP;
  }
  path_link(_path: string, _inode: Inode, _allow_dir: boolean): number {
    return wasi.ERRNO_NOTSUP;
  }
  path_unlink(_path: string): { ret: number; inode_obj: Inode | null } {
    return { ret: wasi.ERRNO_NOTSUP, inode_obj: null };
  }
  path_lookup(_path: string, _dirflags: number): { ret: number; inode_obj: Inode | null } {
    return { ret: wasi.ERRNO_NOTSUP, inode_obj: null };
  }
  path_open(
    _dirflags: number, _path: string, _oflags: number, _fs_rights_base: bigint, _fs_rights_inheriting: bigint, _fd_flags: number,
  ): { ret: number; fd_obj: Fd | null } {
    return { ret: wasi.ERRNO_NOTDIR, fd_obj: null };
  }
  path_readlink(_path: string): { ret: number; data: string | null } {
    return { ret: wasi.ERRNO_NOTSUP, data: null };
  }
  path_remove_directory(_path: string): number {
    return wasi.ERRNO_NOTSUP;
  }
  path_rename(_old_path: string, _new_fd: number, _new_path: string): number {
    return wasi.ERRNO_NOTSUP;
  }
  path_unlink_file(_path: string): number {
    return wasi.ERRNO_NOTSUP;
  }
}

let nextIno = 1n;

export abstract class Inode {
  ino: bigint;
  constructor() {
    this.ino = Inode.issue_ino();
  }
  static issue_ino(): bigint {
    return nextIno++;
  }
  static root_ino(): bigint {
    return 0n;
  }
  abstract path_open(oflags: number, fs_rights_base: bigint, fd_flags: number): { ret: number; fd_obj: Fd | null };
  abstract stat(): wasi.Filestat;
}

/** What a File/Directory tells the running guest's copy of it (see `Mirror` in mirror.ts). */
export interface HostSync {
  /** The host is about to read an object: bring it up to date with the guest. */
  hostReads(): void;
  /** The host may change an object (it took a `contents` map or assigned one). */
  hostMayChange(): void;
  /** The host assigned `File.data`. */
  fileAssigned(file: File): void;
}

/** The mirror a File/Directory is attached to, if any. */
export const attached = new WeakMap<Inode, HostSync>();

/** Raw access to the private state of File and Directory, for the mirror (no sync hooks). */
export const raw = {} as {
  data(f: File): Uint8Array;
  setData(f: File, data: Uint8Array): void;
  contents(d: Directory): Map<string, Inode>;
  setParent(d: Directory, parent: Directory | null): void;
};

// ---------------------------------------------------------------------------------------------
// In-memory inodes.

export class File extends Inode {
  #data: Uint8Array;
  readonly: boolean;

  static {
    raw.data = (f) => f.#data;
    raw.setData = (f, data) => {
      f.#data = data;
    };
  }

  constructor(data: ArrayBuffer | SharedArrayBuffer | Uint8Array | number[], options?: Partial<{ readonly: boolean }>) {
    super();
    this.#data = Array.isArray(data) ? Uint8Array.from(data) : data instanceof Uint8Array ? new Uint8Array(data) : new Uint8Array(data);
    this.readonly = !!options?.readonly;
  }

  /** The bytes. While a reactor is attached, reading shows the guest's latest writes. */
  get data(): Uint8Array {
    attached.get(this)?.hostReads();
    return this.#data;
  }
  /** Replaces the bytes (assigning the same array again publishes in-place edits to a reactor). */
  set data(data: Uint8Array) {
    this.#data = data;
    attached.get(this)?.fileAssigned(this);
  }

  get size(): bigint {
    return BigInt(this.data.byteLength);
  }

  path_open(oflags: number, fs_rights_base: bigint, fd_flags: number): { ret: number; fd_obj: OpenFile | null } {
    if (this.readonly && (fs_rights_base & BigInt(wasi.RIGHTS_FD_WRITE)) === BigInt(wasi.RIGHTS_FD_WRITE)) {
      return { ret: wasi.ERRNO_PERM, fd_obj: null };
    }
    if ((oflags & wasi.OFLAGS_TRUNC) === wasi.OFLAGS_TRUNC) {
      if (this.readonly) return { ret: wasi.ERRNO_PERM, fd_obj: null };
      this.data = new Uint8Array([]);
    }
    const file = new OpenFile(this);
    if (fd_flags & wasi.FDFLAGS_APPEND) file.fd_seek(0n, wasi.WHENCE_END);
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: file };
  }

  stat(): wasi.Filestat {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_REGULAR_FILE, this.size);
  }
}

/** A symbolic link (an iotypes addition: guests can now create them, and hosts too). */
export class Symlink extends Inode {
  readonly target: string;
  constructor(target: string) {
    super();
    this.target = target;
  }
  path_open(): { ret: number; fd_obj: Fd | null } {
    return { ret: wasi.ERRNO_LOOP, fd_obj: null };
  }
  stat(): wasi.Filestat {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_SYMBOLIC_LINK, BigInt(new TextEncoder().encode(this.target).byteLength));
  }
}

/** A parsed relative path, as `Directory.get_entry_for_path` takes it. */
export interface Path {
  parts: string[];
  is_dir: boolean;
}

function parsePath(path: string): { ret: number; path: Path | null } {
  const out: Path = { parts: [], is_dir: path.endsWith('/') };
  if (path.startsWith('/')) return { ret: wasi.ERRNO_NOTCAPABLE, path: null };
  if (path.includes('\0')) return { ret: wasi.ERRNO_INVAL, path: null };
  for (const c of path.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (out.parts.pop() === undefined) return { ret: wasi.ERRNO_NOTCAPABLE, path: null };
      continue;
    }
    out.parts.push(c);
  }
  return { ret: wasi.ERRNO_SUCCESS, path: out };
}

export class Directory extends Inode {
  #contents: Map<string, Inode>;
  #parent: Directory | null = null;

  static {
    raw.contents = (d) => d.#contents;
    raw.setParent = (d, parent) => {
      d.#parent = parent;
    };
  }

  constructor(contents: Map<string, Inode> | [string, Inode][]) {
    super();
    this.#contents = Array.isArray(contents) ? new Map(contents) : contents;
    for (const entry of this.#contents.values()) if (entry instanceof Directory) entry.#parent = this;
  }

  /** The entries. While a reactor is attached, reading shows the guest's latest changes. */
  get contents(): Map<string, Inode> {
    const m = attached.get(this);
    if (m !== undefined) {
      m.hostReads();
      m.hostMayChange();
    }
    return this.#contents;
  }
  set contents(contents: Map<string, Inode>) {
    this.#contents = contents;
    attached.get(this)?.hostMayChange();
  }

  parent_ino(): bigint {
    return this.#parent === null ? Inode.root_ino() : this.#parent.ino;
  }

  path_open(): { ret: number; fd_obj: OpenDirectory } {
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new OpenDirectory(this) };
  }

  stat(): wasi.Filestat {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_DIRECTORY, 0n);
  }

  get_entry_for_path(path: Path): { ret: number; entry: Inode | null } {
    let entry: Inode = this;
    for (const component of path.parts) {
      if (!(entry instanceof Directory)) return { ret: wasi.ERRNO_NOTDIR, entry: null };
      const child = entry.contents.get(component);
      if (child === undefined) return { ret: wasi.ERRNO_NOENT, entry: null };
      entry = child;
    }
    if (path.is_dir && !(entry instanceof Directory)) return { ret: wasi.ERRNO_NOTDIR, entry: null };
    return { ret: wasi.ERRNO_SUCCESS, entry };
  }

  get_parent_dir_and_entry_for_path(
    path: Path, allow_undefined: boolean,
  ): { ret: number; parent_entry: Directory | null; filename: string | null; entry: Inode | null } {
    const none = (ret: number) => ({ ret, parent_entry: null, filename: null, entry: null });
    const filename = path.parts[path.parts.length - 1];
    if (filename === undefined) return none(wasi.ERRNO_INVAL);
    const { ret, entry: parent } = this.get_entry_for_path({ parts: path.parts.slice(0, -1), is_dir: false });
    if (parent === null) return none(ret);
    if (!(parent instanceof Directory)) return none(wasi.ERRNO_NOTDIR);
    const entry = parent.contents.get(filename);
    if (entry === undefined) return allow_undefined ? { ret: wasi.ERRNO_SUCCESS, parent_entry: parent, filename, entry: null } : none(wasi.ERRNO_NOENT);
    if (path.is_dir && !(entry instanceof Directory)) return none(wasi.ERRNO_NOTDIR);
    return { ret: wasi.ERRNO_SUCCESS, parent_entry: parent, filename, entry };
  }

  create_entry_for_path(path_str: string, is_dir: boolean): { ret: number; entry: Inode | null } {
    const { ret, path } = parsePath(path_str);
    if (path === null) return { ret, entry: null };
    const found = this.get_parent_dir_and_entry_for_path(path, true);
    if (found.parent_entry === null || found.filename === null) return { ret: found.ret, entry: null };
    if (found.entry !== null) return { ret: wasi.ERRNO_EXIST, entry: null };
    const child = is_dir ? new Directory(new Map()) : new File(new ArrayBuffer(0));
    if (child instanceof Directory) child.#parent = found.parent_entry;
    found.parent_entry.contents.set(found.filename, child);
    return { ret: wasi.ERRNO_SUCCESS, entry: child };
  }
}

// ---------------------------------------------------------------------------------------------
// Descriptors user code puts in `fds`.

export class OpenFile extends Fd {
  file: File;
  file_pos = 0n;
  constructor(file: File) {
    super();
    this.file = file;
  }
  override fd_allocate(offset: bigint, len: bigint): number {
    if (this.file.size < offset + len) {
      const grown = new Uint8Array(Number(offset + len));
      grown.set(this.file.data, 0);
      this.file.data = grown;
    }
    return wasi.ERRNO_SUCCESS;
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_REGULAR_FILE, 0) };
  }
  override fd_filestat_set_size(size: bigint): number {
    const data = this.file.data;
    const next = new Uint8Array(Number(size));
    next.set(data.subarray(0, Math.min(data.length, next.length)), 0);
    this.file.data = next;
    return wasi.ERRNO_SUCCESS;
  }
  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const slice = this.file.data.slice(Number(this.file_pos), Number(this.file_pos + BigInt(size)));
    this.file_pos += BigInt(slice.length);
    return { ret: 0, data: slice };
  }
  override fd_pread(size: number, offset: bigint): { ret: number; data: Uint8Array } {
    return { ret: 0, data: this.file.data.slice(Number(offset), Number(offset + BigInt(size))) };
  }
  override fd_seek(offset: bigint, whence: number): { ret: number; offset: bigint } {
    let at: bigint;
    switch (whence) {
      case wasi.WHENCE_SET: at = offset; break;
      case wasi.WHENCE_CUR: at = this.file_pos + offset; break;
      case wasi.WHENCE_END: at = BigInt(this.file.data.byteLength) + offset; break;
      default: return { ret: wasi.ERRNO_INVAL, offset: 0n };
    }
    if (at < 0n) return { ret: wasi.ERRNO_INVAL, offset: 0n };
    this.file_pos = at;
    return { ret: 0, offset: at };
  }
  override fd_tell(): { ret: number; offset: bigint } {
    return { ret: 0, offset: this.file_pos };
  }
  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    const r = this.fd_pwrite(data, this.file_pos);
    if (r.ret === 0) this.file_pos += BigInt(r.nwritten);
    return r;
  }
  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    if (this.file.readonly) return { ret: wasi.ERRNO_BADF, nwritten: 0 };
    let bytes = this.file.data;
    const end = Number(offset) + data.byteLength;
    if (end > bytes.byteLength) {
      const grown = new Uint8Array(end);
      grown.set(bytes, 0);
      bytes = grown;
    }
    bytes.set(data, Number(offset));
    this.file.data = bytes;
    return { ret: 0, nwritten: data.byteLength };
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return { ret: 0, filestat: this.file.stat() };
  }
}

export class OpenDirectory extends Fd {
  dir: Directory;
  constructor(dir: Directory) {
    super();
    this.dir = dir;
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_DIRECTORY, 0) };
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return { ret: 0, filestat: this.dir.stat() };
  }
  override fd_readdir_single(cookie: bigint): { ret: number; dirent: wasi.Dirent | null } {
    if (cookie === 0n) return { ret: 0, dirent: new wasi.Dirent(1n, this.dir.ino, '.', wasi.FILETYPE_DIRECTORY) };
    if (cookie === 1n) return { ret: 0, dirent: new wasi.Dirent(2n, this.dir.parent_ino(), '..', wasi.FILETYPE_DIRECTORY) };
    const entries = [...this.dir.contents.entries()];
    const at = entries[Number(cookie - 2n)];
    if (at === undefined) return { ret: 0, dirent: null };
    return { ret: 0, dirent: new wasi.Dirent(cookie + 1n, at[1].ino, at[0], at[1].stat().filetype) };
  }
  override path_lookup(path_str: string, _dirflags: number): { ret: number; inode_obj: Inode | null } {
    const { ret, path } = parsePath(path_str);
    if (path === null) return { ret, inode_obj: null };
    const found = this.dir.get_entry_for_path(path);
    return { ret: found.ret, inode_obj: found.entry };
  }
  override path_filestat_get(_flags: number, path_str: string): { ret: number; filestat: wasi.Filestat | null } {
    const { ret, inode_obj } = this.path_lookup(path_str, 0);
    return { ret, filestat: inode_obj === null ? null : inode_obj.stat() };
  }
}

export class PreopenDirectory extends OpenDirectory {
  prestat_name: string;
  constructor(name: string, contents: Map<string, Inode> | [string, Inode][]) {
    super(new Directory(contents));
    this.prestat_name = name;
  }
  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return { ret: 0, prestat: wasi.Prestat.dir(this.prestat_name) };
  }
}

/** Guest output handed to a callback (stdout and stderr in a browser console). A terminal. */
export class ConsoleStdout extends Fd {
  readonly #ino: bigint;
  write: (buffer: Uint8Array) => void;
  constructor(write: (buffer: Uint8Array) => void) {
    super();
    this.#ino = Inode.issue_ino();
    this.write = write;
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return { ret: 0, filestat: new wasi.Filestat(this.#ino, wasi.FILETYPE_CHARACTER_DEVICE, 0n) };
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    const fdstat = new wasi.Fdstat(wasi.FILETYPE_CHARACTER_DEVICE, 0);
    fdstat.fs_rights_base = BigInt(wasi.RIGHTS_FD_WRITE);
    return { ret: 0, fdstat };
  }
  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    this.write(data);
    return { ret: 0, nwritten: data.byteLength };
  }
  /** Calls `write` once per complete line (without its "\n"), decoding UTF-8 across writes. */
  static lineBuffered(write: (line: string) => void): ConsoleStdout {
    return new ConsoleStdout(splitLines(write));
  }
}

