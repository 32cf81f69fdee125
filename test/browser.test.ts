// The built package in a real browser (Debian's Chromium, driven by playwright-core): every
// c-fixture runs on the in-memory backend in a web page, with no Node.js API in sight; and again
// through runInWorker (iotypes/browser), the guest in a module Worker and its directories and stdio
// asynchronous objects of the page. The server sends the cross-origin isolation headers (COOP and
// COEP) that SharedArrayBuffer needs, except for a URL with `?noisolation`.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureNames, readSpec } from './support/fixtures.js';

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// CI installs Chromium and sets IOTYPES_REQUIRE_BROWSER=1, so there the suite can never skip.
const available = existsSync(CHROMIUM);
if (!available && process.env['IOTYPES_REQUIRE_BROWSER']) throw new Error(`Chromium not found at ${CHROMIUM}`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** The files of a spec folder, as guest path → base64. */
function folderFiles(dir: string, prefix = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(FIXTURES, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(FIXTURES, rel)).isDirectory()) Object.assign(out, folderFiles(rel, prefix));
    else out[rel] = readFileSync(join(FIXTURES, rel)).toString('base64');
  }
  return out;
}

// Without Chromium on this machine (`apt-get install chromium`), there is no browser to test in.
describe.skipIf(!available)('c-fixtures in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
      const file = path === '' ? join(ROOT, 'test', 'browser', 'page.html') : join(ROOT, path);
      if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      const isolation = new URL(req.url ?? '/', 'http://x').searchParams.has('noisolation')
        ? {}
        : { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', ...isolation }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage();
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('has no Node.js globals in the page', async () => {
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  // A sample through the browser_wasi_shim drop-in, as its users run it in a page (every fixture
  // runs through it in Node, in test/compat-browser-wasi-shim.test.ts).
  const SHIM_SAMPLE = ['stdio_hello', 'args_non_ascii', 'env_non_ascii', 'open_creat', 'open_excl', 'readdir_3000', 'symlink_readlink', 'lseek_set_cur_end', 'rename_file_overwrite', 'link_hard', 'poll_timeout', 'utimensat_nsec', 'pwrite_5gib', 'abort_trap'];
  for (const name of SHIM_SAMPLE) {
    it(`${name} through iotypes/browser-wasi-shim`, async () => {
      const spec = readSpec(name);
      const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
      const got = await page.evaluate(
        ([n, s, f]) => (window as unknown as { runShim: (...a: unknown[]) => Promise<Record<string, unknown>> }).runShim(n, s, f),
        [name, spec, files] as const,
      );
      expect(got['error'], String(got['error'])).toBeUndefined();
      expect(got['exitCode'], String(got['stderr'])).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got['stdout']).toBe(spec.stdout);
      if (name === 'link_hard') expect(got['listing']).toEqual(['hard.txt', 'subdir']); // the guest's changes reach the page's objects
    });
  }

  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
      const got = await page.evaluate(
        ([n, s, f]) => (window as unknown as { runFixture: (...a: unknown[]) => Promise<Record<string, unknown>> }).runFixture(n, s, f),
        [name, spec, files] as const,
      );
      expect(got['error'], String(got['error'])).toBeUndefined();
      expect(got['exitCode'], String(got['stderr'])).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got['stdout']).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got['stderr']).toBe(spec.stderr);
    });
  }

  describe('through runInWorker (asynchronous objects in the page, the guest in a worker)', () => {
    let workerPage: Page;
    beforeAll(async () => {
      workerPage = await browser.newPage();
      workerPage.on('pageerror', (e) => console.error('worker page error:', e));
      await workerPage.goto(`http://127.0.0.1:${port}/test/browser/worker.html`);
      await workerPage.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    }, 60_000);

    const runIn = (p: Page, name: string, how = 'worker') => {
      const spec = readSpec(name);
      const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
      return p.evaluate(
        ([n, s, f, h]) => (window as unknown as { runFixture: (...a: unknown[]) => Promise<Record<string, unknown>> }).runFixture(n, s, f, h),
        [name, spec, files, how] as const,
      );
    };

    it('is a cross-origin isolated page', async () => {
      expect(await workerPage.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    });

    for (const name of fixtureNames()) {
      it(name, async () => {
        const spec = readSpec(name);
        const got = await runIn(workerPage, name);
        expect(got['error'], String(got['error'])).toBeUndefined();
        expect(got['exitCode'], String(got['stderr'])).toBe(spec.exit_code ?? 0);
        if (spec.stdout !== undefined) expect(got['stdout']).toBe(spec.stdout);
        if (spec.stderr !== undefined) expect(got['stderr']).toBe(spec.stderr);
        if (name === 'link_hard') expect(got['listing']).toContain('hard.txt'); // the guest's changes reach the page's objects
      });
    }

    it('made the guests wait on promises of the page', async () => {
      expect(await workerPage.evaluate(() => (window as unknown as { promises: number }).promises)).toBeGreaterThan(fixtureNames().length * 10);
    });

    it('run() takes JSPI in this Chromium, and either runner can be forced', async () => {
      for (const how of ['jspi', 'worker']) {
        const got = await runIn(workerPage, 'stdio_stdin_echo', how);
        expect(got['error'], String(got['error'])).toBeUndefined();
        expect(got['stdout']).toBe(readSpec('stdio_stdin_echo').stdout);
      }
      const chosen = await workerPage.evaluate(() => (window as unknown as { chooseRunner: () => string }).chooseRunner());
      expect(chosen).toBe('jspi');
    });

    it('refuses in a page that is not cross-origin isolated, saying which headers to send', async () => {
      const plain = await browser.newPage();
      try {
        await plain.goto(`http://127.0.0.1:${port}/test/browser/worker.html?noisolation`);
        await plain.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
        expect(await plain.evaluate(() => globalThis.crossOriginIsolated)).toBe(false);
        const got = await plain.evaluate(() => (window as unknown as { tryWorker: () => Promise<Record<string, unknown>> }).tryWorker());
        expect(got['error']).toMatch(/needs cross-origin isolation.*Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp.*JSPI/);
      } finally {
        await plain.close();
      }
    });
  });
});
