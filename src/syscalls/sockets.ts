// Layer: syscalls. Imports src/errno and src/fdtable only (and this folder).
// Connected sockets are stream pairs: recv and send read and write them, shutdown closes a side.

import { Errno, WasiError } from '../errno/index.js';
import { FdFlags, type FdTable } from '../fdtable/index.js';
import { readStream, writeStream } from './fdio.js';

export class SocketCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  /** accept(2): connected stream sockets cannot accept. */
  sockAccept(fd: number, flags: number): number {
    this.#fds.socket(fd);
    if (flags & ~FdFlags.NONBLOCK) throw new WasiError(Errno.EINVAL, `bad flags ${flags}`);
    throw new WasiError(Errno.EINVAL, 'socket is not listening');
  }
  /** recv(2) on a connected socket: reads its input stream. Returns [bytes, roflags]. */
  sockRecv(fd: number, iovs: readonly Uint8Array[], flags: number): number {
    const d = this.#fds.socket(fd);
    if (flags & ~3) throw new WasiError(Errno.EINVAL, `bad recv flags ${flags}`);
    if (flags & 1) throw new WasiError(Errno.ENOTSUP, 'MSG_PEEK is not supported on streams');
    if (!d.input) throw new WasiError(Errno.ENOTCONN, 'socket has no input');
    return readStream(d, iovs);
  }
  /** send(2) on a connected socket: writes its output stream. */
  sockSend(fd: number, iovs: readonly Uint8Array[], flags: number): number {
    const d = this.#fds.socket(fd);
    if (flags !== 0) throw new WasiError(Errno.EINVAL, `bad send flags ${flags}`);
    if (!d.output) throw new WasiError(Errno.ENOTCONN, 'socket has no output');
    return writeStream(d, iovs);
  }
  /** shutdown(2): 1 = read side, 2 = write side. */
  sockShutdown(fd: number, how: number): void {
    const d = this.#fds.socket(fd);
    if (how < 1 || how > 3) throw new WasiError(Errno.EINVAL, `bad shutdown ${how}`);
    if (how & 1) d.input?.close();
    if (how & 2) d.output?.close();
  }
}
