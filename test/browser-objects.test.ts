// The host-independent parts of iotypes/browser's asynchronous objects, in Node.js (which has
// Blob, File, fetch's Response, WHATWG streams and DOMException): urlArray against a fake server,
// filesDirectory, the stream adapters and the DOMException table. test/browser-async.test.ts runs
// them, and opfsDirectory, under real programs in Chromium.
import { Errno, WasiError } from 'iotypes';
import { ERRNO_OF_DOM_EXCEPTION, blobArray, filesDirectory, fromReadableStream, toWritableStream, urlArray } from 'iotypes/browser';
import { describe, expect, it } from 'vitest';

const enc = new TextEncoder();
const dec = new TextDecoder();
const errno = (e: Errno) => expect.objectContaining({ errno: e });

/** A fake server over `body`: HEAD with a length (unless `noHead`), Range GETs (unless `noRange`). */
function server(body: Uint8Array, how: { noHead?: boolean; noRange?: boolean; wrongRange?: boolean } = {}) {
  const log: string[] = [];
  const fetch = async (_url: unknown, init?: RequestInit): Promise<Response> => {
    const range = (init?.headers as Record<string, string> | undefined)?.['Range'];
    log.push(`${init?.method ?? 'GET'} ${range ?? ''}`.trim());
    if (init?.method === 'HEAD') {
      return how.noHead ? new Response(null, { status: 405 }) : new Response(null, { status: 200, headers: { 'content-length': String(body.length) } });
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(range ?? '');
    if (!m || how.noRange) return new Response(body.slice(), { status: 200 });
    const a = Number(m[1]) + (how.wrongRange ? 1 : 0);
    const b = Math.min(Number(m[2]), body.length - 1);
    return new Response(body.slice(a, b + 1), { status: 206, headers: { 'content-range': `bytes ${a}-${b}/${body.length}` } });
  };
  return { fetch: fetch as typeof globalThis.fetch, log };
}

const body = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);

describe('urlArray', () => {
  it('fetches whole aligned blocks, one request per run of missing ones, and answers cached reads at once', async () => {
    const s = server(body);
    const a = urlArray('http://x/f', { blockSize: 100, fetch: s.fetch });
    expect(await a.len()).toBe(1000);
    expect(await a.read(150, 200)).toEqual(body.subarray(150, 350)); // blocks 1-3: one request
    const cached = a.read(120, 50);
    expect(cached).toBeInstanceOf(Uint8Array); // not a promise: no wait for the guest
    expect(cached).toEqual(body.subarray(120, 170));
    expect(await a.read(50, 400)).toEqual(body.subarray(50, 450)); // blocks 0 and 4 missing: two runs
    expect(await a.read(990, 100)).toEqual(body.subarray(990)); // past the end: short
    expect(await a.read(1000, 10)).toEqual(new Uint8Array(0));
    expect(s.log).toEqual(['HEAD', 'GET bytes=100-399', 'GET bytes=0-99', 'GET bytes=400-499', 'GET bytes=900-999']);
    expect(a.stats).toEqual({ requests: 5, bytes: 100 * 6, wholeBody: false });
  });

  it('keeps at most cacheBlocks blocks, dropping the least recently used', async () => {
    const s = server(body);
    const a = urlArray('http://x/f', { blockSize: 100, cacheBlocks: 2, fetch: s.fetch });
    await a.read(0, 1);
    await a.read(100, 1);
    await a.read(0, 1); // block 0 is now the most recent
    await a.read(200, 1); // drops block 1
    await a.read(0, 1);
    await a.read(100, 1);
    expect(s.log.filter((l) => l.startsWith('GET'))).toEqual(['GET bytes=0-99', 'GET bytes=100-199', 'GET bytes=200-299', 'GET bytes=100-199']);
  });

  it('learns the length from a Range 0-0 answer when HEAD gives none', async () => {
    const s = server(body, { noHead: true });
    const a = urlArray('http://x/f', { fetch: s.fetch });
    expect(await a.len()).toBe(1000);
    expect(s.log).toEqual(['HEAD', 'GET bytes=0-0']);
  });

  it('keeps a whole body sent instead of a range, and says so once', async () => {
    const s = server(body, { noRange: true });
    const told: unknown[] = [];
    const a = urlArray('http://x/f', { blockSize: 100, fetch: s.fetch, onWholeBody: (u, n) => told.push([u, n]) });
    expect(await a.read(10, 5)).toEqual(body.subarray(10, 15));
    expect(a.read(900, 200)).toEqual(body.subarray(900)); // at once, from memory
    expect(told).toEqual([['http://x/f', 1000]]);
    expect(s.log).toEqual(['HEAD', 'GET bytes=0-99']);
    expect(a.stats.wholeBody).toBe(true);
  });

  it('is EIO when the server answers other bytes than asked, EROFS on writes', async () => {
    const a = urlArray('http://x/f', { blockSize: 100, fetch: server(body, { wrongRange: true }).fetch });
    await expect(a.read(0, 10)).rejects.toThrow(/asked for bytes 0-99/);
    await expect(Promise.resolve().then(() => a.read(0, 10))).rejects.toEqual(errno(Errno.EIO));
    expect(() => a.write(0, new Uint8Array(1))).toThrow(errno(Errno.EROFS));
    expect(() => a.setLen(0)).toThrow(errno(Errno.EROFS));
    expect(() => urlArray('http://x/f', { blockSize: 0 })).toThrow(RangeError);
  });
});

