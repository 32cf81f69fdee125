// Layer: compat (public subpath `iotypes/browser-wasi-shim`). Imports src/ and adapters/memory only.
// A drop-in for @bjorn3/browser_wasi_shim 0.4: the same classes and constructor shapes (`WASI`,
// `File`, `Directory`, `OpenFile`, `PreopenDirectory`, `ConsoleStdout`, `Fd`, `Inode`, ...), with
// the syscalls run by iotypes. The guest sees a MemoryFS mirror of the user's File/Directory
// objects: it is filled from them when start()/initialize() attaches an instance, and the objects
// are updated from it when start() returns (File.data, Directory.contents, new entries as new
// objects). While a reactor is attached, reading `data`/`contents` shows the guest's latest
// changes, and assignments (or edits of a `contents` map) reach the guest before its next call.
// So guests gain symlinks, hard links, timestamps, the full poll_oneoff and linear-time appends.

import { MemoryFS } from '../adapters/memory/index.js';
import type { ImportModule } from '../src/abi/preview1.js';
import { SIGNATURES, type Preview1Name } from '../src/abi/signatures.js';
import { Errno, ProcExit, WasiError } from '../src/errno/index.js';
import {
  ALL_RIGHTS, DIR_RIGHTS, DirDescriptor, FILE_RIGHTS, FileDescriptor, Rights, StreamDescriptor,
  type AnyDescriptor, type FdTable,
} from '../src/fdtable/index.js';
import { IOArray, type FlushMode } from '../src/io/array.js';
import type {
  Directory as IODirectory, DirEntry, FileNode, OpenFileOptions, Stat, TimeSpec,
} from '../src/io/directory.js';
import { END, InputStream, OutputStream } from '../src/io/stream.js';
import { WASI as CoreWASI } from '../src/wasi.js';
import * as wasi from './browser-wasi-shim-defs.js';

export { wasi };

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

/** The mirror a File/Directory is attached to, if any (see `Mirror`). */
const attached = new WeakMap<Inode, Mirror>();

// Raw access to the private state of File and Directory, for the mirror (no sync hooks).
let rawData: (f: File) => Uint8Array;
let setRawData: (f: File, data: Uint8Array) => void;
let rawContents: (d: Directory) => Map<string, Inode>;
let setParent: (d: Directory, parent: Directory | null) => void;

// ---------------------------------------------------------------------------------------------
// In-memory inodes.

export class File extends Inode {
  #data: Uint8Array;
  readonly: boolean;

