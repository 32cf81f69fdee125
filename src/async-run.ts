// Layer: facade. Imports src/wasi.ts, src/io and src/abi/jspi.
// Running a command over asynchronous I/O types, in either of the two ways a guest can wait
// (src/io/pending.ts):
// - `runSuspending`: in this thread, with JSPI (`WASI({ async: true })`, `startAsync`);
// - a worker: the guest runs synchronously in a worker (`guestMain`) whose I/O objects are stubs
//   of the owner's (`hostGuest`), each operation blocking on a SharedArrayBuffer
//   (src/io/remote.ts) until the owner has answered.
// The platform entries (iotypes/browser, iotypes/node) start the worker and choose between them.

import { hasJspi } from './abi/jspi.js';
import { fromAsyncDirectory, fromAsyncSink, fromAsyncSource, type AsyncDirectory, type AsyncSink, type AsyncSource } from './io/async.js';
import type { Directory } from './io/directory.js';
import type { Settler } from './io/pending.js';
import { DEFAULT_REMOTE_BUFFER, remoteBuffer, RemoteOwner, RemoteSettler, type Post } from './io/remote.js';
import { WASI, type WASIOptions } from './wasi.js';

/** Output to an asynchronous sink, or to a function called with a copy of each chunk. */
export type AsyncOutputOption = AsyncSink | ((bytes: Uint8Array) => void);

export interface AsyncRunOptions {
  /** argv, including argv[0]. */
  args?: readonly string[];
  /** The environment, as an object or as `NAME=VALUE` strings. */
  env?: Readonly<Record<string, string>> | readonly string[];
  /** Guest name → asynchronous directory. */
  preopens?: Readonly<Record<string, AsyncDirectory>>;
  /** fd 0. Default: an empty stream. */
  stdin?: AsyncSource;
  /** fd 1. Default: discard. */
  stdout?: AsyncOutputOption;
  /** fd 2. Default: discard. */
  stderr?: AsyncOutputOption;
}

export interface WorkerRunOptions extends AsyncRunOptions {
  /** Bytes of the shared buffer through which answers reach the worker (default 1 MiB). */
  bufferBytes?: number;
}

export interface AsyncRunResult {
  exitCode: number;
}

/** Which way the guest waits: suspended by JSPI in this thread, or blocked in a worker. */
export type Runner = 'jspi' | 'worker';

/** `prefer`, else JSPI where the engine has it and a worker otherwise. */
export function chooseRunner(prefer?: Runner): Runner {
  return prefer ?? (hasJspi() ? 'jspi' : 'worker');
}

function sinkOf(out: AsyncOutputOption): AsyncSink {
  if (typeof out !== 'function') return out;
  return { write: (bytes) => void out(bytes.slice()) };
}

/** The WASI options of `options`, every object adapted through `settler`. */
function wasiOptions(options: AsyncRunOptions, settler: Settler | undefined): WASIOptions {
  const preopens: Record<string, Directory> = {};
  for (const [name, dir] of Object.entries(options.preopens ?? {})) preopens[name] = fromAsyncDirectory(dir, settler);
  const out: WASIOptions = { args: options.args ?? [], env: options.env ?? {}, preopens };
  if (options.stdin !== undefined) out.stdin = fromAsyncSource(options.stdin, settler);
  if (options.stdout !== undefined) out.stdout = fromAsyncSink(sinkOf(options.stdout), settler);
  if (options.stderr !== undefined) out.stderr = fromAsyncSink(sinkOf(options.stderr), settler);
  return out;
}

/**
 * Runs a command in this thread with JSPI. Resolves to its exit code; rejects with the
 * WebAssembly.RuntimeError of a trap, as `WASI.start` throws it.
 */
export async function runSuspending(module: WebAssembly.Module, options: AsyncRunOptions = {}): Promise<AsyncRunResult> {
  const wasi = new WASI({ ...wasiOptions(options, undefined), async: true });
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  return { exitCode: await wasi.startAsync(instance) };
}

/** What the owner needs of a worker: posting to it, hearing from it, and ending it. */
export interface GuestWorker {
  postMessage(message: unknown): void;
  /** Registers the handlers of the worker's messages and of its failure (it could not start). */
  listen(onMessage: (message: unknown) => void, onError: (error: Error) => void): void;
  /** Ends the worker; a promise settles once its thread and what it held are gone. */
  terminate(): void | Promise<unknown>;
}

