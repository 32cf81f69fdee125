// Layer: compat (public subpath `iotypes/register/install`). Imports compat/node-wasi and node:*
// only.
// Swaps node:wasi for iotypes' drop-in in the calling thread: ESM imports through a module
// customization hook (module.register), require() through the CommonJS loader (Module._load),
// and process.getBuiltinModule(); and Worker threads started afterwards from a file preload
// `iotypes/register` with the same options. This module is also what `node:wasi` resolves to once
// installed: its `WASI` is compat/node-wasi's class with the installed options applied.

import { statSync } from 'node:fs';
import Module, { register, syncBuiltinESMExports } from 'node:module';
import { delimiter, isAbsolute, posix, relative, resolve as resolvePath, sep } from 'node:path';
import process from 'node:process';
import workerThreads, { SHARE_ENV, type WorkerOptions } from 'node:worker_threads';
import { WASI as NodeWASI, type WASIOptions } from '../node-wasi.js';

/** What `install()` applies to every WASI instance the program creates. */
export interface RegisterOptions {
  /** Print every WASI call with its decoded arguments and result to stderr. Default false. */
  trace?: boolean | undefined;
  /** Every preopen refuses changes with EROFS. Default false. */
  readOnly?: boolean | undefined;
  /**
   * Narrow the program's preopens to these host folders: a preopen keeps only the listed folders
   * inside it, each at its own path below the preopen's guest name (a program that preopens `/`
   * sees `/srv/data` as `/srv/data` and nothing else). A preopen holding none of them is dropped.
   * Default: the preopens as the program asks.
   */
  dirs?: readonly string[] | undefined;
}

/** The options of `install()` from IOTYPES_TRACE, IOTYPES_READONLY and IOTYPES_DIRS. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): RegisterOptions {
  const options: RegisterOptions = {
    trace: flag(env, 'IOTYPES_TRACE'),
    readOnly: flag(env, 'IOTYPES_READONLY'),
  };
  const dirs = env['IOTYPES_DIRS'];
  // The host's path list separator, as in PATH (':' on POSIX, ';' on Windows).
  if (dirs !== undefined && dirs !== '') options.dirs = dirs.split(delimiter).filter((d) => d !== '');
  return options;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name];
  if (v === undefined || v === '' || v === '0' || v === 'false') return false;
  if (v === '1' || v === 'true') return true;
  throw new Error(`iotypes/register: ${name} must be 1 or 0 (or true or false), got ${JSON.stringify(v)}`);
}

let current: { trace: boolean; readOnly: boolean; dirs: readonly string[] | undefined } | undefined;

/**
 * Makes `node:wasi` and `wasi` load iotypes' drop-in from now on, with these options, in this
 * thread and in the worker threads it starts afterwards from a file (`new Worker(path)`; code
 * given with `eval: true` is not preloaded by Node). Calling it again only changes the options.
 */
