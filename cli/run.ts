// Layer: cli. Imports the package's public entries, node:*, ./component.js,
// wasm-feature-detect and, only for a .wat module, wabt. wasi-threads programs run through
// iotypes/threads.
// `iotypes run`: loads a module, checks it is a WASI command this engine can run, wires folders,
// environment, typed arguments and stdio, and runs it. Problems with the input are one clear
// line on stderr and a nonzero status, never a stack trace.

import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import * as features from 'wasm-feature-detect';
import { BoundHandles, TYPED_PREOPEN } from '../adapters/bound/index.js';
import { commandShape, ProcExit, WASI, wasiImportProblem, type CommandShape, type Directory, type WASIOptions } from '../src/index.js';
import { HostFileArray, HostInput, HostOutput, nodeDirectory, nodeStdio } from '../adapters/node/index.js';
import { importsThreadSpawn, runThreaded } from '../compat/threads/index.js';
import { ComponentProblem, isComponent, runComponent } from './component.js';

/** Exit status when the guest traps (128 + SIGABRT, as wasmtime reports a trap on Unix). */
export const EXIT_TRAP = 134;
/** Exit status when iotypes itself cannot run the module (bad input, bad options). */
export const EXIT_USAGE = 125;

/** A problem with the user's input: printed as one line. */
export class UsageError extends Error {
  /** The subcommand whose `--help` explains the option at fault; unset when no option is. */
  readonly help: string | undefined;
  constructor(message: string, help?: string) {
    super(message);
    this.help = help;
  }
}

export interface RunOptions {
  dir: string[];
  roDir: string[];
  env: string[];
  readonly: boolean;
  trace: boolean;
  /** The program's argv[0]; default: the module path as given. */
  argv0?: string | undefined;
}

const diagnostics = new HostOutput(2, 'stderr');
const utf8 = new TextEncoder();

/**
 * Writes iotypes' own text to stderr. A stderr that cannot take it (a closed pipe) loses the
 * text, never the exit status.
 */
export function toStderr(text: string): void {
  try {
    diagnostics.write(utf8.encode(text));
  } catch {
    // stderr is gone; the exit status still tells what happened.
  }
}

/** Prints one `iotypes: ...` line on stderr. */
export function say(line: string): void {
  toStderr(`iotypes: ${line}\n`);
}

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

/** Splits HOST[::GUEST] the way wasmtime's --dir does. */
export function parseDir(spec: string): { host: string; guest: string } {
  const at = spec.indexOf('::');
  if (at < 0) return { host: spec, guest: spec };
  const host = spec.slice(0, at);
  const guest = spec.slice(at + 2);
  if (!host || !guest) throw new UsageError(`--dir ${spec}: expected HOST or HOST::GUEST`, 'run');
  return { host, guest };
}

async function missingFeatures(): Promise<string[]> {
  const missing: string[] = [];
  for (const [name, detect] of Object.entries(features)) {
    if (typeof detect !== 'function' || name === 'streamingCompilation') continue;
    try {
      if (!(await (detect as () => Promise<boolean>)())) missing.push(name);
    } catch {
      missing.push(name);
    }
  }
  return missing;
}

/**
 * The module file's bytes. Only a regular file is read: a FIFO or a device given as the module
 * would block or never end, so it is refused (the open itself does not block: O_NONBLOCK).
 */
