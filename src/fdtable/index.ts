// Layer: fdtable. Imports src/errno, src/io and src/fdtable only.
// The descriptor table: each descriptor is a stream pair, a file (an array handle + a cursor +
// append flag) or a directory, with fd flags and rights. Numbers are allocated lowest-free, as
// POSIX open promises. Typed accessors choose the "wrong kind of fd" errno once.

import { Errno, WasiError } from '../errno/index.js';
import type { DirEntry, Directory, FileNode, FileType } from '../io/directory.js';
import type { InputStream, OutputStream } from '../io/stream.js';
import { DIR_RIGHTS, FdFlags, FILE_RIGHTS, Rights, STREAM_RIGHTS } from './rights.js';

export * from './rights.js';

/** The rights defined by Preview 1 all lie in the low 30 bits: as a number, they test without a BigInt. */
const LOW_RIGHTS = (1n << 30n) - 1n;
/** The rights the hot calls test, as numbers (for `holds`). */
export const RIGHT_BITS = {
  READ: Number(Rights.FD_READ),
  WRITE: Number(Rights.FD_WRITE),
  SEEK: Number(Rights.FD_SEEK),
  TELL: Number(Rights.FD_TELL),
} as const;

/** The defined bits of `rights` as a number; rights within them (the usual case) make no BigInt. */
function lowBits(rights: bigint): number {
  return rights >= 0n && rights <= LOW_RIGHTS ? Number(rights) : Number(rights & LOW_RIGHTS);
}

