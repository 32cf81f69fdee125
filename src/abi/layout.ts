// Layer: abi. Imports src/errno, src/io (types), src/syscalls (types) and src/abi only.
// Byte-exact layouts of the Preview 1 structs (and of wasi_unstable, snapshot 0, where they
// differ), with encoders and decoders over GuestMemory. Offsets come from the witx definitions.

import { Errno, WasiError } from '../errno/index.js';
import type { DirEntry, FileType, Stat } from '../io/directory.js';
import type { PollEvent, Subscription } from '../syscalls/index.js';
import type { GuestMemory } from './memory.js';

export type Snapshot = 'preview1' | 'unstable';

export const FILETYPE: Record<FileType, number> = {
  unknown: 0, 'block-device': 1, 'character-device': 2, directory: 3, 'regular-file': 4,
  'socket-dgram': 5, 'socket-stream': 6, 'symbolic-link': 7,
};

const FILE_TYPES = Object.keys(FILETYPE) as FileType[];

/** The file type of a Preview 1 `filetype` number; an unknown number is 'unknown'. */
export function fileTypeOfCode(code: number): FileType {
  return FILE_TYPES.find((t) => FILETYPE[t] === code) ?? 'unknown';
}

/** iovec and ciovec: { buf: u32, buf_len: u32 }. */
export const IOVEC = { size: 8, buf: 0, buf_len: 4 } as const;

/** fdstat: { fs_filetype: u8, fs_flags: u16, fs_rights_base: u64, fs_rights_inheriting: u64 }. */
export const FDSTAT = { size: 24, fs_filetype: 0, fs_flags: 2, fs_rights_base: 8, fs_rights_inheriting: 16 } as const;

/** prestat: { tag: u8, u.dir.pr_name_len: u32 }. */
export const PRESTAT = { size: 8, tag: 0, pr_name_len: 4 } as const;

/** filestat, preview1: nlink is u64 and follows the filetype with padding. */
export const FILESTAT = { size: 64, dev: 0, ino: 8, filetype: 16, nlink: 24, size_: 32, atim: 40, mtim: 48, ctim: 56 } as const;
/** filestat, wasi_unstable: nlink is u32. */
export const FILESTAT_UNSTABLE = { size: 56, dev: 0, ino: 8, filetype: 16, nlink: 20, size_: 24, atim: 32, mtim: 40, ctim: 48 } as const;

/** dirent (both snapshots): { d_next: u64, d_ino: u64, d_namlen: u32, d_type: u8 }, name follows. */
export const DIRENT = { size: 24, d_next: 0, d_ino: 8, d_namlen: 16, d_type: 20 } as const;

/** subscription, preview1: userdata, then a tagged union at 8 whose payload starts at 16. */
export const SUBSCRIPTION = {
  size: 48, userdata: 0, tag: 8,
  clock_id: 16, clock_timeout: 24, clock_precision: 32, clock_flags: 40,
  fd: 16,
} as const;
/** subscription, wasi_unstable: the clock payload has an extra u64 identifier first. */
export const SUBSCRIPTION_UNSTABLE = {
  size: 56, userdata: 0, tag: 8,
  clock_identifier: 16, clock_id: 24, clock_timeout: 32, clock_precision: 40, clock_flags: 48,
  fd: 16,
} as const;

/** event: { userdata: u64, error: u16, type: u8, fd_readwrite: { nbytes: u64, flags: u16 } }. */
export const EVENT = { size: 32, userdata: 0, error: 8, type: 10, nbytes: 16, flags: 24 } as const;

export const EVENTTYPE = { clock: 0, fd_read: 1, fd_write: 2 } as const;

/** whence numbering: preview1 SET/CUR/END = 0/1/2; wasi_unstable CUR/END/SET = 0/1/2. */
export function whence(snapshot: Snapshot, raw: number): number {
  if (snapshot === 'preview1') return raw;
  return raw === 0 ? 1 : raw === 1 ? 2 : raw === 2 ? 0 : -1;
}

export function writeFilestat(mem: GuestMemory, ptr: number, st: Stat, snapshot: Snapshot): void {
  const L = snapshot === 'preview1' ? FILESTAT : FILESTAT_UNSTABLE;
  const v = mem.struct(ptr, L.size);
  v.setBigUint64(ptr + L.dev, st.dev, true);
  v.setBigUint64(ptr + L.ino, st.ino, true);
  // The filetype as a u32 zeroes the padding after it (up to nlink in both snapshots).
  v.setUint32(ptr + L.filetype, FILETYPE[st.type], true);
  if (snapshot === 'preview1') {
    v.setUint32(ptr + L.filetype + 4, 0, true);
    setU64Number(v, ptr + L.nlink, st.nlink);
  } else {
    v.setUint32(ptr + L.nlink, Math.min(st.nlink, 0xffffffff), true);
  }
  setU64Number(v, ptr + L.size_, st.size);
  v.setBigUint64(ptr + L.atim, st.atim, true);
  v.setBigUint64(ptr + L.mtim, st.mtim, true);
  v.setBigUint64(ptr + L.ctim, st.ctim, true);
}

