// Layer: io. Imports src/errno and src/io only.
// Asynchronous I/O types: the same operations as the synchronous ones, each of which may return
// a promise. A browser's storage, a fetched URL, a person typing and node:fs/promises are
// asynchronous; a guest's calls are not. The adapters below turn an asynchronous object into the
// synchronous type the rest of iotypes uses (Directory, IOArray, InputStream, OutputStream), and
// make every operation through a `Settler` (src/io/pending.ts): under JSPI the guest suspends
// until the promise settles; in a worker the thread blocks until the owner of the object answers.
// An operation that answers at once (a cached block, typed input already there) costs no wait.
//
// Failures: an operation rejects (or throws) a WasiError with the errno to report. Anything else
// is a bug in the object and traps the guest, as a synchronous backend's would.

import { Errno, WasiError } from '../errno/index.js';
import { IOArray, type FlushMode } from './array.js';
import type { DirEntry, Directory, FileNode, OpenFileOptions, Stat, TimeSpec } from './directory.js';
import type { IOOptions } from './handle.js';
import { onUndo, suspending, wake, type Settler } from './pending.js';
import { END, InputStream, OutputStream } from './stream.js';

export type MaybePromise<T> = T | Promise<T>;

/**
 * Random-access bytes that may answer later. `bytes` handed to `write` stay valid until the
 * returned promise settles (the guest waits meanwhile); keep a copy to use them after that.
 */
export interface AsyncArray {
  /** Up to `length` bytes from `offset`; fewer only at the end. */
  read(offset: number, length: number): MaybePromise<Uint8Array>;
  /** Writes all of `bytes` at `offset`, growing the array (holes read as zeros). */
  write(offset: number, bytes: Uint8Array): MaybePromise<void>;
  len(): MaybePromise<number>;
  /** Truncates, or extends with zeros. */
  setLen(len: number): MaybePromise<void>;
  flush?(mode: FlushMode): MaybePromise<void>;
  /** Optional: writes all of `bytes` at the end, atomically (a host's O_APPEND). Absent: len, then write. */
  append?(bytes: Uint8Array): MaybePromise<void>;
}

/** A regular file opened through an asynchronous directory. */
export interface AsyncFileNode {
  readonly array: AsyncArray;
  stat(): MaybePromise<Stat>;
  setTimes(atim: TimeSpec, mtim: TimeSpec): MaybePromise<void>;
  /** Releases what the file holds; not awaited by the guest. */
  close?(): MaybePromise<void>;
}

/** `Directory` (src/io/directory.ts), every operation of which may return a promise. */
export interface AsyncDirectory {
  readonly readOnly: boolean;
  /**
   * Optional, for handles that hold a host resource (an open host directory): a new handle on
   * the same directory, closed independently of this one. Give `reopen` and `close` together.
   */
  reopen?(): MaybePromise<AsyncDirectory>;
  /** Optional: releases what this handle holds; not awaited by the guest. */
  close?(): MaybePromise<void>;
  statSelf(): MaybePromise<Stat>;
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): MaybePromise<void>;
  stat(name: string): MaybePromise<Stat>;
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): MaybePromise<void>;
  openDir(name: string): MaybePromise<AsyncDirectory>;
  openFile(name: string, options: OpenFileOptions): MaybePromise<AsyncFileNode>;
  entries(): MaybePromise<readonly DirEntry[]>;
  readlink(name: string): MaybePromise<string>;
  symlink(target: string, name: string): MaybePromise<void>;
  mkdir(name: string): MaybePromise<void>;
  rmdir(name: string): MaybePromise<void>;
  unlink(name: string): MaybePromise<void>;
  /** `to` is another directory of the same backend (EXDEV otherwise). */
  link(name: string, to: AsyncDirectory, toName: string): MaybePromise<void>;
  rename(name: string, to: AsyncDirectory, toName: string): MaybePromise<void>;
}

/** Bytes that arrive over time: stdin from a person, a ReadableStream, a socket. */
export interface AsyncSource {
  /** The next bytes (never empty), or null at the end. Waits while there are none yet. */
  read(): MaybePromise<Uint8Array | null>;
  /** Whether `read` would answer at once (bytes there, or the end). Absent: always. */
  ready?(): boolean;
}

