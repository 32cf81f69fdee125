// Layer: adapters/node. Imports src/io, src/errno, adapters/shared and node:* only.
// A host folder as an AsyncDirectory over node:fs/promises: the host calls run on libuv's thread
// pool while the guest waits (JSPI, `WASI({ async: true })`), so the thread that runs the guest
// stays free for other work. The sandbox is the synchronous backend's (directory.ts), with the
// rules of host-folder.ts: each handle holds its folder open (a FileHandle) and names entries
// beneath it through /proc/self/fd/N/NAME (linux.ts), never following a final symlink (O_NOFOLLOW,
// lstat, lutimes, link/rename/unlink of the name itself). Linux only: without /proc there is no
// directory-relative addressing, and this backend offers no re-walking fallback.

import * as fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { Errno, WasiError } from '../../src/errno/index.js';
import type {
  AsyncArray, AsyncDirectory, AsyncFileNode, DirEntry, FlushMode, OpenFileOptions, Stat, TimeSpec,
} from '../../src/io/index.js';
import { rofs } from '../shared/errors.js';
import { fromNode, hostAsync } from './errors.js';
import {
  checkName, closedHandle, DIR_FLAGS, entryOf, fileFlags, HELD_DIR_FLAGS, linkTarget, listedNames, mayBeSymlink,
  mountNotFolder, notRegularFile, symlinkRefused, toStat,
} from './host-folder.js';
import { APPEND_FLAGS, atPath, atPathForChild, PROC_FD, reopenPath, setTimesExactAsync } from './linux.js';

const fsp = fs.promises;
const BIGINT = { bigint: true } as const;

export interface NodeAsyncDirectoryOptions {
  /** Refuse every mutation with EROFS. */
  readOnly?: boolean;
}

/** lstat of `path`, or undefined when nothing is there. */
async function lstatOrMissing(path: string): Promise<fs.BigIntStats | undefined> {
  try {
    return await fsp.lstat(path, BIGINT);
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    return fromNode(e);
  }
}

