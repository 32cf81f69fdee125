// Layer: adapters/node. Imports src/errno and src/io only.
// The one table from Node's error.code to a WASI errno. A code that is not in the table is a
// gap in this table: it is reported (thrown as is, naming the code), never hidden as EIO.

import { Errno, WasiError } from '../../src/errno/index.js';
import { IOError } from '../../src/io/index.js';

export const NODE_ERRORS: Readonly<Record<string, Errno>> = {
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
 * Turns a Node.js error into a WasiError; anything without a known code propagates. With
 * `moved`, the error ended a transfer that had already moved that many bytes: it becomes an
 * IOError carrying the count, so the bytes that moved are reported before the failure.
 */
export function fromNode(e: unknown, moved?: number): never {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    const errno = NODE_ERRORS[code];
    if (errno === undefined) {
      throw new Error(`iotypes: unmapped Node.js error code ${code} (${(e as Error).message})`, { cause: e });
    }
    const message = (e as Error).message;
    throw moved === undefined ? new WasiError(errno, message) : new IOError(errno, moved, message);
  }
  throw e;
}

/** Runs `fn`, mapping Node.js errors to WasiError (to IOError with `moved` when given). */
export function host<T>(fn: () => T, moved?: number): T {
  try {
    return fn();
  } catch (e) {
    return fromNode(e, moved);
  }
}
