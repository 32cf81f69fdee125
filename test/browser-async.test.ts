// The asynchronous objects of iotypes/browser in a real browser (Debian's Chromium, driven by
// playwright-core), on a page's main thread through JSPI: every c-fixture over the origin private
// file system (opfsDirectory), a program reading scattered ranges of a 64 MiB file over HTTP
// (urlArray) and over a File (blobArray, filesDirectory), and stdio over WHATWG streams. The
// c-fixtures also run over OPFS with the program in a worker through runInWorker (the page, served
// cross-origin isolated, answering each operation).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, fixtureNames, readSpec } from './support/fixtures.js';

const ROOT = join(__dirname, '..');
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// CI installs Chromium and sets IOTYPES_REQUIRE_BROWSER=1, so there the suite can never skip.
const available = existsSync(CHROMIUM);
if (!available && process.env['IOTYPES_REQUIRE_BROWSER']) throw new Error(`Chromium not found at ${CHROMIUM}`);

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * The c-fixtures that cannot pass over OPFS, each with the reason and the line of the program's
 * stderr that shows exactly that reason (the run must fail with it, and with nothing else).
 */
const NO_HARD_LINKS = {
  reason: 'OPFS has no hard links: link() fails with EPERM',
  // link() through wasi-libc (errno 63, EPERM), or path_link called directly (returns 63).
  stderr: /\(link\(.*\(errno=63 Operation not permitted\)|\(__wasi_path_link\(.*\[63 != 0\]/,
};
const NO_DIRECTORY_MOVE = {
  reason: 'this engine cannot move an OPFS directory (move() of files only): rename() of a directory fails with EXDEV',
  stderr: /\(rename\(.*\(errno=75 Cross-device link\)/,
  /** Only where the engine lacks FileSystemDirectoryHandle.move(); elsewhere the fixture must pass. */
  unlessDirectoryMove: true,
};
const OPFS_LIMITS: Record<string, { reason: string; stderr: RegExp; unlessDirectoryMove?: boolean }> = {
  link_hard: NO_HARD_LINKS,
  path_rights: NO_HARD_LINKS, // its symlink checks pass; it then makes a hard link
  rename_same_file: NO_HARD_LINKS, // it renames one hard link onto another
  rename_dir: NO_DIRECTORY_MOVE,
  rename_dir_over_empty_dir: NO_DIRECTORY_MOVE,
};

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

/** The served big file: 64 MiB, byte i a fixed function of i (the page's generator is the same). */
const BIG_SIZE = 64 << 20;
function generated(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (Math.imul(i, 2654435761) >>> 24) ^ (i & 0xff);
  return b;
}

/** What test/browser/ranges/ranges.c reads, and the line it prints for `data`. */
const RANGES: [number, number][] = [
  [0, 100], [65536 - 10, 20], [3 * 65536 + 5, 3 * 65536], [1000000, 4096], [1000000 + 4096, 4096],
  [1000000, 4096], [33554432 - 1, 2], [50000000, 70000], [67108864 - 3, 100],
];
function expectedRangesLine(data: Uint8Array): string {
  let h = 2166136261;
  let total = 0;
  for (const [off, len] of RANGES) {
    const part = data.subarray(off, Math.min(data.length, off + len));
    for (const byte of part) h = Math.imul(h ^ byte, 16777619) >>> 0;
    total += part.length;
  }
  return `size=${data.length} read=${total} fnv=${h.toString(16).padStart(8, '0')}\n`;
}

type Got = { error?: string; exitCode: number; stdout: string; stderr: string } & Record<string, unknown>;

describe.skipIf(!available)('asynchronous browser objects in Chromium (JSPI, main thread)', () => {
  let server: Server;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const big = generated(BIG_SIZE);
  const served = { requests: 0, bytes: 0, ranges: [] as string[] };

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '');
      if (path === 'big.bin' || path === 'norange/big.bin') {
        served.requests++;
        const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
        if (req.method === 'HEAD') {
          res.writeHead(200, { 'content-length': String(BIG_SIZE), 'accept-ranges': path === 'big.bin' ? 'bytes' : 'none' }).end();
          return;
        }
        if (range && path === 'big.bin') {
          const [a, b] = [Number(range[1]), Math.min(Number(range[2]), BIG_SIZE - 1)];
          served.ranges.push(`${a}-${b}`);
          served.bytes += b - a + 1;
          res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${BIG_SIZE}`, 'content-length': String(b - a + 1) }).end(big.subarray(a, b + 1));
          return;
        }
        served.bytes += BIG_SIZE;
        res.writeHead(200, { 'content-length': String(BIG_SIZE) }).end(big);
        return;
      }
      const file = path === '' ? join(ROOT, 'test', 'browser', 'async.html') : join(ROOT, path);
      if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) {
        res.writeHead(404).end();
        return;
      }
      // Cross-origin isolated (COOP and COEP), as runInWorker's SharedArrayBuffer needs.
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp',
      }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    // A profile on disk: OPFS of an incognito context lives in memory.
    profile = mkdtempSync(join(tmpdir(), 'iotypes-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => console.error('page error:', e));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const call = (fn: string, ...args: unknown[]): Promise<Got> =>
    page.evaluate(([f, a]) => (window as unknown as Record<string, (...x: unknown[]) => Promise<Got>>)[f as string]!(...(a as unknown[])), [fn, args] as const);

  it('has JSPI and no Node.js globals in the page', async () => {
    expect(await page.evaluate(() => (window as unknown as { jspi: boolean }).jspi)).toBe(true);
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  });

  it('lists only fixtures that exist as OPFS limits', () => {
    const names = new Set(fixtureNames());
    for (const name of Object.keys(OPFS_LIMITS)) expect(names.has(name), name).toBe(true);
  });

  it('in a dedicated worker, has JSPI and answers reads of an open file at once (sync access handle)', async () => {
    expect(await page.evaluate(() => (window as unknown as { workerJspi: boolean }).workerJspi)).toBe(true);
    const got = await call('workerSyncAnswers');
    expect(got).toEqual({ readIsPromise: false, read: 'abc', len: 3, mtimFromFile: true });
  });

  it('maps OPFS failures to errnos (opfsDirectory called directly)', async () => {
    expect(await call('opfsErrors')).toEqual({
      badName: 'EINVAL', // TypeError: OPFS refuses a backslash in a name
      rmdirNotEmpty: 'ENOTEMPTY', // InvalidModificationError
      otherObject: 'EXDEV',
      readOnly: 'EROFS',
      symlink: 'ok',
      symlinkTarget: 'x',
      reservedName: 'EINVAL',
      link: 'EPERM',
      readlink: 'EINVAL',
      missing: 'ENOENT', // NotFoundError
      fileAsDir: 'ENOTDIR',
      dirAsFile: 'EISDIR',
      exclusive: 'EEXIST',
      locked: 'EBUSY', // NoModificationAllowedError
    });
  });

  // The page's main thread (getFile() and writables), then a dedicated worker (sync access handles),
  // then the page's objects with the program in a worker (runInWorker: each operation a round trip).
  for (const [where, runner] of [['main thread', 'runOpfs'], ['worker', 'runOpfsWorker'], ['page objects, program in a worker through runInWorker', 'runOpfsThroughWorker']] as const) describe(`c-fixtures over OPFS (${where})`, () => {
    for (const name of fixtureNames()) {
      const limit = OPFS_LIMITS[name];
      it(limit ? `${name} fails for its documented reason: ${limit.reason}` : name, async () => {
        const spec = readSpec(name);
        const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
        const got = await call(runner, name, spec, files);
        expect(got.error, String(got.error)).toBeUndefined();
        const directoryMove = await page.evaluate(() => (window as unknown as { directoryMove: boolean }).directoryMove);
        if (limit && !(limit.unlessDirectoryMove && directoryMove)) {
          expect(got.exitCode, got.stderr).toBe(1);
          expect(got.stderr).toMatch(limit.stderr);
          return;
        }
        expect(got.exitCode, got.stderr).toBe(spec.exit_code ?? 0);
        if (spec.stdout !== undefined) expect(got.stdout).toBe(spec.stdout);
        if (spec.stderr !== undefined) expect(got.stderr).toBe(spec.stderr);
      }, 120_000);
    }
  });

  // Engines without move() for files: a rename copies the file and removes the old name.
  for (const name of fixtureNames().filter((n) => n.startsWith('rename_file'))) {
    it(`${name} with file renames by copy (no move())`, async () => {
      const spec = readSpec(name);
      const files = Object.assign({}, ...(spec.dirs ?? []).map((d) => folderFiles(d)));
      const got = await call('runOpfsWithoutMove', name, spec, files);
      expect(got.error, String(got.error)).toBeUndefined();
      expect(got.exitCode, got.stderr).toBe(spec.exit_code ?? 0);
    }, 60_000);
  }

  describe('a URL read by range (urlArray)', () => {
    it('reads scattered ranges of a 64 MiB file, downloading a small part of it', async () => {
      served.requests = served.bytes = 0;
      served.ranges = [];
      const got = await call('runRanges', '/big.bin');
      expect(got.error, String(got.error)).toBeUndefined();
      expect(got.exitCode, got.stderr).toBe(0);
      expect(got.stdout).toBe(expectedRangesLine(big));
      const stats = got['stats'] as { requests: number; bytes: number; wholeBody: boolean };
      // One HEAD, then one request per run of missing 64 KiB blocks: the three-block read is one
      // request, the adjacent and repeated reads of one block none, the read past the end one.
      expect(served.ranges).toEqual([
        '0-65535', '65536-131071', '196608-458751', '983040-1048575', '33488896-33619967', '49938432-50135039', '67043328-67108863',
      ]);
      expect(served.requests).toBe(1 + served.ranges.length);
      expect(stats).toEqual({ requests: served.requests, bytes: served.bytes, wholeBody: false });
      expect(served.bytes).toBe(13 * 65536); // 832 KiB of 64 MiB
      expect(got['warned']).toBeNull();
    }, 60_000);

    it('keeps the whole body, and says so, when the server ignores Range', async () => {
      served.requests = served.bytes = 0;
      const got = await call('runRanges', '/norange/big.bin');
      expect(got.exitCode, got.stderr).toBe(0);
      expect(got.stdout).toBe(expectedRangesLine(big));
      expect(got['warned']).toEqual({ url: '/norange/big.bin', size: BIG_SIZE });
      expect(served.requests).toBe(2); // the HEAD, then the one GET that brought everything
      expect((got['stats'] as { wholeBody: boolean }).wholeBody).toBe(true);
    }, 60_000);
  });

  it('reads a File through blobArray and filesDirectory; writes are EROFS', async () => {
    const got = await call('runFile', BIG_SIZE);
    expect(got.exitCode, got.stderr).toBe(0);
    expect(got.stdout).toBe(expectedRangesLine(big));
    expect(got['refused']).toMatch(/^EROFS/);
    expect(got['size']).toBe(BIG_SIZE);
    expect(got['mtim']).toBe(String(1_600_000_000_000n * 1_000_000n));
  }, 60_000);

  // stdin arrives later: 3 bytes at a time a millisecond apart (reads wait for it), or whole
  // after 20 ms for the poll fixtures (which expect one read to take it all; the poll waits).
  for (const [name, chunk, delay] of [['stdio_stdin_echo', 3, 1], ['stdio_stdin_empty', 3, 1], ['poll_stdin_pollin', 1e6, 20], ['poll_stdin_hangup', 1e6, 20]] as const) {
    it(`${name} over a ReadableStream (stdin, ${chunk} bytes at a time) and a WritableStream (stdout)`, async () => {
      const spec = readSpec(name);
      const got = await call('runStreams', name, spec, chunk, delay);
      expect(got.error, String(got.error)).toBeUndefined();
      expect(got.exitCode, got.stderr).toBe(spec.exit_code ?? 0);
      if (spec.stdout !== undefined) expect(got.stdout).toBe(spec.stdout);
      if (name === 'stdio_stdin_echo') expect(got['chunks']).toBeGreaterThan(1);
    }, 60_000);
  }
});
