// Layer: preview2. Imports src/errno, src/io and this folder.
// wasi:io 0.2 (error, poll, streams) over iotypes's I/O types: a component's input-stream and
// output-stream resources wrap an iotypes InputStream / OutputStream, so pipes, host fds, arrays
// read sequentially and consoles serve components unchanged. A pollable is a readiness test
// plus, for clocks, a deadline; `poll` sleeps until the earliest deadline or, for streams, in
// short steps until one is ready.

import { Errno } from '../src/errno/index.js';
import { IOError } from '../src/io/errors.js';
import type { InputStream as IOInput, OutputStream as IOOutput } from '../src/io/stream.js';
import { count, io, IoError, StreamError } from './errors.js';
import { traceMethods, type Trace } from './trace.js';

/** What resources need from their host: the monotonic clock, a blocking sleep, a tracer. */
export interface Waiter {
  /** Monotonic time in nanoseconds. */
  now(): bigint;
  sleep(ns: bigint): void;
  /** Receives one line per call when tracing. */
  trace: Trace;
  /** Descriptors the component holds: released when the run ends, whatever the guest left open. */
  readonly live: Set<{ drop(): void }>;
}

/** The most bytes one non-blocking read, or one check-write permit, covers. */
const CHUNK = 1 << 20;
/** How often `poll` looks again at a stream that is not ready: 1 ms, doubling up to 50 ms. */
const STEP_NS = 1_000_000n;
const MAX_STEP_NS = 50_000_000n;

/** `wasi:io/poll.pollable`. */
export class Pollable {
  readonly #ready: () => boolean;
  /** The monotonic instant at which a clock pollable becomes ready. */
  readonly deadline: bigint | undefined;
  readonly waiter: Waiter;
  constructor(waiter: Waiter, ready: () => boolean, deadline?: bigint) {
    this.waiter = waiter;
    this.#ready = ready;
    this.deadline = deadline;
  }
  ready(): boolean {
    return this.deadline !== undefined ? this.waiter.now() >= this.deadline : this.#ready();
  }
  block(): void {
    poll([this]);
  }
}

/**
 * `wasi:io/poll.poll`: the indices of the pollables ready now, waiting until at least one is.
 * NOTE: an empty list traps, as wasmtime does (it would otherwise wait forever).
 */
export function poll(list: readonly Pollable[]): Uint32Array {
  if (!Array.isArray(list) || list.length === 0) throw new TypeError('wasi:io/poll.poll: an empty list of pollables');
  for (const p of list) {
    if (!(p instanceof Pollable)) throw new TypeError('wasi:io/poll.poll: not a pollable');
  }
  let step = STEP_NS;
  for (;;) {
    const ready: number[] = [];
    list.forEach((p, i) => {
      if (p.ready()) ready.push(i);
    });
    if (ready.length > 0) return Uint32Array.from(ready);
    const waiter: Waiter = list[0]!.waiter;
    const now: bigint = waiter.now();
    // Only clocks: sleep to the earliest deadline. With a stream: also look again after `step`.
    let wait: bigint = list.some((p) => p.deadline === undefined) ? step : -1n;
    for (const p of list) {
      if (p.deadline === undefined) continue;
      const left: bigint = p.deadline - now;
      if (wait < 0n || left < wait) wait = left;
    }
    waiter.sleep(wait > 0n ? wait : 0n);
    if (step < MAX_STEP_NS) step *= 2n;
  }
}

function failed(e: IOError): StreamError {
  return new StreamError({ tag: 'last-operation-failed', val: new IoError(e.errno, e.message) });
}

/** `wasi:io/streams.input-stream` over an iotypes InputStream. */
export class InputStream {
  readonly stream: IOInput;
  readonly waiter: Waiter;
  constructor(stream: IOInput, waiter: Waiter) {
    this.stream = stream;
    this.waiter = waiter;
  }

  /** Up to `len` bytes available now (possibly none); 'closed' at end of stream. */
  read(len: bigint): Uint8Array {
    this.#check();
    if (len === 0n) return new Uint8Array(0);
    const buf = new Uint8Array(count(len, CHUNK));
    let n: number;
    try {
      n = this.stream.read(buf);
    } catch (e) {
      // Bytes read before the failure are delivered; the sticky failure is reported next time.
      if (e instanceof IOError && e.moved > 0) return buf.subarray(0, e.moved);
      throw e instanceof IOError ? failed(e) : e;
    }
    if (n === 0 && this.stream.status === 'ended') throw StreamError.closed();
    return n === buf.length ? buf : buf.slice(0, n);
  }

