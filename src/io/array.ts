// Layer: io. Imports src/errno and src/io only.
// I/O arrays: random-access bytes (files, memory buffers, disk images). A backend subclasses
// IOArray and implements the required core (readAtCore, writeAtCore, lenCore, setLenCore); copy,
// append, advise and flush are derived unless the backend offers a faster path.
//
// A transfer returns the bytes moved; reads are short only at the end of the array. A failure
// throws IOError with `moved` (partial success together with failure): a core that moved part
// of a transfer before failing throws IOError with that count, and it is passed on.

import { Errno, WasiError } from '../errno/index.js';
import { asIOError, checkOffset, IOError, movedBy } from './errors.js';
import { IOHandle, type IOOptions } from './handle.js';

/** Access-pattern hints, as in posix_fadvise. */
export type Advice = 'normal' | 'sequential' | 'random' | 'willneed' | 'dontneed' | 'noreuse';

/** What `flush` makes durable: the data only (fdatasync) or data and metadata (fsync). */
export type FlushMode = 'data' | 'all';

const COPY_CHUNK = 64 * 1024;
let copyBuffer: Uint8Array | undefined;

export abstract class IOArray extends IOHandle {
  constructor(options: IOOptions = {}) {
    super(options, 'array');
  }

  /** Required core: read into `into` (length > 0) from `offset`; short only at the end. */
  protected abstract readAtCore(into: Uint8Array, offset: number): number;
  /** Required core: write all of `from` (length > 0) at `offset`, growing the array if needed. */
  protected abstract writeAtCore(from: Uint8Array, offset: number): number;
  protected abstract lenCore(): number;
  /** Required core: truncate, or extend with zeros. */
  protected abstract setLenCore(len: number): void;
  /** Optional fast path for `copy`. Returns bytes copied, or undefined to use the derived copy. */
  protected copyCore?(dst: IOArray, dstOffset: number, srcOffset: number, len: number): number | undefined;
  /** Optional fast path for `append` (e.g. a host file opened with O_APPEND). */
  protected appendCore?(from: Uint8Array): number;
  protected adviseCore?(offset: number, len: number, advice: Advice): void;
  protected flushCore?(mode: FlushMode): void;

  /** Reads bytes at `offset` into `into`. Returns bytes read (short only at the end). */
  readAt(into: Uint8Array, offset: number): number {
    checkOffset(offset, 'offset');
    if (into.length === 0) return 0;
    try {
      return this.readAtCore(into, offset);
    } catch (e) {
      throw asIOError(e, movedBy(e));
    }
  }

  /** Writes all of `from` at `offset`, growing the array (holes read as zeros). */
  writeAt(from: Uint8Array, offset: number): number {
    checkOffset(offset, 'offset');
    if (!Number.isSafeInteger(offset + from.length)) {
      throw new WasiError(Errno.EFBIG, 'write past the largest representable offset');
    }
    if (from.length === 0) return 0;
    try {
      return this.writeAtCore(from, offset);
    } catch (e) {
      throw asIOError(e, movedBy(e));
    }
  }

  /** Writes all of `from` at the current end of the array. Returns bytes written. */
  append(from: Uint8Array): number {
    if (from.length === 0) return 0;
    if (!this.appendCore) return this.writeAt(from, this.len());
    try {
      return this.appendCore(from);
    } catch (e) {
      throw asIOError(e, movedBy(e));
    }
  }

  len(): number {
    try {
      return this.lenCore();
    } catch (e) {
      throw asIOError(e, 0);
    }
  }

  /** Sets the length: truncates, or extends with zeros. */
  setLen(len: number): void {
    checkOffset(len, 'length');
    try {
      this.setLenCore(len);
    } catch (e) {
      throw asIOError(e, 0);
    }
  }

  /** An optimization hint for a byte range; never changes contents. */
  advise(offset: number, len: number, advice: Advice): void {
    checkOffset(offset, 'offset');
    checkOffset(len, 'length');
    this.adviseCore?.(offset, len, advice);
  }

  /** Makes written data durable; reports failures. */
  flush(mode: FlushMode = 'all'): void {
    try {
      this.flushCore?.(mode);
    } catch (e) {
      throw asIOError(e, 0);
    }
  }

  /**
   * Copies `len` bytes from this array at `srcOffset` to `dst` at `dstOffset` (the same array is
   * allowed; overlapping ranges copy as memmove does). Stops early at the end of this array.
   * Returns bytes copied.
   */
  copy(dst: IOArray, dstOffset: number, srcOffset: number, len: number): number {
    checkOffset(dstOffset, 'destination offset');
    checkOffset(srcOffset, 'source offset');
    checkOffset(len, 'length');
    const n = Math.max(0, Math.min(len, this.len() - srcOffset));
    if (n === 0) return 0;
    if (!Number.isSafeInteger(dstOffset + n)) {
      throw new WasiError(Errno.EFBIG, 'copy past the largest representable offset');
    }
    const fast = this.copyCore?.(dst, dstOffset, srcOffset, n);
    if (fast !== undefined) return fast;
    const buf = (copyBuffer ??= new Uint8Array(COPY_CHUNK));
    // Copy backwards when the destination overlaps the source from above, like memmove.
    const backwards = dst === this && dstOffset > srcOffset && dstOffset < srcOffset + n;
    let done = 0;
    while (done < n) {
      const chunk = Math.min(COPY_CHUNK, n - done);
      const at = backwards ? n - done - chunk : done;
      const view = buf.subarray(0, chunk);
      let got: number;
      try {
        got = this.readAtCore(view, srcOffset + at);
      } catch (e) {
        throw asIOError(e, done); // bytes read but not yet written were not copied
      }
      if (got !== chunk) throw new IOError(Errno.EIO, done, 'source shrank during copy');
      try {
        dst.writeAt(view, dstOffset + at);
      } catch (e) {
        throw asIOError(e, done + movedBy(e));
      }
      done += chunk;
    }
    return done;
  }
}
