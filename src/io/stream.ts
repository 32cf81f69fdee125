// Layer: io. Imports src/errno and src/io only.
// Input and output streams: reliable in-order bytes. A backend subclasses one of these and
// implements the small required core (`readCore` / `writeCore`); every other operation is
// derived from it unless the backend overrides the matching `*Core` hook with a faster path.
//
// Semantics shared by every stream:
// - A transfer returns the number of bytes moved. A failure throws IOError whose `moved` says
//   how many bytes this call moved before failing (partial success together with failure). A
//   core that moved part of its bytes before failing throws IOError with that count.
// - Failure and end-of-stream are sticky: after either, every later call reports it again.
// - There is no EINTR and no timeout. A stream that cannot make progress right now (an empty
//   pipe whose writer is still open, a full pipe) moves 0 bytes; `ready()` / `checkWrite()`
//   tell when it can.

import { Errno } from '../errno/index.js';
import { asIOError, checkOffset, IOError, movedBy } from './errors.js';
import { IOHandle, type IOOptions } from './handle.js';
import type { Pseudonym } from './pseudonym.js';

export { DEFAULT_MEDIA_TYPE, type IOOptions } from './handle.js';

/** Returned by `readCore` at end of stream. */
export const END = -1 as const;

export type InputStatus = 'open' | 'ended' | 'failed';
export type OutputStatus = 'open' | 'closed' | 'failed';

const SCRATCH = 64 * 1024;
let scratch: Uint8Array | undefined;
let zeros: Uint8Array | undefined;
/** A shared buffer for derived operations; never handed out beyond one synchronous call. */
function scratchBuffer(): Uint8Array {
  return (scratch ??= new Uint8Array(SCRATCH));
}
function zeroBuffer(): Uint8Array {
  return (zeros ??= new Uint8Array(SCRATCH));
}

export abstract class InputStream extends IOHandle {
  #ended = false;
  #error: IOError | undefined;

  constructor(options: IOOptions = {}) {
    super(options, 'input stream');
  }

  /**
   * Required core: read up to `into.length` (> 0) bytes into `into`. Returns the count, 0 when
   * nothing is available yet, or END. Throws WasiError on failure.
   */
  protected abstract readCore(into: Uint8Array): number;

  /** Optional fast path for `skip`: same contract as `readCore`, without the data. */
  protected skipCore?(n: number): number;

  /**
   * Optional: whether a read would make progress now (default: always); END when the stream is
   * known to be at its end (a hang-up), which `ready` then records.
   */
  protected readyCore?(): boolean | typeof END;

  /** Optional: release host resources. */
  protected closeCore?(): void;

  get status(): InputStatus {
    return this.#error ? 'failed' : this.#ended ? 'ended' : 'open';
  }

  /** The sticky failure, if the stream has failed. */
  get error(): IOError | undefined {
    return this.#error;
  }

