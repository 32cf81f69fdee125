// One guest in a worker thread: racer.wasm with the host folder `box` preopened as "box", on the
// built package. workerData: { box, args, addressing }.
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { WASI, anonymous, toArray } from '../../dist/index.js';
import { nodeDirectory } from '../../dist/node.js';

const { box, args, addressing } = workerData;
const out = anonymous();
const wasi = new WASI({
  args: ['racer', ...args],
  preopens: { box: nodeDirectory(box, { addressing }) },
  stdout: toArray(out),
});
const module = new WebAssembly.Module(readFileSync(new URL('./racer.wasm', import.meta.url)));
const status = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
const bytes = new Uint8Array(out.len());
out.readAt(bytes, 0);
parentPort.postMessage({ status, stdout: new TextDecoder().decode(bytes) });
