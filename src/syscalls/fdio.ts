// Layer: syscalls. Imports src/errno, src/io and src/fdtable only (and this folder).
// Reading and writing: read/write emulated on an array at the descriptor's cursor (lseek is the
// cursor), pread/pwrite beside it, O_APPEND through the array's append, streams as they come.

import { Errno, WasiError } from '../errno/index.js';
import type { Advice } from '../io/array.js';
import { IOError } from '../io/errors.js';
import { FileDescriptor, RIGHT_BITS, Rights, StreamDescriptor, type FdTable } from '../fdtable/index.js';
import { checkedPosition, partial, Whence } from './context.js';

const ADVICE: readonly Advice[] = ['normal', 'sequential', 'random', 'willneed', 'dontneed', 'noreuse'];

/** readv(2) on a stream: fills buffers while data is there without waiting. */
export function readStream(d: StreamDescriptor, iovs: readonly Uint8Array[]): number {
  const input = d.input!;
  let done = 0;
  try {
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      const n = input.read(iov);
      done += n;
      // Fill later buffers only while the stream can give more without waiting.
      if (n < iov.length || !input.ready() || input.status !== 'open') break;
    }
  } catch (e) {
    return partial(e, done);
  }
  if (done === 0 && input.status === 'open' && iovs.some((v) => v.length > 0)) {
    throw new WasiError(Errno.EAGAIN, 'no data available yet');
  }
  return done;
}

/** writev(2) on a stream. */
export function writeStream(d: StreamDescriptor, iovs: readonly Uint8Array[]): number {
  const output = d.output!;
  let done = 0;
  let wanted = 0;
  try {
    for (const iov of iovs) {
      if (iov.length === 0) continue;
      wanted += iov.length;
      const n = output.write(iov);
      done += n;
      if (n < iov.length) break;
    }
  } catch (e) {
    return partial(e, done);
  }
  if (done === 0 && wanted > 0) throw new WasiError(Errno.EAGAIN, 'stream is full');
  return done;
}

export class FdIoCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  /** readv(2) */
  fdRead(fd: number, iovs: readonly Uint8Array[]): number {
    const d = this.#fds.readable(fd);
    if (d instanceof FileDescriptor) {
      const n = this.#readAt(d, iovs, d.cursor);
      d.cursor += n;
      return n;
    }
    return readStream(d, iovs);
  }

  /** preadv(2): never moves the cursor. */
  fdPread(fd: number, iovs: readonly Uint8Array[], offset: number): number {
    const d = this.#fds.readable(fd);
    if (!(d instanceof FileDescriptor)) throw new WasiError(Errno.ESPIPE, 'pread on a stream');
    return this.#readAt(d, iovs, checkedPosition(offset));
  }

  /** writev(2) */
  fdWrite(fd: number, iovs: readonly Uint8Array[]): number {
    const d = this.#fds.writable(fd);
    if (d instanceof FileDescriptor) {
      if (d.append) {
        const n = this.#append(d, iovs);
        d.cursorToEnd();
        return n;
      }
      const at = d.cursor;
      const n = this.#writeAt(d, iovs, at);
      d.cursor = at + n;
      return n;
    }
    return writeStream(d, iovs);
  }

  /** pwritev(2): never moves the cursor. */
  fdPwrite(fd: number, iovs: readonly Uint8Array[], offset: number): number {
    const d = this.#fds.writable(fd);
    if (!(d instanceof FileDescriptor)) throw new WasiError(Errno.ESPIPE, 'pwrite on a stream');
    const at = checkedPosition(offset);
    // NOTE: pwrite on an O_APPEND descriptor appends, as on Linux (POSIX leaves it open).
    return d.append ? this.#append(d, iovs) : this.#writeAt(d, iovs, at);
  }

  /** Writes each buffer at the end of the file (O_APPEND), through the array's append. */
  #append(d: FileDescriptor, iovs: readonly Uint8Array[]): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (const iov of iovs) done += array.append(iov);
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  #readAt(d: FileDescriptor, iovs: readonly Uint8Array[], at: number): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (let i = 0; i < iovs.length; i++) {
        const iov = iovs[i]!;
        const n = array.readAt(iov, at + done);
        done += n;
        if (n < iov.length) break;
      }
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  #writeAt(d: FileDescriptor, iovs: readonly Uint8Array[], at: number): number {
    const array = d.node.array;
    let done = 0;
    try {
      for (let i = 0; i < iovs.length; i++) done += array.writeAt(iovs[i]!, at + done);
    } catch (e) {
      return partial(e, done);
    }
    return done;
  }

  /** lseek(2), emulated on the descriptor's cursor. */
  fdSeek(fd: number, offset: number, whence: number): number {
    const d = this.#fds.file(fd);
    d.requireBits(whence === Whence.CUR && offset === 0 ? RIGHT_BITS.TELL : RIGHT_BITS.SEEK);
    let base: number;
    switch (whence) {
      case Whence.SET: base = 0; break;
      case Whence.CUR: base = d.cursor; break;
      case Whence.END: base = d.node.array.len(); break;
      default: throw new WasiError(Errno.EINVAL, `bad whence ${whence}`);
    }
    // An offset beyond ±2^53 can only land outside [0, 2^53): EINVAL either way.
    d.cursor = checkedPosition(Number.isSafeInteger(offset) ? base + offset : -1);
    return d.cursor;
  }
  /** lseek(fd, 0, SEEK_CUR) */
  fdTell(fd: number): number {
    const d = this.#fds.file(fd);
    d.requireBits(RIGHT_BITS.TELL);
    return d.cursor;
  }

  /** posix_fadvise(2) → array advise */
  fdAdvise(fd: number, offset: bigint, len: bigint, advice: number): void {
    const d = this.#fds.file(fd);
    const a = ADVICE[advice];
    if (a === undefined) throw new WasiError(Errno.EINVAL, `bad advice ${advice}`);
    d.node.array.advise(checkedPosition(offset), checkedPosition(len), a);
  }
  /** posix_fallocate(3): grows the file to cover the range. */
  fdAllocate(fd: number, offset: bigint, len: bigint): void {
    const d = this.#fds.file(fd);
    if (!(d.rightsBase & Rights.FD_WRITE)) throw new WasiError(Errno.EBADF, 'not open for writing');
    const end = checkedPosition(offset + len);
    if (len === 0n) throw new WasiError(Errno.EINVAL, 'zero length');
    if (end > d.node.array.len()) d.node.array.setLen(end);
  }
  /** fsync(2) → flush of data and metadata */
  fdSync(fd: number): void {
    this.#flush(fd, 'all');
  }
  /** fdatasync(2) → flush of data */
  fdDatasync(fd: number): void {
    this.#flush(fd, 'data');
  }
  #flush(fd: number, mode: 'data' | 'all'): void {
    const d = this.#fds.get(fd);
    try {
      if (d instanceof FileDescriptor) d.node.array.flush(mode);
      else if (d instanceof StreamDescriptor) d.output?.flush();
    } catch (e) {
      throw e instanceof IOError ? new WasiError(e.errno, e.message) : e;
    }
  }
}
