// Layer: preview2. Imports src/errno, src/io, src/syscalls/clock (clock sources only), the
// facade's option types, and this folder.
// One host for one component run, configured by the same options as `new WASI({...})`, and the
// wasi:* 0.2 interfaces it serves, as the objects jco's generated code imports (one object per
// interface, named as @bytecodealliance/preview2-shim names them).

import { ProcExit } from '../src/errno/index.js';
import { anonymous } from '../src/io/anonymous.js';
import { fromArray, nullOutput } from '../src/io/constructors.js';
import type { Directory } from '../src/io/directory.js';
import type { InputStream as IOInput, OutputStream as IOOutput } from '../src/io/stream.js';
import { defaultClocks, defaultSleep, type Clocks } from '../src/syscalls/clock.js';
import type { WASIOptions } from '../src/wasi.js';
import { filesystemErrorCode, IoError } from './errors.js';
import { datetime, Descriptor, DirectoryEntryStream } from './filesystem.js';
import { InputStream, OutputStream, poll, Pollable, type Waiter } from './io.js';
import { traceCall } from './trace.js';

/** The options of a component run: those of `new WASI({...})` that a component can use. */
export type Preview2Options = Pick<
  WASIOptions, 'args' | 'env' | 'preopens' | 'stdin' | 'stdout' | 'stderr' | 'tty' | 'clocks' | 'random' | 'sleep' | 'trace'
>;

/** WASIOptions a component run cannot honour: refused rather than ignored. */
const REFUSED = {
  fds: 'a component has no descriptor table; give stdin, stdout, stderr and preopens instead',
  sockets: 'wasi:sockets is not provided by iotypes/preview2',
  returnOnExit: 'a component run always returns its exit code',
} as const;

/** `wasi:cli/terminal-input.terminal-input` and `terminal-output.terminal-output`: no methods. */
export class TerminalInput {}
export class TerminalOutput {}

/** The state of one run: what the options gave, made into the resources a component sees. */
export class Host {
  readonly args: readonly string[];
  readonly env: [string, string][];
  readonly preopens: readonly (readonly [Directory, string])[];
  readonly stdin: IOInput;
  readonly stdout: IOOutput;
  readonly stderr: IOOutput;
  readonly tty: { stdin: boolean; stdout: boolean; stderr: boolean };
  readonly clocks: Clocks;
  readonly random: (into: Uint8Array) => void;
  readonly waiter: Waiter;

  constructor(options: Preview2Options = {}) {
    for (const [key, why] of Object.entries(REFUSED)) {
      if ((options as Record<string, unknown>)[key] !== undefined) throw new TypeError(`iotypes/preview2: the ${key} option: ${why}`);
    }
    this.args = [...(options.args ?? [])];
    const env = options.env ?? {};
    this.env = Array.isArray(env)
      ? (env as readonly string[]).map((kv) => {
          const eq = kv.indexOf('=');
          if (eq <= 0) throw new TypeError(`iotypes/preview2: env entry ${JSON.stringify(kv)} is not NAME=VALUE`);
          return [kv.slice(0, eq), kv.slice(eq + 1)] as [string, string];
        })
      : Object.entries(env as Record<string, string>);
    this.clocks = options.clocks ?? defaultClocks();
    const sleep = options.sleep ?? defaultSleep;
    const monotonic = this.clocks[1];
    const trace = options.trace === true ? (line: string) => console.error(line) : options.trace || undefined;
    this.waiter = { now: () => monotonic.now(), sleep, trace, live: new Set() };
    this.random = options.random ?? ((b) => crypto.getRandomValues(b));
    this.stdin = options.stdin ?? fromArray(anonymous(), 0, { name: 'stdin' });
    this.stdout = options.stdout ?? nullOutput({ name: 'stdout' });
    this.stderr = options.stderr ?? nullOutput({ name: 'stderr' });
    this.tty = { stdin: !!options.tty?.stdin, stdout: !!options.tty?.stdout, stderr: !!options.tty?.stderr };
    this.preopens = Object.entries(options.preopens ?? {}).map(([name, dir]) => [dir, name] as const);
  }

  /**
   * Ends a run as WASI.start does: pushes out what stdout and stderr still buffer, and releases
   * what the component's descriptors still hold (host fds of files it left open). The preopened
   * directories themselves belong to the caller and stay open.
   */
  finish(): void {
    for (const d of [...this.waiter.live]) d.drop();
    for (const s of [this.stdout, this.stderr]) if (s.status === 'open') s.flush();
  }
}

