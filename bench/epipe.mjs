// Benchmark: the cost of a write to a stdout whose reader is gone (EPIPE, sticky), through
// iotypes and through node:wasi. A guest calls fd_write(1, "x") N times in a loop; every call
// after the first fails. Run after `npm run build`:  node bench/epipe.mjs [N]
// The script runs itself as a child whose stdout is a pipe the parent has already closed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import wabt from 'wabt';
import { WASI } from 'iotypes';
import { nodeStdio } from 'iotypes/node';

const n = Number(process.argv[2] ?? 200_000);
if (!Number.isSafeInteger(n) || n <= 0) throw new Error('N must be a positive integer');

if (process.argv[3] !== '--child') {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), String(n), '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout.destroy(); // the reader is gone before the child writes anything
  child.on('exit', (code) => process.exit(code ?? 1));
} else {
  // loop(n): fd_write(1, iov at 0 → 1 byte at 16, 1, nwritten at 8) n times; returns the last errno.
  const wat = `(module
    (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "\\10\\00\\00\\00\\01\\00\\00\\00")
    (data (i32.const 16) "x")
    (func (export "_initialize"))
    (func (export "loop") (param $n i32) (result i32) (local $e i32)
      (block $done (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $e (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
      (local.get $e)))`;
  const w = await wabt();
  const module = new WebAssembly.Module(w.parseWat('epipe.wat', wat).toBinary({}).buffer);

  const runtimes = {
    iotypes: () => {
      const wasi = new WASI({ stdout: nodeStdio().stdout });
      const instance = new WebAssembly.Instance(module, wasi.getImportObject());
      wasi.initialize(instance);
      return instance.exports;
    },
    'node:wasi': () => {
      const wasi = new NodeWASI({ version: 'preview1', stdout: 1, returnOnExit: true });
      const instance = new WebAssembly.Instance(module, wasi.getImportObject());
      wasi.initialize(instance);
      return instance.exports;
    },
  };
  for (const [name, make] of Object.entries(runtimes)) {
    const exports = make();
    const first = exports.loop(1);
    const t0 = process.hrtime.bigint();
    const last = exports.loop(n);
    const ns = Number(process.hrtime.bigint() - t0);
    process.stderr.write(`${name.padEnd(10)} first errno ${first}, last errno ${last}: ${n} failing writes, ${(ns / n / 1000).toFixed(2)} µs each\n`);
  }
}
