// Layer: compat (public subpath `iotypes/threads`). Imports this folder, compat/node-wasi,
// @emnapi/wasi-threads and node:* only.
// Runs a wasi-threads command (wasm32-wasip1-threads: it imports a shared memory and
// `wasi.thread-spawn`, and exports `wasi_thread_start`) on Node.js: `thread-spawn` is
// @emnapi/wasi-threads', each thread is a Worker with its own iotypes WASI instance over the
// same shared memory.

import { WASIThreads } from '@emnapi/wasi-threads';
import { Worker } from 'node:worker_threads';
import type { WASIOptions } from '../node-wasi.js';
import { threadImports, threadWasi, type ThreadSetup } from './shared.js';

export interface ThreadedRunOptions {
  /** argv, including argv[0]. */
  args?: readonly string[];
  /** The environment. */
  env?: Readonly<Record<string, string>>;
  /** Guest path → host folder. */
  preopens?: Readonly<Record<string, string>>;
  /** Host descriptors for fds 0, 1 and 2 (default 0, 1, 2). */
  stdin?: number;
  stdout?: number;
  stderr?: number;
  /** Every preopen read-only (EROFS). */
  readOnly?: boolean;
  /** Print every call to stderr, in every thread. */
  trace?: boolean;
  /** Workers started before the program runs, so that a blocked main thread can still spawn. Default 4. */
  threads?: number;
}

/** Whether a module imports `wasi.thread-spawn` (a wasi-threads program). */
export function importsThreadSpawn(module: WebAssembly.Module): boolean {
  return WebAssembly.Module.imports(module).some((i) => i.module === 'wasi' && i.name === 'thread-spawn' && i.kind === 'function');
}

/** The memory a module imports: where from, and its limits (read from the import section). */
export function memoryImport(bytes: Uint8Array): { module: string; name: string; initial: number; maximum: number | undefined; shared: boolean } | undefined {
  let p = 8;
  const u32 = (): number => {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = bytes[p++];
      if (b === undefined) throw new Error('iotypes/threads: the module ends inside its import section');
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  };
  const decoder = new TextDecoder();
  const name = () => {
    const len = u32();
    const s = decoder.decode(bytes.subarray(p, p + len));
    p += len;
    return s;
  };
  const limits = () => {
    const flags = u32();
    const initial = u32();
    const maximum = flags & 1 ? u32() : undefined;
    return { initial, maximum, shared: (flags & 2) !== 0 };
  };
  while (p < bytes.length) {
    const id = bytes[p++]!;
    const size = u32();
    const end = p + size;
    if (id !== 2) {
      p = end;
      continue;
    }
    for (let count = u32(); count > 0; count--) {
      const module = name();
      const field = name();
      const kind = bytes[p++];
      if (kind === 0) u32();
      else if (kind === 1) {
        p++;
        limits();
      } else if (kind === 2) return { module, name: field, ...limits() };
      else if (kind === 3) p += 2;
      else if (kind === 4) {
        p++;
        u32();
      } else throw new Error(`iotypes/threads: unknown import kind ${kind}`);
    }
    return undefined;
  }
  return undefined;
}

/**
 * Runs a wasi-threads command and resolves to its exit code once `_start` returns (or the
 * program calls proc_exit); the other threads are then stopped, as when a process ends.
 */
export async function runThreaded(bytes: Uint8Array<ArrayBuffer>, options: ThreadedRunOptions = {}): Promise<number> {
  const module = new WebAssembly.Module(bytes);
  if (!importsThreadSpawn(module)) throw new TypeError('runThreaded: the module does not import wasi.thread-spawn');
  const mem = memoryImport(bytes);
  if (mem === undefined || !mem.shared || mem.maximum === undefined) {
    throw new TypeError('runThreaded: a wasi-threads module imports a shared memory with a maximum size');
  }
  const wasiOptions: WASIOptions = {
    version: 'preview1',
    args: [...(options.args ?? [])],
    env: { ...options.env },
    preopens: { ...options.preopens },
    stdin: options.stdin ?? 0,
    stdout: options.stdout ?? 1,
    stderr: options.stderr ?? 2,
    returnOnExit: true,
  };
  const setup: ThreadSetup = {
    options: wasiOptions,
    extensions: { trace: options.trace === true, readOnly: options.readOnly === true },
    memoryImport: { module: mem.module, name: mem.name },
  };
  const workerUrl = new URL('./threads/worker.js', import.meta.url);
  const wasi = threadWasi(setup);
  const threads = new WASIThreads({
    wasi,
    onCreateWorker: () => new Worker(workerUrl, { workerData: setup }),
    reuseWorker: { size: options.threads ?? 4, strict: false },
    // The main thread blocks until the new thread has started (or failed to).
    waitThreadStart: 10_000,
  });
  const memory = new WebAssembly.Memory({ initial: mem.initial, maximum: mem.maximum, shared: true });
  const instance = new WebAssembly.Instance(module, threadImports(setup, wasi, threads, memory));
  threads.setup(instance, module, memory);
  await threads.preloadWorkers();
  let code: number;
  try {
    // The module may not export its memory: start() is shown the imported one.
    code = wasi.start({ exports: { ...instance.exports, memory } });
  } catch (e) {
    threads.terminateAllThreads();
    throw e;
  }
  // The process ends with _start, and with it the threads still running. Threads that have
  // just finished report so in messages still on their way: wait for those (briefly) before
  // stopping the rest.
  const running = threads.PThread?.pthreads ?? {};
  for (let ms = 0; ms < 100 && Object.keys(running).length > 0; ms++) await new Promise((resolve) => setTimeout(resolve, 1));
  threads.terminateAllThreads();
  return code;
}