/** The bytes of a host file, read and written in place through its FileHandle. */
class HostAsyncArray implements AsyncArray {
  readonly #file: FileHandle;
  readonly #readOnly: boolean;
  /** A second handle of the same file opened with O_APPEND (null: none to be had). */
  #appendFile: Promise<FileHandle | null> | undefined;
  constructor(file: FileHandle, readOnly: boolean) {
    this.#file = file;
    this.#readOnly = readOnly;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const buf = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await hostAsync(this.#file.read(buf, done, length - done, offset + done));
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done === length ? buf : buf.subarray(0, done);
  }
  async write(offset: number, bytes: Uint8Array): Promise<void> {
    if (this.#readOnly) throw rofs();
    await writeAll(this.#file, bytes, offset);
  }
  /**
   * Appends with the host's own O_APPEND, as the synchronous backend does (HostFileArray): the
   * second handle comes from reopening /proc/self/fd/N, which reaches this very file even if it
   * was renamed or unlinked since; where that fails, the length, then a positioned write.
   */
  async append(bytes: Uint8Array): Promise<void> {
    if (this.#readOnly) throw rofs();
    this.#appendFile ??= fsp.open(reopenPath(this.#file.fd), APPEND_FLAGS).catch(() => null);
    const appendFile = await this.#appendFile;
    if (appendFile === null) return this.write(await this.len(), bytes);
    await writeAll(appendFile, bytes, null);
  }
  async len(): Promise<number> {
    return (await hostAsync(this.#file.stat())).size;
  }
  async setLen(len: number): Promise<void> {
    if (this.#readOnly) throw rofs();
    await hostAsync(this.#file.truncate(len));
  }
  async flush(mode: FlushMode): Promise<void> {
    if (this.#readOnly) return;
    await hostAsync(mode === 'data' ? this.#file.datasync() : this.#file.sync());
  }
  /** Releases the append handle, if one was opened (the main one belongs to its file node). */
  async closeAppend(): Promise<void> {
    const appendFile = await this.#appendFile;
    this.#appendFile = undefined;
    await appendFile?.close();
  }
}

/** Writes all of `bytes` at `position` (null: at the handle's position, the end under O_APPEND). */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number | null): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const at = position === null ? null : position + done;
    // A failure after part of the bytes moved reports them (IOError with the count), as the
    // synchronous backend does.
    const { bytesWritten } = await hostAsync(file.write(bytes, done, bytes.length - done, at), done);
    done += bytesWritten;
  }
}

class HostAsyncFile implements AsyncFileNode {
  readonly array: HostAsyncArray;
  readonly #file: FileHandle;
  readonly #readOnly: boolean;
  #closed = false;
  constructor(file: FileHandle, readOnly: boolean) {
    this.#file = file;
    this.#readOnly = readOnly;
    this.array = new HostAsyncArray(file, readOnly);
  }
  async stat(): Promise<Stat> {
    return toStat(await hostAsync(this.#file.stat(BIGINT)));
  }
  async setTimes(atim: TimeSpec, mtim: TimeSpec): Promise<void> {
    if (this.#readOnly) throw rofs();
    if (atim === undefined && mtim === undefined) return;
    await hostAsync(setTimesExactAsync({ fd: this.#file.fd }, atim, mtim, await this.stat()));
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.array.closeAppend();
    await this.#file.close();
  }
}

/**
 * Closes the handles of directories nobody closed: a mount given up by its owner, or a handle a
 * guest call opened on a route it left when it ran again after a wait (src/io/pending.ts).
 */
const unclosed = new FinalizationRegistry<FileHandle>((handle) => {
  handle.close().catch(() => {});
});

/** A handle on a host folder; see the header for how names reach the host. */
class NodeAsyncDirectory implements AsyncDirectory {
  readonly readOnly: boolean;
  readonly #handle: FileHandle;
  #closed = false;

  constructor(handle: FileHandle, readOnly: boolean) {
    this.#handle = handle;
    this.readOnly = readOnly;
    unclosed.register(this, handle, this);
  }

  /** The host path of the entry `name`, resolved beneath this folder without following it. */
  #path(name: string): string {
    checkName(name);
    return atPath(this.#fd(), name);
  }
  #fd(): number {
    if (this.#closed) throw closedHandle();
    return this.#handle.fd;
  }
  #writable(): void {
    if (this.readOnly) throw rofs();
  }
  #other(to: AsyncDirectory): NodeAsyncDirectory {
    // Links and renames between two host folders are the host's to allow (see directory.ts).
    if (!(to instanceof NodeAsyncDirectory)) throw new WasiError(Errno.EXDEV, 'not a host folder');
    to.#writable();
    return to;
  }

  async reopen(): Promise<AsyncDirectory> {
    const handle = await hostAsync(fsp.open(atPath(this.#fd(), '.'), HELD_DIR_FLAGS));
    return new NodeAsyncDirectory(handle, this.readOnly);
  }
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    unclosed.unregister(this);
    await this.#handle.close();
  }

  async statSelf(): Promise<Stat> {
    this.#fd();
    return toStat(await hostAsync(this.#handle.stat(BIGINT)));
  }
  async setTimesSelf(atim: TimeSpec, mtim: TimeSpec): Promise<void> {
    this.#writable();
    if (atim === undefined && mtim === undefined) return;
    const current = await this.statSelf();
    await hostAsync(setTimesExactAsync({ fd: this.#fd() }, atim, mtim, current));
  }
  async stat(name: string): Promise<Stat> {
    return toStat(await hostAsync(fsp.lstat(this.#path(name), BIGINT)));
  }
  async setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): Promise<void> {
    this.#writable();
    if (atim === undefined && mtim === undefined) return;
    const path = this.#path(name);
    const current = await this.stat(name);
    await hostAsync(setTimesExactAsync({ path, childPath: atPathForChild(this.#fd(), name) }, atim, mtim, current));
  }
  async openDir(name: string): Promise<AsyncDirectory> {
    const p = this.#path(name);
    let handle: FileHandle;
    try {
      handle = await fsp.open(p, DIR_FLAGS);
    } catch (e) {
      if (mayBeSymlink(e) && (await lstatOrMissing(p))?.isSymbolicLink()) throw symlinkRefused(name);
      return fromNode(e);
    }
    return new NodeAsyncDirectory(handle, this.readOnly);
  }
  async openFile(name: string, options: OpenFileOptions): Promise<AsyncFileNode> {
    const p = this.#path(name);
    const flags = fileFlags(options, this.readOnly);
    const file = await hostAsync(fsp.open(p, flags, 0o666));
    let st: fs.Stats;
    try {
      st = await file.stat();
    } catch (e) {
      await file.close();
      return fromNode(e);
    }
    if (!st.isFile()) {
      await file.close();
      throw notRegularFile(name);
    }
    return new HostAsyncFile(file, this.readOnly);
  }
  async entries(): Promise<readonly DirEntry[]> {
    const here = atPath(this.#fd(), '.');
    const raw = await hostAsync(fsp.readdir(here, { encoding: 'buffer' }));
    // The entries are looked at together: the thread pool runs several lstat calls at once.
    const listed = await Promise.all(listedNames(here, raw).map(async ({ name, path }) => entryOf(name, await lstatOrMissing(path))));
    return listed.filter((e): e is DirEntry => e !== undefined);
  }
  async readlink(name: string): Promise<string> {
    return linkTarget(await hostAsync(fsp.readlink(this.#path(name), { encoding: 'buffer' })), name);
  }
  async symlink(target: string, name: string): Promise<void> {
    this.#writable();
    await hostAsync(fsp.symlink(target, this.#path(name)));
  }
  async mkdir(name: string): Promise<void> {
    this.#writable();
    await hostAsync(fsp.mkdir(this.#path(name)));
  }
  async rmdir(name: string): Promise<void> {
    this.#writable();
    await hostAsync(fsp.rmdir(this.#path(name)));
  }
  async unlink(name: string): Promise<void> {
    this.#writable();
    // The host refuses a directory (Linux: EISDIR).
    await hostAsync(fsp.unlink(this.#path(name)));
  }
  async link(name: string, to: AsyncDirectory, toName: string): Promise<void> {
    // The host refuses a directory (EPERM) and does not follow a symlink named as the source.
    await this.#fromTo(name, to, toName, fsp.link);
  }
  async rename(name: string, to: AsyncDirectory, toName: string): Promise<void> {
    await this.#fromTo(name, to, toName, fsp.rename);
  }
  /** A host call from the entry `name` here to `toName` in `to` (both mounts writable). */
  async #fromTo(name: string, to: AsyncDirectory, toName: string, call: (from: string, target: string) => Promise<void>): Promise<void> {
    this.#writable();
    const dest = this.#other(to);
    await hostAsync(call(this.#path(name), dest.#path(toName)));
  }
}

/**
 * An AsyncDirectory over the host folder `path` (resolved to its real path now), for a guest run
 * with `WASI({ async: true })` through `fromAsyncDirectory`. The guest can reach nothing outside
 * it, whatever other guests and processes do meanwhile. Its host handle is closed by `close()`,
 * or when the directory is collected. Needs /proc/self/fd (Linux).
 */
export async function nodeAsyncDirectory(path: string, options: NodeAsyncDirectoryOptions = {}): Promise<AsyncDirectory> {
  if (!PROC_FD) {
    throw new Error('iotypes: nodeAsyncDirectory needs /proc/self/fd (Linux) to address names beneath an open folder; use nodeDirectory elsewhere');
  }
  const root = await hostAsync(fsp.realpath(resolvePath(path)));
  let handle: FileHandle;
  try {
    handle = await fsp.open(root, HELD_DIR_FLAGS);
  } catch (e) {
    throw mountNotFolder(e, path) ?? fromNode(e);
  }
  return new NodeAsyncDirectory(handle, options.readOnly ?? false);
}
