// Runs one workload under one iotypes backend, for a CPU profile:
//   node --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.mjs memory|host MODE N [MIB]
// then summarize with: node bench/profile-top.mjs /tmp/prof/*.cpuprofile
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WASI, nullOutput } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { HostOutput, nodeDirectory } from 'iotypes/node';

const [backend, ...args] = process.argv.slice(2);
if (backend !== 'memory' && backend !== 'host') throw new Error('usage: profile.mjs memory|host MODE N [MIB]');
const module = new WebAssembly.Module(readFileSync(new URL('./bench.wasm', import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'iotypes-prof-'));
const devnull = openSync('/dev/null', 'w');
try {
  const box = backend === 'memory' ? new MemoryFS().root : nodeDirectory(dir);
  const stdout = backend === 'memory' ? nullOutput() : new HostOutput(devnull);
  const wasi = new WASI({ args: ['bench', ...args], preopens: { box }, stdout, stderr: new HostOutput(2) });
  const status = wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  box.close?.();
  if (status !== 0) process.exitCode = status;
} finally {
  closeSync(devnull);
  rmSync(dir, { recursive: true, force: true });
}
