// Layer: compat (public subpath `iotypes/wasmer`). Imports the public entries `iotypes` and
// `iotypes/memory` only.
// A drop-in for @wasmer/wasi 1.x: `init()`, `new WASI({ args, env, preopens, fs })`,
// `getImports`, `instantiate`, `start`, in-memory stdio, and the `MemFS` object with its virtual
// files, run by iotypes over its in-memory backend (MemoryFS). Unlike @wasmer/wasi 1.2.2, a write
// in the middle of a file overwrites (it does not insert), `..` cannot leave a preopen, and every
// preopen, `/` included, is writable.

import { MemoryFS } from '../adapters/memory/index.js';
import {
  END, Errno, InputStream, OutputStream, ProcExit, resolvePath, WASI as CoreWASI, WasiError,
  type Directory, type FileNode, type ImportModule, type Resolved, type Stat,
} from '../src/index.js';

export type { ImportModule };

/** Options of `new WASI()`, as in @wasmer/wasi. */
export interface WasiConfig {
  /** argv, including argv[0]. */
  readonly args?: string[] | undefined;
  /** Environment variables. */
  readonly env?: Record<string, string> | undefined;
  /** Guest name → folder of the MemFS. Default `{ ".": "/" }`. `/` is always preopened. */
  readonly preopens?: Record<string, string> | undefined;
  /** The in-memory file system to use (default: a new, empty one). */
  readonly fs?: MemFS | undefined;
}

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * @wasmer/wasi loads its runtime (a wasm module) here; iotypes has nothing to load, so this
 * resolves at once. Kept so that `await init()` keeps working.
 */
export async function init(_input?: InitInput | Promise<InitInput>, _force?: boolean): Promise<void> {}

/** The synchronous form of `init`; nothing to do. */
export function initSync(_module?: BufferSource | WebAssembly.Module): void {}

// ---------------------------------------------------------------------------------------------
// Errors: @wasmer/wasi throws `Error("<what failed>: <reason>")`, with wasmer-vfs' reason texts.

const REASONS: Partial<Record<number, string>> = {
  [Errno.ENOENT]: 'entity not found',
  [Errno.EEXIST]: 'file exists',
  [Errno.ENOTDIR]: 'fd not a directory',
  [Errno.EISDIR]: 'fd not a file',
  [Errno.ENOTEMPTY]: 'directory not empty',
  [Errno.EINVAL]: 'invalid input',
  [Errno.EACCES]: 'permission denied',
  [Errno.EPERM]: 'permission denied',
  [Errno.EROFS]: 'permission denied',
  [Errno.ENOTCAPABLE]: 'permission denied',
  [Errno.EBADF]: 'invalid fd',
  [Errno.EXDEV]: 'invalid input',
  [Errno.ELOOP]: 'invalid input',
};

/** Runs `fn`; a WasiError becomes `Error("${what}: ${reason}")`. */
function vfs<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof WasiError)) throw e;
    throw new Error(`${what}: ${REASONS[e.errno] ?? 'io error'}`, { cause: e });
  }
}

