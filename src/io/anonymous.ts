// Layer: io. Imports src/io only.
// anonymous(): a growable, sparse, in-memory I/O array. Bytes live in fixed 1 MiB pages (the
// first kept apart, the others in a map made when one is needed), allocated only where something
// is written, so a write at 5 GiB allocates one page and
// holes read as zeros. Appending costs O(n) overall: only the first page grows, by doubling
// (so a small file holds only a little more than its size); every later page is allocated once
// at full size. Pages are large so that a 64 KiB transfer is one copy into one page, and the
// page used last is remembered, so sequential and small transfers skip the map lookup.

import { IOArray } from './array.js';
import type { IOOptions } from './stream.js';

export const PAGE_SIZE = 1024 * 1024;
const FIRST_PAGE_MIN = 64;
/**
 * Copies up to this many bytes go byte by byte: TypedArray `set` has a fixed price per call
 * (about 15 ns in V8) that is most of a 1-byte write.
 */
const SMALL_COPY = 16;

/** Allocation counters, for tests and diagnostics. */
export interface AnonymousStats {
  /** Buffers allocated (new pages and first-page growth). */
  allocations: number;
  /** Bytes copied from an old buffer to a larger one when the first page grew. */
  bytesRecopied: number;
  /** Pages currently held. */
  pages: number;
}

export class AnonymousArray extends IOArray {
  /**
   * Page 0, and the others by index in a map made when the first of them is: a small array (most
   * files) holds no map at all.
   */
  #first: Uint8Array | undefined;
  #pages: Map<number, Uint8Array> | undefined;
  #len = 0;
  /** The page found or made last, and its index (-1: none). */
  #lastIndex = -1;
  #lastPage: Uint8Array | undefined;
  #allocations = 0;
  #bytesRecopied = 0;

  constructor(options: IOOptions = {}) {
    super({ name: 'anonymous array', ...options });
  }

  get stats(): AnonymousStats {
    return { allocations: this.#allocations, bytesRecopied: this.#bytesRecopied, pages: (this.#first === undefined ? 0 : 1) + (this.#pages?.size ?? 0) };
  }

  protected readAtCore(into: Uint8Array, offset: number): number {
    const n = Math.max(0, Math.min(into.length, this.#len - offset));
    let done = 0;
    while (done < n) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE_SIZE);
      const within = pos - index * PAGE_SIZE;
      const chunk = Math.min(n - done, PAGE_SIZE - within);
      const page = this.#lookup(index);
      const have = page === undefined ? 0 : Math.max(0, Math.min(chunk, page.length - within));
      if (have > 0) copy(into, done, page!, within, have);
      if (have < chunk) into.fill(0, done + have, done + chunk);
      done += chunk;
    }
    return n;
  }

  protected writeAtCore(from: Uint8Array, offset: number): number {
    let done = 0;
    while (done < from.length) {
      const pos = offset + done;
      const index = Math.floor(pos / PAGE_SIZE);
      const within = pos - index * PAGE_SIZE;
      const chunk = Math.min(from.length - done, PAGE_SIZE - within);
      const page = this.#page(index, within + chunk);
      copy(page, within, from, done, chunk);
      done += chunk;
    }
    if (offset + done > this.#len) this.#len = offset + done;
    return done;
  }

  protected lenCore(): number {
    return this.#len;
  }

  protected setLenCore(len: number): void {
    if (len < this.#len) {
      this.#lastIndex = -1;
      this.#lastPage = undefined;
      // Drop whole pages past the end and zero the tail of the last one, so that growing again
      // reads zeros.
      if (len === 0) this.#first = undefined;
      else if (len < PAGE_SIZE) this.#first?.fill(0, len);
      const pages = this.#pages;
      for (const [index, page] of pages ?? []) {
        const start = index * PAGE_SIZE;
        if (start >= len) pages!.delete(index);
        else if (start + PAGE_SIZE > len) page.fill(0, len - start);
      }
    }
    this.#len = len;
  }

  #lookup(index: number): Uint8Array | undefined {
    if (index === this.#lastIndex) return this.#lastPage;
    const page = index === 0 ? this.#first : this.#pages?.get(index);
    if (page !== undefined) {
      this.#lastIndex = index;
      this.#lastPage = page;
    }
    return page;
  }

  /** The page at `index`, with room for at least `need` bytes. */
  #page(index: number, need: number): Uint8Array {
    const page = this.#lookup(index);
    if (page !== undefined && page.length >= need) return page;
    let size = PAGE_SIZE;
    if (index === 0) {
      size = Math.max(FIRST_PAGE_MIN, page?.length ?? 0);
      while (size < need) size *= 2;
      size = Math.min(size, PAGE_SIZE);
    }
    const grown = new Uint8Array(size);
    if (page !== undefined) {
      grown.set(page);
      this.#bytesRecopied += page.length;
    }
    this.#allocations++;
    if (index === 0) this.#first = grown;
    else (this.#pages ??= new Map()).set(index, grown);
    this.#lastIndex = index;
    this.#lastPage = grown;
    return grown;
  }
}

/** A new, empty, growable in-memory array. */
export function anonymous(options: IOOptions = {}): AnonymousArray {
  return new AnonymousArray(options);
}

/** Copies `n` bytes of `from` at `start` into `into` at `at` (small copies byte by byte, see SMALL_COPY). */
function copy(into: Uint8Array, at: number, from: Uint8Array, start: number, n: number): void {
  if (n > SMALL_COPY) into.set(start === 0 && n === from.length ? from : from.subarray(start, start + n), at);
  else for (let k = 0; k < n; k++) into[at + k] = from[start + k]!;
}
