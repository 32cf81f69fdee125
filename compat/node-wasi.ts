// Layer: compat (public subpath `iotypes/node-wasi`). Imports the public entries `iotypes` and
// `iotypes/node`, and node:*, only.
// A drop-in for Node's `node:wasi` WASI class: the same constructor options, validation, error
// codes and messages, start/initialize rules and import object, run by iotypes. Preopens are
// sandboxed host folders (adapters/node), so neither `..`, absolute paths nor symlinks lead out
// of them; stdio are the host descriptors given as numbers.

import { fstatSync } from 'node:fs';
import process from 'node:process';
import { isatty } from 'node:tty';
import { inspect } from 'node:util';
import { HostInput, HostOutput, nodeDirectory } from '../adapters/node/index.js';
import { errnoName, ProcExit, WASI as CoreWASI, WasiError, type Directory, type ImportModule, type Tracer } from '../src/index.js';

/** The type of `wasiImport`: one function per Preview 1 call. */
export type { ImportModule };

/**
 * What iotypes adds to node:wasi, as a second constructor argument (node:wasi takes one, so code
 * written for it never passes this).
 */
export interface WASIExtensions {
  /** Print every call with its decoded arguments and result: true for stderr, or a function. */
  trace?: boolean | Tracer | undefined;
  /** Every preopen refuses changes with EROFS. */
  readOnly?: boolean | undefined;
}

/** The options of `new WASI()`, as in node:wasi. */
export interface WASIOptions {
  /** Which import module to provide: `wasi_snapshot_preview1` or `wasi_unstable`. Required. */
  version: 'unstable' | 'preview1';
  /** argv, including argv[0]; each element is converted with String(). */
  args?: readonly string[] | undefined;
  /** The environment; entries whose value is undefined are skipped. */
  env?: object | undefined;
  /** Guest path → host folder. */
  preopens?: NodeJS.Dict<string> | undefined;
  /** Default true: start() returns proc_exit's code. When false, proc_exit ends the process. */
  returnOnExit?: boolean | undefined;
  /** Host file descriptors for the guest's fds 0, 1 and 2 (default 0, 1, 2). */
  stdin?: number | undefined;
  stdout?: number | undefined;
  stderr?: number | undefined;
}

// ---------------------------------------------------------------------------------------------
// Node's argument errors: the same classes, codes and message shapes as lib/internal/errors.js.

type NodeError = Error & { code: string };

function nodeError<E extends Error>(make: (m: string) => E, code: string, message: string): E & { code: string } {
  const e = make(message) as E & { code: string };
  Object.defineProperty(e, 'code', { value: code, enumerable: true, writable: true, configurable: true });
  return e;
}

/** What node's messages print after "Received". */
function received(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'bigint':
      return `type bigint (${value}n)`;
    case 'number':
      if (Object.is(value, -0)) return 'type number (-0)';
      return `type number (${value})`;
    case 'boolean':
    case 'symbol':
      return `type ${typeof value} (${String(value)})`;
    case 'function':
      return `function ${(value as { name: string }).name}`;
    case 'object': {
      const ctor = (value as { constructor?: { name?: unknown } }).constructor;
      if (ctor && typeof ctor.name === 'string') return `an instance of ${ctor.name}`;
      return inspect(value, { depth: -1 });
    }
    case 'string': {
      const s = value.length > 28 ? `${value.slice(0, 25)}...` : value;
      return s.includes("'") ? `type string (${JSON.stringify(s)})` : `type string ('${s}')`;
    }
  }
  return String(value);
}

const EXPECTED = {
  object: 'of type object', string: 'of type string', boolean: 'of type boolean', number: 'of type number',
  function: 'of type function', array: 'an instance of Array', undefined: 'undefined',
} as const;

function invalidArgType(name: string, expected: keyof typeof EXPECTED, value: unknown): NodeError {
  const what = name.includes('.') ? 'property' : 'argument';
  return nodeError((m) => new TypeError(m), 'ERR_INVALID_ARG_TYPE', `The "${name}" ${what} must be ${EXPECTED[expected]}. Received ${received(value)}`);
}

function validateObject(value: unknown, name: string): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalidArgType(name, 'object', value);
}

function validateInt32(value: unknown, name: string): number {
  if (typeof value !== 'number') throw invalidArgType(name, 'number', value);
  const outOfRange = (range: string) => {
    const shown = Number.isInteger(value) && Math.abs(value) > 2 ** 32 ? separated(String(value)) : String(value);
    return nodeError((m) => new RangeError(m), 'ERR_OUT_OF_RANGE', `The value of "${name}" is out of range. It must be ${range}. Received ${shown}`);
  };
  if (!Number.isInteger(value)) throw outOfRange('an integer');
  if (value < 0 || value > 2147483647) throw outOfRange('>= 0 && <= 2147483647');
  return value;
}

