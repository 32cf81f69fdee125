// The cost of the suspending path (JSPI), per call: small calls of bench/bench.c under
//   sync          WASI's synchronous path, synchronous objects (MemoryFS, nullOutput);
//   jspi          WASI({ async: true }) + startAsync, the same synchronous objects: what the
//                 Suspending wrapper and the replay log cost when nothing waits;
//   jspi+promise  WASI({ async: true }), asynchronous objects answering every operation with an
//                 already resolved promise: the guest suspends and its call runs again each time;
//   host sync     nodeDirectory (node:fs, synchronous);
//   host async    nodeAsyncDirectory (node:fs/promises, through libuv's thread pool) under JSPI.
// Each workload times its own loop inside the guest; the figure is the median of the rounds.
// Needs an engine with JSPI (Node.js 26). Run after `npm run build`:
//
//   node bench/jspi.mjs [--quick] [--tiny] [--json] [--rounds N]
//
// `npm run bench` runs it too, under Node 26 when it finds one (see bench/run.mjs).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jspiTable } from './jspi-table.mjs';

const argv = process.argv.slice(2);
const known = new Set(['--quick', '--tiny', '--json', '--rounds']);
for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}`);
const flag = (name) => argv.includes(name);
const quick = flag('--quick');
const tiny = flag('--tiny');
const json = flag('--json');
const roundsAt = argv.indexOf('--rounds');
const ROUNDS = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : tiny ? 1 : quick ? 3 : 5;
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) throw new Error('--rounds takes a positive integer');

const { WASI, hasJspi, nullOutput, anonymous, toArray, fromAsyncDirectory, fromAsyncSink } = await import('iotypes');
const { MemoryFS } = await import('iotypes/memory');
const { nodeDirectory, nodeAsyncDirectory } = await import('iotypes/node');

if (!hasJspi()) {
  const message = `bench/jspi.mjs: ${process.version} has no JSPI (WebAssembly.Suspending); run it with Node.js 26`;
  if (json) process.stdout.write(JSON.stringify({ skipped: message }));
  else console.log(message);
  process.exit(0);
}

const module = new WebAssembly.Module(readFileSync(new URL('./bench.wasm', import.meta.url)));

// Asynchronous twins of the synchronous objects: every operation answers with a resolved promise.
const promisedArray = (a) => ({
  read: (offset, length) => {
    const buf = new Uint8Array(length);
    return Promise.resolve(buf.subarray(0, a.readAt(buf, offset)));
  },
  write: (offset, bytes) => Promise.resolve(void a.writeAt(bytes, offset)),
  len: () => Promise.resolve(a.len()),
  setLen: (len) => Promise.resolve(void a.setLen(len)),
});
const promisedFile = (f) => ({
  array: promisedArray(f.array),
  stat: () => Promise.resolve(f.stat()),
  setTimes: (a, m) => Promise.resolve(f.setTimes(a, m)),
  close: () => Promise.resolve(f.close?.()),
});
/** `dir` answering each operation this benchmark makes with a resolved promise. */
function promisedDir(dir) {
  const unused = () => Promise.reject(new Error('not used by this benchmark'));
  return {
    readOnly: dir.readOnly,
    statSelf: () => Promise.resolve(dir.statSelf()),
    setTimesSelf: (a, m) => Promise.resolve(dir.setTimesSelf(a, m)),
    stat: (name) => Promise.resolve(dir.stat(name)),
    setTimes: (name, a, m) => Promise.resolve(dir.setTimes(name, a, m)),
    openDir: (name) => Promise.resolve(promisedDir(dir.openDir(name))),
    openFile: (name, options) => Promise.resolve(promisedFile(dir.openFile(name, options))),
    entries: () => Promise.resolve([...dir.entries()]),
    readlink: (name) => Promise.resolve(dir.readlink(name)),
    symlink: unused, mkdir: unused, rmdir: unused, unlink: unused, link: unused, rename: unused,
  };
}

/** Parses the guest's "BENCH <ns> <ops>" line. */
function report(err, status) {
  const bytes = new Uint8Array(err.len());
  err.readAt(bytes, 0);
  const text = new TextDecoder().decode(bytes);
  const m = /BENCH (\d+) (\d+)/.exec(text);
  if (status !== 0 || !m) throw new Error(`bench exited ${status}: ${text.trim()}`);
  return Number(m[1]) / Number(m[2]);
}

/** The configurations: each runs `bench ...args` and resolves to ns per operation. */
const configs = {
  sync: async (args) => {
    const err = anonymous();
    const wasi = new WASI({ args: ['bench', ...args], preopens: { box: new MemoryFS().root }, stdout: nullOutput(), stderr: toArray(err) });
    return report(err, wasi.start(new WebAssembly.Instance(module, wasi.getImportObject())));
  },
  jspi: async (args) => {
    const err = anonymous();
    const wasi = new WASI({ args: ['bench', ...args], preopens: { box: new MemoryFS().root }, stdout: nullOutput(), stderr: toArray(err), async: true });
    return report(err, await wasi.startAsync(new WebAssembly.Instance(module, wasi.getImportObject())));
  },
  'jspi+promise': async (args) => {
    const err = anonymous();
    const out = nullOutput();
    const wasi = new WASI({
      args: ['bench', ...args],
      preopens: { box: fromAsyncDirectory(promisedDir(new MemoryFS().root)) },
      stdout: fromAsyncSink({ write: (bytes) => Promise.resolve(void out.write(bytes)) }),
      stderr: toArray(err),
      async: true,
    });
    return report(err, await wasi.startAsync(new WebAssembly.Instance(module, wasi.getImportObject())));
  },
  'host sync': async (args) => inFolder(async (dir) => {
    const err = anonymous();
    const box = nodeDirectory(dir);
    const wasi = new WASI({ args: ['bench', ...args], preopens: { box }, stdout: nullOutput(), stderr: toArray(err) });
    try {
      return report(err, wasi.start(new WebAssembly.Instance(module, wasi.getImportObject())));
    } finally {
      box.close?.();
    }
  }),
  'host async': async (args) => inFolder(async (dir) => {
    const err = anonymous();
    const box = fromAsyncDirectory(await nodeAsyncDirectory(dir));
    const wasi = new WASI({ args: ['bench', ...args], preopens: { box }, stdout: nullOutput(), stderr: toArray(err), async: true });
    try {
      return report(err, await wasi.startAsync(new WebAssembly.Instance(module, wasi.getImportObject())));
    } finally {
      box.close?.();
    }
  }),
};

async function inFolder(fn) {
  const dir = mkdtempSync(join(tmpdir(), 'iotypes-jspi-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const N = tiny ? 2_000 : quick ? 100_000 : 1_000_000;
const rows = [
  { id: 'seek', what: 'lseek(fd, 0, SEEK_CUR) on a file (no I/O object involved)', configs: ['sync', 'jspi', 'jspi+promise', 'host sync', 'host async'] },
  { id: 'fstat', what: 'fstat of an open file', configs: ['sync', 'jspi', 'jspi+promise', 'host sync', 'host async'] },
  { id: 'write1', what: '1-byte write to a file', configs: ['sync', 'jspi', 'jspi+promise', 'host sync', 'host async'] },
  { id: 'stdout1', what: '1-byte write to stdout (a null stream)', configs: ['sync', 'jspi', 'jspi+promise'] },
];
/** Wall time one configuration may spend on one row's rounds; a slower one runs fewer calls. */
const BUDGET_MS = tiny ? 1_000 : quick ? 3_000 : 10_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const results = [];
for (const row of rows) {
  // A warm-up at 1/10 sizes each configuration to the budget.
  const plan = {};
  for (const id of row.configs) {
    const small = Math.max(1, Math.round(N / 10));
    const perOp = await configs[id]([row.id, String(small)]);
    plan[id] = Math.max(1, Math.min(N, Math.round((BUDGET_MS * 1e6) / ROUNDS / perOp)));
  }
  const samples = Object.fromEntries(row.configs.map((id) => [id, []]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const id of row.configs) samples[id].push(await configs[id]([row.id, String(plan[id])]));
  }
  const figures = Object.fromEntries(row.configs.map((id) => [id, { nsPerOp: median(samples[id]), n: plan[id], runs: samples[id] }]));
  results.push({ id: row.id, what: row.what, results: figures });
}

if (json) {
  process.stdout.write(JSON.stringify({ node: process.version, rounds: ROUNDS, rows: results }));
} else {
  console.log(`JSPI cost per call, ${process.version}, ${ROUNDS} round(s), medians (ratio to the synchronous path of the same backend)\n`);
  console.log(jspiTable(results));
}
