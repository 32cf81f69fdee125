// Layer: adapters/browser. Imports src/errno only.
// The one table from a browser's storage and fetch failures (DOMException names) to WASI errnos.
// A DOMException whose name is not in the table is a gap in this table: it is reported (an Error
// naming it, which traps the guest), never hidden as EIO.

import { Errno, WasiError } from '../../src/errno/index.js';

/** DOMException names (File System Access, OPFS, Blob reads), each with the errno of the same meaning. */
export const ERRNO_OF_DOM_EXCEPTION: Readonly<Record<string, Errno>> = {
  NotFoundError: Errno.ENOENT,
  // NOTE: a name of the other kind (a file asked for as a directory, or the reverse). Callers
  // that know which kind they met choose themselves: ENOTDIR, or EISDIR for a directory opened
  // as a file.
  TypeMismatchError: Errno.ENOTDIR,
  // removeEntry() of a directory that is not empty, without { recursive: true }.
  InvalidModificationError: Errno.ENOTEMPTY,
  // NOTE: the entry is locked: a writable or a sync access handle is open on it in another
  // context (another tab or worker). EBUSY, as Linux reports for a name in use.
  NoModificationAllowedError: Errno.EBUSY,
  NotAllowedError: Errno.EACCES,
  SecurityError: Errno.EACCES,
  QuotaExceededError: Errno.ENOSPC,
  NotReadableError: Errno.EIO,
  InvalidStateError: Errno.EIO,
  AbortError: Errno.EIO,
  NetworkError: Errno.EIO,
};

/**
 * Turns a browser failure into what to throw: a WasiError for a DOMException in the table (a
 * WasiError passes as it is), an Error naming a DOMException that is not, anything else unchanged.
 */
export function fromDomError(e: unknown): unknown {
  if (e instanceof WasiError) return e;
  // QuotaExceededError is its own class in newer engines; the others are DOMExceptions.
  const named = e instanceof DOMException || (e instanceof Error && e.name === 'QuotaExceededError');
  if (!named) return e;
  const { name, message } = e as Error;
  const errno = Object.hasOwn(ERRNO_OF_DOM_EXCEPTION, name) ? ERRNO_OF_DOM_EXCEPTION[name] : undefined;
  if (errno === undefined) return new Error(`iotypes: unmapped browser error ${name} (${message})`, { cause: e });
  return new WasiError(errno, message);
}

/** Whether `e` is the DOMException `name`. */
export function isDomError(e: unknown, name: string): boolean {
  return e instanceof DOMException && e.name === name;
}
