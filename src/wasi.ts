// Layer: facade. Imports every src/ layer below it.
// The public WASI class: options in, import objects out, and start/initialize for commands and
// reactors. Stdio and preopens are I/O types and Directory handles supplied by the host.

import { importModule, type ImportModule } from './abi/preview1.js';
import { promisingExport, suspendingBindings } from './abi/jspi.js';
import { GuestMemory } from './abi/memory.js';
import type { Tracer } from './abi/trace.js';
import { ProcExit } from './errno/index.js';
import {
  ALL_RIGHTS, DIR_RIGHTS, DirDescriptor, FdTable, FILE_RIGHTS, FileDescriptor, Rights, StreamDescriptor,
  type AnyDescriptor,
} from './fdtable/index.js';
import { anonymous } from './io/anonymous.js';
import { fromArray, nullOutput } from './io/constructors.js';
import type { Directory, FileNode } from './io/directory.js';
import type { InputStream, OutputStream } from './io/stream.js';
import { guestRuns } from './io/time.js';
import { defaultClocks, defaultSleep, suspendingSleep, Syscalls, type Clocks } from './syscalls/index.js';

export interface StdioOptions {
  /** Whether the guest's isatty() is true for this stream. Default false. */
  isatty?: boolean;
}

/** A stream descriptor: an input and/or an output stream (stdio, pipes, sockets, consoles). */
export interface StreamFdSpec {
  type: 'stream';
  input?: InputStream | undefined;
  output?: OutputStream | undefined;
  /** Whether the guest's isatty() is true for it. Default false. */
  isatty?: boolean;
  /** A connected socket (sock_recv, sock_send, sock_shutdown apply). Default false. */
  socket?: boolean;
}

/** A regular file already open: an array handle with an lseek cursor. */
export interface FileFdSpec {
  type: 'file';
  file: FileNode;
  /** Default true; when false the descriptor has no write, allocate or set-size rights. */
  writable?: boolean;
  /** Preview 1 fdflags bits (APPEND 1, DSYNC 2, NONBLOCK 4, RSYNC 8, SYNC 16). Default 0. */
  fdflags?: number;
  /** The cursor to start at. Default 0. `WASI.fileCursor(spec)` reads it back. */
  cursor?: number;
}

/** A directory; with `preopen` it is a preopen of that guest name. */
export interface DirectoryFdSpec {
  type: 'directory';
  dir: Directory;
  preopen?: string | undefined;
}

/** One descriptor of the guest's initial table. */
export type FdSpec = StreamFdSpec | FileFdSpec | DirectoryFdSpec;

const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

export interface WASIOptions {
  /** argv, including argv[0]. Default `[]`. */
  args?: readonly string[];
  /** The environment, as an object or as `NAME=VALUE` strings. Default empty. */
  env?: Readonly<Record<string, string>> | readonly string[];
  /** Guest name → directory. Preopened as fds 3, 4, ... in this order. */
  preopens?: Readonly<Record<string, Directory>>;
  /** fd 0. Default: an empty stream (immediate end of file). */
  stdin?: InputStream;
  /** fd 1. Default: discard. */
  stdout?: OutputStream;
  /** fd 2. Default: discard. */
  stderr?: OutputStream;
  /** Terminal flags for fds 0, 1, 2. */
  tty?: { stdin?: boolean; stdout?: boolean; stderr?: boolean };
  /** Connected sockets (input and output streams), opened after the preopens. */
  sockets?: readonly { input?: InputStream; output?: OutputStream }[];
  /**
   * The whole initial descriptor table, by fd number (holes allowed). When given, `stdin`,
   * `stdout`, `stderr`, `tty`, `preopens` and `sockets` must be absent.
   */
  fds?: readonly (FdSpec | undefined | null)[];
  /**
   * Default true: `start()` returns the exit code given to proc_exit. When false, the ProcExit
   * error propagates to the caller of `start()`.
   */
  returnOnExit?: boolean;
  /** Print every call with its decoded arguments and result: true for console.error, or a function. */
  trace?: boolean | Tracer;
  /** Clock sources (default: the platform's performance clock). */
  clocks?: Clocks;
  /** CSPRNG (default: crypto.getRandomValues). */
  random?: (into: Uint8Array) => void;
  /** Blocking sleep used by poll_oneoff (default: Atomics.wait; with `async`, a timer). */
  sleep?: (ns: bigint) => void;
  /**
   * Let calls wait for asynchronous I/O objects (src/io/async.ts) by suspending the guest with
   * JavaScript Promise Integration: the imports become `WebAssembly.Suspending` functions and
   * the program runs with `startAsync()`. Needs an engine with JSPI (Node.js 24.22 and 26, Chromium 137 or
   * newer); without it the constructor throws and says what to do instead. Default false.
   */
  async?: boolean;
}

