// Runs a c-fixture through whatever `node:wasi` resolves to, in this thread or in a worker
// thread, and prints what happened as JSON: the exit code, and whether Node's own node:wasi
// was loaded in the thread that ran it.
// Usage: node [flags] register-child.mjs main|worker FIXTURE FOLDER [install-options-json]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const FIXTURES = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', 'c-fixtures');

async function runFixture(name, folder) {
  const { WASI } = await import('node:wasi');
  const { WASI: Bare } = await import('wasi');
  const wasi = new WASI({ version: 'preview1', args: [name], preopens: { 'fs.dir': folder }, stdin: 0, stdout: 2, stderr: 2 });
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(FIXTURES, `${name}.wasm`))), wasi.getImportObject());
  const exitCode = wasi.start(instance);
  return { exitCode, sameClass: WASI === Bare, nodeWasiLoaded: process.moduleLoadList.includes('NativeModule wasi') };
}

if (isMainThread) {
  const [where, name, folder, installOptions] = process.argv.slice(2);
  if (installOptions !== undefined) (await import('iotypes/register/install')).install(JSON.parse(installOptions));
  let result;
  if (where === 'worker') {
    const worker = new Worker(new URL(import.meta.url), { workerData: { name, folder } });
    result = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } else {
    result = await runFixture(name, folder);
  }
  process.stdout.write(JSON.stringify(result));
} else {
  parentPort.postMessage(await runFixture(workerData.name, workerData.folder));
}
