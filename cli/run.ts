// Layer: cli. Imports the package's public entries and node:* only.
// `iotypes run`: loads a module, checks it is a WASI command this engine can run, wires folders,
// environment, typed arguments and stdio, and runs it. Problems with the input are one clear
// line on stderr and a nonzero status, never a stack trace.

import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import * as features from 'wasm-feature-detect';
import { BoundHandles, TYPED_PREOPEN } from '../adapters/bound/index.js';
import { WASI, wasiImportProblem, type Directory } from '../src/index.js';
import { HostFileArray, HostInput, HostOutput, nodeDirectory, nodeStdio } from '../adapters/node/index.js';

/** Exit status when the guest traps (128 + SIGABRT, as wasmtime reports a trap on Unix). */
export const EXIT_TRAP = 134;
/** Exit status when iotypes itself cannot run the module (bad input, bad options). */
export const EXIT_USAGE = 125;

/** A problem with the user's input: printed as one line. */
export class UsageError extends Error {}

export interface RunOptions {
  dir: string[];
  roDir: string[];
  env: string[];
  readonly: boolean;
  trace: boolean;
}

const WASI_MODULES = new Set(['wasi_snapshot_preview1', 'wasi_unstable']);

/** Splits HOST[::GUEST] the way wasmtime's --dir does. */
export function parseDir(spec: string): { host: string; guest: string } {
  const at = spec.indexOf('::');
  if (at < 0) return { host: spec, guest: spec };
  const host = spec.slice(0, at);
  const guest = spec.slice(at + 2);
  if (!host || !guest) throw new UsageError(`--dir ${spec}: expected HOST or HOST::GUEST`);
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

/** Compiles the module, explaining in one line why it cannot run here if it cannot. */
export async function loadModule(path: string): Promise<WebAssembly.Module> {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file`);
  if (statSync(path).isDirectory()) throw new UsageError(`${path}: is a directory, not a module`);
  const bytes = readFileSync(path);
  if (bytes.length < 8 || bytes.readUInt32LE(0) !== 0x6d736100) {
    throw new UsageError(`${path}: not a WebAssembly module (no \\0asm header)`);
  }
  const version = bytes.readUInt32LE(4);
  if (version !== 1) {
    throw new UsageError(`${path}: a WebAssembly component or unknown binary version (${version.toString(16)}); iotypes runs core modules`);
  }
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    const missing = await missingFeatures();
    const why = e instanceof Error ? e.message.replace(/^WebAssembly\.Module\(\): /, '') : String(e);
    throw new UsageError(
      `${path}: cannot compile: ${why}` +
        (missing.length ? ` (this engine lacks these WebAssembly features: ${missing.join(', ')})` : ''),
    );
  }
  const foreign = WebAssembly.Module.imports(module).find((i) => !WASI_MODULES.has(i.module));
  if (foreign) {
    throw new UsageError(`${path}: imports ${foreign.module}.${foreign.name} (${foreign.kind}), which a WASI Preview 1 host does not provide`);
  }
  const problem = wasiImportProblem(bytes);
  if (problem !== undefined) throw new UsageError(`${path}: ${problem}`);
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) {
    throw new UsageError(`${path}: not a WASI command (no _start export; a reactor or library cannot be run)`);
  }
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) {
    throw new UsageError(`${path}: does not export its memory as "memory"`);
  }
  return module;
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

/** Runs a command module; resolves to the exit status. */
export async function run(modulePath: string, args: readonly string[], options: RunOptions): Promise<number> {
  const module = await loadModule(modulePath);

  const preopens: Record<string, Directory> = {};
  const mount = (spec: string, readOnly: boolean) => {
    const { host, guest } = parseDir(spec);
    if (!existsSync(host) || !statSync(host).isDirectory()) throw new UsageError(`--dir ${spec}: ${host} is not a directory`);
    preopens[guest] = nodeDirectory(host, { readOnly });
  };
  for (const d of options.dir) mount(d, options.readonly);
  for (const d of options.roDir) mount(d, true);

  const env: Record<string, string> = {};
  for (const e of options.env) {
    const eq = e.indexOf('=');
    if (eq === 0) throw new UsageError(`--env ${e}: expected NAME=VALUE or NAME`);
    if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
    else if (process.env[e] !== undefined) env[e] = process.env[e]!;
  }

  const bound = new BoundHandles();
  const opened: number[] = [];
  try {
    const guestArgs = bindArguments(args, bound, opened);
    if (opened.length > 0) preopens[TYPED_PREOPEN] = bound;
    const stdio = nodeStdio();
    const wasi = new WASI({
      args: [modulePath, ...guestArgs],
      env,
      preopens,
      stdin: stdio.stdin,
      stdout: stdio.stdout,
      stderr: stdio.stderr,
      tty: stdio.tty,
      trace: options.trace ? (line) => process.stderr.write(`${line}\n`) : false,
    });
    try {
      const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
      return wasi.start(instance);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        process.stderr.write(`iotypes: ${modulePath}: wasm trap: ${e.message}\n`);
        return EXIT_TRAP;
      }
      throw e;
    }
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}