function readModuleFile(path: string): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') throw new UsageError(`${path}: no such file`);
    throw new UsageError(`${path}: cannot open: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`${path}: is a directory, not a module`);
    if (!stat.isFile()) throw new UsageError(`${path}: not a regular file (a FIFO, device or socket cannot be a module)`);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every feature wabt knows: the text is only translated here; the engine decides what runs. */
const WAT_FEATURES = {
  exceptions: true, mutable_globals: true, sat_float_to_int: true, sign_extension: true, simd: true, threads: true,
  function_references: true, multi_value: true, tail_call: true, bulk_memory: true, reference_types: true,
  annotations: true, code_metadata: true, gc: true, memory64: true, extended_const: true, relaxed_simd: true,
};

/** Translates WebAssembly text to a binary with wabt, loaded only when a .wat file is run. */
async function parseWat(path: string, text: Uint8Array): Promise<Uint8Array> {
  const { default: init } = await import('wabt');
  const wabt = await init();
  let parsed: ReturnType<typeof wabt.parseWat> | undefined;
  try {
    // A fresh copy: wabt reads the whole underlying buffer, and a Buffer may be a slice of a pool.
    parsed = wabt.parseWat(path, new Uint8Array(text), WAT_FEATURES);
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({}).buffer;
  } catch (e) {
    // wabt reports "parseWat failed:" and then one "FILE:LINE:COL: error: ..." line per error.
    const message = e instanceof Error ? e.message : String(e);
    const first = message.split('\n').find((l) => / error: /.test(l)) ?? message.split('\n')[0];
    throw new UsageError(`cannot parse: ${first?.trim()}`);
  } finally {
    parsed?.destroy();
  }
}

export interface LoadedModule {
  module: WebAssembly.Module;
  shape: CommandShape;
  /** The module's bytes when it is a wasi-threads program (it imports wasi.thread-spawn). */
  threaded?: Uint8Array<ArrayBuffer> | undefined;
}

/**
 * Compiles the module (binary, or text in a .wat file), explaining in one line why it cannot run
 * here if it cannot. A component is returned as its bytes, for ./component.js.
 */
export async function loadModule(path: string): Promise<LoadedModule | { component: Uint8Array }> {
  let bytes: Uint8Array = readModuleFile(path);
  if (isComponent(bytes)) return { component: bytes };
  const magic = bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic && /\.wat$/i.test(path)) bytes = await parseWat(path, bytes);
  else if (!magic || bytes.length < 8) {
    throw new UsageError(`${path}: not a WebAssembly module (no \\0asm header, and not a .wat text file)`);
  }
  const version = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (version !== 1) {
    throw new UsageError(`${path}: a WebAssembly component or unknown binary version (${version.toString(16)}); iotypes runs core modules`);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>); // read from a file: never shared memory
  } catch (e) {
    const missing = await missingFeatures();
    const why = e instanceof Error ? e.message.replace(/^WebAssembly\.Module\(\): /, '') : String(e);
    throw new UsageError(
      `${path}: cannot compile: ${why}` +
        (missing.length ? ` (this engine lacks these WebAssembly features: ${missing.join(', ')})` : ''),
    );
  }
  // NOTE: a wasi-threads program also imports wasi.thread-spawn and its shared memory; those
  // run through iotypes/threads (@emnapi/wasi-threads), one Worker and WASI instance per thread.
  const threaded = importsThreadSpawn(module);
  const foreign = threaded ? undefined : WebAssembly.Module.imports(module).find((i) => !WASI_MODULES.has(i.module));
  if (foreign) {
    throw new UsageError(`${path}: imports ${foreign.module}.${foreign.name} (${foreign.kind}), which a WASI Preview 1 host does not provide`);
  }
  const problem = wasiImportProblem(bytes);
  if (problem !== undefined) throw new UsageError(`${path}: ${problem}`);
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) {
    throw new UsageError(`${path}: not a WASI command (no _start export; a reactor or library cannot be run)`);
  }
  // NOTE: a command has `_start`, a reactor `_initialize`; a module with both is neither (the
  // WASI application ABI), and node:wasi's start() refuses it too.
  if (exports.some((e) => e.name === '_initialize')) {
    throw new UsageError(`${path}: exports both _start and _initialize (a module is a command or a reactor, not both)`);
  }
  if (!threaded && !exports.some((e) => e.name === 'memory' && e.kind === 'memory')) {
    throw new UsageError(`${path}: does not export its memory as "memory"`);
  }
  const shape = commandShape(bytes);
  if (shape.startType && (shape.startType.params > 0 || shape.startType.results > 0)) {
    throw new UsageError(
      `${path}: _start takes ${shape.startType.params} parameter(s) and returns ${shape.startType.results} result(s); a WASI command's _start takes and returns nothing`,
    );
  }
  return { module, shape, threaded: threaded ? (bytes as Uint8Array<ArrayBuffer>) : undefined };
}

/**
 * Typed arguments. In the program's arguments:
 *   @in:PATH     the host file as a read-only array
 *   @inout:PATH  the host file as a read-write array (created if missing)
 *   @out:PATH    a write-only output stream into the host file (created or truncated)
 *   @@...        a literal argument starting with "@"
 * Each is replaced by a path under /iotypes that opens exactly that handle.
 */