/** `getrandom`-style bytes from `fill`, which takes at most 65536 bytes a call (crypto's limit). */
function randomBytes(fill: (into: Uint8Array) => void, len: bigint): Uint8Array {
  if (len > 0x7fff_ffffn) throw new RangeError(`wasi:random: ${len} bytes asked at once`);
  const out = new Uint8Array(Number(len));
  for (let at = 0; at < out.length; at += 65536) fill(out.subarray(at, Math.min(out.length, at + 65536)));
  return out;
}

function u64(fill: (into: Uint8Array) => void): bigint {
  const b = new BigUint64Array(1);
  fill(new Uint8Array(b.buffer));
  return b[0]!;
}

/** The interface objects, by WIT name, every function of which asks `host()` for its state. */
export function interfaces(host: () => Host) {
  const w = () => host().waiter;
  const api = {
    'wasi:cli/environment': {
      getEnvironment: () => host().env.map(([k, v]) => [k, v] as [string, string]),
      getArguments: () => [...host().args],
      // NOTE: no initial working directory, as wasmtime: libc starts relative paths at "/".
      initialCwd: (): string | undefined => undefined,
    },
    'wasi:cli/exit': {
      exit(status: { tag: 'ok' | 'err' }): never {
        // NOTE: WASI 0.2.x's exit carries only ok/err: the preview1 adapter turns proc_exit(n)
        // for any n > 0 into err, which is status 1 (wasmtime reports the same).
        throw new ProcExit(status?.tag === 'ok' ? 0 : 1);
      },
      exitWithCode(code: number): never {
        throw new ProcExit(code);
      },
    },
    'wasi:cli/stdin': { getStdin: () => new InputStream(host().stdin, w()) },
    'wasi:cli/stdout': { getStdout: () => new OutputStream(host().stdout, w()) },
    'wasi:cli/stderr': { getStderr: () => new OutputStream(host().stderr, w()) },
    'wasi:cli/terminal-input': { TerminalInput },
    'wasi:cli/terminal-output': { TerminalOutput },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => (host().tty.stdin ? new TerminalInput() : undefined) },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => (host().tty.stdout ? new TerminalOutput() : undefined) },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => (host().tty.stderr ? new TerminalOutput() : undefined) },
    'wasi:io/error': { Error: IoError },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:filesystem/types': { Descriptor, DirectoryEntryStream, filesystemErrorCode },
    // Fresh descriptors on every call: the component owns (and drops) each handle it is given;
    // dropping a preopen's descriptor never closes the preopened directory itself.
    'wasi:filesystem/preopens': {
      getDirectories: () => host().preopens.map(([dir, name]) => [Descriptor.directory(dir, false, w()), name] as [Descriptor, string]),
    },
    'wasi:clocks/monotonic-clock': {
      now: () => host().clocks[1].now(),
      resolution: () => host().clocks[1].resolution(),
      subscribeInstant: (when: bigint) => new Pollable(w(), () => true, when),
      subscribeDuration: (ns: bigint) => new Pollable(w(), () => true, host().clocks[1].now() + ns),
    },
    'wasi:clocks/wall-clock': {
      now: () => datetime(host().clocks[0].now()),
      resolution: () => datetime(host().clocks[0].resolution()),
    },
    'wasi:random/random': {
      getRandomBytes: (len: bigint) => randomBytes(host().random, len),
      getRandomU64: () => u64(host().random),
    },
    // NOTE: the insecure interfaces draw from the same source as wasi:random/random (the spec
    // allows any source; wasmtime also seeds them from the CSPRNG).
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len: bigint) => randomBytes(host().random, len),
      getInsecureRandomU64: () => u64(host().random),
    },
    'wasi:random/insecure-seed': {
      insecureSeed: (): [bigint, bigint] => [u64(host().random), u64(host().random)],
    },
  };
  // Every function call is traced with the tracer of the host it serves.
  for (const [name, iface] of Object.entries(api)) {
    const fns = iface as Record<string, unknown>;
    for (const [fn, f] of Object.entries(fns)) {
      if (typeof f !== 'function' || /^[A-Z]/.test(fn)) continue;
      const label = `${name}#${fn.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
      fns[fn] = (...args: unknown[]) => traceCall(w().trace, label, args, () => (f as (...a: unknown[]) => unknown)(...args));
    }
  }
  return api;
}


export type Interfaces = ReturnType<typeof interfaces>;