  static {
    rawData = (f) => f.#data;
    setRawData = (f, data) => {
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
    rawContents = (d) => d.#contents;
    setParent = (d, parent) => {
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
    const dec = new TextDecoder('utf-8', { fatal: false });
    let pending = '';
    return new ConsoleStdout((buffer) => {
      pending += dec.decode(buffer, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) write(line);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Origin private file system files (browser workers).

export interface FileSystemSyncAccessHandle {
  close(): void;
  flush(): void;
  getSize(): number;
  read(buffer: ArrayBuffer | ArrayBufferView, options?: { at: number }): number;
  truncate(to: number): void;
  write(buffer: ArrayBuffer | ArrayBufferView, options?: { at: number }): number;
}

export class SyncOPFSFile extends Inode {
  handle: FileSystemSyncAccessHandle;
  readonly: boolean;
  constructor(handle: FileSystemSyncAccessHandle, options?: Partial<{ readonly: boolean }>) {
    super();
    this.handle = handle;
    this.readonly = !!options?.readonly;
  }
  path_open(_oflags: number, fs_rights_base: bigint, _fd_flags: number): { ret: number; fd_obj: OpenSyncOPFSFile | null } {
    if (this.readonly && (fs_rights_base & BigInt(wasi.RIGHTS_FD_WRITE)) === BigInt(wasi.RIGHTS_FD_WRITE)) {
      return { ret: wasi.ERRNO_PERM, fd_obj: null };
    }
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new OpenSyncOPFSFile(this) };
  }
  get size(): bigint {
    return BigInt(this.handle.getSize());
  }
  stat(): wasi.Filestat {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_REGULAR_FILE, this.size);
  }
}

export class OpenSyncOPFSFile extends Fd {
  file: SyncOPFSFile;
  position = 0n;
  ino: bigint;
  constructor(file: SyncOPFSFile) {
    super();
    this.file = file;
    this.ino = file.ino;
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_REGULAR_FILE, 0) };
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return { ret: 0, filestat: this.file.stat() };
  }
  override fd_sync(): number {
    this.file.handle.flush();
    return wasi.ERRNO_SUCCESS;
  }
}

/** An OPFS access handle as an I/O array: read and written in place. */
class OpfsArray extends IOArray {
  readonly #file: SyncOPFSFile;
  constructor(file: SyncOPFSFile) {
    super({ name: 'opfs file' });
    this.#file = file;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    return this.#file.handle.read(into, { at: offset });
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    if (this.#file.readonly) throw new WasiError(Errno.EBADF, 'read-only file');
    let done = 0;
    while (done < from.length) done += this.#file.handle.write(from.subarray(done), { at: offset + done });
    return done;
  }
  protected lenCore(): number {
    return this.#file.handle.getSize();
  }
  protected setLenCore(len: number): void {
    if (this.#file.readonly) throw new WasiError(Errno.EBADF, 'read-only file');
    this.#file.handle.truncate(len);
  }
  protected override flushCore(_mode: FlushMode): void {
    this.#file.handle.flush();
  }
}

// ---------------------------------------------------------------------------------------------
// Custom Fd subclasses: their fd_read/fd_write (or fd_pread/fd_pwrite) behind iotypes streams
// and arrays.

function failure(ret: number): WasiError {
  return new WasiError(ret as Errno, 'returned by a custom Fd');
}

class FdInput extends InputStream {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected readCore(into: Uint8Array): number {
    const { ret, data } = this.#fd.fd_read(into.length);
    if (ret === wasi.ERRNO_AGAIN) return 0;
    if (ret !== 0) throw failure(ret);
    if (data.length === 0) return END;
    const n = Math.min(data.length, into.length);
    into.set(data.subarray(0, n));
    return n;
  }
}

class FdOutput extends OutputStream {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected writeCore(from: Uint8Array): number {
    const { ret, nwritten } = this.#fd.fd_write(from.slice());
    if (ret === wasi.ERRNO_AGAIN) return 0;
    if (ret !== 0) throw failure(ret);
    return Math.min(nwritten, from.length);
  }
}

class ConsoleOutput extends OutputStream {
  readonly #fd: ConsoleStdout;
  constructor(fd: ConsoleStdout) {
    super({ name: 'console' });
    this.#fd = fd;
  }
  protected writeCore(from: Uint8Array): number {
    this.#fd.write(from.slice());
    return from.length;
  }
}

class FdArray extends IOArray {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    const { ret, data } = this.#fd.fd_pread(into.length, BigInt(offset));
    if (ret !== 0) throw failure(ret);
    const n = Math.min(data.length, into.length);
    into.set(data.subarray(0, n));
    return n;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    const { ret, nwritten } = this.#fd.fd_pwrite(from.slice(), BigInt(offset));
    if (ret !== 0) throw failure(ret);
    if (nwritten !== from.length) throw new WasiError(Errno.EIO, 'short write by a custom Fd');
    return nwritten;
  }
  protected lenCore(): number {
    return Number(fdStat(this.#fd).size);
  }
  protected setLenCore(len: number): void {
    const ret = this.#fd.fd_filestat_set_size(BigInt(len));
    if (ret !== 0) throw failure(ret);
  }
}

function fdStat(fd: Fd): wasi.Filestat {
  const { ret, filestat } = fd.fd_filestat_get();
  if (ret !== 0 || filestat === null) throw failure(ret === 0 ? wasi.ERRNO_IO : ret);
  return filestat;
}

const TYPES = ['unknown', 'block-device', 'character-device', 'directory', 'regular-file', 'socket-dgram', 'socket-stream', 'symbolic-link'] as const;

function toStat(st: wasi.Filestat): Stat {
  return {
    dev: st.dev, ino: st.ino, type: TYPES[st.filetype] ?? 'unknown', nlink: Number(st.nlink) || 1, size: Number(st.size),
    atim: st.atim, mtim: st.mtim, ctim: st.ctim,
  };
}

function refuseTimes(): never {
  throw new WasiError(Errno.ENOTSUP, 'cannot set the times of this file');
}

const overrides = (fd: Fd, method: keyof Fd) => fd[method] !== Fd.prototype[method];

const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

// ---------------------------------------------------------------------------------------------
// The mirror: a MemoryFS copy of the user's File/Directory objects that the guest works on.

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

/** A directory handle that refuses writable opens of read-only `File`s. */
class GuardedDirectory implements IODirectory {
  readonly inner: IODirectory;
  readonly #readOnlyInos: ReadonlySet<bigint>;
  constructor(inner: IODirectory, readOnlyInos: ReadonlySet<bigint>) {
    this.inner = inner;
    this.#readOnlyInos = readOnlyInos;
  }
  get readOnly(): boolean {
    return this.inner.readOnly;
  }
  statSelf(): Stat {
    return this.inner.statSelf();
  }
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.inner.setTimesSelf(atim, mtim);
  }
  stat(name: string): Stat {
    return this.inner.stat(name);
  }
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.inner.setTimes(name, atim, mtim);
  }
  openDir(name: string): IODirectory {
    return new GuardedDirectory(this.inner.openDir(name), this.#readOnlyInos);
  }
  openFile(name: string, options: OpenFileOptions): FileNode {
    if ((options.write === true || options.truncate === true) && this.#readOnlyInos.size > 0) {
      let ino: bigint | undefined;
      try {
        ino = this.inner.stat(name).ino;
      } catch (e) {
        if (!(e instanceof WasiError)) throw e;
      }
      // NOTE: a read-only File refuses writable opens with EPERM, as browser_wasi_shim does.
      if (ino !== undefined && this.#readOnlyInos.has(ino)) throw new WasiError(Errno.EPERM, `${name} is a read-only File`);
    }
    return this.inner.openFile(name, options);
  }
  entries(): Iterable<DirEntry> {
    return this.inner.entries();
  }
  readlink(name: string): string {
    return this.inner.readlink(name);
  }
  symlink(target: string, name: string): void {
    this.inner.symlink(target, name);
  }
  mkdir(name: string): void {
    this.inner.mkdir(name);
  }
  rmdir(name: string): void {
    this.inner.rmdir(name);
  }
  unlink(name: string): void {
    this.inner.unlink(name);
  }
  link(name: string, to: IODirectory, toName: string): void {
    this.inner.link(name, to instanceof GuardedDirectory ? to.inner : to, toName);
  }
  rename(name: string, to: IODirectory, toName: string): void {
    this.inner.rename(name, to instanceof GuardedDirectory ? to.inner : to, toName);
  }
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

class Mirror {
  readonly #fs = new MemoryFS({ now: strictClock() });
  /** Mounted directories: the user's object and its folder in the mirror. */
  readonly #roots: { shim: Directory; dir: IODirectory }[] = [];
  /** Files mounted on their own (an OpenFile in `fds`), kept alive and synced. */
  readonly #loose = new Set<FileLike>();
  readonly #files = new Map<FileLike, FileRecord>();
  readonly #byIno = new Map<bigint, Inode>();
  readonly #readOnlyInos = new Set<bigint>();
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
    return new GuardedDirectory(root.dir, this.#readOnlyInos);
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
    const want = rawContents(shim);
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
      if (node.readonly) this.#readOnlyInos.add(ino);
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
      const data = rawData(file);
      if (data === rec.data && !this.#assigned.has(file)) return;
      array.setLen(0);
      array.writeAt(data, 0);
      rec.data = data;
    } else if (rec.data === undefined) {
      const bytes = new Uint8Array(file.handle.getSize());
      let done = 0;
      while (done < bytes.length) {
        const n = file.handle.read(bytes.subarray(done), { at: done });
        if (n <= 0) break;
        done += n;
      }
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
      setRawData(file, bytes);
    } else if (!file.readonly) {
      file.handle.truncate(bytes.length);
      let done = 0;
      while (done < bytes.length) done += file.handle.write(bytes.subarray(done), { at: done });
      file.handle.flush();
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
        setParent(sub, shim);
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
    const map = rawContents(shim);
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

// ---------------------------------------------------------------------------------------------
// WASI

/** Thrown by proc_exit; `start()` turns it into the exit code. */
export class WASIProcExit extends ProcExit {
  constructor(code: number) {
    super(code);
    this.name = 'WASIProcExit';
    this.message = `exit with exit code ${code}`;
  }
}

export interface Options {
  /** Print every WASI call with its decoded arguments and result (console.log). */
  debug?: boolean;
}

type Arg = number | bigint;
const NAMES = Object.keys(SIGNATURES) as Preview1Name[];

export class WASI {
  args: Array<string>;
  env: Array<string>;
  fds: Array<Fd>;
  inst!: { exports: { memory: WebAssembly.Memory } };
  wasiImport: { [key: string]: (...args: Array<any>) => unknown };
  readonly #mirror = new Mirror();
  readonly #debug: boolean;
  #active: ImportModule | undefined;
  #memory: WebAssembly.Memory | undefined;
  #cursors: { fd: OpenFile | OpenSyncOPFSFile; d: FileDescriptor }[] = [];

  constructor(args: Array<string>, env: Array<string>, fds: Array<Fd>, options: Options = {}) {
    this.args = args;
    this.env = env;
    this.fds = fds;
    this.#debug = options.debug === true;
    const mirror = this.#mirror;
    const imports: Record<string, (...args: Arg[]) => number> = {};
    for (const name of NAMES) {
      imports[name] = (a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg, f?: Arg, g?: Arg, h?: Arg, i?: Arg) => {
        const active = this.#active;
        if (active === undefined) throw new Error(`WASI: ${name} called before start() or initialize()`);
        if (mirror.hostDirty) mirror.push();
        try {
          return active[name](a!, b!, c!, d!, e!, f!, g!, h!, i!);
        } catch (err) {
          if (err instanceof ProcExit && !(err instanceof WASIProcExit)) throw new WASIProcExit(err.code);
          throw err;
        } finally {
          mirror.guestDirty = true;
        }
      };
    }
    this.wasiImport = imports;
  }

  /** Runs `_start`; returns the exit code. The File/Directory objects then hold the results. */
  start(instance: { exports: { memory: WebAssembly.Memory; _start: () => unknown } }): number {
    this.#attach(instance);
    try {
      instance.exports._start();
      return 0;
    } catch (e) {
      if (e instanceof WASIProcExit) return e.code;
      throw e;
    } finally {
      this.#settle();
      this.#mirror.detach();
    }
  }

  /** Runs `_initialize` if exported; the objects stay attached to the running reactor. */
  initialize(instance: { exports: { memory: WebAssembly.Memory; _initialize?: () => unknown } }): void {
    this.#attach(instance);
    try {
      instance.exports._initialize?.();
    } finally {
      this.#settle();
    }
  }

  #attach(instance: { exports: { memory: WebAssembly.Memory } }): void {
    this.inst = instance;
    const memory = instance.exports.memory;
    if (memory !== this.#memory || this.#active === undefined) {
      if (!(memory instanceof WebAssembly.Memory)) throw new TypeError('WASI: the instance does not export its memory as "memory"');
      const core = new CoreWASI({
        args: this.args,
        env: this.env,
        ...(this.#debug ? { trace: (line: string) => console.log('wasi:', line) } : {}),
      });
      this.#install(core.fds);
      core.initialize({ exports: { memory } } as unknown as WebAssembly.Instance);
      this.#active = core.wasiImport;
      this.#memory = memory;
    }
    this.#mirror.push();
    this.#mirror.attach();
  }

  /** Builds the descriptor table from `fds`. */
  #install(table: FdTable): void {
    this.#cursors = [];
    for (let n = 0; n < Math.max(3, this.fds.length); n++) {
      const fd = this.fds[n];
      if (table.has(n)) table.close(n);
      if (fd !== undefined && fd !== null) table.set(n, this.#descriptor(fd));
    }
  }

  #descriptor(fd: Fd): AnyDescriptor {
    const mirror = this.#mirror;
    if (fd instanceof PreopenDirectory) return new DirDescriptor(mirror.dirHandle(fd.dir), DIR_RIGHTS, ALL_RIGHTS, fd.prestat_name);
    if (fd instanceof OpenDirectory) return new DirDescriptor(mirror.dirHandle(fd.dir), DIR_RIGHTS, ALL_RIGHTS);
    if (fd instanceof OpenFile) {
      const d = new FileDescriptor(mirror.fileHandle(fd.file), 0, fd.file.readonly ? FILE_RIGHTS & ~WRITE_RIGHTS : FILE_RIGHTS);
      d.cursor = Number(fd.file_pos);
      this.#cursors.push({ fd, d });
      return d;
    }
    if (fd instanceof OpenSyncOPFSFile) {
      const file = fd.file;
      const node: FileNode = { array: new OpfsArray(file), stat: () => toStat(file.stat()), setTimes: refuseTimes };
      const d = new FileDescriptor(node, 0, file.readonly ? FILE_RIGHTS & ~WRITE_RIGHTS : FILE_RIGHTS);
      d.cursor = Number(fd.position);
      this.#cursors.push({ fd, d });
      return d;
    }
    if (fd instanceof ConsoleStdout) return new StreamDescriptor({ output: new ConsoleOutput(fd), isatty: true });
    // A custom Fd: a regular file if it says so and offers pread, else a stream.
    const { fdstat } = fd.fd_fdstat_get();
    if (fdstat?.fs_filetype === wasi.FILETYPE_REGULAR_FILE && overrides(fd, 'fd_pread')) {
      const node: FileNode = {
        array: new FdArray(fd),
        stat: () => toStat(fdStat(fd)),
        setTimes: refuseTimes,
      };
      return new FileDescriptor(node, fdstat.fs_flags, overrides(fd, 'fd_pwrite') ? FILE_RIGHTS : FILE_RIGHTS & ~WRITE_RIGHTS);
    }
    return new StreamDescriptor({
      input: overrides(fd, 'fd_read') ? new FdInput(fd) : undefined,
      output: overrides(fd, 'fd_write') ? new FdOutput(fd) : undefined,
      isatty: fdstat?.fs_filetype === wasi.FILETYPE_CHARACTER_DEVICE,
    });
  }

  /** Brings the objects up to date with the guest. */
  #settle(): void {
    this.#mirror.pull();
    for (const { fd, d } of this.#cursors) {
      if (fd instanceof OpenFile) fd.file_pos = BigInt(d.cursor);
      else fd.position = BigInt(d.cursor);
    }
  }
}

/** Logs every call of `imports` (except those named in `no_trace`) with its arguments and result. */
export function strace<T extends object>(imports: T, no_trace: Array<string | symbol>): T {
  return new Proxy(imports, {
    get(target, prop, receiver) {
      const f = Reflect.get(target, prop, receiver) as unknown;
      if (no_trace.includes(prop) || typeof f !== 'function') return f;
      return function (...args: unknown[]) {
        console.log(prop, '(', ...args, ')');
        const result = Reflect.apply(f, receiver, args) as unknown;
        console.log(' =', result);
        return result;
      };
    },
  });
}
