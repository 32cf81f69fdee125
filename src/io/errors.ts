// Layer: io. Imports only src/errno.
// IOError: a failed transfer, carrying how many bytes moved before the failure (partial success
// is reported together with failure). Streams keep their first failure: it is sticky.

import { Errno, WasiError } from '../errno/index.js';

export class IOError extends WasiError {
  /** Bytes transferred by this call before it failed. */
  readonly moved: number;
  constructor(errno: Errno = Errno.EIO, moved = 0, detail?: string) {
    super(errno, detail);
    this.name = 'IOError';
    this.moved = moved;
  }

  /**
   * The same failure, reported again by a later call that moved `moved` bytes. With the same
   * count it is this very object: a sticky failure reported on every later call costs nothing.
   */
  again(moved = 0): IOError {
    return moved === this.moved ? this : new IOError(this.errno, moved, this.message);
  }
}

/**
 * The bytes a failed call moved before failing, as its IOError says (0 for any other failure).
 * A backend core that moves part of a transfer and then fails throws IOError with that count;
 * the derived operation adds it to what its earlier core calls moved.
 */
export function movedBy(e: unknown): number {
  return e instanceof IOError ? e.moved : 0;
}

/** Turns a failure thrown by a backend core into an IOError that records `moved`. */
export function asIOError(e: unknown, moved: number): IOError {
  if (e instanceof IOError) return e.moved === moved ? e : e.again(moved);
  if (e instanceof WasiError) return new IOError(e.errno, moved, e.message);
  throw e; // not an I/O failure: a host bug, which propagates as it is
}

/** Validates a byte offset or length: a non-negative safe integer. */
export function checkOffset(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WasiError(Errno.EINVAL, `${what} must be a non-negative safe integer, got ${value}`);
  }
}