export interface WASIImportObject {
  wasi_snapshot_preview1: ImportModule;
  wasi_unstable: ImportModule;
  [module: string]: Record<string, WebAssembly.ImportValue>;
}

/** The WASI an import object belongs to (a non-enumerable property of it). */
const OWNER = Symbol('iotypes.wasi');
/** The `wasi_unstable` property of every import object: built on first use. */
const UNSTABLE: PropertyDescriptor = {
  get(this: { [OWNER]: WASI }) {
    return this[OWNER].wasiUnstableImport;
  },
  enumerable: true,
  configurable: true,
};

export class WASI {
  /** The `wasi_snapshot_preview1` import module. */
  readonly wasiImport: ImportModule;
  /** The `wasi_unstable` (snapshot 0) import module. */
  get wasiUnstableImport(): ImportModule {
    return (this.#unstable ??= this.#build('unstable'));
  }
  #unstable: ImportModule | undefined;
  readonly #build: (snapshot: 'preview1' | 'unstable') => ImportModule;
  readonly #fds = new FdTable();
  /** The descriptor made from each FileFdSpec, to read its cursor back. */
  #files: WeakMap<FileFdSpec, FileDescriptor> | undefined;
  readonly #returnOnExit: boolean;
  #memory: GuestMemory | undefined;
  #started = false;
  readonly #async: boolean;

  constructor(options: WASIOptions = {}) {
    if (options.fds !== undefined) {
      for (const k of ['stdin', 'stdout', 'stderr', 'tty', 'preopens', 'sockets'] as const) {
        if (options[k] !== undefined) throw new TypeError(`WASI: the fds option replaces ${k}; give one or the other`);
      }
    }
    const specs = options.fds ?? defaultFds(options);
    specs.forEach((spec, fd) => {
      if (spec !== undefined && spec !== null) this.#fds.set(fd, this.#descriptor(spec));
    });
    const env = Array.isArray(options.env)
      ? (options.env as readonly string[])
      : Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const sys = new Syscalls({
      fds: this.#fds,
      args: options.args ?? [],
      env,
      clocks: options.clocks ?? defaultClocks(),
      random: options.random ?? randomInto,
      sleep: options.sleep ?? (options.async ? suspendingSleep : defaultSleep),
    });
    const tracer: Tracer | undefined =
      options.trace === true ? (line) => console.error(line) : options.trace || undefined;
    const memory = () => {
      if (!this.#memory) throw new Error('WASI: the instance has not been started or initialized yet');
      return this.#memory;
    };
    this.#async = options.async ?? false;
    const wrap = this.#async ? suspendingBindings() : undefined;
    const build = (snapshot: 'preview1' | 'unstable') => importModule(sys, memory, snapshot, tracer, wrap);
    this.#build = build;
    this.wasiImport = build('preview1');
    this.#returnOnExit = options.returnOnExit ?? true;
  }

  #descriptor(spec: FdSpec): AnyDescriptor {
    switch (spec.type) {
      case 'stream':
        return new StreamDescriptor(spec);
      case 'file': {
        const cursor = spec.cursor ?? 0;
        if (!Number.isSafeInteger(cursor) || cursor < 0) throw new TypeError(`WASI: a file's cursor must be a non-negative safe integer, got ${cursor}`);
        const d = new FileDescriptor(spec.file, spec.fdflags ?? 0, spec.writable === false ? FILE_RIGHTS & ~WRITE_RIGHTS : FILE_RIGHTS);
        d.cursor = cursor;
        // Made only when there is a file spec: a weak map costs every garbage collection.
        (this.#files ??= new WeakMap()).set(spec, d);
        return d;
      }
      case 'directory':
        return new DirDescriptor(spec.dir, DIR_RIGHTS, ALL_RIGHTS, spec.preopen);
      default:
        throw new TypeError(`WASI: unknown descriptor type ${JSON.stringify((spec as { type?: unknown }).type)}`);
    }
  }

  /**
   * The lseek cursor of the descriptor made from `spec` (one of the `fds` option), wherever the
   * guest has moved it since, and even after the guest closed it.
   */
  fileCursor(spec: FileFdSpec): number {
    const d = this.#files?.get(spec);
    if (d === undefined) throw new TypeError('WASI.fileCursor: not a file descriptor spec of this instance');
    return d.cursor;
  }

  /** Both snapshot modules; a module takes the one it imports. */
  getImportObject(): WASIImportObject {
    // The snapshot 0 module is built only if the instantiation asks for it (few modules do),
    // through a getter shared by every import object: an object literal with a getter of its own
    // (a new closure each time) costs V8 a new hidden class per object, which made this call
    // several times dearer than building the whole preview1 module.
    const o = { wasi_snapshot_preview1: this.wasiImport } as WASIImportObject;
    Object.defineProperty(o, OWNER, { value: this });
    Object.defineProperty(o, 'wasi_unstable', UNSTABLE);
    return o;
  }

  /** Runs a command's `_start` and returns its exit code. */
  start(instance: WebAssembly.Instance): number {
    if (this.#async) throw new TypeError('WASI.start: this instance was made with { async: true }; use startAsync()');
    const start = this.#entry(instance);
    try {
      guestRuns(start);
      return 0;
    } catch (e) {
      return this.#exitCode(e);
    } finally {
      this.#end();
    }
  }

  /**
   * Runs a command's `_start` with JSPI, letting its calls wait for asynchronous I/O objects
   * (made with `{ async: true }`), and resolves to its exit code.
   */
  async startAsync(instance: WebAssembly.Instance): Promise<number> {
    if (!this.#async) throw new TypeError('WASI.startAsync: make the instance with { async: true }');
    const start = promisingExport(this.#entry(instance));
    try {
      await start();
      return 0;
    } catch (e) {
      return this.#exitCode(e);
    } finally {
      this.#end();
    }
  }

  #entry(instance: WebAssembly.Instance): () => unknown {
    const start = instance.exports['_start'];
    if (typeof start !== 'function') {
      throw new TypeError('WASI.start: the module has no _start export (a reactor? use initialize())');
    }
    if (instance.exports['_initialize'] !== undefined) {
      throw new TypeError('WASI.start: the module exports both _start and _initialize');
    }
    this.#attach(instance.exports['memory'], 'start');
    return start as () => unknown;
  }

  #exitCode(e: unknown): number {
    if (e instanceof ProcExit && this.#returnOnExit) return e.code;
    throw e;
  }

  #end(): void {
    this.#flushStdio();
    // The process is over: release what its descriptors hold (host fds of open files).
    this.#fds.closeAll();
  }

  /**
   * Closes every descriptor, releasing what they hold (host descriptors of open files and
   * folders). `start()` does this when the program ends; a reactor's host calls it when done.
   */
  close(): void {
    this.#fds.closeAll();
  }

  /** Runs a reactor's `_initialize` (if any), after which its exports may be called. */
  initialize(instance: WebAssembly.Instance): void {
    if (instance.exports['_start'] !== undefined) {
      throw new TypeError('WASI.initialize: the module has a _start export (a command? use start())');
    }
    const init = instance.exports['_initialize'];
    if (init !== undefined && typeof init !== 'function') {
      throw new TypeError('WASI.initialize: _initialize is not a function');
    }
    this.#attach(instance.exports['memory'], 'initialize');
    if (typeof init === 'function') init();
  }

  /**
   * Gives the guest's memory to the import modules and runs nothing, for hosts that call the
   * instance's exports themselves. Like start() and initialize(), once per WASI instance.
   */
  attach(memory: WebAssembly.Memory): void {
    this.#attach(memory, 'attach');
  }

  #attach(memory: unknown, how: string): void {
    if (this.#started) throw new Error(`WASI.${how}: this WASI instance has already been started`);
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new TypeError(`WASI.${how}: the module does not export its memory as "memory"`);
    }
    this.#started = true;
    this.#memory = new GuestMemory(memory);
  }

  #flushStdio(): void {
    for (let fd = 1; fd <= 2; fd++) {
      if (!this.#fds.has(fd)) continue;
      const d = this.#fds.get(fd);
      if (d instanceof StreamDescriptor && d.output?.status === 'open') d.output.flush();
    }
  }
}

/**
 * crypto.getRandomValues into `into`. NOTE: browsers refuse views of a SharedArrayBuffer (a
 * shared WebAssembly.Memory), so those are filled through a private copy.
 */
function randomInto(into: Uint8Array): void {
  if (into.buffer instanceof ArrayBuffer) {
    crypto.getRandomValues(into);
    return;
  }
  const own = new Uint8Array(into.length);
  crypto.getRandomValues(own);
  into.set(own);
}

/** The table the stdio, preopens and sockets options describe: 0, 1, 2, preopens, sockets. */
function defaultFds(options: WASIOptions): FdSpec[] {
  const fds: FdSpec[] = [
    { type: 'stream', input: options.stdin ?? fromArray(anonymous(), 0, { name: 'stdin' }), isatty: options.tty?.stdin ?? false },
    { type: 'stream', output: options.stdout ?? nullOutput({ name: 'stdout' }), isatty: options.tty?.stdout ?? false },
    { type: 'stream', output: options.stderr ?? nullOutput({ name: 'stderr' }), isatty: options.tty?.stderr ?? false },
  ];
  for (const [name, dir] of Object.entries(options.preopens ?? {})) fds.push({ type: 'directory', dir, preopen: name });
  for (const s of options.sockets ?? []) fds.push({ type: 'stream', input: s.input, output: s.output, socket: true });
  return fds;
}
