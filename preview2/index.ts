// Layer: preview2 (public entry `iotypes/preview2`). Imports src/errno and this folder.
// WASI 0.2 for components, over the same I/O types, backends and sandbox as Preview 1.
//
// Two ways in, one configuration (the options of `new WASI({...})`):
// - jco's ES module output: map the imports here (`--map 'wasi:cli/*=iotypes/preview2#*'`, and
//   the same for wasi:io, wasi:filesystem, wasi:clocks, wasi:random) and call `configure(options)`
//   before the component runs. The exports below are the interface objects, named as
//   @bytecodealliance/preview2-shim names them.
// - jco's `--instantiation` output: `createImports(options)` is its import object, or
//   `runCommand(instantiate, getCoreModule, options)` runs a command component to its exit code.

import { ProcExit } from '../src/errno/index.js';
import { Host, interfaces, type Interfaces, type Preview2Options } from './host.js';

export { Host, TerminalInput, TerminalOutput, type Preview2Options } from './host.js';
export { Descriptor, DirectoryEntryStream } from './filesystem.js';
export { InputStream, OutputStream, Pollable } from './io.js';
export { FilesystemError, IoError, StreamError, type ErrorCode, type StreamErrorValue } from './errors.js';

let current: Host | undefined;
const currentHost = (): Host => (current ??= new Host());

/**
 * Configures the host behind this module's interface objects (jco's ES module output) for the
 * next component run. Until called, a component sees no arguments, no environment, no
 * preopens, an empty stdin, and its output is discarded.
 */
export function configure(options: Preview2Options = {}): Host {
  return (current = new Host(options));
}

const shared = interfaces(currentHost);

export const environment = shared['wasi:cli/environment'];
export const exit = shared['wasi:cli/exit'];
export const stdin = shared['wasi:cli/stdin'];
export const stdout = shared['wasi:cli/stdout'];
export const stderr = shared['wasi:cli/stderr'];
export const terminalInput = shared['wasi:cli/terminal-input'];
export const terminalOutput = shared['wasi:cli/terminal-output'];
export const terminalStdin = shared['wasi:cli/terminal-stdin'];
export const terminalStdout = shared['wasi:cli/terminal-stdout'];
export const terminalStderr = shared['wasi:cli/terminal-stderr'];
export const error = shared['wasi:io/error'];
export const poll = shared['wasi:io/poll'];
export const streams = shared['wasi:io/streams'];
export const types = shared['wasi:filesystem/types'];
export const preopens = shared['wasi:filesystem/preopens'];
export const monotonicClock = shared['wasi:clocks/monotonic-clock'];
export const wallClock = shared['wasi:clocks/wall-clock'];
export const random = shared['wasi:random/random'];
export const insecure = shared['wasi:random/insecure'];
export const insecureSeed = shared['wasi:random/insecure-seed'];

/** The interfaces this host provides, by WIT name without version. */
export const PROVIDED_INTERFACES: readonly string[] = Object.keys(shared);

const PROVIDED = 'iotypes/preview2 provides wasi:cli, wasi:io, wasi:filesystem, wasi:clocks and wasi:random';

/** An interface this host does not provide: touching it (jco's bindings do, at instantiation) throws. */
function missing(name: string): Record<string, never> {
  return new Proxy({}, {
    get(_, key) {
      if (typeof key === 'symbol') return undefined;
      throw new Error(`${name} is not supported: ${PROVIDED}`);
    },
  });
}

// The names jco gives wasi:sockets and wasi:http interfaces, so that mapping them here fails
// with that message rather than a missing export. (wasi:http/types shares its short name with
// wasi:filesystem/types and cannot be listed.)
export const network = missing('wasi:sockets/network');
export const instanceNetwork = missing('wasi:sockets/instance-network');
export const ipNameLookup = missing('wasi:sockets/ip-name-lookup');
export const tcp = missing('wasi:sockets/tcp');
export const tcpCreateSocket = missing('wasi:sockets/tcp-create-socket');
export const udp = missing('wasi:sockets/udp');
export const udpCreateSocket = missing('wasi:sockets/udp-create-socket');
export const outgoingHandler = missing('wasi:http/outgoing-handler');
export const incomingHandler = missing('wasi:http/incoming-handler');

/** jco's `--instantiation` import object: interface name → interface object. */
export type ImportObject = Interfaces & Record<string, Record<string, unknown>>;

/**
 * The import object for jco's `instantiate(getCoreModule, imports)`, serving one run configured
 * by `options` (or by `host`). An interface it does not provide throws at instantiation, naming it.
 */
export function createImports(options: Preview2Options | Host = {}): ImportObject {
  const host = options instanceof Host ? options : new Host(options);
  const api = interfaces(() => host) as ImportObject;
  return new Proxy(api, {
    get(target, key, receiver) {
      if (typeof key !== 'string') return Reflect.get(target, key, receiver);
      const name = key.replace(/@[^/]*$/, '');
      if (name in target) return target[name];
      if (name.startsWith('wasi:')) throw new Error(`${name} is not supported: ${PROVIDED}`);
      return undefined;
    },
  });
}

type CoreModule = WebAssembly.Module | Promise<WebAssembly.Module>;
/** The `instantiate` function of jco's `--instantiation` output. */
export type Instantiate = (
  getCoreModule: (name: string) => CoreModule,
  imports: ImportObject,
) => unknown;

interface RunExport {
  run(): void;
}

/**
 * Instantiates a command component (jco `--instantiation` output) over a host configured by
 * `options`, runs `wasi:cli/run.run`, and returns its exit code: 0, the code given to exit, or 1
 * when run returns an error. Traps propagate; either way stdout and stderr are flushed and the descriptors the
 * component left open are released.
 */
export async function runCommand(
  instantiate: Instantiate, getCoreModule: (name: string) => CoreModule, options: Preview2Options | Host = {},
): Promise<number> {
  const host = options instanceof Host ? options : new Host(options);
  try {
    const exports = (await instantiate(getCoreModule, createImports(host))) as Record<string, unknown>;
    const key = Object.keys(exports).find((k) => /^wasi:cli\/run@/.test(k)) ?? 'run';
    const run = exports[key] as RunExport | undefined;
    if (typeof run?.run !== 'function') throw new TypeError('not a command component: it does not export wasi:cli/run');
    try {
      run.run();
      return 0;
    } catch (e) {
      if (e instanceof ProcExit) return e.code;
      // jco turns run's `err` result into an exception carrying a payload.
      if (e !== null && typeof e === 'object' && Object.prototype.hasOwnProperty.call(e, 'payload')) return 1;
      throw e;
    }
  } catch (e) {
    if (e instanceof ProcExit) return e.code;
    throw e;
  } finally {
    host.finish();
  }
}