export function bindArguments(args: readonly string[], bound: BoundHandles, opened: number[]): string[] {
  return args.map((arg) => {
    if (arg.startsWith('@@')) return arg.slice(1);
    const m = /^@(in|inout|out):(.+)$/s.exec(arg);
    if (!m) return arg;
    const [, kind, path] = m as unknown as [string, 'in' | 'inout' | 'out', string];
    let fd: number;
    try {
      fd = openSync(path, kind === 'in' ? 'r' : kind === 'inout' ? (existsSync(path) ? 'r+' : 'w+') : 'w');
    } catch (e) {
      throw new UsageError(`${arg}: cannot open ${path}: ${(e as Error).message.replace(/^[A-Z]+: /, '')}`);
    }
    opened.push(fd);
    if (kind === 'out') return bound.bind({ output: new HostOutput(fd, path) });
    if (statSync(path).isFile()) return bound.bind({ array: new HostFileArray(fd, path, kind === 'in'), writable: kind === 'inout' });
    if (kind === 'in') return bound.bind({ input: new HostInput(fd, path) });
    throw new UsageError(`${arg}: ${path} is not a regular file`);
  });
}

/** The folder a --dir or --ro-dir names, which must exist on the host. */
function hostFolder(spec: string): { host: string; guest: string } {
  const { host, guest } = parseDir(spec);
  if (!existsSync(host) || !statSync(host).isDirectory()) throw new UsageError(`--dir ${spec}: ${host} is not a directory`, 'run');
  return { host, guest };
}

/** The guest's environment from --env NAME=VALUE (or NAME, copied from the host's). */
function parseEnv(specs: readonly string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of specs) {
    const eq = e.indexOf('=');
    if (eq === 0) throw new UsageError(`--env ${e}: expected NAME=VALUE or NAME`, 'run');
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
    else if (process.env[e] !== undefined) env[e] = process.env[e]!;
  }
  return env;
}

