// Layer: errno (the bottom). Imports nothing.
// Every WASI Preview 1 errno by its witx name, the one error type thrown below the ABI layer
// (WasiError), and the ProcExit signal that unwinds the guest on proc_exit.

const NAMES = [
  'success', '2big', 'acces', 'addrinuse', 'addrnotavail', 'afnosupport', 'again', 'already',
  'badf', 'badmsg', 'busy', 'canceled', 'child', 'connaborted', 'connrefused', 'connreset',
  'deadlk', 'destaddrreq', 'dom', 'dquot', 'exist', 'fault', 'fbig', 'hostunreach', 'idrm',
  'ilseq', 'inprogress', 'intr', 'inval', 'io', 'isconn', 'isdir', 'loop', 'mfile', 'mlink',
  'msgsize', 'multihop', 'nametoolong', 'netdown', 'netreset', 'netunreach', 'nfile', 'nobufs',
  'nodev', 'noent', 'noexec', 'nolck', 'nolink', 'nomem', 'nomsg', 'noprotoopt', 'nospc',
  'nosys', 'notconn', 'notdir', 'notempty', 'notrecoverable', 'notsock', 'notsup', 'notty',
  'nxio', 'overflow', 'ownerdead', 'perm', 'pipe', 'proto', 'protonosupport', 'prototype',
  'range', 'rofs', 'spipe', 'srch', 'stale', 'timedout', 'txtbsy', 'xdev', 'notcapable',
] as const;

/** The witx name of an errno (`noent`, `badf`, ...). */
export type ErrnoName = (typeof NAMES)[number];

/** WASI Preview 1 errno values, keyed by witx name (upper-case, `E` prefix, as in C). */
export const Errno = {
  SUCCESS: 0, E2BIG: 1, EACCES: 2, EADDRINUSE: 3, EADDRNOTAVAIL: 4, EAFNOSUPPORT: 5, EAGAIN: 6,
  EALREADY: 7, EBADF: 8, EBADMSG: 9, EBUSY: 10, ECANCELED: 11, ECHILD: 12, ECONNABORTED: 13,
  ECONNREFUSED: 14, ECONNRESET: 15, EDEADLK: 16, EDESTADDRREQ: 17, EDOM: 18, EDQUOT: 19,
  EEXIST: 20, EFAULT: 21, EFBIG: 22, EHOSTUNREACH: 23, EIDRM: 24, EILSEQ: 25, EINPROGRESS: 26,
  EINTR: 27, EINVAL: 28, EIO: 29, EISCONN: 30, EISDIR: 31, ELOOP: 32, EMFILE: 33, EMLINK: 34,
  EMSGSIZE: 35, EMULTIHOP: 36, ENAMETOOLONG: 37, ENETDOWN: 38, ENETRESET: 39, ENETUNREACH: 40,
  ENFILE: 41, ENOBUFS: 42, ENODEV: 43, ENOENT: 44, ENOEXEC: 45, ENOLCK: 46, ENOLINK: 47,
  ENOMEM: 48, ENOMSG: 49, ENOPROTOOPT: 50, ENOSPC: 51, ENOSYS: 52, ENOTCONN: 53, ENOTDIR: 54,
  ENOTEMPTY: 55, ENOTRECOVERABLE: 56, ENOTSOCK: 57, ENOTSUP: 58, ENOTTY: 59, ENXIO: 60,
  EOVERFLOW: 61, EOWNERDEAD: 62, EPERM: 63, EPIPE: 64, EPROTO: 65, EPROTONOSUPPORT: 66,
  EPROTOTYPE: 67, ERANGE: 68, EROFS: 69, ESPIPE: 70, ESRCH: 71, ESTALE: 72, ETIMEDOUT: 73,
  ETXTBSY: 74, EXDEV: 75, ENOTCAPABLE: 76,
} as const;

export type Errno = (typeof Errno)[keyof typeof Errno];

/** The witx name of an errno value, e.g. `errnoName(44) === 'noent'`. */
export function errnoName(errno: number): string {
  return NAMES[errno] ?? `errno ${errno}`;
}

/**
 * The only error thrown by the layers below the ABI. The binding wrapper turns it into the
 * call's return value; anything else that escapes a syscall is a host bug and propagates.
 *
 * An errno is an expected outcome, not a bug: a WasiError carries no stack trace (its message
 * names the errno and the reason). Capturing one would cost microseconds on every failed call,
 * such as a probe for a missing file or each write to a closed pipe.
 */
export class WasiError extends Error {
  readonly errno: Errno;
  constructor(errno: Errno, detail?: string) {
    // An errno is an expected outcome (a failed probe for a file is the common case), handed to
    // the guest as a number: no stack trace is captured, which costs more than most calls.
    const host = Error as { stackTraceLimit?: number };
    const limit = host.stackTraceLimit;
    if (limit !== undefined) host.stackTraceLimit = 0;
    super(detail === undefined ? `E${errnoName(errno).toUpperCase()}` : `E${errnoName(errno).toUpperCase()}: ${detail}`);
    if (limit !== undefined) host.stackTraceLimit = limit;
    this.name = 'WasiError';
    this.errno = errno;
  }
}

/** Thrown by `proc_exit` to unwind the guest; `start()` turns it into the exit code. */
export class ProcExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`proc_exit(${code})`);
    this.name = 'ProcExit';
    this.code = code;
  }
}