function permissionDenied(): WasiError {
  return new WasiError(Errno.EACCES, 'the file was not opened for this');
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array, what: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch (e) {
    throw new Error(`Could not convert the ${what} bytes to a String: ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------
// MemFS

/** Metadata as `MemFS.metadata()` and `readDir()` report it. Times are ns since the epoch. */
export interface Metadata {
  filetype: { dir: boolean; file: boolean; symlink: boolean };
  accessed: bigint;
  /** The inode's change time (iotypes keeps no separate birth time). */
  created: bigint;
  modified: bigint;
  /** Size in bytes (an addition: @wasmer/wasi 1.2.2 leaves it out). */
  len: bigint;
}

export interface DirEntry {
  /** The entry's full path, e.g. `/dir/name`. */
  path: string;
  metadata: Metadata;
}

/** Options of `MemFS.open()`, as Rust's OpenOptions. `read` defaults to true. */
export interface OpenOptions {
  read?: boolean;
  write?: boolean;
  append?: boolean;
  truncate?: boolean;
  create?: boolean;
  create_new?: boolean;
}

function metadataOf(st: Stat): Metadata {
  return {
    filetype: { dir: st.type === 'directory', file: st.type === 'regular-file', symlink: st.type === 'symbolic-link' },
    accessed: st.atim,
    created: st.ctim,
    modified: st.mtim,
    len: BigInt(st.size),
  };
}

/** The in-memory file system shared by the host (this object) and the guest. */
export class MemFS {
  /** The backing iotypes file system (its `root` is the MemFS's `/`). */
  readonly memory: MemoryFS;

  constructor() {
    this.memory = new MemoryFS();
  }

  /** Returns `jso` if it is a MemFS. */
  static from_js(jso: unknown): MemFS {
    if (jso instanceof MemFS) return jso;
    throw new TypeError('expected a MemFS');
  }

  /** The entries of the folder `path` (symlinks in the path are followed). */
  readDir(path: string): DirEntry[] {
    return vfs('Error when reading the dir', () => {
      const dir = this.directory(path);
      const base = path.replace(/\/+$/, '');
      const out: DirEntry[] = [];
      for (const e of dir.entries()) out.push({ path: `${base}/${e.name}`, metadata: metadataOf(dir.stat(e.name)) });
      return out;
    });
  }

  /** Creates the folder `path`. An existing folder is left as it is. */
  createDir(path: string): void {
    vfs('Error when creating the dir', () => {
      const at = this.#at(path, false);
      if (at.name === undefined) return;
      try {
        at.dir.mkdir(at.name);
      } catch (e) {
        // NOTE: @wasmer/wasi 1.2.2 never fails on an existing folder (it adds a second entry);
        // here an existing folder is kept once and the call succeeds, so such callers still work.
        if (e instanceof WasiError && e.errno === Errno.EEXIST && at.dir.stat(at.name).type === 'directory') return;
        throw e;
      }
    });
  }

  /** Removes the empty folder `path`. */
  removeDir(path: string): void {
    vfs('Error when removing the dir', () => {
      const at = this.#at(path, false);
      if (at.name === undefined) throw new WasiError(Errno.EBUSY, 'cannot remove the root');
      at.dir.rmdir(at.name);
    });
  }

  /** Removes the file (or symlink) `path`. */
  removeFile(path: string): void {
    vfs('Error when removing the file', () => {
      const at = this.#at(path, false);
      if (at.name === undefined) throw new WasiError(Errno.EISDIR, path);
      at.dir.unlink(at.name);
    });
  }

  /** Renames `path` to `to`, with POSIX rules (a file replaces a file, ...). */
  rename(path: string, to: string): void {
    vfs('Error when renaming', () => {
      const from = this.#at(path, false);
      const dest = this.#at(to, false);
      if (from.name === undefined || dest.name === undefined) throw new WasiError(Errno.EBUSY, 'cannot rename the root');
      from.dir.rename(from.name, dest.dir, dest.name);
    });
  }

  /** Metadata of `path` (a final symlink is followed). */
  metadata(path: string): Metadata {
    return vfs('Error when getting the metadata', () => {
      const at = this.#at(path, true);
      return metadataOf(at.name === undefined ? at.dir.statSelf() : at.dir.stat(at.name));
    });
  }

  /** Opens the file `path` with Rust OpenOptions semantics. */
  open(path: string, options: OpenOptions = {}): JSVirtualFile {
    return vfs('Error when opening the file', () => {
      const o = Object(options) as OpenOptions;
      const read = o.read ?? true;
      const append = o.append ?? false;
      const write = (o.write ?? false) || append;
      const createNew = o.create_new ?? false;
      const at = this.#at(path, true);
      if (at.name === undefined) throw new WasiError(Errno.EISDIR, path);
      const node = at.dir.openFile(at.name, {
        create: createNew || (o.create ?? false),
        exclusive: createNew,
        truncate: o.truncate ?? false,
        write,
      });
      return new JSVirtualFile(node, read, write, append);
    });
  }

  /** Nothing to release (wasm-bindgen API). */
  free(): void {}

  /** The folder at `path` as an iotypes Directory (symlinks followed). */
  directory(path: string): Directory {
    const at = this.#at(path, true);
    return at.name === undefined ? at.dir : at.dir.openDir(at.name);
  }

  #at(path: string, followFinal: boolean): Resolved {
    const rel = String(path).replace(/^\/+/, '');
    return resolvePath(this.memory.root, rel === '' ? '.' : rel, followFinal);
  }
}

/** An open file of a MemFS, with its own cursor (as Rust's `File`). */
export class JSVirtualFile {
  readonly #node: FileNode;
  readonly #read: boolean;
  readonly #write: boolean;
  readonly #append: boolean;
  #cursor = 0;

  /** @internal Use `MemFS.open()`. */
  constructor(node: FileNode, read: boolean, write: boolean, append: boolean) {
    this.#node = node;
    this.#read = read;
    this.#write = write;
    this.#append = append;
  }

  lastAccessed(): bigint {
    return this.#node.stat().atim;
  }
  lastModified(): bigint {
    return this.#node.stat().mtim;
  }
  /** The inode's change time (iotypes keeps no separate birth time). */
  createdTime(): bigint {
    return this.#node.stat().ctim;
  }
  size(): bigint {
    return BigInt(this.#node.array.len());
  }
  /** Truncates or extends (with zeros) the file. */
  setLength(newSize: bigint): void {
    vfs('Error when setting the file length', () => this.#node.array.setLen(Number(BigInt.asUintN(64, BigInt(newSize)))));
  }

  /** Reads from the cursor to the end of the file. */
  read(): Uint8Array {
    return vfs('Error when reading', () => {
      if (!this.#read) throw permissionDenied();
      const len = this.#node.array.len();
      const out = new Uint8Array(Math.max(0, len - this.#cursor));
      const n = this.#node.array.readAt(out, this.#cursor);
      this.#cursor += n;
      return n === out.length ? out : out.subarray(0, n);
    });
  }
  readString(): string {
    return decode(this.read(), 'file');
  }

  /** Writes at the cursor, overwriting what is there (or at the end, in append mode). */
  write(buf: Uint8Array): number {
    return vfs('Error when writing', () => {
      if (!this.#write) throw permissionDenied();
      const array = this.#node.array;
      const at = this.#append ? array.len() : this.#cursor;
      const n = array.writeAt(buf, at);
      this.#cursor = at + n;
      return n;
    });
  }
  writeString(buf: string): number {
    return this.write(utf8.encode(buf));
  }

  flush(): void {
    vfs('Error when flushing', () => this.#node.array.flush('data'));
  }

  /** Moves the cursor to `position` (from the start; past the end is allowed, as in POSIX). */
  seek(position: number): number {
    this.#cursor = Number(position) >>> 0;
    return this.#cursor;
  }

  /** Nothing to release (wasm-bindgen API). */
  free(): void {}
}

/** Exported for API parity with @wasmer/wasi: a trap is reported as an Error, never as this. */
export class WasmerRuntimeError extends Error {
  free(): void {}
}

// ---------------------------------------------------------------------------------------------
// Stdio: stdin is a queue the host fills with setStdin*; stdout and stderr collect until read.

class StdinQueue extends InputStream {
  #buf = new Uint8Array(0);
  #pos = 0;
  constructor() {
    super({ name: 'stdin' });
  }
  push(bytes: Uint8Array): void {
    const left = this.#buf.subarray(this.#pos);
    const next = new Uint8Array(left.length + bytes.length);
    next.set(left, 0);
    next.set(bytes, left.length);
    this.#buf = next;
    this.#pos = 0;
  }
  protected override readyCore(): boolean | typeof END {
    return this.#pos < this.#buf.length || END;
  }
  protected readCore(into: Uint8Array): number {
    const left = this.#buf.length - this.#pos;
    if (left === 0) return END;
    const n = Math.min(left, into.length);
    into.set(this.#buf.subarray(this.#pos, this.#pos + n));
    this.#pos += n;
    return n;
  }
}

class Collector extends OutputStream {
  #chunks: Uint8Array[] = [];
  #size = 0;
  protected writeCore(from: Uint8Array): number {
    this.#chunks.push(from.slice());
    this.#size += from.length;
    return from.length;
  }
  /** Everything written since the last drain. */
  drain(): Uint8Array {
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    this.#chunks = [];
    this.#size = 0;
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// WASI

type Namespace = 'wasi_snapshot_preview1' | 'wasi_unstable';

export class WASI {
  readonly #fs: MemFS;
  readonly #core: CoreWASI;
  readonly #stdin = new StdinQueue();
  readonly #stdout = new Collector({ name: 'stdout' });
  readonly #stderr = new Collector({ name: 'stderr' });
  #instance: WebAssembly.Instance | undefined;

  constructor(config: WasiConfig = {}) {
    const c = Object(config) as WasiConfig;
    const args = (c.args ?? []).map((a) => {
      if (typeof a !== 'string') throw new Error('All arguments must be strings');
      return a;
    });
    const env = Object.entries(c.env ?? {}).map(([k, v]) => {
      if (typeof v !== 'string') throw new Error('All environment values must be strings');
      return `${k}=${v}`;
    });
    if (c.fs !== undefined && !(c.fs instanceof MemFS)) throw new TypeError('WASI: `fs` must be a MemFS');
    this.#fs = c.fs ?? new MemFS();
    // NOTE: as @wasmer/wasi does, the MemFS root is always preopened as "/" (fd 3), before the
    // configured preopens (default { ".": "/" }); a configured "/" takes that place.
    const wanted = Object.entries(c.preopens ?? { '.': '/' });
    const rootEntry = wanted.find(([guest]) => guest === '/');
    const preopens: Record<string, Directory> = {};
    for (const [guest, path] of [rootEntry ?? ['/', '/'], ...wanted.filter(([g]) => g !== '/')]) {
      if (typeof path !== 'string') throw new Error('All preopen values must be strings');
      try {
        preopens[guest] = this.#fs.directory(path);
      } catch (e) {
        if (!(e instanceof WasiError)) throw e;
        const reason = REASONS[e.errno] ?? 'io error';
        throw new Error(`Failed to create the WasiState: Could not get metadata for file ${JSON.stringify(path)}: ${reason}`, { cause: e });
      }
    }
    this.#core = new CoreWASI({ args, env, preopens, stdin: this.#stdin, stdout: this.#stdout, stderr: this.#stderr });
  }

  /** The in-memory file system the guest sees. */
  get fs(): MemFS {
    return this.#fs;
  }

  /** The WASI imports `module` needs: `{ wasi_snapshot_preview1 }` and/or `{ wasi_unstable }`. */
  getImports(module: WebAssembly.Module): Record<string, ImportModule> {
    if (!(module instanceof WebAssembly.Module)) {
      throw new Error('You must provide a module to the WASI new. `let module = new WASI({}, module);`');
    }
    const used = new Set(WebAssembly.Module.imports(module).map((i) => i.module));
    const out: Partial<Record<Namespace, ImportModule>> = {};
    if (used.has('wasi_unstable')) out.wasi_unstable = this.#core.wasiUnstableImport;
    if (used.has('wasi_snapshot_preview1') || out.wasi_unstable === undefined) out.wasi_snapshot_preview1 = this.#core.wasiImport;
    return out as Record<string, ImportModule>;
  }

  /**
   * Instantiates `module` with `imports` plus the WASI imports (which win on a clash), or adopts an
   * instance made with `getImports`. Returns the instance.
   */
  instantiate(moduleOrInstance: WebAssembly.Module | WebAssembly.Instance, imports?: WebAssembly.Imports): WebAssembly.Instance {
    if (moduleOrInstance instanceof WebAssembly.Module) {
      const merged: WebAssembly.Imports = { ...(imports ?? {}) };
      for (const [ns, fns] of Object.entries(this.getImports(moduleOrInstance))) merged[ns] = { ...(merged[ns] ?? {}), ...fns };
      const instance = new WebAssembly.Instance(moduleOrInstance, merged);
      this.#attach(instance);
      return instance;
    }
    if (moduleOrInstance instanceof WebAssembly.Instance) {
      if (this.#instance !== undefined) return this.#instance;
      this.#attach(moduleOrInstance);
      return moduleOrInstance;
    }
    throw new Error('You need to provide a `WebAssembly.Module` or `WebAssembly.Instance` as first argument to `wasi.instantiate`');
  }

  /** Runs `_start` and returns the exit code (0 when it returns). */
  start(instance?: WebAssembly.Instance): number {
    if (instance !== undefined) this.instantiate(instance);
    const inst = this.#instance;
    if (inst === undefined) {
      throw new Error('You need to provide an instance as argument to `start`, or call `wasi.instantiate` with the `WebAssembly.Instance` manually');
    }
    const start = inst.exports['_start'];
    if (typeof start !== 'function') throw new Error('The _start function is not present');
    try {
      start();
      return 0;
    } catch (e) {
      if (e instanceof ProcExit) return e.code;
      throw new Error(`Error while running start function: ${String(e)}`, { cause: e });
    }
  }

  /** Everything the guest wrote to stdout since the last call. */
  getStdoutBuffer(): Uint8Array {
    return this.#stdout.drain();
  }
  getStdoutString(): string {
    return decode(this.#stdout.drain(), 'stdout');
  }
  /** Everything the guest wrote to stderr since the last call. */
  getStderrBuffer(): Uint8Array {
    return this.#stderr.drain();
  }
  getStderrString(): string {
    return decode(this.#stderr.drain(), 'stderr');
  }
  /** Appends bytes for the guest to read on stdin (end of file after them). */
  setStdinBuffer(buf: Uint8Array): void {
    this.#stdin.push(buf);
  }
  setStdinString(input: string): void {
    this.#stdin.push(utf8.encode(input));
  }

  /** Nothing to release (wasm-bindgen API). */
  free(): void {}

  #attach(instance: WebAssembly.Instance): void {
    const memory = instance.exports['memory'];
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('The module does not export its memory as "memory"');
    // Attach the memory only: @wasmer/wasi calls neither _initialize nor _start here.
    this.#core.attach(memory);
    this.#instance = instance;
  }
}
