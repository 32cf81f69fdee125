// Layer: compat/browser-wasi-shim. Imports iotypes, ./defs.js and ./objects.js only.
// User `Fd` subclasses behind iotypes I/O types: their fd_read/fd_write as streams, their
// fd_pread/fd_pwrite as an array, their browser_wasi_shim `Filestat` as an iotypes `Stat`.

import { END, Errno, fileTypeOfCode, InputStream, IOArray, OutputStream, WasiError, type Stat } from '../../src/index.js';
import * as wasi from './defs.js';
import { Fd } from './objects.js';

function failure(ret: number): WasiError {
  return new WasiError(ret as Errno, 'returned by a custom Fd');
}

export class FdInput extends InputStream {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected readCore(into: Uint8Array): number {
    const { ret, data } = this.#fd.fd_read(into.length);
    if (ret === wasi.ERRNO_AGAIN) return 0;
    if (ret !== 0) throw failure(ret);
    if (data.length === 0) return END;
    const n = Math.min(data.length, into.length);
    into.set(data.subarray(0, n));
    return n;
  }
}

export class FdOutput extends OutputStream {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected writeCore(from: Uint8Array): number {
    const { ret, nwritten } = this.#fd.fd_write(from.slice());
    if (ret === wasi.ERRNO_AGAIN) return 0;
    if (ret !== 0) throw failure(ret);
    return Math.min(nwritten, from.length);
  }
}

export class FdArray extends IOArray {
  readonly #fd: Fd;
  constructor(fd: Fd) {
    super({ name: fd.constructor.name });
    this.#fd = fd;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    const { ret, data } = this.#fd.fd_pread(into.length, BigInt(offset));
    if (ret !== 0) throw failure(ret);
    const n = Math.min(data.length, into.length);
    into.set(data.subarray(0, n));
    return n;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    const { ret, nwritten } = this.#fd.fd_pwrite(from.slice(), BigInt(offset));
    if (ret !== 0) throw failure(ret);
    if (nwritten !== from.length) throw new WasiError(Errno.EIO, 'short write by a custom Fd');
    return nwritten;
  }
  protected lenCore(): number {
    return Number(fdStat(this.#fd).size);
  }
  protected setLenCore(len: number): void {
    const ret = this.#fd.fd_filestat_set_size(BigInt(len));
    if (ret !== 0) throw failure(ret);
  }
}

export function fdStat(fd: Fd): wasi.Filestat {
  const { ret, filestat } = fd.fd_filestat_get();
  if (ret !== 0 || filestat === null) throw failure(ret === 0 ? wasi.ERRNO_IO : ret);
  return filestat;
}

export function toStat(st: wasi.Filestat): Stat {
  return {
    dev: st.dev, ino: st.ino, type: fileTypeOfCode(st.filetype), nlink: Number(st.nlink) || 1, size: Number(st.size),
    atim: st.atim, mtim: st.mtim, ctim: st.ctim,
  };
}

export function refuseTimes(): never {
  throw new WasiError(Errno.ENOTSUP, 'cannot set the times of this file');
}

/** Whether `fd` overrides the base class's `method` (which answers ENOTSUP). */
export const overrides = (fd: Fd, method: keyof Fd): boolean => fd[method] !== Fd.prototype[method];