  blockingRead(len: bigint): Uint8Array {
    for (;;) {
      const got = this.read(len);
      if (got.length > 0 || len === 0n) return got;
      this.subscribe().block();
    }
  }

  skip(len: bigint): bigint {
    this.#check();
    const n = io(() => this.stream.skip(count(len)));
    if (n === 0 && len > 0n && this.stream.status === 'ended') throw StreamError.closed();
    return BigInt(n);
  }

  blockingSkip(len: bigint): bigint {
    for (;;) {
      const n = this.skip(len);
      if (n > 0n || len === 0n) return n;
      this.subscribe().block();
    }
  }

  subscribe(): Pollable {
    return new Pollable(this.waiter, () => this.stream.ready());
  }

  #check(): void {
    if (this.stream.error) throw failed(this.stream.error);
    if (this.stream.status === 'ended') throw StreamError.closed();
  }
}

/** `wasi:io/streams.output-stream` over an iotypes OutputStream. */
export class OutputStream {
  readonly stream: IOOutput;
  readonly waiter: Waiter;
  constructor(stream: IOOutput, waiter: Waiter) {
    this.stream = stream;
    this.waiter = waiter;
  }

  /** How many bytes `write` accepts now. */
  checkWrite(): bigint {
    this.#check();
    return BigInt(Math.min(this.stream.checkWrite(), CHUNK));
  }

  write(contents: Uint8Array): void {
    this.#check();
    const put = io(() => this.stream.write(contents));
    // NOTE: a write larger than check-write allowed is a guest error in wasi:io; here it is
    // refused only when the stream really could not take the bytes, never silently truncated.
    if (put < contents.length) throw failed(new IOError(Errno.EIO, put, 'the stream accepted fewer bytes than written'));
  }

  blockingWriteAndFlush(contents: Uint8Array): void {
    let done = 0;
    while (done < contents.length) {
      const room = Number(this.checkWrite());
      if (room === 0) {
        this.subscribe().block();
        continue;
      }
      const part = contents.subarray(done, done + room);
      this.write(part);
      done += part.length;
    }
    this.flush();
  }

  flush(): void {
    this.#check();
    io(() => this.stream.flush());
  }

  blockingFlush(): void {
    this.flush();
  }

  writeZeroes(len: bigint): void {
    this.#check();
    const n = count(len);
    const put = io(() => this.stream.writeZeros(n));
    if (put < n) throw failed(new IOError(Errno.EIO, put, 'the stream accepted fewer bytes than written'));
  }

  blockingWriteZeroesAndFlush(len: bigint): void {
    let left = len;
    while (left > 0n) {
      const room = this.checkWrite();
      if (room === 0n) {
        this.subscribe().block();
        continue;
      }
      const part = room < left ? room : left;
      this.writeZeroes(part);
      left -= part;
    }
    this.flush();
  }

  /** Moves up to `len` bytes from `src` to this stream, as many as are available now. */
  splice(src: InputStream, len: bigint): bigint {
    if (!(src instanceof InputStream)) throw new TypeError('wasi:io/streams.splice: not an input-stream');
    this.#check();
    if (src.stream.error) throw failed(src.stream.error);
    if (src.stream.status === 'ended') throw StreamError.closed();
    const n = io(() => src.stream.forward(this.stream, count(len)));
    if (n === 0 && len > 0n && (src.stream.status as string) === 'ended') throw StreamError.closed();
    return BigInt(n);
  }

  blockingSplice(src: InputStream, len: bigint): bigint {
    for (;;) {
      const n = this.splice(src, len);
      if (n > 0n || len === 0n) return n;
      src.subscribe().block();
    }
  }

  subscribe(): Pollable {
    return new Pollable(this.waiter, () => this.stream.status !== 'open' || this.stream.checkWrite() > 0);
  }

  #check(): void {
    if (this.stream.error) throw failed(this.stream.error);
    if (this.stream.status === 'closed') throw StreamError.closed();
  }
}

traceMethods(Pollable, 'pollable');
traceMethods(InputStream, 'input-stream');
traceMethods(OutputStream, 'output-stream');
