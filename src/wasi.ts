// Layer: facade. Imports every src/ layer below it.
// The public WASI class: options in, import objects out, and start/initialize for commands and
// reactors. Stdio and preopens are I/O types and Directory handles supplied by the host.

import { importModule, type ImportModule } from './abi/preview1.js';
import { GuestMemory } from './abi/memory.js';
import type { Tracer } from './abi/trace.js';
import { ProcExit } from './errno/index.js';
import { ALL_RIGHTS, DIR_RIGHTS, DirDescriptor, FdTable, StreamDescriptor } from './fdtable/index.js';
import { anonymous } from './io/anonymous.js';
import { fromArray, nullOutput } from './io/constructors.js';
import type { Directory } from './io/directory.js';
import type { InputStream, OutputStream } from './io/stream.js';
import { defaultClocks, defaultSleep, Syscalls, type Clocks } from './syscalls/index.js';

export interface StdioOptions {
  /** Whether the guest's isatty() is true for this stream. Default false. */
  isatty?: boolean;
}

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
  /** Blocking sleep used by poll_oneoff (default: Atomics.wait). */
  sleep?: (ns: bigint) => void;
}

export interface WASIImportObject {
  wasi_snapshot_preview1: ImportModule;
  wasi_unstable: ImportModule;
  [module: string]: Record<string, WebAssembly.ImportValue>;
}

export class WASI {
  /** The `wasi_snapshot_preview1` import module. */
  readonly wasiImport: ImportModule;
  /** The `wasi_unstable` (snapshot 0) import module. */
  readonly wasiUnstableImport: ImportModule;
  readonly fds: FdTable;
  readonly #returnOnExit: boolean;
  #memory: GuestMemory | undefined;
  #started = false;

  constructor(options: WASIOptions = {}) {
    const fds = new FdTable();
    fds.set(0, new StreamDescriptor({ input: options.stdin ?? fromArray(anonymous(), 0, { name: 'stdin' }), isatty: options.tty?.stdin ?? false }));
    fds.set(1, new StreamDescriptor({ output: options.stdout ?? nullOutput({ name: 'stdout' }), isatty: options.tty?.stdout ?? false }));
    fds.set(2, new StreamDescriptor({ output: options.stderr ?? nullOutput({ name: 'stderr' }), isatty: options.tty?.stderr ?? false }));
    let fd = 3;
    for (const [name, dir] of Object.entries(options.preopens ?? {})) {
      fds.set(fd++, new DirDescriptor(dir, DIR_RIGHTS, ALL_RIGHTS, name));
    }
    for (const s of options.sockets ?? []) {
      fds.set(fd++, new StreamDescriptor({ input: s.input, output: s.output, socket: true }));
    }
    this.fds = fds;
    const env = Array.isArray(options.env)
      ? (options.env as readonly string[])
      : Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`);
    const sys = new Syscalls({
      fds,
      args: options.args ?? [],
      env,
      clocks: options.clocks ?? defaultClocks(),
      random: options.random ?? ((b) => crypto.getRandomValues(b)),
      sleep: options.sleep ?? defaultSleep,
    });
    const tracer: Tracer | undefined =
      options.trace === true ? (line) => console.error(line) : options.trace || undefined;
    const memory = () => {
      if (!this.#memory) throw new Error('WASI: the instance has not been started or initialized yet');
      return this.#memory;
    };
    this.wasiImport = importModule(sys, memory, 'preview1', tracer);
    this.wasiUnstableImport = importModule(sys, memory, 'unstable', tracer);
    this.#returnOnExit = options.returnOnExit ?? true;
  }

  /** Both snapshot modules; a module takes the one it imports. */
  getImportObject(): WASIImportObject {
    return { wasi_snapshot_preview1: this.wasiImport, wasi_unstable: this.wasiUnstableImport };
  }

  /** Runs a command's `_start` and returns its exit code. */
  start(instance: WebAssembly.Instance): number {
    const start = instance.exports['_start'];
    if (typeof start !== 'function') {
      throw new TypeError('WASI.start: the module has no _start export (a reactor? use initialize())');
    }
    if (instance.exports['_initialize'] !== undefined) {
      throw new TypeError('WASI.start: the module exports both _start and _initialize');
    }
    this.#attach(instance, 'start');
    try {
      start();
      return 0;
    } catch (e) {
      if (e instanceof ProcExit && this.#returnOnExit) return e.code;
      throw e;
    } finally {
      this.#flushStdio();
      // The process is over: release what its descriptors hold (host fds of open files).
      this.fds.closeAll();
    }
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
    this.#attach(instance, 'initialize');
    if (typeof init === 'function') init();
  }

  #attach(instance: WebAssembly.Instance, how: string): void {
    if (this.#started) throw new Error(`WASI.${how}: this WASI instance has already been started`);
    const memory = instance.exports['memory'];
    if (!(memory instanceof WebAssembly.Memory)) {
      throw new TypeError(`WASI.${how}: the module does not export its memory as "memory"`);
    }
    this.#started = true;
    this.#memory = new GuestMemory(memory);
  }

  #flushStdio(): void {
    for (const fd of [1, 2]) {
      if (!this.fds.has(fd)) continue;
      const d = this.fds.get(fd);
      if (d instanceof StreamDescriptor && d.output?.status === 'open') d.output.flush();
    }
  }
}