/** A destination for bytes: a WritableStream, a terminal. */
export interface AsyncSink {
  /** Takes all of `bytes` (valid until the returned promise settles). */
  write(bytes: Uint8Array): MaybePromise<void>;
  flush?(): MaybePromise<void>;
  close?(): MaybePromise<void>;
}

/** An asynchronous directory as a `Directory`. */
export class AsyncDirectoryAdapter implements Directory {
  readonly readOnly: boolean;
  constructor(readonly target: AsyncDirectory, readonly settler: Settler = suspending) {
    this.readOnly = target.readOnly;
  }
  #call<T>(method: keyof AsyncDirectory, ...args: unknown[]): T {
    return this.settler.call<T>(this.target, method, args);
  }
  #peer(to: Directory, op: string): AsyncDirectory {
    if (to instanceof AsyncDirectoryAdapter && to.settler === this.settler) return to.target;
    throw new WasiError(Errno.EXDEV, `${op} across backends`);
  }
  reopen(): Directory {
    if (!this.target.reopen) return this;
    return new AsyncDirectoryAdapter(this.#call<AsyncDirectory>('reopen'), this.settler);
  }
  close(): void {
    this.settler.post(this.target, 'close', []);
  }
  statSelf(): Stat {
    return this.#call('statSelf');
  }
  setTimesSelf(atim: TimeSpec, mtim: TimeSpec): void {
    this.#call('setTimesSelf', atim, mtim);
  }
  stat(name: string): Stat {
    return this.#call('stat', name);
  }
  setTimes(name: string, atim: TimeSpec, mtim: TimeSpec): void {
    this.#call('setTimes', name, atim, mtim);
  }
  openDir(name: string): Directory {
    return new AsyncDirectoryAdapter(this.#call<AsyncDirectory>('openDir', name), this.settler);
  }
  openFile(name: string, options: OpenFileOptions): FileNode {
    return fileNode(this.#call<AsyncFileNode>('openFile', name, { ...options }), this.settler);
  }
  entries(): Iterable<DirEntry> {
    return this.#call<readonly DirEntry[]>('entries');
  }
  readlink(name: string): string {
    return this.#call('readlink', name);
  }
  symlink(target: string, name: string): void {
    this.#call('symlink', target, name);
  }
  mkdir(name: string): void {
    this.#call('mkdir', name);
  }
  rmdir(name: string): void {
    this.#call('rmdir', name);
  }
  unlink(name: string): void {
    this.#call('unlink', name);
  }
  link(name: string, to: Directory, toName: string): void {
    this.#call('link', name, this.#peer(to, 'link'), toName);
  }
  rename(name: string, to: Directory, toName: string): void {
    this.#call('rename', name, this.#peer(to, 'rename'), toName);
  }
}

function fileNode(node: AsyncFileNode, settler: Settler): FileNode {
  return {
    array: new AsyncArrayAdapter(node.array, settler),
    stat: () => settler.call<Stat>(node, 'stat', []),
    setTimes: (atim, mtim) => void settler.call(node, 'setTimes', [atim, mtim]),
    close: () => settler.post(node, 'close', []),
  };
}

/** An asynchronous array as an `IOArray`. */
export class AsyncArrayAdapter extends IOArray {
  constructor(readonly target: AsyncArray, readonly settler: Settler = suspending, options: IOOptions = {}) {
    super({ name: 'asynchronous array', ...options });
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    const got = this.settler.call<Uint8Array>(this.target, 'read', [offset, into.length]);
    const n = Math.min(got.length, into.length);
    into.set(n === got.length ? got : got.subarray(0, n));
    return n;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    this.settler.call(this.target, 'write', [offset, from]);
    return from.length;
  }
  protected lenCore(): number {
    return this.settler.call<number>(this.target, 'len', []);
  }
  protected setLenCore(len: number): void {
    this.settler.call(this.target, 'setLen', [len]);
  }
  protected override flushCore(mode: FlushMode): void {
    if (this.target.flush) this.settler.call(this.target, 'flush', [mode]);
  }
  protected override appendCore(from: Uint8Array): number {
    if (!this.target.append) return this.writeAt(from, this.len()); // the derived append
    this.settler.call(this.target, 'append', [from]);
    return from.length;
  }
}

/** An asynchronous source as an `InputStream`: a read waits for bytes, never answers EAGAIN. */
export class AsyncInput extends InputStream {
  #chunk: Uint8Array | undefined;
  #at = 0;
  constructor(readonly source: AsyncSource, readonly settler: Settler = suspending, options: IOOptions = {}) {
    super({ name: 'asynchronous input', ...options });
  }
  /** Sets the buffered chunk, undone if the guest call ends up waiting and runs again. */
  #set(chunk: Uint8Array | undefined, at: number): void {
    const [before, beforeAt] = [this.#chunk, this.#at];
    onUndo(() => {
      this.#chunk = before;
      this.#at = beforeAt;
    });
    this.#chunk = chunk;
    this.#at = at;
  }
  protected readCore(into: Uint8Array): number {
    if (this.#chunk === undefined) {
      const got = this.settler.call<Uint8Array | null>(this.source, 'read', []);
      if (got === null) return END;
      if (got.length === 0) return 0;
      this.#set(got, 0);
    }
    const chunk = this.#chunk!;
    const n = Math.min(into.length, chunk.length - this.#at);
    into.set(chunk.subarray(this.#at, this.#at + n));
    this.#set(this.#at + n === chunk.length ? undefined : chunk, this.#at + n);
    return n;
  }
  protected override readyCore(): boolean | typeof END {
    if (this.#chunk !== undefined || !this.source.ready) return true;
    if (!this.settler.call<boolean>(this.source, 'ready', [])) return false;
    // Ready: the read answers at once. Take it now, so that the end is seen as a hang-up.
    const got = this.settler.call<Uint8Array | null>(this.source, 'read', []);
    if (got === null) return END;
    if (got.length > 0) this.#set(got, 0);
    return true;
  }
}

/** An asynchronous sink as an `OutputStream`: each write waits until the sink has taken it. */
export class AsyncOutput extends OutputStream {
  constructor(readonly sink: AsyncSink, readonly settler: Settler = suspending, options: IOOptions = {}) {
    super({ name: 'asynchronous output', ...options });
  }
  protected writeCore(from: Uint8Array): number {
    this.settler.call(this.sink, 'write', [from]);
    return from.length;
  }
  protected override flushCore(): void {
    if (this.sink.flush) this.settler.call(this.sink, 'flush', []);
  }
  protected override closeCore(): void {
    this.settler.post(this.sink, 'close', []);
  }
}

/** An asynchronous directory as a `Directory` (JSPI by default; a worker passes its settler). */
export function fromAsyncDirectory(dir: AsyncDirectory, settler: Settler = suspending): Directory {
  return new AsyncDirectoryAdapter(dir, settler);
}
/** An asynchronous array as an `IOArray`. */
export function fromAsyncArray(array: AsyncArray, settler: Settler = suspending, options: IOOptions = {}): IOArray {
  return new AsyncArrayAdapter(array, settler, options);
}
/** An asynchronous source as an `InputStream`. */
export function fromAsyncSource(source: AsyncSource, settler: Settler = suspending, options: IOOptions = {}): InputStream {
  return new AsyncInput(source, settler, options);
}
/** An asynchronous sink as an `OutputStream`. */
export function fromAsyncSink(sink: AsyncSink, settler: Settler = suspending, options: IOOptions = {}): OutputStream {
  return new AsyncOutput(sink, settler, options);
}

/**
 * Bytes pushed by the page as they come (a person typing, a socket): an `AsyncSource` whose
 * `read` answers at once when bytes are there and waits otherwise.
 */
export class PushSource implements AsyncSource {
  readonly #queue: Uint8Array[] = [];
  #ended = false;
  #waiter: (() => void) | undefined;

  /** Queues a copy of `bytes` for the guest. */
  push(bytes: Uint8Array | string): void {
    if (this.#ended) throw new Error('PushSource: push after end()');
    const copy = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes.slice();
    if (copy.length === 0) return;
    this.#queue.push(copy);
    this.#signal();
  }
  /** The end of input (Ctrl-D): reads then answer end of stream. */
  end(): void {
    this.#ended = true;
    this.#signal();
  }
  get ended(): boolean {
    return this.#ended;
  }
  read(): MaybePromise<Uint8Array | null> {
    const next = this.#queue.shift();
    if (next !== undefined) return next;
    if (this.#ended) return null;
    return new Promise<void>((r) => (this.#waiter = r)).then(() => this.read());
  }
  ready(): boolean {
    return this.#queue.length > 0 || this.#ended;
  }
  #signal(): void {
    const w = this.#waiter;
    this.#waiter = undefined;
    w?.();
    wake();
  }
}
