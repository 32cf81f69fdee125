// Layer: abi. Imports src/errno only.
// The guest's linear memory. Every access re-validates the view (memory may grow, and so detach
// its old buffer, during a call) and bounds-checks the pointer and length: out of bounds is a
// wasm trap (WebAssembly.RuntimeError), never a host exception. Views handed out are valid only
// until the next call into the guest.
//
// The hot calls (fd_read, fd_write, ...) allocate nothing per call: `check` bounds-checks without
// making a view, and `view` hands out the same Uint8Array again for the same (pointer, length),
// from a small cache that is emptied whenever the buffer changes.

import { Errno, WasiError } from '../errno/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true });
const VIEW_CACHE = 64;

export class GuestMemory {
  readonly #memory: WebAssembly.Memory;
  #buffer: ArrayBuffer | SharedArrayBuffer;
  #bytes: Uint8Array;
  #view: DataView;
  /** Views by (ptr, len), direct-mapped; emptied when the buffer changes. */
  readonly #views: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(VIEW_CACHE).fill(undefined);

  constructor(memory: WebAssembly.Memory) {
    this.#memory = memory;
    this.#buffer = memory.buffer;
    this.#bytes = new Uint8Array(this.#buffer);
    this.#view = new DataView(this.#buffer);
  }

  /**
   * Bounds-checks an access, refreshing the view first if memory grew. Growing detaches the old
   * buffer (its length drops to 0), and a shared memory only ever grows, so the cheap length
   * test catches every case without reading `memory.buffer` on each access.
   */
  #check(ptr: number, len: number): void {
    if (this.#bytes.length === 0 || ptr + len > this.#bytes.length) this.#refresh();
    if (ptr < 0 || len < 0 || ptr + len > this.#bytes.length) {
      throw new WebAssembly.RuntimeError(`memory access out of bounds: ${len} bytes at ${ptr}`);
    }
  }

  #refresh(): void {
    const buffer = this.#memory.buffer;
    if (buffer !== this.#buffer || buffer.byteLength !== this.#bytes.length) {
      this.#buffer = buffer;
      this.#bytes = new Uint8Array(buffer);
      this.#view = new DataView(buffer);
      this.#views.fill(undefined);
    }
  }

  /** Bounds-checks `len` bytes at `ptr` (a trap when out of bounds), allocating nothing. */
  check(ptr: number, len: number): void {
    this.#check(ptr, len);
  }

  /**
   * The whole memory as a DataView, once `len` bytes at `ptr` are bounds-checked: for writing a
   * struct there with one check instead of one per field. The caller touches only those bytes,
   * and only until it next calls anything that may grow memory.
   */
  struct(ptr: number, len: number): DataView {
    this.#check(ptr, len);
    return this.#view;
  }

  /**
   * Like `bytes`, but a repeated (ptr, len) gets the view it got before: a guest that writes
   * from the same buffer again and again costs no allocation. The caller must not keep it.
   */
  view(ptr: number, len: number): Uint8Array {
    this.#check(ptr, len);
    const slot = ((ptr >>> 2) ^ (ptr >>> 9) ^ len) & (VIEW_CACHE - 1);
    const cached = this.#views[slot];
    if (cached !== undefined && cached.byteOffset === ptr && cached.length === len) return cached;
    const made = this.#bytes.subarray(ptr, ptr + len);
    this.#views[slot] = made;
    return made;
  }

  /** A view of `len` guest bytes at `ptr` (pointers are u32: pass them through `>>> 0`). */
  bytes(ptr: number, len: number): Uint8Array {
    this.#check(ptr, len);
    return this.#bytes.subarray(ptr, ptr + len);
  }

  u8(ptr: number): number {
    this.#check(ptr, 1);
    return this.#bytes[ptr]!;
  }
  u16(ptr: number): number {
    this.#check(ptr, 2);
    return this.#view.getUint16(ptr, true);
  }
  u32(ptr: number): number {
    this.#check(ptr, 4);
    return this.#view.getUint32(ptr, true);
  }
  u64(ptr: number): bigint {
    this.#check(ptr, 8);
    return this.#view.getBigUint64(ptr, true);
  }
  setU8(ptr: number, v: number): void {
    this.#check(ptr, 1);
    this.#bytes[ptr] = v;
  }
  setU16(ptr: number, v: number): void {
    this.#check(ptr, 2);
    this.#view.setUint16(ptr, v, true);
  }
  setU32(ptr: number, v: number): void {
    this.#check(ptr, 4);
    this.#view.setUint32(ptr, v, true);
  }
  /** Stores `v` modulo 2^64 (setBigUint64 wraps, as BigInt.asUintN(64, v) would). */
  setU64(ptr: number, v: bigint): void {
    this.#check(ptr, 8);
    this.#view.setBigUint64(ptr, v, true);
  }
  /** Stores a u64 given as a non-negative safe integer, without making a BigInt. */
  setU64Number(ptr: number, v: number): void {
    this.#check(ptr, 8);
    const lo = v >>> 0;
    this.#view.setUint32(ptr, lo, true);
    this.#view.setUint32(ptr + 4, (v - lo) / 0x1_0000_0000, true);
  }
  /** Zero-fills a struct before its fields are written (padding included). */
  zero(ptr: number, len: number): void {
    this.#check(ptr, len);
    this.#bytes.fill(0, ptr, ptr + len);
  }
  /** Copies host bytes into guest memory. */
  write(ptr: number, data: Uint8Array): void {
    this.#check(ptr, data.length);
    this.#bytes.set(data, ptr);
  }

  /**
   * A UTF-8 string of `len` bytes at `ptr`; invalid UTF-8 is EILSEQ. A short ASCII string (most
   * paths) is made from its codes with one `String.fromCharCode`: TextDecoder's fixed price per
   * call is several times that.
   */
  string(ptr: number, len: number): string {
    this.#check(ptr, len);
    const all = this.#bytes;
    if (len < SHORT_CODES.length) {
      const codes = SHORT_CODES[len]!;
      for (let i = 0; i < len; i++) {
        const c = all[ptr + i]!;
        if (c >= 0x80) return decode(all.subarray(ptr, ptr + len));
        codes[i] = c;
      }
      return String.fromCharCode.apply(null, codes);
    }
    return decode(all.subarray(ptr, ptr + len));
  }
}

/** For each length up to 32, an array of that many codes, reused (a fixed length keeps it fast). */
const SHORT_CODES: number[][] = Array.from({ length: 33 }, (_, n) => new Array<number>(n).fill(0));

function decode(bytes: Uint8Array): string {
  try {
    // TextDecoder refuses views of shared memory; copy those first.
    return decoder.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());
  } catch {
    throw new WasiError(Errno.EILSEQ, 'string is not valid UTF-8');
  }
}
