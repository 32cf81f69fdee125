// Components in a real browser (Debian's Chromium, driven by playwright-core): every c-fixture,
// turned into a component and transpiled by jco (--instantiation), runs over the built
// iotypes/preview2 on the in-memory backend in a web page, with no Node.js API in sight.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, relative } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTER_LIMITS, componentOf, componentStatus, transpiledDir } from './support/components.js';
import { FIXTURES, fixtureNames, readSpec } from './support/fixtures.js';

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env['IOTYPES_REQUIRE_BROWSER']) throw new Error(`Chromium not found at ${CHROMIUM}`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/** The files of a spec folder, as guest path → base64. */
function folderFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(join(FIXTURES, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(FIXTURES, rel)).isDirectory()) Object.assign(out, folderFiles(rel));
    else out[rel] = readFileSync(join(FIXTURES, rel)).toString('base64');
  }
  return out;
}

// Without Chromium on this machine (`apt-get install chromium`), there is no browser to test in.
describe.skipIf(!available)('c-fixtures as components in Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
      const file = path === '' ? join(ROOT, 'test', 'browser', 'preview2.html') : join(ROOT, path);
      if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
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

  for (const name of fixtureNames()) {
    it(name, async () => {
      const spec = readSpec(name);
      const dir = await transpiledDir(await componentOf(readFileSync(join(FIXTURES, `${name}.wasm`))), `${name}.wasm`);
      const base = `/${relative(ROOT, dir).split('\\').join('/')}`;
      expect(base.startsWith('/..'), `the transpiled component must be under the served folder: ${dir}`).toBe(false);
      const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
      const got = await page.evaluate(
        ([n, b, s, f]) => (window as unknown as { runComponent: (...a: unknown[]) => Promise<Record<string, unknown>> }).runComponent(n, b, s, f),
        [name, base, spec, files] as const,
      );
      expect(got['error'], String(got['error'])).toBeUndefined();
      if (name in ADAPTER_LIMITS) {
        expect(got['exitCode'], ADAPTER_LIMITS[name]).toBe(1);
        return;
      }
      expect(got['exitCode'], String(got['stderr'])).toBe(componentStatus(spec.exit_code ?? 0));
      if (spec.stdout !== undefined) expect(got['stdout']).toBe(spec.stdout);
      if (spec.stderr !== undefined) expect(got['stderr']).toBe(spec.stderr);
    });
  }
});