describe('blobArray and filesDirectory', () => {
  it('reads a Blob by slices and refuses changes with EROFS', async () => {
    const a = blobArray(new Blob([enc.encode('hello blob')]));
    expect(a.len()).toBe(10);
    expect(dec.decode(await a.read(6, 100))).toBe('blob');
    expect(() => a.write(0, new Uint8Array(1))).toThrow(errno(Errno.EROFS));
    expect(() => blobArray('x' as never)).toThrow(TypeError);
  });

  it('places files at their paths, read-only, with a File\'s time', async () => {
    const file = new File([enc.encode('picked')], 'a.txt', { lastModified: 1_500_000_000_000 });
    const d = filesDirectory({ 'top/a.txt': file, 'top/sub/b.bin': blobArray(new Blob([new Uint8Array(3)])) });
    expect(d.entries()).toEqual([{ name: 'top', ino: 2n, type: 'directory' }]);
    const top = await d.openDir('top');
    expect((await top.entries()).map((e) => `${e.name}:${e.type}`)).toEqual(['a.txt:regular-file', 'sub:directory']);
    const st = await top.stat('a.txt');
    expect([st.type, st.size, st.mtim]).toEqual(['regular-file', 6, 1_500_000_000_000n * 1_000_000n]);
    const f = await top.openFile('a.txt', {});
    expect(dec.decode(await f.array.read(0, 10))).toBe('picked');
    expect(() => top.openFile('a.txt', { write: true })).toThrow(errno(Errno.EROFS));
    expect(() => top.openFile('sub', {})).toThrow(errno(Errno.EISDIR));
    expect(() => top.openDir('a.txt')).toThrow(errno(Errno.ENOTDIR));
    expect(() => top.stat('missing')).toThrow(errno(Errno.ENOENT));
    expect(() => top.readlink('a.txt')).toThrow(errno(Errno.EINVAL));
    for (const change of [() => top.mkdir('x'), () => top.unlink('a.txt'), () => top.rename('a.txt', top, 'b'), () => top.symlink('a', 'b')]) {
      expect(change).toThrow(errno(Errno.EROFS));
    }
    expect(() => filesDirectory({ '../x': new Blob([]) })).toThrow(/bad path/);
    expect(() => filesDirectory({ 'a/b': new Blob([]), 'a/b/c': new Blob([]) })).toThrow(/below a file/);
  });
});

describe('WHATWG streams', () => {
  it('a ReadableStream source: ready() only once a chunk is there; the end is null; a failure is EIO', async () => {
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const src = fromReadableStream(new ReadableStream<Uint8Array>({ start: (c) => void (push = c) }));
    expect(src.ready!()).toBe(false);
    push.enqueue(enc.encode('hi'));
    await new Promise((r) => setTimeout(r, 0));
    expect(src.ready!()).toBe(true);
    expect(dec.decode((await src.read())!)).toBe('hi');
    push.close();
    expect(await src.read()).toBeNull();
    const failing = fromReadableStream(new ReadableStream<Uint8Array>({ pull: (c) => c.error(new Error('gone')) }));
    await expect(Promise.resolve(failing.read())).rejects.toEqual(errno(Errno.EIO));
    expect(() => fromReadableStream({} as never)).toThrow(TypeError);
  });

  it('a WritableStream sink gets a copy of every write; a failed stream is EPIPE', async () => {
    const got: string[] = [];
    const sink = toWritableStream(new WritableStream<Uint8Array>({ write: (c) => void got.push(dec.decode(c)) }));
    const buf = enc.encode('abc');
    await sink.write(buf);
    buf.fill(0);
    await sink.close!();
    expect(got).toEqual(['abc']);
    const broken = toWritableStream(new WritableStream<Uint8Array>({ write: () => Promise.reject(new Error('no')) }));
    await expect(broken.write(enc.encode('x'))).rejects.toEqual(errno(Errno.EPIPE));
  });
});

it('maps the DOMExceptions of OPFS to errnos', () => {
  expect(ERRNO_OF_DOM_EXCEPTION['NotFoundError']).toBe(Errno.ENOENT);
  expect(ERRNO_OF_DOM_EXCEPTION['InvalidModificationError']).toBe(Errno.ENOTEMPTY);
  expect(ERRNO_OF_DOM_EXCEPTION['QuotaExceededError']).toBe(Errno.ENOSPC);
  expect(ERRNO_OF_DOM_EXCEPTION['NoModificationAllowedError']).toBe(Errno.EBUSY);
  expect(new WasiError(Errno.EIO)).toBeInstanceOf(Error);
});
