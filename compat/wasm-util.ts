// Layer: compat (public subpath `iotypes/wasm-util`). Imports the public entries `iotypes`,
// `iotypes/memfs` and `iotypes/browser` only: no node:*, it runs in browsers.
// A drop-in for the `WASI` class of @tybys/wasm-util (the WASI of @napi-rs/wasm-runtime, so of
// every napi-rs wasm32-wasi browser build): the same constructor options and validation
// messages, `wasiImport`, `start`, `initialize`, `finalizeBindings` and `getImportObject`, run
// by iotypes. Preopens are folders of the `fs` option (node:fs, a memfs volume, or any object
// with their synchronous API), walked by iotypes' sandboxed path resolution; stdout and stderr
// go line by line to `print` and `printErr` (console.log and console.error by default).

import { ConsoleOutput, splitLines } from '../adapters/browser/index.js';
import { memfsDirectory, type MemfsLike } from '../adapters/memfs/index.js';
import { ProcExit, WASI as CoreWASI, type Directory, type ImportModule } from '../src/index.js';

/** The options of `new WASI()`, as in @tybys/wasm-util. */
export interface WASIOptions {
  /** Which import module to provide. Default 'preview1' (`wasi_snapshot_preview1`). */
  version?: 'unstable' | 'preview1';
  args?: string[] | undefined;
  env?: Record<string, string> | undefined;
  /** Guest path → path in `fs`. Needs `fs`. */
  preopens?: Record<string, string> | undefined;
  /** Default false: proc_exit ends the process where there is one (Node.js). When true, start() returns the code. */
  returnOnExit?: boolean | undefined;
  /** Receives each line the guest writes to stdout. Default console.log. */
  print?: (str: string) => void;
  /** Receives each line the guest writes to stderr. Default console.error. */
  printErr?: (str: string) => void;
}

/** The part of node:fs (or of a memfs volume) that preopens use. */
export type WasmUtilFs = MemfsLike & { realpathSync(path: string, encoding?: string): string | Uint8Array };

export interface SyncWASIOptions extends WASIOptions {
  /** node:fs, a memfs volume, or anything with their synchronous API. */
  fs?: WasmUtilFs;
}

export interface FinalizeBindingsOptions {
  memory?: WebAssembly.Memory;
}

// @tybys/wasm-util's argument checks, with its messages.
const kind = (value: unknown) => (value === null ? 'null' : typeof value);
function check(ok: boolean, what: string, value: unknown, Error: new (m: string) => Error = TypeError): void {
  if (!ok) throw new Error(`${what}. Received ${kind(value)}`);
}
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object';

type HostProcess = { exit?: (code: number) => never };

export class WASI {
  /** The import module the guest links against. */
  readonly wasiImport: ImportModule;
  readonly #core: CoreWASI;
  readonly #binding: 'wasi_snapshot_preview1' | 'wasi_unstable';
  #started = false;
  #instance: WebAssembly.Instance | undefined;

