// Layer: abi. Imports src/errno only.
// The guest's linear memory. Every access re-validates the view (memory may grow, and so detach
// its old buffer, during a call) and bounds-checks the pointer and length: out of bounds is a
// wasm trap (WebAssembly.RuntimeError), never a host exception. Views handed out are valid only
// until the next call into the guest.

import { Errno, WasiError } from '../errno/index.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

export class GuestMemory {
  readonly #memory: WebAssembly.Memory;
  #buffer: ArrayBuffer | SharedArrayBuffer;
  #bytes: Uint8Array;
  #view: DataView;

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
    }
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
  setU64(ptr: number, v: bigint): void {
    this.#check(ptr, 8);
    this.#view.setBigUint64(ptr, BigInt.asUintN(64, v), true);
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

  /** A UTF-8 string of `len` bytes at `ptr`; invalid UTF-8 is EILSEQ. */
  string(ptr: number, len: number): string {
    const bytes = this.bytes(ptr, len);
    try {
      // TextDecoder refuses views of shared memory; copy those first.
      return decoder.decode(bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice());
    } catch {
      throw new WasiError(Errno.EILSEQ, 'string is not valid UTF-8');
    }
  }
}
