// Layer: compat/browser-wasi-shim. Imports iotypes, iotypes/browser and the files of this folder.
// browser_wasi_shim's `WASI` class, run by iotypes: `fds` (the user's Fd objects) become the
// guest's descriptor table (folders and files through the mirror, consoles and custom Fds through
// streams and arrays), and `wasiImport` forwards each call to an iotypes WASI instance.

import { ConsoleOutput, OpfsArray } from '../../adapters/browser/index.js';
import {
  PREVIEW1_SIGNATURES, ProcExit, WASI as CoreWASI, type FdSpec, type FileFdSpec, type FileNode, type Preview1Name,
} from '../../src/index.js';
import { FdArray, FdInput, FdOutput, fdStat, overrides, refuseTimes, toStat } from './bridges.js';
import * as wasi from './defs.js';
import { Mirror } from './mirror.js';
import { ConsoleStdout, Fd, OpenDirectory, OpenFile, PreopenDirectory } from './objects.js';
import { OpenSyncOPFSFile } from './opfs.js';

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
const NAMES = Object.keys(PREVIEW1_SIGNATURES) as Preview1Name[];

export class WASI {
  args: Array<string>;
  env: Array<string>;
  fds: Array<Fd>;
  inst!: { exports: { memory: WebAssembly.Memory } };
  wasiImport: { [key: string]: (...args: Array<any>) => unknown };
  readonly #mirror = new Mirror();
  readonly #debug: boolean;
  #memory: WebAssembly.Memory | undefined;
  /** The iotypes instance the guest's calls go to, made when a memory is attached. */
  #core: CoreWASI | undefined;
  #cursors: { fd: OpenFile | OpenSyncOPFSFile; spec: FileFdSpec }[] = [];

  constructor(args: Array<string>, env: Array<string>, fds: Array<Fd>, options: Options = {}) {
    this.args = args;
    this.env = env;
    this.fds = fds;
    this.#debug = options.debug === true;
    const mirror = this.#mirror;
    const imports: Record<string, (...args: Arg[]) => number> = {};
    for (const name of NAMES) {
      imports[name] = (a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg, f?: Arg, g?: Arg, h?: Arg, i?: Arg) => {
        const active = this.#core?.wasiImport;
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
    if (memory !== this.#memory || this.#core === undefined) {
      if (!(memory instanceof WebAssembly.Memory)) throw new TypeError('WASI: the instance does not export its memory as "memory"');
      this.#cursors = [];
      const core = new CoreWASI({
        args: this.args,
        env: this.env,
        fds: Array.from({ length: this.fds.length }, (_, n) => {
          const fd = this.fds[n];
          return fd === undefined || fd === null ? undefined : this.#spec(fd);
        }),
        ...(this.#debug ? { trace: (line: string) => console.log('wasi:', line) } : {}),
      });
      core.attach(memory);
      this.#core = core;
      this.#memory = memory;
    }
    this.#mirror.push();
    this.#mirror.attach();
  }

  /** What the guest's descriptor for the user's `fd` is made of. */
  #spec(fd: Fd): FdSpec {
    const mirror = this.#mirror;
    if (fd instanceof PreopenDirectory) return { type: 'directory', dir: mirror.dirHandle(fd.dir), preopen: fd.prestat_name };
    if (fd instanceof OpenDirectory) return { type: 'directory', dir: mirror.dirHandle(fd.dir) };
    if (fd instanceof OpenFile) {
      const spec: FileFdSpec = { type: 'file', file: mirror.fileHandle(fd.file), writable: !fd.file.readonly, cursor: Number(fd.file_pos) };
      this.#cursors.push({ fd, spec });
      return spec;
    }
    if (fd instanceof OpenSyncOPFSFile) {
      const file = fd.file;
      const node: FileNode = {
        array: new OpfsArray(file.handle, { readOnly: file.readonly }),
        stat: () => toStat(file.stat()),
        setTimes: refuseTimes,
      };
      const spec: FileFdSpec = { type: 'file', file: node, writable: !file.readonly, cursor: Number(fd.position) };
      this.#cursors.push({ fd, spec });
      return spec;
    }
    if (fd instanceof ConsoleStdout) return { type: 'stream', output: new ConsoleOutput((bytes) => fd.write(bytes)), isatty: true };
    // A custom Fd: a regular file if it says so and offers pread, else a stream.
    const { fdstat } = fd.fd_fdstat_get();
    if (fdstat?.fs_filetype === wasi.FILETYPE_REGULAR_FILE && overrides(fd, 'fd_pread')) {
      const node: FileNode = {
        array: new FdArray(fd),
        stat: () => toStat(fdStat(fd)),
        setTimes: refuseTimes,
      };
      return { type: 'file', file: node, fdflags: fdstat.fs_flags, writable: overrides(fd, 'fd_pwrite') };
    }
    return {
      type: 'stream',
      input: overrides(fd, 'fd_read') ? new FdInput(fd) : undefined,
      output: overrides(fd, 'fd_write') ? new FdOutput(fd) : undefined,
      isatty: fdstat?.fs_filetype === wasi.FILETYPE_CHARACTER_DEVICE,
    };
  }

  /** Brings the objects up to date with the guest. */
  #settle(): void {
    this.#mirror.pull();
    const core = this.#core!;
    for (const { fd, spec } of this.#cursors) {
      const cursor = BigInt(core.fileCursor(spec));
      if (fd instanceof OpenFile) fd.file_pos = cursor;
      else fd.position = cursor;
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
