// Layer: adapters/browser. Imports src/io and src/errno only.
// Files the person picked (<input type=file>, drag and drop) and other Blobs: a Blob as a
// read-only asynchronous array, a set of Files (with their folders, `webkitRelativePath`) or of
// named arrays as a read-only asynchronous directory, and a copy of them into an OPFS folder.

import { Errno, WasiError } from '../../src/errno/index.js';
import type { AsyncArray, AsyncDirectory, AsyncFileNode, DirEntry, MaybePromise, Stat } from '../../src/io/index.js';

const rofs = () => new WasiError(Errno.EROFS, 'read-only file system');

/**
 * A Blob (a File) as a read-only asynchronous array: each read fetches only the bytes asked
 * for (`blob.slice(a, b)`); writes and size changes fail with EROFS, as `readOnlyArray` does.
 */
export function blobArray(blob: Blob): AsyncArray {
  if (!(blob instanceof Blob)) throw new TypeError('blobArray: expected a Blob or a File');
  return {
    read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
    write: () => {
      throw rofs();
    },
    len: () => blob.size,
    setLen: () => {
      throw rofs();
    },
  };
}

/** What a read-only directory of files holds: a Blob (a File), or any asynchronous array. */
export type FileContent = Blob | AsyncArray;

interface FileEntry {
  kind: 'file';
  ino: bigint;
  array: AsyncArray;
  /** Nanoseconds since the epoch (a File's lastModified), or 0. */
  mtim: bigint;
}
interface DirNode {
  kind: 'directory';
  ino: bigint;
  entries: Map<string, FileEntry | DirNode>;
}

let nextDev = 0xf11e_0000n;

/**
 * A read-only asynchronous directory of files: Files from an `<input type=file>` (placed at
 * their `webkitRelativePath`, so a picked folder appears as one folder; else at their name), or
 * a record of path → content (a Blob or an AsyncArray such as `urlArray(url)`). Every change
 * fails with EROFS; file contents are read when the guest reads them.
 */
export function filesDirectory(files: Iterable<File> | Readonly<Record<string, FileContent>>): AsyncDirectory {
  let ino = 1n;
  const root: DirNode = { kind: 'directory', ino: ino++, entries: new Map() };
  const list: [string, FileContent][] = Symbol.iterator in files
    ? [...(files as Iterable<File>)].map((f) => [f.webkitRelativePath || f.name, f])
    : Object.entries(files);
  for (const [path, content] of list) {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.includes('..')) throw new TypeError(`filesDirectory: bad path ${JSON.stringify(path)}`);
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      let sub = dir.entries.get(part);
      if (sub === undefined) dir.entries.set(part, (sub = { kind: 'directory', ino: ino++, entries: new Map() }));
      if (sub.kind !== 'directory') throw new TypeError(`filesDirectory: ${JSON.stringify(path)} is below a file`);
      dir = sub;
    }
    const name = parts[parts.length - 1]!;
    if (dir.entries.has(name)) throw new TypeError(`filesDirectory: ${JSON.stringify(path)} given twice`);
    const blob = content instanceof Blob ? content : undefined;
    dir.entries.set(name, {
      kind: 'file', ino: ino++,
      array: blob ? blobArray(blob) : (content as AsyncArray),
      mtim: blob instanceof File ? BigInt(Math.trunc(blob.lastModified)) * 1_000_000n : 0n,
    });
  }
  return new FilesDirectory(root, nextDev++);
}

class FilesDirectory implements AsyncDirectory {
  readonly readOnly = true;
  constructor(readonly node: DirNode, readonly dev: bigint) {}
  #get(name: string): FileEntry | DirNode {
    const e = this.node.entries.get(name);
    if (e === undefined) throw new WasiError(Errno.ENOENT, name);
    return e;
  }
  #stat(e: FileEntry | DirNode): MaybePromise<Stat> {
    const base = { dev: this.dev, ino: e.ino, nlink: 1 };
    if (e.kind === 'directory') return { ...base, type: 'directory', size: e.entries.size, atim: 0n, mtim: 0n, ctim: 0n };
    const size = e.array.len();
    const stat = (n: number): Stat => ({ ...base, type: 'regular-file', size: n, atim: e.mtim, mtim: e.mtim, ctim: e.mtim });
    return typeof size === 'number' ? stat(size) : size.then(stat);
  }
  statSelf(): MaybePromise<Stat> {
    return this.#stat(this.node);
  }
  stat(name: string): MaybePromise<Stat> {
    return this.#stat(this.#get(name));
  }
  openDir(name: string): AsyncDirectory {
    const e = this.#get(name);
    if (e.kind !== 'directory') throw new WasiError(Errno.ENOTDIR, name);
    return new FilesDirectory(e, this.dev);
  }
  openFile(name: string, options: { create?: boolean; truncate?: boolean; write?: boolean }): AsyncFileNode {
    if (options.create === true || options.truncate === true || options.write === true) throw rofs();
    const e = this.#get(name);
    if (e.kind !== 'file') throw new WasiError(Errno.EISDIR, name);
    return { array: e.array, stat: () => this.#stat(e), setTimes: () => { throw rofs(); } };
  }
  entries(): readonly DirEntry[] {
    return [...this.node.entries].map(([name, e]) => ({ name, ino: e.ino, type: e.kind === 'file' ? 'regular-file' : 'directory' }));
  }
  readlink(name: string): string {
    this.#get(name);
    throw new WasiError(Errno.EINVAL, `${name} is not a symlink`);
  }
  setTimesSelf(): void {
    throw rofs();
  }
  setTimes(): void {
    throw rofs();
  }
  symlink(): void {
    throw rofs();
  }
  mkdir(): void {
    throw rofs();
  }
  rmdir(): void {
    throw rofs();
  }
  unlink(): void {
    throw rofs();
  }
  link(): void {
    throw rofs();
  }
  rename(): void {
    throw rofs();
  }
}

/**
 * Copies Files (at their `webkitRelativePath`, else their name) or a record of path → Blob into
 * the OPFS folder `dir`, making the folders on the way and replacing files of the same name.
 * Resolves to the number of files written.
 */
export async function importFiles(files: Iterable<File> | Readonly<Record<string, Blob>>, dir: FileSystemDirectoryHandle): Promise<number> {
  const list: [string, Blob][] = Symbol.iterator in files
    ? [...(files as Iterable<File>)].map((f) => [f.webkitRelativePath || f.name, f])
    : Object.entries(files);
  let count = 0;
  for (const [path, blob] of list) {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.length === 0 || parts.includes('..')) throw new TypeError(`importFiles: bad path ${JSON.stringify(path)}`);
    let at = dir;
    for (const part of parts.slice(0, -1)) at = await at.getDirectoryHandle(part, { create: true });
    const file = await at.getFileHandle(parts[parts.length - 1]!, { create: true });
    const w = await file.createWritable();
    await w.write(blob);
    await w.close();
    count++;
  }
  return count;
}
