#!/usr/bin/env node
// Browser benchmarks: bench.wasm in Debian's Chromium (playwright-core), in one page, under
// iotypes on the in-memory backend (synchronous, and through JSPI with objects that answer at
// once: the cost of the suspending path), and @bjorn3/browser_wasi_shim. Rounds alternate the
// runtimes; figures are medians; ratios are to browser_wasi_shim in the same run.
//
//   node bench/browser.mjs [--rounds N] [--quick] [--tiny] [--json]
//
// Needs `npm run build` first (npm run bench:browser does it) and /usr/bin/chromium (or
// CHROMIUM_PATH).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const argv = process.argv.slice(2);
const flag = (f) => argv.includes(f);
const option = (f, d) => (argv.includes(f) ? argv[argv.indexOf(f) + 1] : d);
const json = flag('--json');
const tiny = flag('--tiny');
const quick = flag('--quick') || tiny;
const rounds = Number(option('--rounds', tiny ? 1 : quick ? 3 : 5));
const scale = tiny ? 0.01 : quick ? 0.2 : 1;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`bench/browser.mjs: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}
if (!existsSync(join(ROOT, 'dist', 'index.js'))) {
  console.error('bench/browser.mjs: dist/ is missing: run npm run build first');
  process.exit(2);
}

const n = (x) => Math.max(10, Math.round(x * scale));
const ROWS = [
  { id: 'churn', label: 'create + write 16 B + close, then unlink, per file operation', args: ['churn', String(n(5000))] },
  { id: 'write1', label: '1-byte write to a file', args: ['write1', String(n(200000))] },
  { id: 'seek', label: 'lseek(fd, 0, SEEK_CUR)', args: ['seek', String(n(1000000))], mib: true },
  { id: 'openstat', label: 'open + fstat + close, over 1,000 files', args: ['openstat', String(n(20000))] },
  { id: 'readdir', label: 'readdir, per entry', args: ['readdir', String(n(5000))] },
];
const RUNTIMES = ['iotypes', 'iotypes-jspi', 'browser_wasi_shim'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
  const file = join(ROOT, path === '' ? 'bench/browser.html' : path);
  if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) return void res.writeHead(404).end();
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'] });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error('page error:', e));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready === true, null, { timeout: 60_000 });
  const jspi = await page.evaluate(() => window.jspi);
  const runtimes = RUNTIMES.filter((r) => r !== 'iotypes-jspi' || jspi);
  const version = browser.version();
  for (const row of ROWS) {
    const samples = Object.fromEntries(runtimes.map((r) => [r, []]));
    for (let round = 0; round < rounds; round++) {
      for (const r of runtimes) {
        const args = row.args;
        const got = await page.evaluate(([rt, a]) => window.runBench(rt, a), [r, args]);
        samples[r].push(got.ns / got.ops);
      }
    }
    results[row.id] = { label: row.label, n: Number(row.args[1]), unit: 'ns', ...Object.fromEntries(runtimes.map((r) => [r, median(samples[r])])) };
    if (!json) process.stderr.write(`${row.id} done\n`);
  }
  const setupRuns = tiny ? 5 : quick ? 50 : 200;
  const setup = Object.fromEntries(runtimes.map((r) => [r, []]));
  let output;
  for (let round = 0; round < rounds; round++) {
    for (const r of runtimes) {
      const got = await page.evaluate(([rt, k]) => window.runSetup(rt, k), [r, setupRuns]);
      output ??= got.output;
      if (got.output !== output) throw new Error(`${r} printed ${JSON.stringify(got.output)}, others ${JSON.stringify(output)}`);
      setup[r].push(got.us * 1000);
    }
  }
  results.setup = { label: 'a whole run of a hello-world program (new WASI, instantiate, _start)', n: setupRuns, unit: 'ns', ...Object.fromEntries(runtimes.map((r) => [r, median(setup[r])])) };
  if (json) {
    console.log(JSON.stringify({ chromium: version, rounds, quick, tiny, runtimes, results }, null, 2));
  } else {
    const fmt = (ns) => (ns >= 10000 ? `${(ns / 1000).toFixed(1)} µs` : `${ns.toFixed(ns >= 100 ? 0 : 1)} ns`);
    console.log(`Chromium ${version}, ${rounds} rounds, medians per operation; (x) = time relative to browser_wasi_shim\n`);
    console.log(`| workload | ${runtimes.join(' | ')} |`);
    console.log(`| --- | ${runtimes.map(() => '---').join(' | ')} |`);
    for (const r of Object.values(results)) {
      const base = r.browser_wasi_shim;
      console.log(`| ${r.label} (n=${r.n.toLocaleString('en-US')}) | ${runtimes.map((rt) => `${fmt(r[rt])}${rt === 'browser_wasi_shim' ? '' : ` (${(r[rt] / base).toFixed(2)}x)`}`).join(' | ')} |`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
