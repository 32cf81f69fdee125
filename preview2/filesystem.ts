// Layer: preview2. Imports src/errno, src/io, src/path and this folder.
// wasi:filesystem 0.2 (types, preopens) over iotypes's Directory backends. A descriptor is a
// directory handle or a regular file (its array). Every path goes through src/path's `resolve`,
// the same walk Preview 1 uses, so the sandbox (no absolute paths, no ".." above the preopen,
// symlinks resolved inside it) is the same for components; each resolution is released after use.

import { Errno, WasiError } from '../src/errno/index.js';
import { fromArray, toArray } from '../src/io/constructors.js';
import type { Advice } from '../src/io/array.js';
import type { Directory, FileNode, FileType, Stat, StreamNode, TimeSpec } from '../src/io/directory.js';
import { OutputStream as IOOutput } from '../src/io/stream.js';
import { release, resolve, takeDir, type Resolved } from '../src/path/index.js';
import {
  linkAt, mkdirAt, openTarget, readlinkAt, renameAt, rmdirAt, setTimesAt, statAt, symlinkAt, unlinkAt,
} from '../src/path/operations.js';
import { count, FilesystemError, fs, onDrop } from './errors.js';
import { InputStream, OutputStream, type Waiter } from './io.js';
import { traceMethods } from './trace.js';

/** `wasi:clocks/wall-clock.datetime`. */
export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

export type DescriptorType =
  | 'unknown' | 'block-device' | 'character-device' | 'directory' | 'fifo' | 'symbolic-link'
  | 'regular-file' | 'socket';

export interface DescriptorStat {
  type: DescriptorType;
  linkCount: bigint;
  size: bigint;
  dataAccessTimestamp: Datetime | undefined;
  dataModificationTimestamp: Datetime | undefined;
  statusChangeTimestamp: Datetime | undefined;
}

export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  fileIntegritySync?: boolean;
  dataIntegritySync?: boolean;
  requestedWriteSync?: boolean;
  mutateDirectory?: boolean;
}
export interface PathFlags {
  symlinkFollow?: boolean;
}
export interface OpenFlags {
  create?: boolean;
  directory?: boolean;
  exclusive?: boolean;
  truncate?: boolean;
}
export type NewTimestamp = { tag: 'no-change' } | { tag: 'now' } | { tag: 'timestamp'; val: Datetime };
export interface DirectoryEntry {
  type: DescriptorType;
  name: string;
}
export interface MetadataHashValue {
  lower: bigint;
  upper: bigint;
}

export function descriptorType(t: FileType): DescriptorType {
  return t === 'socket-dgram' || t === 'socket-stream' ? 'socket' : t;
}

export function datetime(ns: bigint): Datetime {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}

function descriptorStat(st: Stat): DescriptorStat {
  return {
    type: descriptorType(st.type),
    linkCount: BigInt(st.nlink),
    size: BigInt(st.size),
    dataAccessTimestamp: datetime(st.atim),
    dataModificationTimestamp: datetime(st.mtim),
    statusChangeTimestamp: datetime(st.ctim),
  };
}

function timeSpec(t: NewTimestamp): TimeSpec {
  switch (t.tag) {
    case 'no-change':
      return undefined;
    case 'now':
      return 'now';
    case 'timestamp':
      return t.val.seconds * 1_000_000_000n + BigInt(t.val.nanoseconds);
    default:
      throw new FilesystemError('invalid', 'unknown new-timestamp');
  }
}

const ADVICE: Record<string, Advice> = {
  normal: 'normal', sequential: 'sequential', random: 'random',
  'will-need': 'willneed', 'dont-need': 'dontneed', 'no-reuse': 'noreuse',
};

/**
 * Refuses a path holding U+FFFD, the replacement character.
 * NOTE: jco's generated glue decodes a guest's path bytes with a lossy TextDecoder, where the
 * canonical ABI says invalid UTF-8 traps; a guest's invalid bytes (an overlong "/" in
 * "..\xC0\xAFoutside") would then arrive as another, valid name. Such a path is refused with
 * 'illegal-byte-sequence' (EILSEQ, what Preview 1 answers for the raw bytes); the cost is that a
 * name really containing U+FFFD cannot be reached by a component.
 */