/** The message that starts a guest in a worker. */
interface StartMessage {
  readonly iotypes: 'start';
  readonly module: WebAssembly.Module;
  readonly shared: SharedArrayBuffer;
  /** The arguments, environment and the stubs' descriptions, encoded by the owner. */
  readonly setup: Uint8Array;
}

/** What the worker reports when the guest is done. */
type EndMessage =
  | { readonly iotypes: 'exit'; readonly code: number }
  | { readonly iotypes: 'trap'; readonly message: string }
  | { readonly iotypes: 'error'; readonly message: string };

/**
 * The owner's side of a worker run: sends the module and the stubs' descriptions to `worker`
 * (which runs `guestMain`), answers its operations until the guest ends, then ends the worker.
 * Resolves to the exit code; rejects with a WebAssembly.RuntimeError when the guest trapped and
 * with an Error when something else failed (an operation that threw other than a WasiError).
 */
export function hostGuest(module: WebAssembly.Module, options: WorkerRunOptions, worker: GuestWorker): Promise<AsyncRunResult> {
  const owner = new RemoteOwner(remoteBuffer(options.bufferBytes ?? DEFAULT_REMOTE_BUFFER));
  const setup = owner.encode({
    args: options.args ?? [],
    env: options.env ?? {},
    preopens: options.preopens ?? {},
    stdin: options.stdin,
    stdout: options.stdout === undefined ? undefined : sinkOf(options.stdout),
    stderr: options.stderr === undefined ? undefined : sinkOf(options.stderr),
  });
  return new Promise<AsyncRunResult>((resolve, reject) => {
    let ended = false;
    const end = (settle: () => void) => {
      if (ended) return;
      ended = true;
      // Closes the guest posted without waiting finish, and the worker is gone, before the run
      // is reported done.
      void (async () => {
        await owner.settled();
        owner.clear();
        try {
          await worker.terminate();
        } finally {
          settle();
        }
      })();
    };
    worker.listen(
      (message) => {
        if (owner.receive(message)) return;
        const m = message as EndMessage;
        if (m.iotypes === 'exit') end(() => resolve({ exitCode: m.code }));
        else if (m.iotypes === 'trap') end(() => reject(new WebAssembly.RuntimeError(m.message)));
        else if (m.iotypes === 'error') end(() => reject(new Error(m.message)));
      },
      (error) => end(() => reject(error)),
    );
    const start: StartMessage = { iotypes: 'start', module, shared: owner.shared, setup };
    worker.postMessage(start);
  });
}

interface Setup {
  args: string[];
  env: Record<string, string> | string[];
  preopens: Record<string, AsyncDirectory>;
  stdin?: AsyncSource;
  stdout?: AsyncSink;
  stderr?: AsyncSink;
}

/**
 * The worker's side: runs the guest of a start message synchronously, each operation of its
 * I/O objects blocking until the owner has answered, then posts how it ended.
 */
export function guestMain(message: unknown, post: (message: unknown, transfer: ArrayBuffer[]) => void): void {
  const start = message as Partial<StartMessage> | null;
  if (start?.iotypes !== 'start' || !(start.shared instanceof SharedArrayBuffer) || !(start.module instanceof WebAssembly.Module)) {
    throw new TypeError('iotypes: the worker expects the start message of hostGuest');
  }
  let end: EndMessage;
  try {
    const settler = new RemoteSettler(start.shared, post as Post);
    const setup = settler.decode(start.setup!) as Setup;
    const options: AsyncRunOptions = { args: setup.args, env: setup.env, preopens: setup.preopens };
    if (setup.stdin) options.stdin = setup.stdin;
    if (setup.stdout) options.stdout = setup.stdout;
    if (setup.stderr) options.stderr = setup.stderr;
    const wasi = new WASI(wasiOptions(options, settler));
    const instance = new WebAssembly.Instance(start.module, wasi.getImportObject());
    end = { iotypes: 'exit', code: wasi.start(instance) };
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) end = { iotypes: 'trap', message: e.message };
    else end = { iotypes: 'error', message: e instanceof Error ? e.message : String(e) };
  }
  post(end, []);
}