/** Stores a non-negative safe integer as a u64 without making a BigInt. */
function setU64Number(v: DataView, at: number, n: number): void {
  const lo = n >>> 0;
  v.setUint32(at, lo, true);
  v.setUint32(at + 4, (n - lo) / 0x1_0000_0000, true);
}

const utf8 = new TextEncoder();

/**
 * Writes dirents for `entries[start..]` into the `size` bytes at `ptr`; returns the bytes used.
 * A record that does not fit is truncated; the guest sees a full buffer and retries. Names are
 * encoded here, straight into guest memory: an ASCII name (most names) code by code, any other
 * through TextEncoder.
 */
export function writeDirents(mem: GuestMemory, ptr: number, size: number, entries: readonly DirEntry[], start: number): number {
  // One bounds check for the whole buffer; the records are written through these two views.
  const v = mem.struct(ptr, size);
  const b = mem.bytes(ptr, size);
  let used = 0;
  for (let i = start; i < entries.length && used < size; i++) {
    const e = entries[i]!;
    const encoded = isAscii(e.name) ? undefined : utf8.encode(e.name);
    const namlen = encoded === undefined ? e.name.length : encoded.length;
    if (size - used >= DIRENT.size + namlen) {
      direntHeader(v, ptr + used, i + 1, e, namlen);
      putName(b, used + DIRENT.size, e.name, encoded);
      used += DIRENT.size + namlen;
      continue;
    }
    const record = new Uint8Array(DIRENT.size + namlen);
    direntHeader(new DataView(record.buffer), 0, i + 1, e, namlen);
    putName(record, DIRENT.size, e.name, encoded);
    const n = size - used;
    b.set(record.subarray(0, n), used);
    used += n;
  }
  return used;
}

function direntHeader(v: DataView, at: number, next: number, e: DirEntry, namlen: number): void {
  setU64Number(v, at + DIRENT.d_next, next);
  v.setBigUint64(at + DIRENT.d_ino, e.ino, true);
  v.setUint32(at + DIRENT.d_namlen, namlen, true);
  v.setUint32(at + DIRENT.d_type, FILETYPE[e.type], true);
}

function isAscii(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) >= 0x80) return false;
  return true;
}

/** Puts a name's UTF-8 bytes at `at`: `encoded` when it was not ASCII, else its codes. */
function putName(into: Uint8Array, at: number, name: string, encoded: Uint8Array | undefined): void {
  if (encoded !== undefined) {
    into.set(encoded, at);
    return;
  }
  for (let k = 0; k < name.length; k++) into[at + k] = name.charCodeAt(k);
}

/** The size of one subscription record in `snapshot`. */
export function subscriptionSize(snapshot: Snapshot): number {
  return (snapshot === 'preview1' ? SUBSCRIPTION : SUBSCRIPTION_UNSTABLE).size;
}

/** Decodes `count` subscriptions at `ptr`; a bad tag or clock flag is EINVAL. */
export function readSubscriptions(mem: GuestMemory, ptr: number, count: number, snapshot: Snapshot): Subscription[] {
  const L = snapshot === 'preview1' ? SUBSCRIPTION : SUBSCRIPTION_UNSTABLE;
  const subs: Subscription[] = [];
  for (let i = 0; i < count; i++) {
    const at = ptr + i * L.size;
    const userdata = mem.u64(at + L.userdata);
    const tag = mem.u8(at + L.tag);
    if (tag === EVENTTYPE.clock) {
      const flags = mem.u16(at + L.clock_flags);
      if (flags & ~1) throw new WasiError(Errno.EINVAL, `bad clock flags ${flags}`);
      subs.push({ userdata, kind: 'clock', clock: mem.u32(at + L.clock_id) as 0, timeout: mem.u64(at + L.clock_timeout), abstime: (flags & 1) !== 0 });
    } else if (tag === EVENTTYPE.fd_read || tag === EVENTTYPE.fd_write) {
      subs.push({ userdata, kind: tag === EVENTTYPE.fd_read ? 'fd_read' : 'fd_write', fd: mem.u32(at + L.fd) });
    } else {
      throw new WasiError(Errno.EINVAL, `bad subscription tag ${tag}`);
    }
  }
  return subs;
}

/** Writes `events` as consecutive event records at `ptr`. */
export function writeEvents(mem: GuestMemory, ptr: number, events: readonly PollEvent[]): void {
  events.forEach((ev, i) => {
    const at = ptr + i * EVENT.size;
    mem.zero(at, EVENT.size);
    mem.setU64(at + EVENT.userdata, ev.userdata);
    mem.setU16(at + EVENT.error, ev.errno);
    mem.setU8(at + EVENT.type, EVENTTYPE[ev.kind]);
    mem.setU64(at + EVENT.nbytes, ev.nbytes);
    mem.setU16(at + EVENT.flags, ev.hangup ? 1 : 0);
  });
}
