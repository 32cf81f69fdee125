// Layer: io. Imports src/errno and src/io only.
// The remaining constructors: the null output stream, fromArray and fromStream; and the helpers
// a host writes around a run: bytes or text as an input stream, an array's contents back as bytes
// or text, output collected in memory, output handed to a callback per chunk or per line.

import { Errno, WasiError } from '../errno/index.js';
import { AnonymousArray } from './anonymous.js';
import { IOArray, type Advice } from './array.js';
import { asIOError, checkOffset, IOError, movedBy } from './errors.js';
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
  // The array's pseudonym is made only when its name is needed.
  return { mediaType: options.mediaType ?? array.mediaType(), name: options.name ?? array.pseudonym().displayName() };
}

/** Where a stream over an array is: the array and the next position, advanced as bytes move. */
interface Cursor {
  readonly array: IOArray;
  pos: number;
}

class ArrayInput extends InputStream {
  readonly #at: Cursor;
  constructor(at: Cursor, options: IOOptions) {
    super(asArray(at.array, options));
    this.#at = at;
  }
  protected readCore(into: Uint8Array): number {
    const n = this.#at.array.readAt(into, this.#at.pos);
    if (n === 0) return END;
    this.#at.pos += n;
    return n;
  }
  protected override readyCore(): boolean | typeof END {
    return this.#at.pos < this.#at.array.len() || END;
  }
  protected override skipCore(n: number): number {
    const left = this.#at.array.len() - this.#at.pos;
    if (left <= 0) return END;
    const k = Math.min(n, left);
    this.#at.pos += k;
    return k;
  }
}

/** An input stream reading `array` sequentially from `offset` to its end. */
export function fromArray(array: IOArray, offset = 0, options: IOOptions = {}): InputStream {
  checkOffset(offset, 'offset');
  return new ArrayInput({ array, pos: offset }, options);
}

class ArrayOutput extends OutputStream {
  readonly #at: Cursor;
  constructor(at: Cursor, options: IOOptions) {
    super(asArray(at.array, options));
    this.#at = at;
  }
  protected writeCore(from: Uint8Array): number {
    const n = this.#at.array.writeAt(from, this.#at.pos);
    this.#at.pos += n;
    return n;
  }
  protected override flushCore(): void {
    this.#at.array.flush('data');
  }
}

/** An output stream writing `array` sequentially from `offset` (the dual of `fromArray`). */
export function toArray(array: IOArray, offset = 0, options: IOOptions = {}): OutputStream {
  checkOffset(offset, 'offset');
  return new ArrayOutput({ array, pos: offset }, options);
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
      const last = movedBy(e); // bytes this read delivered before it failed
      if (last > 0) array.writeAt(buf.subarray(0, last), total);
      total += last;
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

// ---------------------------------------------------------------------------------------------
// Helpers for hosts: giving input, reading output back.

const encoder = new TextEncoder();

/** An input stream over `data`: bytes (copied) or a string (as UTF-8). Ends after the last byte. */
export function fromBytes(data: Uint8Array | string, options: IOOptions = {}): InputStream {
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new TypeError('fromBytes: data must be a Uint8Array or a string');
  }
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  const array = new AnonymousArray();
  if (bytes.length > 0) array.writeAt(bytes, 0);
  return fromArray(array, 0, { name: 'bytes', ...options });
}

/** The whole contents of `array`, copied out. */
export function bytesOf(array: IOArray): Uint8Array {
  const out = new Uint8Array(array.len());
  let at = 0;
  while (at < out.length) {
    const n = array.readAt(out.subarray(at), at);
    if (n === 0) break; // the array shrank meanwhile
    at += n;
  }
  return at === out.length ? out : out.slice(0, at);
}

/** The whole contents of `array` decoded as UTF-8 (bad bytes become U+FFFD). */
export function textOf(array: IOArray): string {
  return new TextDecoder().decode(bytesOf(array));
}

