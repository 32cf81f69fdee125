// Layer: adapters/node. Imports src/async-run and node:* only.
// Runs a command over asynchronous I/O objects (node:fs/promises, sockets, anything that answers
// through promises) on Node.js without JSPI: the guest runs in a worker thread, blocked on a
// SharedArrayBuffer while this thread answers each operation (src/async-run.ts).

import { Worker } from 'node:worker_threads';
import { hostGuest, type AsyncRunResult, type WorkerRunOptions } from '../../src/async-run.js';

export interface NodeWorkerOptions extends WorkerRunOptions {
  /** The worker script (default: node-worker.js beside this module, as the package ships it). */
  workerUrl?: URL | string;
}

/**
 * Runs the command in a worker thread while this thread runs each operation of `options`'
 * asynchronous objects. Resolves to the exit code; rejects with a WebAssembly.RuntimeError when
 * the guest traps.
 */
export async function runInWorker(module: WebAssembly.Module | BufferSource, options: NodeWorkerOptions = {}): Promise<AsyncRunResult> {
  const compiled = module instanceof WebAssembly.Module ? module : await WebAssembly.compile(module);
  const worker = new Worker(options.workerUrl ?? new URL('./node-worker.js', import.meta.url));
  return hostGuest(compiled, options, {
    postMessage: (message) => worker.postMessage(message),
    listen(onMessage, onError) {
      worker.on('message', onMessage);
      worker.on('error', (e) => onError(e instanceof Error ? e : new Error(String(e))));
      worker.on('exit', (code) => onError(new Error(`iotypes: the worker thread ended (exit code ${code}) before the guest did`)));
    },
    terminate: () => worker.terminate(),
  });
}