/** Runs a command module; resolves to the exit status. */
export async function run(modulePath: string, args: readonly string[], options: RunOptions): Promise<number> {
  const loaded = await loadModule(modulePath);
  if (!('component' in loaded) && loaded.threaded !== undefined) return runThreads(modulePath, loaded.threaded, args, options);

  const preopens: Record<string, Directory> = {};
  const mount = (spec: string, readOnly: boolean) => {
    const { host, guest } = hostFolder(spec);
    preopens[guest] = nodeDirectory(host, { readOnly });
  };
  for (const d of options.dir) mount(d, options.readonly);
  for (const d of options.roDir) mount(d, true);

  const env = parseEnv(options.env);

  const bound = new BoundHandles();
  const opened: number[] = [];
  try {
    const guestArgs = bindArguments(args, bound, opened);
    if (opened.length > 0) preopens[TYPED_PREOPEN] = bound;
    const stdio = nodeStdio();
    const wasiOptions: WASIOptions = {
      args: [options.argv0 ?? modulePath, ...guestArgs],
      env,
      preopens,
      stdin: stdio.stdin,
      stdout: stdio.stdout,
      stderr: stdio.stderr,
      tty: stdio.tty,
      trace: options.trace ? (line) => toStderr(`${line}\n`) : false,
    };
    if ('component' in loaded) return await executeComponent(modulePath, loaded.component, wasiOptions);
    return await execute(modulePath, loaded.module, loaded.shape, new WASI(wasiOptions));
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

/**
 * Runs a wasi-threads program: each thread builds its own WASI from plain options, so folders
 * and stdio are given by path and descriptor number, and typed arguments are not available.
 */
async function runThreads(path: string, bytes: Uint8Array<ArrayBuffer>, args: readonly string[], options: RunOptions): Promise<number> {
  if (args.some((a) => /^@(in|inout|out):/s.test(a))) {
    throw new UsageError(`${path}: typed arguments (@in:, @inout:, @out:) are not available to wasi-threads programs`, 'run');
  }
  if (options.roDir.length > 0 && options.dir.length > 0 && !options.readonly) {
    throw new UsageError(`${path}: a wasi-threads program takes --dir or --ro-dir folders, not both`, 'run');
  }
  const preopens: Record<string, string> = {};
  for (const spec of [...options.dir, ...options.roDir]) {
    const { host, guest } = hostFolder(spec);
    preopens[guest] = host;
  }
  const env = parseEnv(options.env);
  try {
    const code = await runThreaded(bytes, {
      args: [options.argv0 ?? path, ...args.map((a) => (a.startsWith('@@') ? a.slice(1) : a))],
      env,
      preopens,
      readOnly: options.readonly || options.roDir.length > 0,
      trace: options.trace,
    });
    return exitStatus(path, code);
  } catch (e) {
    const trap = trapMessage(e);
    if (trap === undefined) throw e;
    say(`${path}: wasm trap: ${trap}`);
    return EXIT_TRAP;
  }
}

/** A WASI call made by the module's start section, before the instance (and its memory) exists. */
class StartSectionCall extends Error {}

/**
 * The import object for a module with a start section: until instantiation returns, every WASI
 * function but proc_exit refuses to run. A start section runs inside instantiation, when the JS
 * API has not yet given the host the module's exported memory, so a call with pointers cannot be
 * served; proc_exit needs no memory and ends the program as it asks.
 */
function guardStartSection(imports: WebAssembly.Imports, instantiating: () => boolean): WebAssembly.Imports {
  const guarded: WebAssembly.Imports = {};
  for (const [module, fields] of Object.entries(imports)) {
    const out: Record<string, WebAssembly.ImportValue> = {};
    for (const [name, value] of Object.entries(fields)) {
      out[name] =
        typeof value !== 'function' || name === 'proc_exit'
          ? value
          : (...args: unknown[]) => {
              if (instantiating()) throw new StartSectionCall(`${module}.${name}`);
              return (value as (...a: unknown[]) => unknown)(...args);
            };
    }
    guarded[module] = out;
  }
  return guarded;
}

const WasmException = (WebAssembly as unknown as { Exception?: abstract new (...args: never[]) => object }).Exception;

/** Instantiates the module and runs `_start`; every way the guest can end becomes an exit status. */
async function execute(path: string, module: WebAssembly.Module, shape: CommandShape, wasi: WASI): Promise<number> {
  let instantiating = true;
  const imports = shape.startSection ? guardStartSection(wasi.getImportObject(), () => instantiating) : wasi.getImportObject();
  try {
    const instance = await WebAssembly.instantiate(module, imports);
    instantiating = false;
    return exitStatus(path, wasi.start(instance));
  } catch (e) {
    const trap = trapMessage(e);
    if (trap !== undefined) {
      say(`${path}: wasm trap: ${trap}`);
      return EXIT_TRAP;
    }
    // proc_exit from a start section: the program ends there, as it asked.
    if (e instanceof ProcExit) return exitStatus(path, e.code);
    if (e instanceof StartSectionCall) {
      say(`${path}: its start section calls ${e.message}, which iotypes cannot serve before instantiation ends (only proc_exit is allowed there)`);
      return EXIT_USAGE;
    }
    // What instantiation itself refuses: limits of this engine (a table or memory larger than it
    // allows or can allocate), or a link failure.
    if (instantiating && (e instanceof RangeError || e instanceof WebAssembly.LinkError)) {
      say(`${path}: cannot instantiate: ${e.message.replace(/^WebAssembly\.instantiate\(\): /, '')}`);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** Runs a component (./component.js) with the options a module gets; same statuses and lines. */
async function executeComponent(path: string, bytes: Uint8Array, options: WASIOptions): Promise<number> {
  try {
    return exitStatus(path, await runComponent(path, bytes, options));
  } catch (e) {
    if (e instanceof ComponentProblem) throw new UsageError(e.message);
    const trap = trapMessage(e);
    if (trap === undefined) throw e;
    say(`${path}: wasm trap: ${trap}`);
    return EXIT_TRAP;
  }
}

/** The trap `e` reports, as a short phrase; undefined when `e` is not the guest failing. */
function trapMessage(e: unknown): string | undefined {
  if (e instanceof WebAssembly.RuntimeError) return e.message;
  // V8 reports wasm stack exhaustion as a RangeError, not a RuntimeError; wasmtime calls the
  // same trap "call stack exhausted".
  if (e instanceof RangeError && /Maximum call stack size exceeded/.test(e.message)) return 'call stack exhausted';
  // NOTE: an exception thrown by the guest (exception-handling proposal) that no handler catches
  // ends the program abnormally: reported as a trap (134), where a plain 1 would be read as the
  // program's own exit(1).
  if (WasmException !== undefined && e instanceof WasmException) return 'uncaught wasm exception';
  return undefined;
}

/**
 * The process exit status for `proc_exit(code)`.
 * NOTE: a process exit status is 8 bits. wasmtime refuses every proc_exit code from 126 on
 * ("exit with invalid exit status outside of [0..126)", crates/wasi/src/preview1.rs; its CLI
 * prints that error and exits 1, which reads like the program's own exit(1)) and the
 * ephemeral WASI text makes such a call behave like `unreachable`; node:wasi and a native
 * process pass 126..255 through, and shells and wrappers rely on them (127, 128 + signal).
 * iotypes passes 0..255 through and treats anything larger as a trap (134): truncating it would
 * turn proc_exit(256) into a success.
 */
function exitStatus(path: string, code: number): number {
  if (code >= 0 && code <= 255) return code;
  say(`${path}: wasm trap: proc_exit(${code}): exit status outside 0..255`);
  return EXIT_TRAP;
}