export function install(options: RegisterOptions = {}): void {
  const dirs = options.dirs?.map((d) => {
    const abs = resolvePath(d);
    let isDir = false;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new Error(`iotypes/register: ${d} (in the dirs option or IOTYPES_DIRS) is not a folder`);
    return abs;
  });
  const first = current === undefined;
  current = { trace: options.trace === true, readOnly: options.readOnly === true, dirs };
  if (!first) return;

  const hooks = Module as unknown as { registerHooks?: (hooks: { resolve: typeof resolveWasi }) => unknown };
  // NOTE: where Node has synchronous in-thread hooks (module.registerHooks, Node 22.15 and 23.5
  // on; module.register is deprecated from Node 26), they are used; older Node gets the
  // customization hooks of hooks.ts through module.register.
  if (typeof hooks.registerHooks === 'function') hooks.registerHooks({ resolve: resolveWasi });
  else register(new URL('./hooks.js', import.meta.url), { data: { target: import.meta.url } });

  const loader = Module as unknown as { _load(request: string, parent: unknown, isMain: boolean): unknown };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    if (request === 'node:wasi' || request === 'wasi') return wasiModule;
    return load.call(this, request, parent, isMain);
  };
  preloadInWorkers();

  const getBuiltin = (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
  if (typeof getBuiltin === 'function') {
    (process as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule = function (id: string): unknown {
      if (id === 'node:wasi' || id === 'wasi') return wasiModule;
      return getBuiltin.call(process, id);
    };
  }
}

interface Resolved {
  url: string;
  format?: string | null;
  shortCircuit?: boolean;
}

/** A synchronous resolve hook: `node:wasi` and `wasi` are this module (its WASI class). */
function resolveWasi(specifier: string, context: unknown, next: (specifier: string, context: unknown) => Resolved): Resolved {
  if (specifier === 'node:wasi' || specifier === 'wasi') return { url: import.meta.url, format: 'module', shortCircuit: true };
  return next(specifier, context);
}

/** The environment that gives a worker the options of this thread. */
function envOf(o: NonNullable<typeof current>): Record<string, string> {
  const env: Record<string, string> = { IOTYPES_TRACE: o.trace ? '1' : '0', IOTYPES_READONLY: o.readOnly ? '1' : '0' };
  if (o.dirs !== undefined) env['IOTYPES_DIRS'] = o.dirs.join(delimiter);
  return env;
}

/**
 * Every Worker started from now on runs `--import iotypes/register` first, with the options of
 * this thread in its environment.
 */
function preloadInWorkers(): void {
  // NOTE: Node runs a process's --import and -r again in each Worker, but module.register()
  // hooks and the patched CommonJS loader stay in the thread that installed them (Node 20), so
  // a programmatic install() must hand the preload to workers itself. An `execArgv` or `env`
  // given to the Worker is kept, with the preload and the IOTYPES_* variables added.
  const preload = new URL('../register.js', import.meta.url).href;
  const Original = workerThreads.Worker;
  class Worker extends Original {
    constructor(filename: string | URL, options: WorkerOptions = {}) {
      const execArgv = [...(options.execArgv ?? process.execArgv), '--import', preload];
      const env = options.env === SHARE_ENV
        ? SHARE_ENV
        : { ...((options.env as NodeJS.Dict<string> | undefined) ?? process.env), ...envOf(current!) };
      super(filename, { ...options, execArgv, env });
    }
  }
  workerThreads.Worker = Worker;
  syncBuiltinESMExports();
}

/**
 * The preopens narrowed to `dirs`: a preopen inside a listed folder stays as it is; each listed
 * folder inside a preopen's host folder becomes a preopen of its own, named by the preopen's
 * guest name joined with its path below the host folder; the rest is dropped.
 */
export function narrowPreopens(preopens: Readonly<Record<string, string>>, dirs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [guest, host] of Object.entries(preopens)) {
    const hostRoot = resolvePath(String(host));
    for (const dir of dirs) {
      if (below(dir, hostRoot) !== undefined) {
        out[guest] = String(host);
        break;
      }
      const rel = below(hostRoot, dir);
      if (rel !== undefined) out[rel.length === 0 ? guest : posix.join(guest, ...rel)] = dir;
    }
  }
  return out;
}

/** The components of `path` below `folder`, or undefined when it is not inside it. */
function below(folder: string, path: string): string[] | undefined {
  const rel = relative(folder, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).filter((c) => c !== '');
}

/** node:wasi's WASI class, run by iotypes with the options install() was given. */
export class WASI extends NodeWASI {
  constructor(options: WASIOptions = {} as WASIOptions) {
    const o = current ?? { trace: false, readOnly: false, dirs: undefined };
    let given = options;
    const preopens: unknown = (options as { preopens?: unknown } | null | undefined)?.preopens;
    if (o.dirs !== undefined && preopens !== null && typeof preopens === 'object' && !Array.isArray(preopens)) {
      given = { ...options, preopens: narrowPreopens(preopens as Record<string, string>, o.dirs) };
    }
    super(given, { trace: o.trace, readOnly: o.readOnly });
  }
}

/** What `require('node:wasi')` returns once installed. */
const wasiModule = Object.freeze({ WASI });

export default wasiModule;
