// Layer: adapters/browser. Imports src/io and src/errno only.
// A file on a web server as a read-only asynchronous array that downloads only what the program
// reads: the length from a HEAD request (or a `Range: bytes=0-0` request's Content-Range), then
// `Range` GETs of whole aligned blocks, a small least-recently-used cache of blocks, and adjacent
// missing blocks of one read fetched by one request. A read that finds all its blocks cached
// answers at once (the guest does not wait).
//
// NOTE: a server that ignores Range answers 200 with the whole body. That body has been
// transferred anyway, so the array keeps it and serves every later read from it (no further
// requests), and says so once through `onWholeBody` (default: console.warn). A server answering
// neither 206 nor 200, or a 206 for other bytes than asked, is EIO.

import { Errno, WasiError } from '../../src/errno/index.js';
import type { AsyncArray, MaybePromise } from '../../src/io/index.js';

export interface UrlArrayOptions {
  /** Bytes per block (each request asks for whole blocks). Default 64 KiB. */
  blockSize?: number;
  /** Blocks kept in memory. Default 64 (4 MiB with the default block size). */
  cacheBlocks?: number;
  /** Extra request headers (an Authorization header, ...). */
  headers?: Readonly<Record<string, string>>;
  /** The fetch function. Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Called once if the server answered a range request with the whole body. Default console.warn. */
  onWholeBody?: (url: string, size: number) => void;
}

/** What a urlArray has transferred. */
export interface UrlArrayStats {
  requests: number;
  bytes: number;
  /** Whether the server ignored Range and sent the whole body (kept in memory since). */
  wholeBody: boolean;
}

/** A read-only asynchronous array over a URL; `stats` counts the requests it made. */
export interface UrlArray extends AsyncArray {
  readonly url: string;
  readonly stats: UrlArrayStats;
}

const eio = (detail: string) => new WasiError(Errno.EIO, detail);

class RangeArray implements UrlArray {
  readonly stats: UrlArrayStats = { requests: 0, bytes: 0, wholeBody: false };
  readonly #block: number;
  readonly #capacity: number;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #fetch: typeof fetch;
  readonly #onWholeBody: (url: string, size: number) => void;
  /** Block index → bytes, least recently used first. */
  readonly #cache = new Map<number, Uint8Array>();
  #size: number | undefined;
  #whole: Uint8Array | undefined;

  constructor(readonly url: string, options: UrlArrayOptions) {
    const { blockSize = 64 * 1024, cacheBlocks = 64, headers = {}, fetch: f = globalThis.fetch.bind(globalThis) } = options;
    if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError('urlArray: blockSize must be a positive integer');
    if (!Number.isSafeInteger(cacheBlocks) || cacheBlocks < 1) throw new RangeError('urlArray: cacheBlocks must be a positive integer');
    this.#block = blockSize;
    this.#capacity = cacheBlocks;
    this.#headers = headers;
    this.#fetch = f;
    this.#onWholeBody = options.onWholeBody ?? ((u, n) => console.warn(`iotypes urlArray: ${u} ignores Range requests; its whole body (${n} bytes) is kept in memory`));
  }