  constructor(options: SyncWASIOptions = {}) {
    check(isObject(options), 'options must be an object', options);
    const version: unknown = options.version;
    if (version !== undefined) {
      check(typeof version === 'string', 'options.version must be a string', version);
      if (version !== 'unstable' && version !== 'preview1') throw new TypeError(`unsupported WASI version "${String(version)}"`);
    }
    this.#binding = version === 'unstable' ? 'wasi_unstable' : 'wasi_snapshot_preview1';
    const rawArgs: unknown = options.args;
    if (rawArgs !== undefined) check(Array.isArray(rawArgs), 'options.args must be an array', rawArgs);
    const args = ((rawArgs as unknown[] | undefined) ?? []).map(String);
    const env: string[] = [];
    if (options.env !== undefined) {
      check(isObject(options.env), 'options.env must be an object', options.env);
      for (const [k, v] of Object.entries(options.env)) if (v !== undefined) env.push(`${k}=${String(v)}`);
    }
    const preopenPaths: [string, string][] = [];
    if (options.preopens !== undefined) {
      check(isObject(options.preopens), 'options.preopens must be an object', options.preopens);
      for (const [guest, real] of Object.entries(options.preopens)) preopenPaths.push([String(guest), String(real)]);
    }
    const fs: unknown = options.fs;
    if (preopenPaths.length > 0) {
      if (fs === undefined) throw new Error('filesystem is disabled, can not preopen directory');
      if (!isObject(fs)) throw new TypeError('Node.js fs like implementation is not provided');
    }
    const print = options.print ?? ((s: string) => console.log(s));
    const printErr = options.printErr ?? ((s: string) => console.error(s));
    check(typeof print === 'function', 'options.print must be a function', print);
    check(typeof printErr === 'function', 'options.printErr must be a function', printErr);
    const returnOnExit: unknown = options.returnOnExit;
    if (returnOnExit !== undefined) check(typeof returnOnExit === 'boolean', 'options.returnOnExit must be a boolean', returnOnExit);

    const preopens: Record<string, Directory> = {};
    for (const [guest, real] of preopenPaths) {
      // As @tybys/wasm-util does, the folder is resolved once, when the WASI is made.
      const vol = fs as WasmUtilFs;
      const path = vol.realpathSync(real, 'utf8');
      preopens[guest] = memfsDirectory(vol, typeof path === 'string' ? path : new TextDecoder().decode(path));
    }
    this.#core = new CoreWASI({
      args,
      env,
      preopens,
      stdout: new ConsoleOutput(splitLines(print), { name: 'stdout' }),
      stderr: new ConsoleOutput(splitLines(printErr), { name: 'stderr' }),
      returnOnExit: true,
    });
    const inner = this.#binding === 'wasi_snapshot_preview1' ? this.#core.wasiImport : this.#core.wasiUnstableImport;
    const wrapped = { ...inner };
    if (returnOnExit !== true) {
      // NOTE: as @tybys/wasm-util, proc_exit without returnOnExit ends the host process where
      // there is one (Node.js); elsewhere start() returns the code (see the README's list).
      const procExit = inner.proc_exit;
      wrapped.proc_exit = (code) => {
        try {
          return procExit(code);
        } catch (e) {
          const host = (globalThis as { process?: HostProcess }).process;
          if (e instanceof ProcExit && typeof host?.exit === 'function') host.exit(e.code);
          throw e;
        }
      };
    }
    this.wasiImport = wrapped;
  }

  /** Gives the guest's memory (default: the instance's exported memory) to the imports. */
  finalizeBindings(instance: WebAssembly.Instance, { memory }: FinalizeBindingsOptions = {}): void {
    if (this.#started) throw new Error('WASI instance has already started');
    check(isObject(instance), 'instance must be an object', instance);
    check(isObject(instance.exports), 'instance.exports must be an object', instance.exports);
    const mem: unknown = memory ?? instance.exports['memory'];
    if (!(mem instanceof WebAssembly.Memory)) throw new TypeError('"instance.exports.memory" property must be a WebAssembly.Memory');
    this.#core.attach(mem);
    this.#instance = instance;
    this.#started = true;
  }

  /** Runs a command (`_start`, no `_initialize`) and returns its exit code. */
  start(instance: WebAssembly.Instance): number | undefined {
    this.finalizeBindings(instance);
    const { _start, _initialize } = this.#instance!.exports;
    check(typeof _start === 'function', 'instance.exports._start must be a function', _start);
    check(_initialize === undefined, 'instance.exports._initialize must be undefined', _initialize);
    try {
      (_start as () => void)();
      return 0;
    } catch (e) {
      if (e instanceof ProcExit) return e.code;
      throw e;
    }
  }

  /** Sets up a reactor: no `_start`; `_initialize`, if exported, is called. */
  initialize(instance: WebAssembly.Instance): void {
    this.finalizeBindings(instance);
    const { _start, _initialize } = this.#instance!.exports;
    check(_start === undefined, 'instance.exports._start must be undefined', _start);
    if (_initialize !== undefined) {
      check(typeof _initialize === 'function', 'instance.exports._initialize must be a function', _initialize);
      (_initialize as () => void)();
    }
  }

  /** `{ wasi_snapshot_preview1: wasiImport }` (or `wasi_unstable`, by `version`). */
  getImportObject(): Record<string, ImportModule> {
    return { [this.#binding]: this.wasiImport };
  }
}
