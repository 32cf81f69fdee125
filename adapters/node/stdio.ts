// Layer: adapters/node. Imports src/io, src/errno and node:* only.
// Host file descriptors as streams: the process's stdin, stdout and stderr, or any fd.
// Reads block properly on pipes, files and terminals; when the descriptor is non-blocking (Node
// may set that on pipes), EAGAIN is never shown to the guest: the thread sleeps (Atomics.wait,
// no spinning) and tries again. Writes are complete and in order.

import * as fs from 'node:fs';
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

export class HostInput extends InputStream {
  readonly fd: number;
  constructor(fd: number, name = `fd ${fd}`) {
    super({ name });
    this.fd = fd;
  }
  protected readCore(into: Uint8Array): number {
    for (let attempt = 0; ; attempt++) {
      try {
        const n = fs.readSync(this.fd, into, 0, into.length, null);
        return n === 0 ? END : n;
      } catch (e) {
        if (waitIfWouldBlock(e, attempt)) continue;
        if ((e as { code?: string }).code === 'EOF') return END;
        fromNode(e);
      }
    }
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