/** 4294967297 → 4_294_967_297, as node prints large integers. */
function separated(digits: string): string {
  const sign = digits.startsWith('-') ? '-' : '';
  let s = digits.slice(sign.length);
  let out = '';
  for (; s.length > 3; s = s.slice(0, -3)) out = `_${s.slice(-3)}${out}`;
  return `${sign}${s}${out}`;
}

function alreadyStarted(): NodeError {
  return nodeError((m) => new Error(m), 'ERR_WASI_ALREADY_STARTED', 'WASI instance has already started');
}

function notStarted(): NodeError {
  return nodeError((m) => new Error(m), 'ERR_WASI_NOT_STARTED', 'wasi.start() has not been called');
}

/** node:wasi reports a failed set-up (a missing preopen, a closed stdio fd) as uvwasi does. */
function uvwasiError(e: unknown): unknown {
  if (!(e instanceof WasiError)) return e;
  const code = `UVWASI_E${errnoName(e.errno).toUpperCase()}`;
  return nodeError((m) => new Error(m, { cause: e }), code, `${code}, uvwasi_init`);
}

// NOTE: node:wasi changed in Node 24.4: it gained finalizeBindings(), and start() and initialize()
// count as made only once the instance, its exports and its memory pass the checks (before, as
// soon as they are called, so a second attempt after a failed one was refused). This class
// behaves as the node:wasi of the Node.js it runs on, told by the version number: loading
// node:wasi to look would print its experimental-feature warning.
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
const NODE_24_4 = major > 24 || (major === 24 && minor >= 4);

// ---------------------------------------------------------------------------------------------

type Arg = number | bigint;

export class WASI {
  /** The import module the guest links against (`wasi_snapshot_preview1` or `wasi_unstable`). */
  readonly wasiImport: ImportModule;
  readonly #core: CoreWASI;
  readonly #module: 'wasi_snapshot_preview1' | 'wasi_unstable';
  #started = false;
  #attached = false;