abstract class Descriptor {
  fdflags: number;
  #rightsBase = 0n;
  #rightsInheriting = 0n;
  /** The defined bits of rightsBase and rightsInheriting, as numbers (kept beside them). */
  #baseBits = 0;
  #inheritingBits = 0;
  constructor(fdflags: number, rightsBase: bigint, rightsInheriting: bigint) {
    this.fdflags = fdflags;
    this.rightsBase = rightsBase;
    this.rightsInheriting = rightsInheriting;
  }
  get rightsBase(): bigint {
    return this.#rightsBase;
  }
  set rightsBase(rights: bigint) {
    this.#rightsBase = rights;
    this.#baseBits = lowBits(rights);
  }
  /** Whether every right of `bits` (RIGHT_BITS) is held: the hot calls' test, with no BigInt. */
  holds(bits: number): boolean {
    return (this.#baseBits & bits) === bits;
  }
  /** Throws ENOTCAPABLE unless every right of `bits` (RIGHT_BITS) is held. */
  requireBits(bits: number): void {
    if ((this.#baseBits & bits) !== bits) throw new WasiError(Errno.ENOTCAPABLE, 'descriptor lacks the right');
  }
  get rightsInheriting(): bigint {
    return this.#rightsInheriting;
  }
  set rightsInheriting(rights: bigint) {
    this.#rightsInheriting = rights;
    this.#inheritingBits = lowBits(rights);
  }
  abstract readonly filetype: FileType;
  /**
   * Throws ENOTCAPABLE unless every right in `needed` is held (and `inheriting` is passed on).
   * Both are defined rights (the low 30 bits), so the test is made on numbers.
   */
  requireRights(needed: bigint, inheriting = 0n): void {
    this.requireBits(Number(needed));
    const i = Number(inheriting);
    if ((this.#inheritingBits & i) !== i) {
      throw new WasiError(Errno.ENOTCAPABLE, 'descriptor does not pass on the right');
    }
  }
  /** Releases what the descriptor holds; called once, when its last number is closed. */
  abstract close(): void;
}

export interface StreamOptions {
  input?: InputStream | undefined;
  output?: OutputStream | undefined;
  /** Reported as a character device that isatty() accepts. */
  isatty?: boolean;
  /** A connected socket: sock_recv/sock_send/sock_shutdown apply. */
  socket?: boolean;
}

/** A stream pair: an input and/or an output stream (stdio, pipes, sockets). No cursor. */
export class StreamDescriptor extends Descriptor {
  readonly input: InputStream | undefined;
  readonly output: OutputStream | undefined;
  readonly isatty: boolean;
  readonly socket: boolean;
  constructor(options: StreamOptions) {
    let rights = STREAM_RIGHTS;
    if (!options.input) rights &= ~Rights.FD_READ;
    if (!options.output) rights &= ~Rights.FD_WRITE;
    super(0, rights, 0n);
    this.input = options.input;
    this.output = options.output;
    this.isatty = options.isatty ?? false;
    this.socket = options.socket ?? false;
  }
  get filetype(): FileType {
    // NOTE: a non-terminal stream is 'unknown', not a character device: wasi-libc's isatty()
    // accepts any character device without seek rights. wasmtime reports pipes the same way.
    return this.socket ? 'socket-stream' : this.isatty ? 'character-device' : 'unknown';
  }
  close(): void {
    this.input?.close();
    this.output?.close();
  }
}

/** A regular file: an array handle plus the emulated lseek cursor. */
export class FileDescriptor extends Descriptor {
  readonly node: FileNode;
  #cursor = 0;
  #atEnd = false;
  constructor(node: FileNode, fdflags: number, rightsBase: bigint) {
    super(fdflags, rightsBase & FILE_RIGHTS, 0n);
    this.node = node;
  }
  get filetype(): FileType {
    return 'regular-file';
  }
  /**
   * The lseek cursor (a safe integer, never negative). After an append it is the end of the
   * file, which is looked up only when the cursor is next needed: appends in a row ask nothing.
   */
  get cursor(): number {
    if (this.#atEnd) {
      this.#cursor = this.node.array.len();
      this.#atEnd = false;
    }
    return this.#cursor;
  }
  set cursor(at: number) {
    this.#cursor = at;
    this.#atEnd = false;
  }
  /** Puts the cursor at the end of the file (after an append), without asking its length yet. */
  cursorToEnd(): void {
    this.#atEnd = true;
  }
  get append(): boolean {
    return (this.fdflags & FdFlags.APPEND) !== 0;
  }
  close(): void {
    this.node.close?.();
  }
}

/** A directory handle; `preopen` is the guest name of a preopened directory. */
export class DirDescriptor extends Descriptor {
  readonly dir: Directory;
  readonly preopen: string | undefined;
  /** The inode number reported for "..". */
  readonly parentIno: bigint | undefined;
  /** Snapshot of the listing taken at cookie 0, so that resuming is O(1) per call. */
  listing: DirEntry[] | undefined;
  constructor(dir: Directory, rightsBase: bigint, rightsInheriting: bigint, preopen?: string, parentIno?: bigint) {
    super(0, rightsBase & DIR_RIGHTS, rightsInheriting);
    this.dir = dir;
    this.preopen = preopen;
    this.parentIno = parentIno;
  }
  get filetype(): FileType {
    return 'directory';
  }
  /** A preopen's handle belongs to whoever gave it; any other was opened for this descriptor. */
  close(): void {
    if (this.preopen === undefined) this.dir.close?.();
  }
}

export type AnyDescriptor = StreamDescriptor | FileDescriptor | DirDescriptor;

/** Largest fd number handed out; a guard against runaway descriptor leaks (EMFILE). */
export const MAX_FDS = 1 << 16;

export class FdTable {
  readonly #slots: (AnyDescriptor | undefined)[] = [];
  #lowestFree = 0;

  /** Installs `d` at the lowest free number and returns it. */
  add(d: AnyDescriptor): number {
    let fd = this.#lowestFree;
    while (fd < this.#slots.length && this.#slots[fd] !== undefined) fd++;
    if (fd >= MAX_FDS) throw new WasiError(Errno.EMFILE, 'too many open descriptors');
    this.#slots[fd] = d;
    this.#lowestFree = fd + 1;
    return fd;
  }

  /** Installs `d` at `fd` exactly (used for stdio and preopens at start). */
  set(fd: number, d: AnyDescriptor): void {
    this.#slots[fd] = d;
  }

  /** Any open descriptor, or EBADF. */
  get(fd: number): AnyDescriptor {
    const d = this.#slots[fd];
    if (d === undefined) throw new WasiError(Errno.EBADF, `fd ${fd} is not open`);
    return d;
  }

  has(fd: number): boolean {
    return this.#slots[fd] !== undefined;
  }

  /** A descriptor that reads: a stream with an input, or a file. Directories: EBADF. */
  readable(fd: number): StreamDescriptor | FileDescriptor {
    const d = this.#slots[fd];
    // The usual case first, with one type test: a file opened for reading.
    if (d instanceof FileDescriptor && d.holds(RIGHT_BITS.READ)) return d;
    return this.#transfers(fd, 'reading');
  }

  /** A descriptor that writes: a stream with an output, or a file. */
  writable(fd: number): StreamDescriptor | FileDescriptor {
    const d = this.#slots[fd];
    if (d instanceof FileDescriptor && d.holds(RIGHT_BITS.WRITE)) return d;
    return this.#transfers(fd, 'writing');
  }

  #transfers(fd: number, way: 'reading' | 'writing'): StreamDescriptor | FileDescriptor {
    const d = this.get(fd);
    // NOTE: reading or writing a directory fd is EBADF (wasmtime), where Linux says EISDIR.
    if (d instanceof DirDescriptor) throw new WasiError(Errno.EBADF, 'fd is a directory');
    const can = d.holds(way === 'reading' ? RIGHT_BITS.READ : RIGHT_BITS.WRITE);
    const side = d instanceof StreamDescriptor ? (way === 'reading' ? d.input : d.output) : true;
    if (!can || !side) throw new WasiError(Errno.EBADF, `fd is not open for ${way}`);
    return d;
  }

  /** A file with a cursor: streams are ESPIPE, directories EBADF. */
  file(fd: number): FileDescriptor {
    const d = this.#slots[fd];
    if (d instanceof FileDescriptor) return d;
    if (d === undefined) throw new WasiError(Errno.EBADF, `fd ${fd} is not open`);
    if (d instanceof StreamDescriptor) throw new WasiError(Errno.ESPIPE, 'fd is a stream, not seekable');
    throw new WasiError(Errno.EBADF, 'fd is a directory');
  }

  /** A directory, or ENOTDIR. */
  dir(fd: number): DirDescriptor {
    const d = this.get(fd);
    if (d instanceof DirDescriptor) return d;
    throw new WasiError(Errno.ENOTDIR, `fd ${fd} is not a directory`);
  }

  /** A socket, or ENOTSOCK. */
  socket(fd: number): StreamDescriptor {
    const d = this.get(fd);
    if (d instanceof StreamDescriptor && d.socket) return d;
    throw new WasiError(Errno.ENOTSOCK, `fd ${fd} is not a socket`);
  }

  /** Closes `fd`. */
  close(fd: number): void {
    const d = this.get(fd);
    this.#slots[fd] = undefined;
    if (fd < this.#lowestFree) this.#lowestFree = fd;
    d.close();
  }

  /** Moves `from` to `to`, closing what `to` held. Both must be open (Preview 1 semantics). */
  renumber(from: number, to: number): void {
    const d = this.get(from);
    this.get(to);
    if (from === to) return;
    this.close(to);
    this.#slots[to] = d;
    this.#slots[from] = undefined;
    if (from < this.#lowestFree) this.#lowestFree = from;
  }

  /** Every open descriptor with its number. */
  *entries(): IterableIterator<[number, AnyDescriptor]> {
    for (let fd = 0; fd < this.#slots.length; fd++) {
      const d = this.#slots[fd];
      if (d !== undefined) yield [fd, d];
    }
  }

  /** Closes every descriptor (at exit). */
  closeAll(): void {
    for (let fd = 0; fd < this.#slots.length; fd++) if (this.#slots[fd] !== undefined) this.close(fd);
  }
}
