// Ruby 3.4 (ruby.wasm with its standard library) run by iotypes through @ruby/wasm-wasi's own glue,
// with iotypes' node:wasi drop-in where the glue expects node:wasi's WASI. The only change from a
// node:wasi program is the import line. Ruby runs an interpreter loop, then writes a file of a few
// MiB into a preopened host folder, overwrites part of it, and reads it back.
//
// Run: npm run build && node examples/ruby.mjs [iterations] [MiB] [--json]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RubyVM } from '@ruby/wasm-wasi';
import { WASI } from 'iotypes/node-wasi'; // instead of: import { WASI } from 'node:wasi';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const iterations = Number(positional[0] ?? 3_000_000);
const mebibytes = Number(positional[1] ?? 8);
const json = process.argv.includes('--json');
const say = (line) => {
  if (!json) console.log(line);
};
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const binary = createRequire(import.meta.url).resolve('@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm');
const folder = mkdtempSync(join(tmpdir(), 'iotypes-ruby-'));
try {
  let t = performance.now();
  const module = await WebAssembly.compile(readFileSync(binary));
  const wasi = new WASI({ version: 'preview1', returnOnExit: true, preopens: { '/data': folder } });
  const { vm } = await RubyVM.instantiateModule({ module, wasip1: wasi });
  const startup = performance.now() - t;
  say(`ruby ${vm.eval('RUBY_VERSION')} (${vm.eval('RUBY_PLATFORM')}) on iotypes/node-wasi, ready in ${seconds(startup)}`);

  t = performance.now();
  const sum = vm.eval(`s = 0; i = 0; while i < ${iterations}; s += i; i += 1; end; s`).toString();
  const loop = performance.now() - t;
  say(`loop: ${iterations} iterations, sum ${sum}, ${seconds(loop)}`);

  t = performance.now();
  const report = vm.eval(`
    chunk = (0..255).map(&:chr).join.b * 4096           # 1 MiB holding every byte value
    File.open("/data/big.bin", "wb") { |f| ${mebibytes}.times { f.write(chunk) } }
    File.open("/data/big.bin", "r+b") { |f| f.seek(123_457); f.write("iotypes") }  # overwrite in place
    data = File.binread("/data/big.bin")
    expected = chunk * ${mebibytes}
    expected[123_457, 7] = "iotypes"
    [data.bytesize, data == expected, data.sum(32), File.size("/data/big.bin")].join(",")
  `).toString();
  const file = performance.now() - t;
  const [size, same, checksum, statSize] = report.split(',');

  // The host sees the same bytes in the preopened folder.
  const onHost = readFileSync(join(folder, 'big.bin'));
  let hostSum = 0;
  for (const b of onHost) hostSum = (hostSum + b) >>> 0;
  const hostAgrees = onHost.length === Number(size) && hostSum === Number(checksum);
  say(`file: ${size} bytes written, overwritten in place and read back in ${seconds(file)}; ` +
    `${same === 'true' ? 'identical' : 'DIFFERENT'}; host copy ${hostAgrees ? 'identical' : 'DIFFERENT'}`);

  const result = {
    ruby: vm.eval('RUBY_VERSION').toString(), startupMs: Math.round(startup),
    iterations, sum, loopMs: Math.round(loop),
    bytes: Number(size), statSize: Number(statSize), identical: same === 'true', hostAgrees, fileMs: Math.round(file),
  };
  if (json) console.log(`RESULT ${JSON.stringify(result)}`);
  if (!result.identical || !hostAgrees || BigInt(sum) !== (BigInt(iterations) * BigInt(iterations - 1)) / 2n) process.exitCode = 1;
} finally {
  rmSync(folder, { recursive: true, force: true });
}
