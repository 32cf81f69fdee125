// Layer: adapters/node. Imports src/io, src/errno and node:* only.
// Host file descriptors as streams: the process's stdin, stdout and stderr, or any fd.
// Reads block properly on pipes, files and terminals; when the descriptor is non-blocking (Node
// may set that on pipes), EAGAIN is never shown to the guest: the thread sleeps (Atomics.wait,
// no spinning) and tries again. Writes are complete and in order.

import * as fs from 'node:fs';
import * as net from 'node:net';
import { isatty } from 'node:tty';
import { END, InputStream, OutputStream } from '../../src/io/index.js';
import { fromNode } from './errors.js';

const cell = new Int32Array(new SharedArrayBuffer(4));

/**
 * If `e` says a non-blocking descriptor would block (EAGAIN, EWOULDBLOCK), waits a little before
 * the caller's next try (1 ms, doubling with `attempt` up to 50 ms; no spinning) and returns
 * true. Otherwise returns false at once.
 */
export function waitIfWouldBlock(e: unknown, attempt: number): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK') return false;
  Atomics.wait(cell, 0, 0, Math.min(50, 2 ** attempt));
  return true;
}

/**
 * How a host input is read:
 * - a regular file or block device: blocking reads on the descriptor itself; always ready.
 * - anything else (pipe, FIFO, terminal, socket, character device): non-blocking reads, so that
 *   readiness is a read that finds data, end (hang-up) or nothing yet. Where the kernel allows,
 *   the descriptor is reopened through /proc/self/fd/N as a description of our own with
 *   O_NONBLOCK (pipes, FIFOs, terminals), leaving the shared one as it was for the shell and the
 *   processes after us. A socket cannot be reopened: its own description is made non-blocking,
 *   as Node does for process.stdin.
 * NOTE: not a reader thread. A thread blocked in read(2) on an idle pipe keeps a Node process
 * from exiting (process.exit joins worker and thread-pool threads) until the writer writes or
 * closes; node:wasi exits at once, and so must `iotypes run` after a poll that timed out.
 */
type Source =
  | { kind: 'blocking' }
  | { kind: 'nonblocking'; fd: number; own: boolean; keep?: { unref(): unknown } };

const PEEK = 64 * 1024;

export class HostInput extends InputStream {
  readonly fd: number;
  #source: Source | undefined;
  /** Bytes a readiness check found, handed out by the next reads. */
  #peeked: Uint8Array | undefined;
  #peekStart = 0;
  #peekEnd = 0;
  /** A readiness check found the end (the writer hung up). */
  #sawEnd = false;
  constructor(fd: number, name = `fd ${fd}`) {
    super({ name });
    this.fd = fd;
  }

  #open(): Source {
    if (this.#source) return this.#source;
    const st = fs.fstatSync(this.fd);
    if (st.isFile() || st.isBlockDevice()) return (this.#source = { kind: 'blocking' });
    try {
      const own = fs.openSync(`/proc/self/fd/${this.fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
      return (this.#source = { kind: 'nonblocking', fd: own, own: true });
    } catch {
      // A socket (or no /proc): make the descriptor itself non-blocking through a libuv handle that
      // never reads and never closes it; unref'd, it keeps nothing alive. Where even that is
      // refused, reads block as before (and the stream is always ready).
      try {
        const keep = new net.Socket({ fd: this.fd, readable: false, writable: false });
        keep.unref();
        return (this.#source = { kind: 'nonblocking', fd: this.fd, own: false, keep });
      } catch {
        return (this.#source = { kind: 'blocking' });
      }
    }
  }

  /** One non-blocking read: a count, 0 for "nothing yet", or END. */
  #tryRead(fd: number, into: Uint8Array): number {
    try {
      const n = fs.readSync(fd, into, 0, into.length, null);
      return n === 0 ? END : n;
    } catch (e) {
      const code = (e as { code?: unknown } | null)?.code;
      if (code === 'EAGAIN' || code === 'EWOULDBLOCK') return 0;
      if (code === 'EOF') return END;
      return fromNode(e);
    }
  }

  #release(): void {
    const src = this.#source;
    if (src?.kind === 'nonblocking' && src.own) {
      fs.closeSync(src.fd);
      this.#source = { kind: 'blocking' };
    }
  }

  protected override readyCore(): boolean | typeof END {
    if (this.#peekEnd > this.#peekStart) return true;
    if (this.#sawEnd) return END;
    const src = this.#open();
    if (src.kind === 'blocking') return true;
    const buf = (this.#peeked ??= new Uint8Array(PEEK));
    const n = this.#tryRead(src.fd, buf);
    if (n === END) {
      this.#sawEnd = true;
      this.#release();
      return END;
    }
    this.#peekStart = 0;
    this.#peekEnd = n;
    return n > 0;
  }

  protected readCore(into: Uint8Array): number {
    if (this.#peekEnd > this.#peekStart) {
      const n = Math.min(into.length, this.#peekEnd - this.#peekStart);
      into.set(this.#peeked!.subarray(this.#peekStart, this.#peekStart + n));
      this.#peekStart += n;
      return n;
    }
    if (this.#sawEnd) return END;
    const src = this.#open();
    if (src.kind === 'blocking') {
      for (let attempt = 0; ; attempt++) {
        try {
          const n = fs.readSync(this.fd, into, 0, into.length, null);
          return n === 0 ? END : n;
        } catch (e) {
          if (waitIfWouldBlock(e, attempt)) continue;
          if ((e as { code?: string }).code === 'EOF') return END;
          return fromNode(e);
        }
      }
    }
    // A read blocks until data or end: non-blocking tries with sleeps in between (no spinning).
    for (let attempt = 0; ; attempt++) {
      const n = this.#tryRead(src.fd, into);
      if (n === END) {
        this.#sawEnd = true;
        this.#release();
        return END;
      }
      if (n > 0) return n;
      Atomics.wait(cell, 0, 0, Math.min(50, 2 ** attempt));
    }
  }

  protected override closeCore(): void {
    this.#release();
  }
}

export class HostOutput extends OutputStream {
  readonly fd: number;
  constructor(fd: number, name = `fd ${fd}`) {
    super({ name });
    this.fd = fd;
  }
  protected writeCore(from: Uint8Array): number {
    let done = 0;
    for (let attempt = 0; done < from.length; ) {
      try {
        done += fs.writeSync(this.fd, from, done, from.length - done);
        attempt = 0;
      } catch (e) {
        if (!waitIfWouldBlock(e, attempt++)) fromNode(e, done); // what this call already wrote is reported with the failure
      }
    }
    return done;
  }
  protected override flushCore(): void {
    // Writes go straight to the descriptor; there is nothing buffered here.
  }
}

export interface NodeStdio {
  stdin: InputStream;
  stdout: OutputStream;
  stderr: OutputStream;
  tty: { stdin: boolean; stdout: boolean; stderr: boolean };
}

/** The process's own stdio as streams, with truthful isatty flags. */
export function nodeStdio(fds: { stdin?: number; stdout?: number; stderr?: number } = {}): NodeStdio {
  const i = fds.stdin ?? 0;
  const o = fds.stdout ?? 1;
  const e = fds.stderr ?? 2;
  return {
    stdin: new HostInput(i, 'stdin'),
    stdout: new HostOutput(o, 'stdout'),
    stderr: new HostOutput(e, 'stderr'),
    tty: { stdin: isatty(i), stdout: isatty(o), stderr: isatty(e) },
  };
}
