// Layer: adapters/browser. Imports src/io and src/errno only.
// WHATWG streams as asynchronous I/O types: a ReadableStream of bytes as an AsyncSource (stdin
// from a fetch body, a file's stream(), a socket) and a WritableStream as an AsyncSink. Give them
// to a program with `fromAsyncSource` / `fromAsyncSink`.

import { Errno, WasiError } from '../../src/errno/index.js';
import { wake, type AsyncSink, type AsyncSource, type MaybePromise } from '../../src/io/index.js';

/** A chunk as bytes: a Uint8Array, another ArrayBufferView, or an ArrayBuffer. */
function bytesOf(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
  throw new WasiError(Errno.EIO, `the stream gave a ${typeof chunk} chunk, not bytes`);
}

class ReadableSource implements AsyncSource {
  readonly #reader: ReadableStreamDefaultReader<unknown>;
  readonly #queue: Uint8Array[] = [];
  #ended = false;
  #error: unknown;
  /** The read in progress on the stream, if any (at most one, one chunk ahead). */
  #pulling: Promise<void> | undefined;

  constructor(stream: ReadableStream<unknown>) {
    this.#reader = stream.getReader();
  }
  #pull(): Promise<void> {
    return (this.#pulling ??= this.#reader.read().then(
      ({ done, value }) => {
        this.#pulling = undefined;
        if (done) this.#ended = true;
        else {
          try {
            const bytes = bytesOf(value);
            if (bytes.length > 0) this.#queue.push(bytes);
          } catch (e) {
            this.#error = e;
          }
        }
        wake();
      },
      (e: unknown) => {
        this.#pulling = undefined;
        this.#error = new WasiError(Errno.EIO, `stream failed: ${String(e)}`);
        wake();
      },
    ));
  }
  read(): MaybePromise<Uint8Array | null> {
    const next = this.#queue.shift();
    if (next !== undefined) return next;
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return null;
    return this.#pull().then(() => this.read());
  }
  ready(): boolean {
    if (this.#queue.length > 0 || this.#ended || this.#error !== undefined) return true;
    void this.#pull(); // so that a poll waiting for input sees it arrive
    return false;
  }
}

/**
 * A ReadableStream of bytes as an AsyncSource: a read answers the stream's next chunk, waiting
 * for it; the end of the stream is the end of input; a failed stream is EIO.
 */
export function fromReadableStream(stream: ReadableStream<Uint8Array>): AsyncSource {
  if (!(stream instanceof ReadableStream)) throw new TypeError('fromReadableStream: expected a ReadableStream');
  return new ReadableSource(stream);
}

class WritableSink implements AsyncSink {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  constructor(stream: WritableStream<Uint8Array>) {
    this.#writer = stream.getWriter();
  }
  async write(bytes: Uint8Array): Promise<void> {
    try {
      // A copy: the stream may keep the chunk after the guest's memory has moved on.
      await this.#writer.write(bytes.slice());
    } catch (e) {
      // NOTE: a stream that failed or was closed is a reader gone away: EPIPE, as for a pipe.
      throw new WasiError(Errno.EPIPE, `stream closed or failed: ${String(e)}`);
    }
  }
  // No flush: each write has already waited until the stream took its chunk.
  close(): Promise<void> {
    return this.#writer.close();
  }
}

/**
 * A WritableStream as an AsyncSink: each write waits until the stream has taken the chunk (its
 * back-pressure reaches the program); a failed stream is EPIPE; closing the descriptor closes it.
 */
export function toWritableStream(stream: WritableStream<Uint8Array>): AsyncSink {
  if (!(stream instanceof WritableStream)) throw new TypeError('toWritableStream: expected a WritableStream');
  return new WritableSink(stream);
}
