// The page of examples/web in a real browser (Debian's Chromium, driven by playwright-core),
// served by `npm run example:web` itself: a person picks a program, types into the terminal while
// it waits, reads its answers, and downloads a file it wrote. A screenshot of the conversation is
// kept in test-results/web-example.png.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// CI installs Chromium and sets IOTYPES_REQUIRE_BROWSER=1, so there the suite can never skip.
const available = existsSync(CHROMIUM);
if (!available && process.env['IOTYPES_REQUIRE_BROWSER']) throw new Error(`Chromium not found at ${CHROMIUM}`);
const SCREENSHOT = join(ROOT, 'test-results', 'web-example.png');
const WAIT = { timeout: 15_000, interval: 50 };

/** What the terminal shows, one line per row, trailing blanks cut. */
function screen(page: Page): Promise<string> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('#terminal .xterm-rows > div'), (row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n')
      .trimEnd(),
  );
}
const waitForScreen = (page: Page, pattern: RegExp) => expect.poll(() => screen(page), WAIT).toMatch(pattern);

/** GET on the example server, as raw as it comes (no URL normalization by a client). */
function get(origin: string, path: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const url = new URL(origin);
    request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

// Without Chromium on this machine (`apt-get install chromium`), there is no browser to test in.
describe.skipIf(!available)('examples/web in Chromium', () => {
  let server: ChildProcess;
  let url = '';
  let browser: Browser;
  beforeAll(async () => {
    server = spawn(process.execPath, [join(ROOT, 'examples', 'web', 'serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/\S+/.exec(out);
        if (m) resolve(m[0]);
      });
      server.on('exit', (code) => reject(new Error(`serve.mjs exited with code ${code}`)));
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.kill();
  });

  /** A fresh page (its own folder) with the program picked through the file input. */
  async function open(program?: string, init?: () => void): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1100, height: 640 }, acceptDownloads: true });
    page.on('pageerror', (e) => console.error('page error:', e));
    if (init) await page.addInitScript(init);
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    if (program) {
      await page.setInputFiles('#program', join(ROOT, 'examples', program));
      await expect.poll(() => page.textContent('#status'), WAIT).toBe(`program: ${program}`);
    }
    return page;
  }
  async function typeLine(page: Page, text: string): Promise<void> {
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  }

  it('serves the page cross-origin isolated, with the package and xterm.js from the repository', async () => {
    const page = await open();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const wasm = await get(url, '/examples/prompt.wasm');
    expect(wasm.status).toBe(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect((await get(url, '/node_modules/@xterm/xterm/lib/xterm.mjs')).headers['content-type']).toMatch(/^text\/javascript/);
    // Nothing outside the repository folder.
    expect((await get(url, '/%2e%2e%2fpackage.json')).status).toBe(404);
    expect((await get(url, '/..%2f..%2fetc/passwd')).status).toBe(404);
    await page.close();
  });

  it('prompt: answers lines typed while it waits, lists history.txt live and lets it be downloaded', async () => {
    const page = await open('prompt.wasm');
    await page.click('#run');
    // The program has written its prompt and waits in fgets: only now does anyone type.
    await waitForScreen(page, /ends\.\n>$/);
    expect(await page.getAttribute('body', 'data-state')).toBe('running');
    await page.click('#terminal');
    await typeLine(page, 'Ada');
    await waitForScreen(page, /\n> Ada\nhello, Ada\n>$/);
    await typeLine(page, '6 * 7');
    await waitForScreen(page, /\n> 6 \* 7\n6 \* 7 = 42\n>$/);
    // Backspace edits the line before it is sent.
    await page.keyboard.type('12 + 31');
    await page.keyboard.press('Backspace');
    await typeLine(page, '0');
    await waitForScreen(page, /\n> 12 \+ 30\n12 \+ 30 = 42\n>$/);
    // The file the program keeps shows up in the listing while it still runs.
    await page.waitForSelector('#listing a[data-path="history.txt"]', WAIT);
    expect(await page.getAttribute('body', 'data-state')).toBe('running');
    await typeLine(page, 'quit');
    await waitForScreen(page, /\n> quit\nbye\n\[prompt\.wasm exited with code 0\]$/);
    await page.waitForSelector('body[data-state="exited"]');

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#listing a[data-path="history.txt"]')]);
    expect(download.suggestedFilename()).toBe('history.txt');
    const saved = await download.path();
    const history = '> Ada\nhello, Ada\n> 6 * 7\n6 * 7 = 42\n> 12 + 30\n12 + 30 = 42\n';
    expect(readFileSync(saved, 'utf8')).toBe(history);
    expect(await page.textContent('#listing')).toContain(`history.txt${Buffer.byteLength(history)} B`);

    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  });

  it('keeps the folder in the origin private file system: a reload still lists it, a second run adds to it, emptying it lasts', async () => {
    const page = await open('prompt.wasm');
    expect(await page.textContent('#storage')).toMatch(/origin private file system.*survive a reload/);
    const converse = async (name: string) => {
      await page.click('#run');
      await waitForScreen(page, /ends\.\n>$/);
      await page.click('#terminal');
      await typeLine(page, name);
      await waitForScreen(page, new RegExp(`hello, ${name}\\n>$`));
      await typeLine(page, 'quit');
      await page.waitForSelector('body[data-state="exited"]');
    };
    await converse('Ada');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('#listing a[data-path="history.txt"]', WAIT);
    expect(await page.textContent('#listing')).toBe('history.txt17 B');
    await page.setInputFiles('#program', join(ROOT, 'examples', 'prompt.wasm'));
    await expect.poll(() => page.textContent('#status'), WAIT).toBe('program: prompt.wasm');
    await converse('Grace');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#listing a[data-path="history.txt"]')]);
    expect(readFileSync(await download.path(), 'utf8')).toBe('> Ada\nhello, Ada\n> Grace\nhello, Grace\n');
    await page.click('#clear');
    await expect.poll(() => page.textContent('#listing'), WAIT).toBe('');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#listing')).toBe('');
    await page.close();
  });

  it('prompt: Ctrl-D sends a partial line, and at the start of a line ends the input', async () => {
    const page = await open('prompt.wasm');
    await page.click('#run');
    await waitForScreen(page, /ends\.\n>$/);
    await page.click('#terminal');
    await typeLine(page, 'Zoë');
    await waitForScreen(page, /\n> Zoë\nhello, Zoë\n>$/);
    // "Bo" then Ctrl-D: fgets gets "Bo" and waits on for the rest of its line; a second Ctrl-D
    // ends the input, so fgets returns "Bo" and the next one meets the end.
    await page.keyboard.type('Bo');
    await page.keyboard.press('Control+D');
    await page.keyboard.press('Control+D');
    await waitForScreen(page, /\n> Bohello, Bo\n>\n\(end of input\)\nbye\n\[prompt\.wasm exited with code 0\]$/);
    await page.close();
  });

  it('poll-stdin: poll times out while nothing is typed, and returns ready for a typed line', async () => {
    const page = await open('poll-stdin.wasm');
    await page.click('#run');
    // At least one timeout passes with nothing typed...
    await waitForScreen(page, /ends\.\n(waiting\.\.\.\n)*waiting\.\.\.$/);
    await page.click('#terminal');
    // ...then a line typed during a wait is what poll reports ready and read returns.
    await typeLine(page, 'hello');
    await waitForScreen(page, /\nhello\npoll: ready; read 6 bytes: hello\n/);
    await typeLine(page, 'quit');
    await waitForScreen(page, /poll: ready; read 5 bytes: quit\n\[poll-stdin\.wasm exited with code 0\]$/);
    await page.close();
  });

  it('picked files and a picked folder are the program\'s "/", and the arguments field is its argv', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iotypes-web-'));
    try {
      mkdirSync(join(dir, 'site', 'docs'), { recursive: true });
      writeFileSync(join(dir, 'site', 'docs', 'notes.txt'), 'from a folder\n');
      const page = await open('wc.wasm');
      await page.setInputFiles('#files', { name: 'poem.txt', mimeType: 'text/plain', buffer: Buffer.from('one two\nthree\n') });
      await page.setInputFiles('#folder', join(dir, 'site'));
      await page.waitForSelector('#listing a[data-path="docs/notes.txt"]', WAIT);
      await page.fill('#args', 'poem.txt docs/notes.txt');
      await page.click('#run');
      await waitForScreen(page, /\s+2\s+3\s+14 poem\.txt\n\s+1\s+3\s+14 docs\/notes\.txt\n\[wc\.wasm exited with code 0\]$/);
      await page.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the folder in memory where the page has no origin private file system', async () => {
    const page = await open('tree.wasm', () => {
      delete (StorageManager.prototype as { getDirectory?: unknown }).getDirectory;
    });
    expect(await page.textContent('#storage')).toMatch(/in memory: a reload forgets/);
    await page.setInputFiles('#files', { name: 'README', mimeType: 'text/plain', buffer: Buffer.from('kept in memory\n') });
    await page.click('#run');
    await waitForScreen(page, /README  \(15 bytes\)[^]*--- \.\/README ---\nkept in memory\n\[tree\.wasm exited with code 0\]$/);
    await page.close();
  });

  it('runs the program in a worker where the browser has no JSPI, input and folder alike', async () => {
    const page = await open('prompt.wasm', () => {
      delete (WebAssembly as { Suspending?: unknown }).Suspending;
    });
    await page.click('#run');
    await expect.poll(() => page.textContent('#status'), WAIT).toBe('running prompt.wasm in a worker (this browser has no JSPI)');
    await waitForScreen(page, /ends\.\n>$/);
    await page.click('#terminal');
    await typeLine(page, '6 * 7');
    await waitForScreen(page, /\n> 6 \* 7\n6 \* 7 = 42\n>$/);
    await typeLine(page, 'quit');
    await waitForScreen(page, /\nbye\n\[prompt\.wasm exited with code 0\]$/);
    await page.waitForSelector('#listing a[data-path="history.txt"]', WAIT);
    expect(await page.textContent('#listing')).toBe('history.txt19 B');
    await page.close();
  });

  it('says so when the browser has neither JSPI nor an origin private file system', async () => {
    const page = await open('prompt.wasm', () => {
      delete (WebAssembly as { Suspending?: unknown }).Suspending;
      delete (StorageManager.prototype as { getDirectory?: unknown }).getDirectory;
    });
    await page.click('#run');
    await expect.poll(() => page.textContent('#status'), WAIT).toMatch(/no JavaScript Promise Integration \(JSPI\).*Chromium 137 or newer/);
    await waitForScreen(page, /no JavaScript Promise Integration/);
    expect(await page.getAttribute('body', 'data-state')).toBe('idle');
    await page.close();
  });
});
