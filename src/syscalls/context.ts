// Layer: syscalls. Imports src/errno, src/io and src/fdtable only.
// What every section of the syscalls shares: the per-instance state they act on, the typed values
// they exchange with src/abi, and the small conversions (offsets, times, partial transfers) that
// more than one section needs.

import { Errno, WasiError } from '../errno/index.js';
import type { FileType, TimeSpec } from '../io/directory.js';
import { IOError } from '../io/errors.js';
import type { FdTable } from '../fdtable/index.js';
import type { Clocks, ClockId } from './clock.js';

export interface SyscallOptions {
  fds: FdTable;
  args: readonly string[];
  env: readonly string[];
  clocks: Clocks;
  /** Fills a buffer with cryptographically secure random bytes. */
  random: (into: Uint8Array) => void;
  /** Blocks the calling thread for `ns` nanoseconds. */
  sleep: (ns: bigint) => void;
}

export const Whence = { SET: 0, CUR: 1, END: 2 } as const;
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

export interface FdStat {
  filetype: FileType;
  flags: number;
  rightsBase: bigint;
  rightsInheriting: bigint;
}

export type Subscription =
  | { userdata: bigint; kind: 'clock'; clock: ClockId; timeout: bigint; abstime: boolean }
  | { userdata: bigint; kind: 'fd_read' | 'fd_write'; fd: number };

export interface PollEvent {
  userdata: bigint;
  errno: number;
  kind: 'clock' | 'fd_read' | 'fd_write';
  nbytes: bigint;
  hangup: boolean;
}

export const utf8 = new TextEncoder();

/**
 * The UTF-8 bytes of `text`. A short ASCII string (most arguments, names and paths) is copied
 * code by code into an array made here, which an engine keeps in its heap: TextEncoder's fixed
 * price per call is larger, and its result is a buffer outside the heap that the collector must
 * track and free.
 */
export function utf8Bytes(text: string): Uint8Array {
  const n = text.length;
  if (n > 64) return utf8.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return utf8.encode(text);
    out[i] = c;
  }
  return out;
}

/** Converts a transfer failure after partial progress into POSIX's "return what moved". */
export function partial(e: unknown, done: number): number {
  if (e instanceof IOError) {
    const moved = done + e.moved;
    if (moved > 0) return moved;
    // Nothing moved: the failure itself is the answer (a sticky one is the same object each time).
    throw e;
  }
  throw e;
}

/** An offset as a number; `value` may come as a bigint (u64 arguments) or a number (hot calls). */
export function checkedPosition(value: bigint | number): number {
  // NOTE: a resulting offset that is negative or beyond 2^53 is EINVAL (Linux: EINVAL for
  // negative; wasmtime: EINVAL).
  const n = typeof value === 'number' ? value : value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new WasiError(Errno.EINVAL, `offset ${value} is out of range`);
  return n;
}

/** Decodes one time of a Preview 1 `fstflags` pair: a value, "now", or unchanged. */
export function timeSpec(value: bigint, flags: number, set: number, now: number): TimeSpec {
  if (flags & ~0xf) throw new WasiError(Errno.EINVAL, `unknown fst flags ${flags}`);
  if (flags & set && flags & now) throw new WasiError(Errno.EINVAL, 'both a time and "now" requested');
  if (flags & now) return 'now';
  if (flags & set) return value;
  return undefined;
}