  /** Reads into `into` (no intermediate buffer). Returns bytes read; 0 with `status` 'ended' at end. */
  read(into: Uint8Array): number {
    if (this.#error) throw this.#error.again();
    if (this.#ended || into.length === 0) return 0;
    try {
      return this.#step(this.readCore(into), 0);
    } catch (e) {
      throw this.#fail(e, movedBy(e));
    }
  }

  /** Discards up to `n` bytes. Returns how many were skipped. */
  skip(n: number): number {
    checkOffset(n, 'skip length');
    let done = 0;
    while (done < n && this.status === 'open') {
      const want = Math.min(n - done, SCRATCH);
      let got: number;
      try {
        got = this.skipCore ? this.skipCore(want) : this.readCore(scratchBuffer().subarray(0, want));
      } catch (e) {
        throw this.#fail(e, done + movedBy(e));
      }
      got = this.#step(got, done);
      if (got === 0) break;
      done += got;
    }
    if (this.#error && done === 0) throw this.#error.again();
    return done;
  }

  /**
   * Reads up to `n` bytes and writes them to `to`, never reading more than `to` can take now.
   * Returns the bytes forwarded. A failure on either side throws IOError with `moved`.
   */
  forward(to: OutputStream, n: number): number {
    checkOffset(n, 'forward length');
    let done = 0;
    const buf = scratchBuffer();
    while (done < n && this.status === 'open') {
      const room = to.checkWrite();
      const want = Math.min(n - done, SCRATCH, room);
      if (want === 0) break;
      let got: number;
      try {
        got = this.#step(this.readCore(buf.subarray(0, want)), done);
      } catch (e) {
        throw this.#fail(e, done);
      }
      if (got === 0) break;
      try {
        const put = to.write(buf.subarray(0, got));
        done += put;
        if (put < got) throw new IOError(Errno.EIO, done, 'output accepted fewer bytes than it promised');
      } catch (e) {
        throw asIOError(e, done + movedBy(e));
      }
    }
    if (this.#error && done === 0) throw this.#error.again();
    return done;
  }

  /** Whether `read` would make progress now (data, end or failure to report). */
  ready(): boolean {
    if (this.status !== 'open') return true;
    if (!this.readyCore) return true;
    try {
      const r = this.readyCore();
      if (r === END) this.#ended = true;
      return r !== false;
    } catch (e) {
      // A failure is something to report: the next read throws it.
      this.#fail(e, 0);
      return true;
    }
  }

  /** Releases the stream; later reads report end of stream. */
  close(): void {
    if (!this.#ended) {
      this.#ended = true;
      this.closeCore?.();
    }
  }

  /** Applies a core result: records end of stream, returns the byte count. */
  #step(got: number, done: number): number {
    if (got === END) {
      this.#ended = true;
      return 0;
    }
    if (!Number.isInteger(got) || got < 0) {
      throw new IOError(Errno.EIO, done, `stream backend returned ${got}`);
    }
    return got;
  }

  #fail(e: unknown, moved: number): IOError {
    const err = asIOError(e, moved);
    this.#error = err.again();
    return err;
  }
}

export abstract class OutputStream extends IOHandle {
  #closed = false;
  #error: IOError | undefined;

  constructor(options: IOOptions = {}) {
    super(options, 'output stream');
  }

  /**
   * Required core: write bytes from `from` (length > 0). Returns how many were accepted, which is
   * fewer than `from.length` only when `checkWriteCore` allowed fewer. Throws WasiError on failure.
   */
  protected abstract writeCore(from: Uint8Array): number;
  /** Optional fast path for `writeZeros`. Returns bytes accepted. */
  protected writeZerosCore?(n: number): number;
  /** Optional: push buffered bytes to their destination, reporting failures. */
  protected flushCore?(): void;
  /** Optional: how many bytes a write accepts now (default: unlimited). */
  protected checkWriteCore?(): number;
  /** Optional: release host resources. */
  protected closeCore?(): void;

  get status(): OutputStatus {
    return this.#error ? 'failed' : this.#closed ? 'closed' : 'open';
  }

  get error(): IOError | undefined {
    return this.#error;
  }

  /** Writes bytes from `from`. Returns bytes accepted (fewer only under backpressure). */
  write(from: Uint8Array): number {
    this.#check();
    let done = 0;
    while (done < from.length) {
      let put: number;
      try {
        put = this.writeCore(done === 0 ? from : from.subarray(done));
      } catch (e) {
        throw this.#fail(e, done + movedBy(e));
      }
      if (!Number.isInteger(put) || put < 0 || put > from.length - done) {
        throw this.#fail(new IOError(Errno.EIO, done, `stream backend returned ${put}`), done);
      }
      if (put === 0) break;
      done += put;
    }
    return done;
  }

  /** Writes `n` zero bytes. Returns bytes accepted. */
  writeZeros(n: number): number {
    checkOffset(n, 'zero count');
    this.#check();
    let done = 0;
    while (done < n) {
      const want = Math.min(n - done, SCRATCH);
      let put: number;
      try {
        put = this.writeZerosCore ? this.writeZerosCore(want) : this.writeCore(zeroBuffer().subarray(0, want));
      } catch (e) {
        throw this.#fail(e, done + movedBy(e));
      }
      if (put === 0) break;
      done += put;
    }
    return done;
  }

  /** Pushes buffered bytes to their destination; reports (sticky) failures. */
  flush(): void {
    this.#check();
    try {
      this.flushCore?.();
    } catch (e) {
      throw this.#fail(e, 0);
    }
  }

  /** How many bytes `write` would accept now without blocking. */
  checkWrite(): number {
    if (this.status !== 'open') return 0;
    return this.checkWriteCore ? this.checkWriteCore() : Number.MAX_SAFE_INTEGER;
  }

  /**
   * Writes the display name of `p` to this stream. The writer never learns the name: the
   * rendering happens here, on the host side. Returns bytes written.
   */
  writePseudonym(p: Pseudonym): number {
    return this.write(new TextEncoder().encode(p.displayName()));
  }

  /** Closes the stream; a reader on the other side of a pipe then sees end of stream. */
  close(): void {
    if (!this.#closed) {
      this.#closed = true;
      this.closeCore?.();
    }
  }

  #check(): void {
    if (this.#error) throw this.#error.again();
    if (this.#closed) throw new IOError(Errno.EPIPE, 0, 'write to a closed stream');
  }

  #fail(e: unknown, moved: number): IOError {
    const err = asIOError(e, moved);
    this.#error = err.again();
    return err;
  }
}

