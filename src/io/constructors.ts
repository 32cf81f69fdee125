// Layer: io. Imports src/errno and src/io only.
// The remaining constructors: the null output stream, fromArray and fromStream.

import { Errno, WasiError } from '../errno/index.js';
import { AnonymousArray } from './anonymous.js';
import { IOArray, type Advice } from './array.js';
import { asIOError, checkOffset, IOError } from './errors.js';
import { END, InputStream, OutputStream, type IOOptions } from './stream.js';

class NullOutput extends OutputStream {
  protected writeCore(from: Uint8Array): number {
    return from.length;
  }
  protected override writeZerosCore(n: number): number {
    return n;
  }
}

/** An output stream that accepts and discards everything (the bit bucket). */
export function nullOutput(options: IOOptions = {}): OutputStream {
  return new NullOutput({ name: 'null', ...options });
}

/** A stream over an array takes the array's media type and name unless told otherwise. */
function asArray(array: IOArray, options: IOOptions): IOOptions {
  return { mediaType: array.mediaType(), name: array.pseudonym().displayName(), ...options };
}

class ArrayInput extends InputStream {
  readonly #array: IOArray;
  #pos: number;
  constructor(array: IOArray, offset: number, options: IOOptions) {
    super(asArray(array, options));
    this.#array = array;
    this.#pos = offset;
  }
  protected readCore(into: Uint8Array): number {
    const n = this.#array.readAt(into, this.#pos);
    if (n === 0) return END;
    this.#pos += n;
    return n;
  }
  protected override readyCore(): boolean | typeof END {
    return this.#pos < this.#array.len() || END;
  }
  protected override skipCore(n: number): number {
    const left = this.#array.len() - this.#pos;
    if (left <= 0) return END;
    const k = Math.min(n, left);
    this.#pos += k;
    return k;
  }
}

/** An input stream reading `array` sequentially from `offset` to its end. */
export function fromArray(array: IOArray, offset = 0, options: IOOptions = {}): InputStream {
  checkOffset(offset, 'offset');
  return new ArrayInput(array, offset, options);
}

class ArrayOutput extends OutputStream {
  readonly #array: IOArray;
  #pos: number;
  constructor(array: IOArray, offset: number, options: IOOptions) {
    super(asArray(array, options));
    this.#array = array;
    this.#pos = offset;
  }
  protected writeCore(from: Uint8Array): number {
    const n = this.#array.writeAt(from, this.#pos);
    this.#pos += n;
    return n;
  }
  protected override flushCore(): void {
    this.#array.flush('data');
  }
}

/** An output stream writing `array` sequentially from `offset` (the dual of `fromArray`). */
export function toArray(array: IOArray, offset = 0, options: IOOptions = {}): OutputStream {
  checkOffset(offset, 'offset');
  return new ArrayOutput(array, offset, options);
}

class ReadOnlyArray extends IOArray {
  readonly #inner: IOArray;
  constructor(inner: IOArray) {
    super(asArray(inner, {}));
    this.#inner = inner;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    return this.#inner.readAt(into, offset);
  }
  protected writeAtCore(): number {
    throw new WasiError(Errno.EROFS, 'read-only array');
  }
  protected lenCore(): number {
    return this.#inner.len();
  }
  protected setLenCore(): void {
    throw new WasiError(Errno.EROFS, 'read-only array');
  }
  protected override adviseCore(offset: number, len: number, advice: Advice): void {
    this.#inner.advise(offset, len, advice);
  }
}

/** A read-only view of `array`: reads pass through, changes fail with EROFS. */
export function readOnlyArray(array: IOArray): IOArray {
  return array instanceof ReadOnlyArray ? array : new ReadOnlyArray(array);
}

const DRAIN_CHUNK = 64 * 1024;

/** `fromStream`'s failure: an IOError that also hands over the bytes received before it. */
export class FromStreamError extends IOError {
  /** The array holding what was received before the failure. */
  readonly array: AnonymousArray;
  constructor(errno: Errno, moved: number, detail: string, array: AnonymousArray) {
    super(errno, moved, detail);
    this.array = array;
  }
}

/**
 * Reads `input` to its end into a new anonymous array. If the stream fails midway, throws
 * FromStreamError (an IOError) whose `moved` is the bytes received and whose `array` holds them.
 * A stream that stops producing without ending (an empty pipe whose writer is open) fails with
 * EAGAIN the same way, since waiting would block forever in a synchronous call.
 */
export function fromStream(input: InputStream, options: IOOptions = {}): AnonymousArray {
  const array = new AnonymousArray({ mediaType: input.mediaType(), ...options });
  const buf = new Uint8Array(DRAIN_CHUNK);
  let total = 0;
  for (;;) {
    let got: number;
    try {
      got = input.read(buf);
    } catch (e) {
      const err = asIOError(e, total);
      throw new FromStreamError(err.errno, total, `stream failed after ${total} bytes`, array);
    }
    if (got === 0) {
      if (input.status === 'ended') return array;
      throw new FromStreamError(Errno.EAGAIN, total, `stream stalled after ${total} bytes without ending`, array);
    }
    array.writeAt(got === buf.length ? buf : buf.subarray(0, got), total);
    total += got;
  }
}
