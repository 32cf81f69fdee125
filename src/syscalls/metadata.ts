// Layer: syscalls. Imports src/errno, src/io and src/fdtable only (and this folder).
// Metadata through a descriptor: fstat, ftruncate, futimens, and directory listings.

import { Errno, WasiError } from '../errno/index.js';
import type { DirEntry, Stat } from '../io/directory.js';
import { DirDescriptor, FileDescriptor, Rights, StreamDescriptor, type FdTable } from '../fdtable/index.js';
import { FstFlags, timeSpec } from './context.js';

export class MetadataCalls {
  readonly #fds: FdTable;
  constructor(fds: FdTable) {
    this.#fds = fds;
  }

  /** fstat(2) */
  fdFilestatGet(fd: number): Stat {
    const d = this.#fds.get(fd);
    if (d instanceof FileDescriptor) return d.node.stat();
    if (d instanceof DirDescriptor) return d.dir.statSelf();
    return { dev: 0n, ino: 0n, type: d.filetype, nlink: 1, size: 0, atim: 0n, mtim: 0n, ctim: 0n };
  }
  /** ftruncate(2) */
  fdFilestatSetSize(fd: number, size: bigint): void {
    // NOTE: ftruncate on a pipe or socket is EINVAL on Linux (not ESPIPE as for lseek).
    if (this.#fds.get(fd) instanceof StreamDescriptor) throw new WasiError(Errno.EINVAL, 'cannot truncate a stream');
    const d = this.#fds.file(fd);
    if (!(d.rightsBase & Rights.FD_WRITE)) throw new WasiError(Errno.EBADF, 'not open for writing');
    if (size < 0n) throw new WasiError(Errno.EINVAL, 'negative size');
    if (size > BigInt(Number.MAX_SAFE_INTEGER)) throw new WasiError(Errno.EFBIG, 'size too large');
    d.node.array.setLen(Number(size));
  }
  /** futimens(2) */
  fdFilestatSetTimes(fd: number, atim: bigint, mtim: bigint, flags: number): void {
    const d = this.#fds.get(fd);
    const a = timeSpec(atim, flags, FstFlags.ATIM, FstFlags.ATIM_NOW);
    const m = timeSpec(mtim, flags, FstFlags.MTIM, FstFlags.MTIM_NOW);
    if (d instanceof FileDescriptor) d.node.setTimes(a, m);
    else if (d instanceof DirDescriptor) d.dir.setTimesSelf(a, m);
    // NOTE: streams have no stored times; setting them is EBADF (wasmtime: EBADF on stdio).
    else throw new WasiError(Errno.EBADF, 'a stream has no times to set');
  }

  /** readdir(3): the listing from `cookie` on; "." and ".." first. Cookie = index + 1. */
  fdReaddir(fd: number, cookie: bigint): { entries: readonly DirEntry[]; start: number } {
    const d = this.#fds.dir(fd);
    if (cookie === 0n || d.listing === undefined) {
      const self = d.dir.statSelf().ino;
      const listing: DirEntry[] = [
        { name: '.', type: 'directory', ino: self },
        { name: '..', type: 'directory', ino: d.parentIno ?? self },
      ];
      // The entries are kept as the backend made them (a backend hands out each entry once, as
      // an iterator does); names stay strings, encoded as they are written out (src/abi/layout.ts).
      for (const e of d.dir.entries()) listing.push(e);
      d.listing = listing;
    }
    const start = cookie > BigInt(d.listing.length) ? d.listing.length : Number(cookie);
    return { entries: d.listing, start };
  }
}
