// Layer: compat (build entry `threads/worker`, started as a Worker by runThreaded, not imported).
// Imports this folder, @emnapi/wasi-threads and node:* only.
// One wasi-threads thread: instantiates the module over the shared memory with a WASI of its
// own, then runs `wasi_thread_start` whenever the main thread hands it a thread to start
// (@emnapi/wasi-threads' ThreadMessageHandler does the protocol).

import { ThreadMessageHandler, WASIThreads, type MessageEventData, type WorkerMessageType } from '@emnapi/wasi-threads';
import { parentPort, workerData } from 'node:worker_threads';
import { threadImports, threadWasi, type ThreadSetup } from './shared.js';

const setup = workerData as ThreadSetup;
const port = parentPort;
if (port === null) throw new Error('iotypes/threads: the worker script runs only as a Worker');

const handler = new ThreadMessageHandler({
  postMessage: (message: unknown) => port.postMessage(message),
  onLoad({ wasmModule, wasmMemory }) {
    const wasi = threadWasi(setup);
    const threads = new WASIThreads({ wasi, childThread: true, postMessage: (message: unknown) => port.postMessage(message) });
    const instance = new WebAssembly.Instance(wasmModule, threadImports(setup, wasi, threads, wasmMemory));
    // The thread shares the main thread's memory and runs no _start: attach the memory only.
    wasi.initialize({ exports: { memory: wasmMemory } });
    threads.setup(instance, wasmModule, wasmMemory);
    return { module: wasmModule, instance };
  },
});
port.on('message', (data: MessageEventData<WorkerMessageType>) => handler.handle({ data }));
