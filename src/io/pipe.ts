// Layer: io. Imports src/errno and src/io only.
// pipe(): a connected input/output pair over a bounded ring buffer. Writes accept only what fits
// (backpressure); reads take what is buffered, in order. Closing the output ends the input once
// drained; closing the input makes later writes fail with EPIPE.

import { Errno, WasiError } from '../errno/index.js';
import { END, InputStream, OutputStream, type IOOptions } from './stream.js';

export const DEFAULT_PIPE_CAPACITY = 64 * 1024;

class Ring {
  readonly buf: Uint8Array;
  start = 0;
  size = 0;
  writerClosed = false;
  readerClosed = false;
  constructor(capacity: number) {
    this.buf = new Uint8Array(capacity);
  }
}

class PipeInput extends InputStream {
  readonly #ring: Ring;
  constructor(ring: Ring, options: IOOptions) {
    super({ name: 'pipe', ...options });
    this.#ring = ring;
  }
  protected readCore(into: Uint8Array): number {
    const r = this.#ring;
    if (r.size === 0) return r.writerClosed ? END : 0;
    const n = Math.min(into.length, r.size);
    const cap = r.buf.length;
    const first = Math.min(n, cap - r.start);
    into.set(r.buf.subarray(r.start, r.start + first), 0);
    if (first < n) into.set(r.buf.subarray(0, n - first), first);
    r.start = (r.start + n) % cap;
    r.size -= n;
    return n;
  }
  protected override readyCore(): boolean | typeof END {
    if (this.#ring.size > 0) return true;
    return this.#ring.writerClosed ? END : false;
  }
  protected override closeCore(): void {
    this.#ring.readerClosed = true;
  }
}

class PipeOutput extends OutputStream {
  readonly #ring: Ring;
  constructor(ring: Ring, options: IOOptions) {
    super({ name: 'pipe', ...options });
    this.#ring = ring;
  }
  protected writeCore(from: Uint8Array): number {
    const r = this.#ring;
    if (r.readerClosed) throw new WasiError(Errno.EPIPE, 'the reading end of the pipe is closed');
    const cap = r.buf.length;
    const n = Math.min(from.length, cap - r.size);
    const end = (r.start + r.size) % cap;
    const first = Math.min(n, cap - end);
    r.buf.set(from.subarray(0, first), end);
    if (first < n) r.buf.set(from.subarray(first, n), 0);
    r.size += n;
    return n;
  }
  protected override checkWriteCore(): number {
    return this.#ring.readerClosed ? 1 : this.#ring.buf.length - this.#ring.size;
  }
  protected override closeCore(): void {
    this.#ring.writerClosed = true;
  }
}

export interface Pipe {
  input: InputStream;
  output: OutputStream;
}

/** A connected pair: bytes written to `output` are read, in order, from `input`. */
export function pipe(capacity = DEFAULT_PIPE_CAPACITY, options: IOOptions = {}): Pipe {
  if (!Number.isSafeInteger(capacity) || capacity < 1) {
    throw new RangeError(`pipe capacity must be a positive integer, got ${capacity}`);
  }
  const ring = new Ring(capacity);
  return { input: new PipeInput(ring, options), output: new PipeOutput(ring, options) };
}