  constructor(options: WASIOptions = {} as WASIOptions, extensions: WASIExtensions = {}) {
    validateObject(options, 'options');
    const version: unknown = options.version;
    if (typeof version !== 'string') throw invalidArgType('options.version', 'string', version);
    if (version !== 'preview1' && version !== 'unstable') {
      const shown = inspect(version).slice(0, 128);
      throw nodeError((m) => new TypeError(m), 'ERR_INVALID_ARG_VALUE', `The property 'options.version' unsupported WASI version. Received ${shown}`);
    }
    this.#module = version === 'preview1' ? 'wasi_snapshot_preview1' : 'wasi_unstable';

    const rawArgs: unknown = options.args;
    if (rawArgs !== undefined && !Array.isArray(rawArgs)) throw invalidArgType('options.args', 'array', rawArgs);
    const args = ((rawArgs as unknown[] | undefined) ?? []).map(String);

    const env: string[] = [];
    const rawEnv: unknown = options.env;
    if (rawEnv !== undefined) {
      validateObject(rawEnv, 'options.env');
      for (const [key, value] of Object.entries(rawEnv)) if (value !== undefined) env.push(`${key}=${String(value)}`);
    }

    const preopenPaths: [string, string][] = [];
    const rawPreopens: unknown = options.preopens;
    if (rawPreopens !== undefined) {
      validateObject(rawPreopens, 'options.preopens');
      for (const [guest, hostPath] of Object.entries(rawPreopens)) preopenPaths.push([String(guest), String(hostPath)]);
    }

    const { stdin = 0, stdout = 1, stderr = 2 } = options as { stdin?: unknown; stdout?: unknown; stderr?: unknown };
    const fds = [validateInt32(stdin, 'options.stdin'), validateInt32(stdout, 'options.stdout'), validateInt32(stderr, 'options.stderr')] as const;

    // As in node:wasi, the host set-up (stdio descriptors, preopened folders) is checked before
    // returnOnExit.
    const preopens: Record<string, Directory> = {};
    try {
      for (const fd of fds) fstatSync(fd);
      const readOnly = extensions.readOnly === true;
      for (const [guest, hostPath] of preopenPaths) preopens[guest] = nodeDirectory(hostPath, { readOnly });
    } catch (e) {
      if ((e as { code?: unknown }).code === 'EBADF') throw nodeError((m) => new Error(m, { cause: e }), 'UVWASI_EBADF', 'UVWASI_EBADF, uvwasi_init');
      throw uvwasiError(e);
    }

    let returnOnExit = true;
    const rawReturn: unknown = options.returnOnExit;
    if (rawReturn !== undefined) {
      if (typeof rawReturn !== 'boolean') throw invalidArgType('options.returnOnExit', 'boolean', rawReturn);
      returnOnExit = rawReturn;
    }

    this.#core = new CoreWASI({
      args,
      env,
      preopens,
      stdin: new HostInput(fds[0], 'stdin'),
      stdout: new HostOutput(fds[1], 'stdout'),
      stderr: new HostOutput(fds[2], 'stderr'),
      tty: { stdin: isatty(fds[0]), stdout: isatty(fds[1]), stderr: isatty(fds[2]) },
      returnOnExit: true,
      ...(extensions.trace !== undefined ? { trace: extensions.trace } : {}),
    });
    const inner = version === 'preview1' ? this.#core.wasiImport : this.#core.wasiUnstableImport;
    const wrapped = {} as ImportModule;
    for (const name of Object.keys(inner) as (keyof ImportModule)[]) {
      const fn = inner[name];
      // node:wasi refuses every call made before start() or initialize() attached a memory.
      wrapped[name] = (a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg, f?: Arg, g?: Arg, h?: Arg, i?: Arg) => {
        if (!this.#attached) throw notStarted();
        return fn(a!, b!, c!, d!, e!, f!, g!, h!, i!);
      };
    }
    if (!returnOnExit) {
      const procExit = wrapped.proc_exit;
      // NOTE: as in node:wasi, proc_exit with returnOnExit false ends the whole process.
      wrapped.proc_exit = (code?: Arg) => {
        try {
          return procExit(code!);
        } catch (e) {
          if (e instanceof ProcExit) process.exit(e.code);
          throw e;
        }
      };
    }
    this.wasiImport = wrapped;
  }

  /** Runs a command: `_start` must be a function and `_initialize` absent. Returns the exit code. */
  start(instance: object): number {
    const exports = this.#setup(instance);
    const start: unknown = exports['_start'];
    if (typeof start !== 'function') throw invalidArgType('instance.exports._start', 'function', start);
    const init: unknown = exports['_initialize'];
    if (init !== undefined) throw invalidArgType('instance.exports._initialize', 'undefined', init);
    return this.#core.start(instance as WebAssembly.Instance);
  }

  /** Sets up a reactor: `_start` must be absent; `_initialize`, if exported, is called. */
  initialize(instance: object): void {
    const exports = this.#setup(instance);
    const start: unknown = exports['_start'];
    if (start !== undefined) throw invalidArgType('instance.exports._start', 'undefined', start);
    const init: unknown = exports['_initialize'];
    if (init !== undefined && typeof init !== 'function') throw invalidArgType('instance.exports._initialize', 'function', init);
    this.#core.initialize(instance as WebAssembly.Instance);
  }

  /**
   * Binds the guest's memory (default `instance.exports.memory`) without running anything, for an
   * instance that shares its memory with others (threads). Node.js 24.4 and later only, as in
   * node:wasi: on older versions this method does not exist.
   */
  finalizeBindings(instance: object, { memory = (instance as { exports?: { memory?: unknown } } | undefined)?.exports?.memory }: { memory?: unknown } = {}): void {
    this.#setup(instance, memory);
    this.#core.initialize({ exports: { memory } } as unknown as WebAssembly.Instance);
  }

  /** `{ wasi_snapshot_preview1: wasiImport }` (or `wasi_unstable`, by `version`). */
  getImportObject(): Record<string, ImportModule> {
    return { [this.#module]: this.wasiImport };
  }

  /** node:wasi's checks, in its order: once only, an object with exports, a memory (by default
   * the exported one). */
  #setup(instance: unknown, memory?: unknown): Record<string, unknown> {
    if (this.#started) throw alreadyStarted();
    if (!NODE_24_4) this.#started = true;
    validateObject(instance, 'instance');
    const exports: unknown = instance['exports'];
    validateObject(exports, 'instance.exports');
    if (!((memory ?? exports['memory']) instanceof WebAssembly.Memory)) {
      throw nodeError((m) => new TypeError(m), 'ERR_INVALID_ARG_TYPE', '"instance.exports.memory" property must be a WebAssembly.Memory object');
    }
    this.#started = true;
    this.#attached = true;
    return exports;
  }
}

if (!NODE_24_4) delete (WASI.prototype as { finalizeBindings?: unknown }).finalizeBindings;

export default { WASI };
