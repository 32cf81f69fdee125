// Benchmark: opfsDirectory's file I/O in Chromium, on a page's main thread (getFile() and a
// writable per open file) and in a dedicated worker (sync access handles): 16 MiB written in
// 64 KiB writes, read back in 64 KiB reads, then 20 pairs of a 4 KiB write and a 4 KiB read on
// that 16 MiB file. Run after `npm run build`:  node bench/opfs.mjs [rounds]
// Needs Chromium (CHROMIUM_PATH, default /usr/bin/chromium); prints one JSON line per run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const rounds = Number(process.argv[2] ?? 2);

const server = createServer((req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
  if (path === '') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>opfs bench</title>');
  const file = join(ROOT, path);
  if (!file.startsWith(ROOT) || !existsSync(file)) return res.writeHead(404).end();
  res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const profile = mkdtempSync(join(tmpdir(), 'iotypes-opfs-bench-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox'],
});
const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`http://127.0.0.1:${server.address().port}/`);

/** Runs in the page or in the worker. */
const measure = async (access, origin) => {
  const { opfsDirectory } = await import(`${origin}/dist/browser.js`);
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(`bench-${access}`, { create: true });
  const dir = opfsDirectory(folder, { access });
  const f = await dir.openFile('f', { create: true, write: true, truncate: true });
  const chunk = new Uint8Array(65536).fill(7);
  let t = performance.now();
  for (let i = 0; i < 256; i++) await f.array.write(i * 65536, chunk);
  await f.array.flush();
  const write = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 256; i++) await f.array.read(i * 65536, 65536);
  const read = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 20; i++) {
    await f.array.write(i * 4096, chunk.subarray(0, 4096));
    await f.array.read(i * 4096, 4096);
  }
  const pair = (performance.now() - t) / 20;
  await f.close();
  await dir.settled();
  await root.removeEntry(`bench-${access}`, { recursive: true });
  return { access, write16MiBMs: Math.round(write), read16MiBMs: Math.round(read), writeReadPairMs: Number(pair.toFixed(2)) };
};

try {
  for (let i = 0; i < rounds; i++) {
    console.log(JSON.stringify({ where: 'main thread', ...(await page.evaluate(`(${measure})('writable', location.origin)`)) }));
    const inWorker = `new Promise((resolve) => {
      const src = 'const measure = ' + ${JSON.stringify(measure.toString())} + '; measure("sync", ' + JSON.stringify(location.origin) + ').then(postMessage, (e) => postMessage(String(e)));';
      const w = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })), { type: 'module' });
      w.onmessage = (e) => { w.terminate(); resolve(e.data); };
    })`;
    console.log(JSON.stringify({ where: 'worker', ...(await page.evaluate(inWorker)) }));
  }
} finally {
  await context.close();
  server.close();
  rmSync(profile, { recursive: true, force: true });
}
