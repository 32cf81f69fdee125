// One guest in a worker thread: racer.wasm with the host folder `box` preopened as "box", on the
// built package. workerData: { box, args, backend }: 'descriptor' or 'walk' (nodeDirectory with
// that addressing; the default: nodeDirectory's own), or 'async' (nodeAsyncDirectory, run with
// JSPI: the engine must have it).
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { WASI, anonymous, fromAsyncDirectory, toArray } from '../../dist/index.js';
import { nodeAsyncDirectory, nodeDirectory } from '../../dist/node.js';

const { box, args, backend } = workerData;
const async = backend === 'async';
const out = anonymous();
const wasi = new WASI({
  args: ['racer', ...args],
  preopens: { box: async ? fromAsyncDirectory(await nodeAsyncDirectory(box)) : nodeDirectory(box, { addressing: backend }) },
  stdout: toArray(out),
  async,
});
const module = new WebAssembly.Module(readFileSync(new URL('./racer.wasm', import.meta.url)));
const instance = new WebAssembly.Instance(module, wasi.getImportObject());
const status = async ? await wasi.startAsync(instance) : wasi.start(instance);
const bytes = new Uint8Array(out.len());
out.readAt(bytes, 0);
parentPort.postMessage({ status, stdout: new TextDecoder().decode(bytes) });
