// Layer: adapters/shared. Imports src/errno only.
// Host error codes for every backend over a Node.js-style API (node:fs, memfs): the one table
// from an error's string `code` (libuv's names) to a WASI errno. A code that is not in the table
// is a gap in this table: it is reported (thrown naming the code), never hidden as EIO.

import { Errno, WasiError } from '../../src/errno/index.js';

/** libuv's error codes (as Node.js and memfs throw them), each with the WASI errno of the same meaning. */
export const ERRNO_OF_CODE: Readonly<Record<string, Errno>> = {
  E2BIG: Errno.E2BIG, EACCES: Errno.EACCES, EADDRINUSE: Errno.EADDRINUSE,
  EADDRNOTAVAIL: Errno.EADDRNOTAVAIL, EAFNOSUPPORT: Errno.EAFNOSUPPORT, EAGAIN: Errno.EAGAIN,
  EALREADY: Errno.EALREADY, EBADF: Errno.EBADF, EBADMSG: Errno.EBADMSG, EBUSY: Errno.EBUSY,
  ECANCELED: Errno.ECANCELED, ECHILD: Errno.ECHILD, ECONNABORTED: Errno.ECONNABORTED,
  ECONNREFUSED: Errno.ECONNREFUSED, ECONNRESET: Errno.ECONNRESET, EDEADLK: Errno.EDEADLK,
  EDESTADDRREQ: Errno.EDESTADDRREQ, EDOM: Errno.EDOM, EDQUOT: Errno.EDQUOT, EEXIST: Errno.EEXIST,
  EFAULT: Errno.EFAULT, EFBIG: Errno.EFBIG, EHOSTUNREACH: Errno.EHOSTUNREACH, EIDRM: Errno.EIDRM,
  EILSEQ: Errno.EILSEQ, EINPROGRESS: Errno.EINPROGRESS, EINTR: Errno.EINTR, EINVAL: Errno.EINVAL,
  EIO: Errno.EIO, EISCONN: Errno.EISCONN, EISDIR: Errno.EISDIR, ELOOP: Errno.ELOOP,
  EMFILE: Errno.EMFILE, EMLINK: Errno.EMLINK, EMSGSIZE: Errno.EMSGSIZE, EMULTIHOP: Errno.EMULTIHOP,
  ENAMETOOLONG: Errno.ENAMETOOLONG, ENETDOWN: Errno.ENETDOWN, ENETRESET: Errno.ENETRESET,
  ENETUNREACH: Errno.ENETUNREACH, ENFILE: Errno.ENFILE, ENOBUFS: Errno.ENOBUFS, ENODEV: Errno.ENODEV,
  ENOENT: Errno.ENOENT, ENOEXEC: Errno.ENOEXEC, ENOLCK: Errno.ENOLCK, ENOLINK: Errno.ENOLINK,
  ENOMEM: Errno.ENOMEM, ENOMSG: Errno.ENOMSG, ENOPROTOOPT: Errno.ENOPROTOOPT, ENOSPC: Errno.ENOSPC,
  ENOTCONN: Errno.ENOTCONN, ENOTDIR: Errno.ENOTDIR, ENOTEMPTY: Errno.ENOTEMPTY,
  ENOTRECOVERABLE: Errno.ENOTRECOVERABLE, ENOTSOCK: Errno.ENOTSOCK, ENOTSUP: Errno.ENOTSUP,
  // NOTE: EOPNOTSUPP is ENOTSUP and EWOULDBLOCK is EAGAIN: one value each on Linux, one name in WASI.
  EOPNOTSUPP: Errno.ENOTSUP, ENOTTY: Errno.ENOTTY, ENXIO: Errno.ENXIO, EOVERFLOW: Errno.EOVERFLOW,
  EOWNERDEAD: Errno.EOWNERDEAD, EPERM: Errno.EPERM, EPIPE: Errno.EPIPE, EPROTO: Errno.EPROTO,
  EPROTONOSUPPORT: Errno.EPROTONOSUPPORT, EPROTOTYPE: Errno.EPROTOTYPE, ERANGE: Errno.ERANGE,
  EROFS: Errno.EROFS, ESPIPE: Errno.ESPIPE, ESRCH: Errno.ESRCH, ESTALE: Errno.ESTALE,
  ETIMEDOUT: Errno.ETIMEDOUT, ETXTBSY: Errno.ETXTBSY, EXDEV: Errno.EXDEV, EWOULDBLOCK: Errno.EAGAIN,
  ENOSYS: Errno.ENOSYS, // NOTE: a host that lacks a call says so; passed on as is, never made up here
  // Not POSIX errnos, but reported by the Node.js/libuv layer.
  EOF: Errno.EIO, ESHUTDOWN: Errno.EPIPE, ECHARSET: Errno.EILSEQ, EAI_AGAIN: Errno.EAGAIN,
};

/**
 * Turns a host failure into what to throw: a WasiError for a known code (a WasiError passes as
 * it is), an Error naming an unknown code, and anything without a string `code` unchanged.
 * `host` names the host in that Error ("Node.js", "memfs").
 */
export function fromHostError(e: unknown, host: string): unknown {
  if (e instanceof WasiError) return e;
  const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
  if (typeof code !== 'string') return e;
  const message = e instanceof Error ? e.message : code;
  const errno = Object.hasOwn(ERRNO_OF_CODE, code) ? ERRNO_OF_CODE[code] : undefined;
  if (errno === undefined) return new Error(`iotypes: unmapped ${host} error code ${code} (${message})`, { cause: e });
  return new WasiError(errno, message);
}

/** The error of a change refused by a read-only handle (a read-only view or mount). */
export function rofs(): WasiError {
  return new WasiError(Errno.EROFS, 'read-only file system');
}
