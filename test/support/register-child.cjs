// The CommonJS twin of register-child.mjs (main thread only): `require('node:wasi')`.
// Usage: node [flags] register-child.cjs FIXTURE FOLDER
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [name, folder] = process.argv.slice(2);
const { WASI } = require('node:wasi');
const wasi = new WASI({ version: 'preview1', args: [name], preopens: { 'fs.dir': folder }, stdin: 0, stdout: 2, stderr: 2 });
const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(join(__dirname, '..', '..', 'c-fixtures', `${name}.wasm`))), wasi.getImportObject());
const exitCode = wasi.start(instance);
process.stdout.write(JSON.stringify({ exitCode, sameClass: WASI === require('wasi').WASI, nodeWasiLoaded: process.moduleLoadList.includes('NativeModule wasi') }));
