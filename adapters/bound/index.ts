// Layer: adapters/bound. Imports src/errno and src/io only.
// Typed arguments: a directory of bound handles. Each binding gives the guest one array or one
// stream under an opaque name (its pseudonym's number), so a program can be handed "this input
// file" or "this output stream" without any folder being preopened. Nothing else can be opened,
// created or changed here, and nothing about the host shows through.

import { Errno, WasiError } from '../../src/errno/index.js';
import type { IOArray } from '../../src/io/array.js';
import { readOnlyArray } from '../../src/io/constructors.js';
import type { Directory, DirEntry, FileNode, OpenFileOptions, Stat, StreamNode, TimeSpec } from '../../src/io/directory.js';
import type { InputStream, OutputStream } from '../../src/io/stream.js';

/** Where the guest finds bound handles: argv holds `${TYPED_PREOPEN}/<n>`. */
export const TYPED_PREOPEN = '/iotypes';

export type Binding =
  | { array: IOArray; writable?: boolean }
  | { input: InputStream; output?: undefined }
  | { output: OutputStream; input?: undefined };

const refuse = (): never => {
  throw new WasiError(Errno.EROFS, 'bound handles cannot be created, changed or removed');
};

export class BoundHandles implements Directory {
  readonly readOnly = true;
  /** Opening a bound stream as a file is refused without touching the stream. */
  readonly opensWithoutLook = true;
  readonly #bound = new Map<string, Binding>();
  readonly #ino = new Map<string, bigint>();

  /** Binds a handle; returns the guest path that opens exactly it. */
  bind(binding: Binding): string {
    const handle = 'array' in binding ? binding.array : binding.input ?? binding.output;
    const name = String(handle.pseudonym().id);
    this.#bound.set(name, binding);
    this.#ino.set(name, BigInt(this.#bound.size + 1));
    return `${TYPED_PREOPEN}/${name}`;
  }

  #get(name: string): Binding {
    const b = this.#bound.get(name);
    if (b === undefined) throw new WasiError(Errno.ENOENT, `nothing is bound to ${name}`);
    return b;
  }

  statSelf(): Stat {
    return { dev: 0n, ino: 1n, type: 'directory', nlink: 2, size: this.#bound.size, atim: 0n, mtim: 0n, ctim: 0n };
  }
  stat(name: string): Stat {
    const b = this.#get(name);
    const ino = this.#ino.get(name)!;
    if ('array' in b) return { dev: 0n, ino, type: 'regular-file', nlink: 1, size: b.array.len(), atim: 0n, mtim: 0n, ctim: 0n };
    return { dev: 0n, ino, type: 'character-device', nlink: 1, size: 0, atim: 0n, mtim: 0n, ctim: 0n };
  }
  openFile(name: string, options: OpenFileOptions): FileNode {
    if (options.create && !this.#bound.has(name)) refuse();
    const b = this.#get(name);
    if (options.create && options.exclusive) throw new WasiError(Errno.EEXIST, `${name} exists`);
    if (!('array' in b)) throw new WasiError(Errno.EACCES, `${name} is a stream`);
    if ((options.write || options.truncate) && !b.writable) {
      throw new WasiError(Errno.EACCES, `${name} is bound read-only`);
    }
    const array = b.writable ? b.array : readOnlyArray(b.array);
    if (options.truncate) array.setLen(0);
    return { array, stat: () => this.stat(name), setTimes: refuse };
  }
  openStream(name: string): StreamNode {
    const b = this.#get(name);
    if ('array' in b) throw new WasiError(Errno.EACCES, `${name} is an array`);
    return { input: b.input, output: b.output, stat: () => this.stat(name) };
  }
  *entries(): Iterable<DirEntry> {
    for (const name of this.#bound.keys()) yield { name, type: this.stat(name).type, ino: this.#ino.get(name)! };
  }
  openDir(name: string): Directory {
    this.#get(name);
    throw new WasiError(Errno.ENOTDIR, `${name} is not a directory`);
  }
  readlink(name: string): string {
    this.#get(name);
    throw new WasiError(Errno.EINVAL, `${name} is not a symlink`);
  }
  setTimesSelf(_a: TimeSpec, _m: TimeSpec): void {
    refuse();
  }
  setTimes(): void {
    refuse();
  }
  symlink(): void {
    refuse();
  }
  mkdir(): void {
    refuse();
  }
  rmdir(): void {
    refuse();
  }
  unlink(): void {
    refuse();
  }
  link(): void {
    refuse();
  }
  rename(): void {
    refuse();
  }
}