function checkText(path: string): void {
  if (path.includes('\uFFFD')) throw new WasiError(Errno.EILSEQ, 'path holds U+FFFD (invalid UTF-8 decoded lossily)');
}

/** Writes at the end of an array, wherever the end is at each write (O_APPEND). */
class AppendOutput extends IOOutput {
  readonly #node: FileNode;
  constructor(node: FileNode) {
    super({ name: node.array.pseudonym().displayName() });
    this.#node = node;
  }
  protected writeCore(from: Uint8Array): number {
    return this.#node.array.append(from);
  }
  protected override flushCore(): void {
    this.#node.array.flush('data');
  }
}

/** A directory, a regular file (an array), or a name bound to a stream (a typed argument). */
type Node =
  | { kind: 'dir'; dir: Directory; owned: boolean }
  | { kind: 'file'; file: FileNode }
  | { kind: 'stream'; stream: StreamNode };

/** The metadata of what a descriptor holds. */
function statOf(n: Node): Stat {
  return n.kind === 'dir' ? n.dir.statSelf() : n.kind === 'file' ? n.file.stat() : n.stream.stat();
}

/** `wasi:filesystem/types.descriptor`. */
export class Descriptor {
  #node: Node | undefined;
  readonly #flags: { read: boolean; write: boolean; mutateDirectory: boolean };
  readonly waiter: Waiter;

  /** A descriptor on `dir`; `owned` says whether dropping it closes the handle. */
  static directory(dir: Directory, owned: boolean, waiter: Waiter): Descriptor {
    return new Descriptor({ kind: 'dir', dir, owned }, { read: true, write: false, mutateDirectory: !dir.readOnly }, waiter);
  }

  private constructor(node: Node, flags: { read: boolean; write: boolean; mutateDirectory: boolean }, waiter: Waiter) {
    this.#node = node;
    this.#flags = flags;
    this.waiter = waiter;
    waiter.live.add(this);
  }