  async #request(method: 'HEAD' | 'GET', range?: [number, number]): Promise<Response> {
    this.stats.requests++;
    let response: Response;
    try {
      response = await this.#fetch(this.url, {
        method,
        headers: range ? { ...this.#headers, Range: `bytes=${range[0]}-${range[1] - 1}` } : this.#headers,
      });
    } catch (e) {
      throw eio(`${this.url}: ${String(e)}`);
    }
    return response;
  }

  async #body(response: Response): Promise<Uint8Array> {
    const bytes = new Uint8Array(await response.arrayBuffer());
    this.stats.bytes += bytes.length;
    return bytes;
  }

  /** Keeps a whole body the server sent instead of a range. */
  async #takeWhole(response: Response): Promise<void> {
    this.#whole = await this.#body(response);
    this.#size = this.#whole.length;
    this.#cache.clear();
    this.stats.wholeBody = true;
    this.#onWholeBody(this.url, this.#whole.length);
  }

  len(): MaybePromise<number> {
    if (this.#size !== undefined) return this.#size;
    return this.#learnSize().then(() => this.#size!);
  }

  async #learnSize(): Promise<void> {
    const head = await this.#request('HEAD');
    const length = head.headers.get('content-length');
    if (head.ok && length !== null && /^\d+$/.test(length) && head.headers.get('content-encoding') === null) {
      this.#size = Number(length);
      return;
    }
    const probe = await this.#request('GET', [0, 1]);
    if (probe.status === 200) return this.#takeWhole(probe);
    // "bytes 0-0/TOTAL"; a 416 says "bytes */TOTAL" (an empty file).
    const total = /\/(\d+)\s*$/.exec(probe.headers.get('content-range') ?? '')?.[1];
    if ((probe.status !== 206 && probe.status !== 416) || total === undefined) {
      throw eio(`${this.url}: no length (HEAD ${head.status}, range ${probe.status})`);
    }
    await this.#body(probe);
    this.#size = Number(total);
  }

  read(offset: number, length: number): MaybePromise<Uint8Array> {
    if (this.#size === undefined) return this.#learnSize().then(() => this.read(offset, length));
    const end = Math.min(this.#size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    if (this.#whole) return this.#whole.slice(offset, end);
    const first = Math.floor(offset / this.#block);
    const last = Math.floor((end - 1) / this.#block);
    const blocks = new Map<number, Uint8Array>();
    const missing: number[] = [];
    for (let b = first; b <= last; b++) {
      const hit = this.#cache.get(b);
      if (hit === undefined) {
        missing.push(b);
      } else {
        this.#cache.delete(b); // most recently used: to the end
        this.#cache.set(b, hit);
        blocks.set(b, hit);
      }
    }
    const assemble = (): Uint8Array => {
      if (this.#whole) return this.#whole.slice(offset, end);
      const out = new Uint8Array(end - offset);
      for (let b = first; b <= last; b++) {
        const bytes = blocks.get(b)!;
        const start = b * this.#block;
        const from = Math.max(offset, start) - start;
        const to = Math.min(end, start + bytes.length) - start;
        out.set(bytes.subarray(from, to), Math.max(offset, start) - offset);
      }
      return out;
    };
    if (missing.length === 0) return assemble();
    return this.#fetchRuns(missing, blocks).then(assemble);
  }

  /** Fetches the `missing` blocks (ascending), one request per run of adjacent ones. */
  async #fetchRuns(missing: number[], into: Map<number, Uint8Array>): Promise<void> {
    let i = 0;
    while (i < missing.length) {
      let j = i;
      while (j + 1 < missing.length && missing[j + 1] === missing[j]! + 1) j++;
      const start = missing[i]! * this.#block;
      const stop = Math.min(this.#size!, (missing[j]! + 1) * this.#block);
      const response = await this.#request('GET', [start, stop]);
      if (response.status === 200) return this.#takeWhole(response);
      const range = /^bytes (\d+)-(\d+)\//.exec(response.headers.get('content-range') ?? '');
      if (response.status !== 206 || range === null || Number(range[1]) !== start || Number(range[2]) !== stop - 1) {
        throw eio(`${this.url}: asked for bytes ${start}-${stop - 1}, got status ${response.status} ${response.headers.get('content-range') ?? ''}`);
      }
      const bytes = await this.#body(response);
      if (bytes.length !== stop - start) throw eio(`${this.url}: short range body (${bytes.length} of ${stop - start} bytes)`);
      for (let b = missing[i]!; b <= missing[j]!; b++) {
        const at = (b - missing[i]!) * this.#block;
        const block = bytes.slice(at, Math.min(at + this.#block, bytes.length));
        into.set(b, block);
        this.#cache.set(b, block);
        if (this.#cache.size > this.#capacity) this.#cache.delete(this.#cache.keys().next().value!);
      }
      i = j + 1;
    }
  }

  write(): never {
    throw new WasiError(Errno.EROFS, 'read-only array (a URL)');
  }
  setLen(): never {
    throw new WasiError(Errno.EROFS, 'read-only array (a URL)');
  }
}

/**
 * A URL as a read-only asynchronous array that fetches only the byte ranges read (see the notes
 * at the top of this file). The server must allow Range requests (and, cross-origin, expose
 * Content-Range and Content-Length through CORS).
 */
export function urlArray(url: string | URL, options: UrlArrayOptions = {}): UrlArray {
  return new RangeArray(String(url), options);
}
