// Layer: preview2. Imports src/errno only.
// How failures cross the component boundary. jco's generated bindings turn a thrown value into
// the `err` case of a WIT `result` by reading its own `payload` property, so every failure here
// is an Error subclass carrying the WIT value as `payload`: a `wasi:filesystem` error-code
// string, or a `wasi:io` stream-error variant. Anything else thrown is a host bug and propagates.

import { Errno, WasiError } from '../src/errno/index.js';

/** `wasi:filesystem/types.error-code`. */
export type ErrorCode =
  | 'access' | 'would-block' | 'already' | 'bad-descriptor' | 'busy' | 'deadlock' | 'quota' | 'exist'
  | 'file-too-large' | 'illegal-byte-sequence' | 'in-progress' | 'interrupted' | 'invalid' | 'io'
  | 'is-directory' | 'loop' | 'too-many-links' | 'message-size' | 'name-too-long' | 'no-device'
  | 'no-entry' | 'no-lock' | 'insufficient-memory' | 'insufficient-space' | 'not-directory'
  | 'not-empty' | 'not-recoverable' | 'unsupported' | 'no-tty' | 'no-such-device' | 'overflow'
  | 'not-permitted' | 'pipe' | 'read-only' | 'invalid-seek' | 'text-file-busy' | 'cross-device';

/** Preview 1 errno → WASI 0.2 error code; errnos without a counterpart are 'io'. */
const CODES: Partial<Record<Errno, ErrorCode>> = {
  [Errno.EACCES]: 'access', [Errno.EAGAIN]: 'would-block', [Errno.EALREADY]: 'already',
  [Errno.EBADF]: 'bad-descriptor', [Errno.EBUSY]: 'busy', [Errno.EDEADLK]: 'deadlock',
  [Errno.EDQUOT]: 'quota', [Errno.EEXIST]: 'exist', [Errno.EFBIG]: 'file-too-large',
  [Errno.EILSEQ]: 'illegal-byte-sequence', [Errno.EINPROGRESS]: 'in-progress',
  [Errno.EINTR]: 'interrupted', [Errno.EINVAL]: 'invalid', [Errno.EIO]: 'io',
  [Errno.EISDIR]: 'is-directory', [Errno.ELOOP]: 'loop', [Errno.EMLINK]: 'too-many-links',
  [Errno.EMSGSIZE]: 'message-size', [Errno.ENAMETOOLONG]: 'name-too-long', [Errno.ENODEV]: 'no-device',
  [Errno.ENOENT]: 'no-entry', [Errno.ENOLCK]: 'no-lock', [Errno.ENOMEM]: 'insufficient-memory',
  [Errno.ENOSPC]: 'insufficient-space', [Errno.ENOTDIR]: 'not-directory', [Errno.ENOTEMPTY]: 'not-empty',
  [Errno.ENOTRECOVERABLE]: 'not-recoverable', [Errno.ENOTSUP]: 'unsupported', [Errno.ENOSYS]: 'unsupported',
  [Errno.ENOTTY]: 'no-tty', [Errno.ENXIO]: 'no-such-device', [Errno.EOVERFLOW]: 'overflow',
  [Errno.EPERM]: 'not-permitted',
  // NOTE: WASI 0.2 has no ENOTCAPABLE; a path leading out of its directory is 'not-permitted'
  // (EPERM once the preview1 adapter maps it back), as wasmtime reports it.
  [Errno.ENOTCAPABLE]: 'not-permitted',
  [Errno.EPIPE]: 'pipe', [Errno.EROFS]: 'read-only', [Errno.ESPIPE]: 'invalid-seek',
  [Errno.ETXTBSY]: 'text-file-busy', [Errno.EXDEV]: 'cross-device',
};

export function errorCode(errno: Errno): ErrorCode {
  return CODES[errno] ?? 'io';
}

/** A failed `wasi:filesystem` call: `payload` is its error-code. */
export class FilesystemError extends Error {
  readonly payload: ErrorCode;
  constructor(payload: ErrorCode, detail?: string) {
    super(detail === undefined ? payload : `${payload}: ${detail}`);
    this.name = 'FilesystemError';
    this.payload = payload;
  }
}

/** Runs `f`, turning a WasiError into the FilesystemError the component sees. */
export function fs<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasiError) throw new FilesystemError(errorCode(e.errno), e.message);
    throw e;
  }
}

/** `wasi:io/error.error`: what a failed stream operation leaves behind. */
export class IoError {
  readonly errno: Errno;
  readonly #message: string;
  constructor(errno: Errno, message: string) {
    this.errno = errno;
    this.#message = message;
  }
  toDebugString(): string {
    return this.#message;
  }
}

/** `wasi:io/streams.stream-error`. */
export type StreamErrorValue = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };

/** A failed `wasi:io/streams` call: `payload` is its stream-error. */
export class StreamError extends Error {
  readonly payload: StreamErrorValue;
  constructor(payload: StreamErrorValue) {
    super(payload.tag === 'closed' ? 'stream closed' : payload.val.toDebugString());
    this.name = 'StreamError';
    this.payload = payload;
  }
  static closed(): StreamError {
    return new StreamError({ tag: 'closed' });
  }
}

/** Runs a stream transfer, turning a WasiError into 'last-operation-failed'. */
export function io<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof WasiError) throw new StreamError({ tag: 'last-operation-failed', val: new IoError(e.errno, e.message) });
    throw e;
  }
}

/** `wasi:filesystem/types.filesystem-error-code`: the error code behind a stream's error, if any. */
export function filesystemErrorCode(err: IoError): ErrorCode | undefined {
  return err instanceof IoError ? errorCode(err.errno) : undefined;
}

/** jco calls this symbol's method when the component drops a resource handle. */
export const DISPOSE: symbol = (Symbol as { dispose?: symbol }).dispose ?? Symbol.for('dispose');

/** Gives a resource class its drop hook. */
export function onDrop<T extends object>(cls: { prototype: T }, drop: (self: T) => void): void {
  Object.defineProperty(cls.prototype, DISPOSE, {
    value: function (this: T) {
      drop(this);
    },
  });
}

/** A u64 from the component as a byte count JavaScript can index with. */
export function count(n: bigint, limit = Number.MAX_SAFE_INTEGER): number {
  return Number(n > BigInt(limit) ? BigInt(limit) : n);
}
