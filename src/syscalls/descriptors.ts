// Layer: syscalls. Imports src/errno and src/fdtable only (and this folder).
// The descriptor table as the guest sees it: closing, renumbering, flags, rights and preopen names.

import { Errno, WasiError } from '../errno/index.js';
import { ALL_FDFLAGS, DirDescriptor, type FdTable } from '../fdtable/index.js';
import { utf8Bytes, type FdStat } from './context.js';

export class DescriptorCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  /** close(2) */
  fdClose(fd: number): void {
    this.#fds.close(fd);
  }
  /** dup2(2)-like move: Preview 1 fd_renumber. */
  fdRenumber(from: number, to: number): void {
    this.#fds.renumber(from, to);
  }
  /** fcntl(F_GETFL) plus the descriptor's type and rights. */
  fdFdstatGet(fd: number): FdStat {
    const d = this.#fds.get(fd);
    return { filetype: d.filetype, flags: d.fdflags, rightsBase: d.rightsBase, rightsInheriting: d.rightsInheriting };
  }
  /** fcntl(F_SETFL) */
  fdFdstatSetFlags(fd: number, flags: number): void {
    const d = this.#fds.get(fd);
    if (flags & ~ALL_FDFLAGS) throw new WasiError(Errno.EINVAL, `unknown fd flags ${flags}`);
    d.fdflags = flags;
  }
  /** Drops rights; adding rights is ENOTCAPABLE. */
  fdFdstatSetRights(fd: number, base: bigint, inheriting: bigint): void {
    const d = this.#fds.get(fd);
    if ((base & ~d.rightsBase) !== 0n || (inheriting & ~d.rightsInheriting) !== 0n) {
      throw new WasiError(Errno.ENOTCAPABLE, 'rights can only be dropped');
    }
    d.rightsBase = base;
    d.rightsInheriting = inheriting;
  }
  /** The guest name of a preopened directory (EBADF for any other descriptor). */
  fdPrestat(fd: number): Uint8Array {
    const d = this.#fds.get(fd);
    if (!(d instanceof DirDescriptor) || d.preopen === undefined) throw new WasiError(Errno.EBADF, 'not a preopen');
    return utf8Bytes(d.preopen);
  }
}
