// Test support (a child process of test/support/compat.ts). Runs fixtures through node:wasi or a
// drop-in for it, given as argv[2] ("node:wasi" or a module URL), following the plan in argv[3]:
// each fixture's stdio are the pipes whose numbers the plan gives. Prints the exit codes as JSON.
import { closeSync, readFileSync, writeSync } from 'node:fs';

const [impl, planFile] = process.argv.slice(2);
const { WASI } = await import(impl);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const results = [];
for (const p of plan) {
  const wasi = new WASI({
    version: 'preview1', args: p.args, env: p.env, preopens: p.preopens,
    stdin: p.fds[0], stdout: p.fds[1], stderr: p.fds[2], returnOnExit: true,
  });
  const module = new WebAssembly.Module(readFileSync(p.wasm));
  let exitCode;
  let trap;
  try {
    exitCode = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    exitCode = 134;
    trap = e.message;
  }
  for (const fd of p.fds) closeSync(fd);
  results.push({ name: p.name, exitCode, ...(trap === undefined ? {} : { trap }) });
}
writeSync(1, JSON.stringify(results));