  #get(): Node {
    if (!this.#node) throw new FilesystemError('bad-descriptor', 'the descriptor was dropped');
    return this.#node;
  }
  #dir(): Directory {
    const n = this.#get();
    if (n.kind !== 'dir') throw new FilesystemError('not-directory');
    return n.dir;
  }
  #file(): FileNode {
    const n = this.#get();
    if (n.kind === 'stream') throw new FilesystemError('invalid-seek', 'a stream has no positions');
    if (n.kind !== 'file') throw new FilesystemError('is-directory');
    return n.file;
  }
  #readable(): FileNode {
    const f = this.#file();
    if (!this.#flags.read) throw new FilesystemError('bad-descriptor', 'not open for reading');
    return f;
  }
  #writable(): FileNode {
    const f = this.#file();
    if (!this.#flags.write) throw new FilesystemError('bad-descriptor', 'not open for writing');
    return f;
  }
  /** Resolves `path` beneath this directory, runs `f` on it, and releases it. */
  #at<T>(path: string, follow: boolean, f: (r: Resolved) => T): T {
    const dir = this.#dir();
    return fs(() => {
      checkText(path);
      const r = resolve(dir, path, follow);
      try {
        return f(r);
      } finally {
        release(r);
      }
    });
  }

  /** Releases the host handles this descriptor holds (jco calls it when the handle is dropped). */
  drop(): void {
    const n = this.#node;
    this.#node = undefined;
    this.waiter.live.delete(this);
    if (n?.kind === 'file') n.file.close?.();
    else if (n?.kind === 'dir' && n.owned) n.dir.close?.();
  }

  /** A bound stream's side, for the *-via-stream calls (which ignore the offset of a stream). */
  #streamSide<K extends 'input' | 'output'>(side: K): StreamNode[K] | undefined {
    const n = this.#get();
    if (n.kind !== 'stream') return undefined;
    const s = n.stream[side];
    if (!s || !this.#flags[side === 'input' ? 'read' : 'write']) throw new FilesystemError('bad-descriptor', `not open for ${side === 'input' ? 'reading' : 'writing'}`);
    return s;
  }
  readViaStream(offset: bigint): InputStream {
    const s = this.#streamSide('input');
    if (s) return new InputStream(s, this.waiter);
    const f = this.#readable();
    return new InputStream(fromArray(f.array, count(offset)), this.waiter);
  }
  writeViaStream(offset: bigint): OutputStream {
    const s = this.#streamSide('output');
    if (s) return new OutputStream(s, this.waiter);
    const f = this.#writable();
    return new OutputStream(toArray(f.array, count(offset)), this.waiter);
  }
  appendViaStream(): OutputStream {
    const s = this.#streamSide('output');
    if (s) return new OutputStream(s, this.waiter);
    const f = this.#writable();
    return new OutputStream(new AppendOutput(f), this.waiter);
  }
  advise(offset: bigint, length: bigint, advice: string): void {
    const f = this.#file();
    const a = ADVICE[advice];
    if (a === undefined) throw new FilesystemError('invalid', `unknown advice ${advice}`);
    fs(() => f.array.advise(count(offset), count(length), a));
  }
  syncData(): void {
    const n = this.#get();
    if (n.kind === 'file') fs(() => n.file.array.flush('data'));
  }
  sync(): void {
    const n = this.#get();
    if (n.kind === 'file') fs(() => n.file.array.flush('all'));
  }
  getFlags(): DescriptorFlags {
    this.#get();
    return { ...this.#flags };
  }
  getType(): DescriptorType {
    const n = this.#get();
    return n.kind === 'dir' ? 'directory' : n.kind === 'file' ? 'regular-file' : descriptorType(n.stream.stat().type);
  }
  setSize(size: bigint): void {
    const f = this.#writable();
    fs(() => f.array.setLen(count(size)));
  }
  setTimes(atim: NewTimestamp, mtim: NewTimestamp): void {
    const n = this.#get();
    const a = timeSpec(atim);
    const m = timeSpec(mtim);
    if (n.kind === 'stream') return; // a bound stream has no times to keep
    fs(() => (n.kind === 'dir' ? n.dir.setTimesSelf(a, m) : n.file.setTimes(a, m)));
  }
  read(length: bigint, offset: bigint): [Uint8Array, boolean] {
    const f = this.#readable();
    return fs(() => {
      const len = f.array.len();
      const at = count(offset);
      const buf = new Uint8Array(Math.max(0, Math.min(count(length, 1 << 30), len - at)));
      const n = f.array.readAt(buf, at);
      return [buf.subarray(0, n), at + n >= f.array.len()];
    });
  }
  write(buffer: Uint8Array, offset: bigint): bigint {
    const f = this.#writable();
    return BigInt(fs(() => f.array.writeAt(buffer, count(offset))));
  }
  readDirectory(): DirectoryEntryStream {
    const dir = this.#dir();
    return new DirectoryEntryStream(fs(() => dir.entries()[Symbol.iterator]()), this.waiter);
  }
  stat(): DescriptorStat {
    const n = this.#get();
    return descriptorStat(fs(() => statOf(n)));
  }
  statAt(pathFlags: PathFlags, path: string): DescriptorStat {
    return descriptorStat(this.#at(path, !!pathFlags.symlinkFollow, (r) => statAt(r, path)));
  }
  setTimesAt(pathFlags: PathFlags, path: string, atim: NewTimestamp, mtim: NewTimestamp): void {
    const a = timeSpec(atim);
    const m = timeSpec(mtim);
    this.#at(path, !!pathFlags.symlinkFollow, (r) => setTimesAt(r, path, a, m));
  }
  linkAt(oldPathFlags: PathFlags, oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    if (!(newDescriptor instanceof Descriptor)) throw new TypeError('linkAt: not a descriptor');
    this.#at(oldPath, !!oldPathFlags.symlinkFollow, (src) => {
      newDescriptor.#at(newPath, false, (dst) => linkAt(src, dst, oldPath, newPath));
    });
  }

  openAt(pathFlags: PathFlags, path: string, openFlags: OpenFlags, flags: DescriptorFlags): Descriptor {
    const create = !!openFlags.create;
    const excl = create && !!openFlags.exclusive;
    const trunc = !!openFlags.truncate;
    const wantDir = !!openFlags.directory;
    const write = !!flags.write;
    return this.#at(path, !!pathFlags.symlinkFollow && !excl, (r) => {
      const target = openTarget(r, { create, exclusive: excl, directory: wantDir, truncate: trunc, write }, path);
      if (target === 'directory') {
        const dir = r.name === undefined ? takeDir(r) : r.dir.openDir(r.name);
        // NOTE: what a directory allows is its backend's to say (a read-only mount refuses
        // changes with 'read-only'), as for Preview 1 descriptors; mutate-directory reports it.
        return new Descriptor({ kind: 'dir', dir, owned: true }, { read: true, write: false, mutateDirectory: !dir.readOnly }, this.waiter);
      }
      if (target === 'stream') {
        const stream = r.dir.openStream!(r.name!);
        if ((flags.read && !stream.input) || (write && !stream.output)) {
          throw new WasiError(Errno.EACCES, `${path} cannot be opened for ${flags.read && !stream.input ? 'reading' : 'writing'}`);
        }
        return new Descriptor({ kind: 'stream', stream }, { read: !!flags.read, write, mutateDirectory: false }, this.waiter);
      }
      const file = r.dir.openFile(r.name!, { create, exclusive: excl, truncate: trunc, write: write || trunc });
      return new Descriptor({ kind: 'file', file }, { read: !!flags.read, write, mutateDirectory: false }, this.waiter);
    });
  }

  readlinkAt(path: string): string {
    return this.#at(path, false, (r) => readlinkAt(r, path));
  }
  createDirectoryAt(path: string): void {
    this.#at(path, false, (r) => mkdirAt(r, path));
  }
  removeDirectoryAt(path: string): void {
    this.#at(path, false, (r) => rmdirAt(r, path));
  }
  renameAt(oldPath: string, newDescriptor: Descriptor, newPath: string): void {
    if (!(newDescriptor instanceof Descriptor)) throw new TypeError('renameAt: not a descriptor');
    this.#at(oldPath, false, (src) => {
      newDescriptor.#at(newPath, false, (dst) => renameAt(src, dst, oldPath));
    });
  }
  symlinkAt(oldPath: string, newPath: string): void {
    checkText(oldPath);
    this.#at(newPath, false, (r) => symlinkAt(r, oldPath, newPath));
  }
  unlinkFileAt(path: string): void {
    this.#at(path, false, (r) => unlinkAt(r, path));
  }
  isSameObject(other: Descriptor): boolean {
    if (!(other instanceof Descriptor)) return false;
    const a = this.metadataHash();
    const b = other.metadataHash();
    return a.lower === b.lower && a.upper === b.upper;
  }
  /**
   * NOTE: the "hash" is the node's identity itself, inode number in `lower` and device in
   * `upper`: the preview1 adapter reports `lower` as st_ino, so a component sees the same inode
   * numbers a Preview 1 module does.
   */
  metadataHash(): MetadataHashValue {
    const n = this.#get();
    const st = fs(() => statOf(n));
    return { lower: st.ino, upper: st.dev };
  }
  metadataHashAt(pathFlags: PathFlags, path: string): MetadataHashValue {
    const st = this.#at(path, !!pathFlags.symlinkFollow, (r) => statAt(r, path));
    return { lower: st.ino, upper: st.dev };
  }
}
onDrop(Descriptor, (d) => d.drop());
traceMethods(Descriptor, 'descriptor');

/** `wasi:filesystem/types.directory-entry-stream`: a directory's entries, read lazily. */
export class DirectoryEntryStream {
  readonly #entries: Iterator<{ name: string; type: FileType }>;
  readonly waiter: Waiter;
  constructor(entries: Iterator<{ name: string; type: FileType }>, waiter: Waiter) {
    this.#entries = entries;
    this.waiter = waiter;
  }
  readDirectoryEntry(): DirectoryEntry | undefined {
    const next = fs(() => this.#entries.next());
    return next.done ? undefined : { type: descriptorType(next.value.type), name: next.value.name };
  }
}
traceMethods(DirectoryEntryStream, 'directory-entry-stream');