/** An output stream that keeps what is written, in memory; read it back with bytes() or text(). */
export class CollectedOutput extends OutputStream {
  readonly #array = new AnonymousArray();
  #len = 0;
  protected writeCore(from: Uint8Array): number {
    this.#array.writeAt(from, this.#len);
    this.#len += from.length;
    return from.length;
  }
  /** Everything written so far. */
  bytes(): Uint8Array {
    return bytesOf(this.#array);
  }
  /** Everything written so far, decoded as UTF-8 (bad bytes become U+FFFD). */
  text(): string {
    return textOf(this.#array);
  }
}

/** An output stream that collects what is written (for a program's stdout or stderr). */
export function collect(options: IOOptions = {}): CollectedOutput {
  return new CollectedOutput({ name: 'collected', ...options });
}

function callbackOf<T>(fn: T, what: string): T {
  if (typeof fn !== 'function') throw new TypeError(`${what}: the callback must be a function`);
  return fn;
}

/** An output stream that hands a copy of every write to `write`, whole and at once. */
export class ChunkOutput extends OutputStream {
  readonly #write: (bytes: Uint8Array) => void;
  constructor(write: (bytes: Uint8Array) => void, options: IOOptions = {}) {
    super({ name: 'callback', ...options });
    this.#write = callbackOf(write, 'onChunk');
  }
  protected writeCore(from: Uint8Array): number {
    this.#write(from.slice());
    return from.length;
  }
}

/** An output stream calling `write` with a copy of each chunk written. */
export function onChunk(write: (bytes: Uint8Array) => void, options: IOOptions = {}): OutputStream {
  return new ChunkOutput(write, options);
}

/**
 * A byte sink that calls `write` once per complete line (without its "\n"), decoding UTF-8
 * across calls (bad bytes become U+FFFD). `end()` passes on a last line that has no "\n".
 */
export function lineSplitter(write: (line: string) => void): { push(bytes: Uint8Array): void; end(): void } {
  callbackOf(write, 'lineSplitter');
  // The decoder is made, and called, only for text that is not plain ASCII: a short ASCII chunk
  // (most output) is made into a string directly, which costs a fraction of a decoder call.
  let dec: TextDecoder | undefined;
  /** The decoder may hold the start of a character cut off at the end of the last chunk. */
  let held = false;
  /** Some bytes have come (a byte order mark is no longer at the start). */
  let started = false;
  let pending = '';
  return {
    push(bytes) {
      if (!held && bytes.length <= ASCII_CHUNK && isAscii(bytes)) {
        pending += String.fromCharCode.apply(null, bytes as unknown as number[]);
      } else {
        // Made after some text, the decoder is past the start: a byte order mark is text there.
        dec ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: started });
        pending += dec.decode(bytes, { stream: true });
        // An ASCII last byte ends any character the decoder had begun.
        held = bytes.length > 0 ? bytes[bytes.length - 1]! >= 0x80 : held;
      }
      started ||= bytes.length > 0;
      let start = 0;
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n', start)) {
        write(pending.slice(start, nl));
        start = nl + 1;
      }
      if (start > 0) pending = pending.slice(start);
    },
    end() {
      if (held) {
        pending += dec!.decode();
        held = false;
      }
      if (pending !== '') write(pending);
      pending = '';
    },
  };
}

/** Chunks up to this size are tried as ASCII first (a larger one is decoded in one call). */
const ASCII_CHUNK = 1024;

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

class LineOutput extends OutputStream {
  readonly #lines: ReturnType<typeof lineSplitter>;
  constructor(write: (line: string) => void, options: IOOptions) {
    super({ name: 'lines', ...options });
    this.#lines = lineSplitter(callbackOf(write, 'onLine'));
  }
  protected writeCore(from: Uint8Array): number {
    this.#lines.push(from);
    return from.length;
  }
  protected override flushCore(): void {
    this.#lines.end();
  }
  protected override closeCore(): void {
    this.#lines.end();
  }
}

/**
 * An output stream calling `write` once per complete line of text (without its "\n"), like
 * browser_wasi_shim's ConsoleStdout.lineBuffered. A last line without "\n" is passed on when
 * the stream is flushed or closed (WASI flushes stdout and stderr when a run ends).
 */
export function onLine(write: (line: string) => void, options: IOOptions = {}): OutputStream {
  return new LineOutput(write, options);
}
