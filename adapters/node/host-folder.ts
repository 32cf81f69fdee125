// Layer: adapters/node. Imports src/io, src/errno, adapters/shared and node:* only.
// The rules of a host folder, written once for both Node backends: the synchronous one
// (directory.ts, node:fs) and the asynchronous one (async-directory.ts, node:fs/promises). What
// a name may be, the flags each open uses, how a host stat and a host listing entry look to the
// guest, and the failures decided from a host's answer. Each backend only makes the host calls.

import * as fs from 'node:fs';
import { Errno, WasiError } from '../../src/errno/index.js';
import type { DirEntry, OpenFileOptions, Stat } from '../../src/io/index.js';
import { fileTypeOf, type StatsLike } from '../shared/file-type.js';
import { rofs } from '../shared/errors.js';

const C = fs.constants;

/** Opens a subdirectory: anything but a folder is refused by the open itself, a symlink too. */
export const DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY | C.O_NOFOLLOW;
/** Opens a folder that is already known (the mount itself, a reopened handle). */
export const HELD_DIR_FLAGS = C.O_RDONLY | C.O_DIRECTORY;

export function toStat(st: fs.BigIntStats): Stat {
  return {
    dev: st.dev, ino: st.ino, type: fileTypeOf(st), nlink: Number(st.nlink), size: Number(st.size),
    atim: st.atimeNs, mtim: st.mtimeNs, ctim: st.ctimeNs,
  };
}

/**
 * Checks that `name` is one path component. The path layer hands over single components only;
 * each backend refuses anything else again, so a name can never lead elsewhere even if that
 * promise were broken.
 */
export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new WasiError(Errno.ENOTCAPABLE, `not a single path component: ${JSON.stringify(name)}`);
  }
}

/** The error of a handle used after its close. */
export function closedHandle(): WasiError {
  return new WasiError(Errno.EBADF, 'directory handle was closed');
}

/** The host open flags of `openFile` (EROFS first for a change asked of a read-only handle). */
export function fileFlags(options: OpenFileOptions, readOnly: boolean): number {
  if (readOnly && (options.create || options.truncate || options.write)) {
    // NOTE: opening for writing (or creating) on a read-only mount is EROFS even if the file
    // exists, as Linux does on a read-only filesystem.
    throw rofs();
  }
  // O_NOFOLLOW: a symlink is ELOOP; O_NONBLOCK: a FIFO put here meanwhile cannot block.
  let flags = (options.write ? C.O_RDWR : C.O_RDONLY) | C.O_NOFOLLOW | C.O_NONBLOCK;
  if (options.create) flags |= C.O_CREAT | C.O_RDWR;
  if (options.create && options.exclusive) flags |= C.O_EXCL;
  if (options.truncate) flags |= C.O_TRUNC | C.O_RDWR;
  return flags;
}

/** The refusal of an opened name that is not a regular file (the caller closes what it opened). */
export function notRegularFile(name: string): WasiError {
  // The syscall layer looked first; this is a name that changed since.
  return new WasiError(Errno.ENXIO, `${name} is not a regular file`);
}

/**
 * Whether a failed `DIR_FLAGS` open may have met a symlink: Linux says ENOTDIR for one (as for a
 * file), where the Directory contract says ELOOP; the caller then looks at the name with lstat.
 */
export function mayBeSymlink(e: unknown): boolean {
  return (e as { code?: string }).code === 'ENOTDIR';
}

/** The refusal of `openDir` on a symlink. */
export function symlinkRefused(name: string): WasiError {
  return new WasiError(Errno.ELOOP, `${name} is a symlink`);
}

/** The error of the mount's own folder when it is not one. */
export function mountNotFolder(e: unknown, path: string): WasiError | undefined {
  return (e as { code?: string }).code === 'ENOTDIR' ? new WasiError(Errno.ENOTDIR, `${path} is not a directory`) : undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A host name as the guest sees it; undefined for a name that is not valid UTF-8. */
export function guestName(raw: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(raw);
  } catch {
    return undefined;
  }
}

/**
 * The guest's names of a host listing: each with the path its lstat uses beneath `here` (the
 * folder's /proc path).
 */
export function listedNames(here: string, raw: readonly Uint8Array[]): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const bytes of raw) {
    // NOTE: a host name that is not valid UTF-8 is not listed (and cannot be named by a
    // guest, whose paths are UTF-8): shown with replacement characters it would alias
    // another file. See SECURITY.md.
    const name = guestName(bytes);
    if (name !== undefined) out.push({ name, path: `${here}/${name}` });
  }
  return out;
}

/** A listed entry, from its lstat (undefined: it was removed while listing, and is left out). */
export function entryOf(name: string, st: (StatsLike & { ino: bigint }) | undefined): DirEntry | undefined {
  return st === undefined ? undefined : { name, type: fileTypeOf(st), ino: st.ino };
}

/** The symlink target text as the guest sees it (EILSEQ when it is not valid UTF-8). */
export function linkTarget(raw: Uint8Array, name: string): string {
  const target = guestName(raw);
  if (target === undefined) throw new WasiError(Errno.EILSEQ, `the target of ${name} is not valid UTF-8`);
  return target;
}

/** The error of a missing entry found by an lstat that did not throw. */
export function missing(name: string): WasiError {
  return new WasiError(Errno.ENOENT, `${name} does not exist`);
}
