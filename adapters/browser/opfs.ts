// Layer: adapters/browser. Imports src/io and src/errno only.
// Origin private file system files (browser workers): a FileSystemSyncAccessHandle as an I/O
// array, read and written in place.

import { Errno, WasiError } from '../../src/errno/index.js';
import { IOArray, type FlushMode, type IOOptions } from '../../src/io/index.js';

/** The synchronous access handle of an OPFS file (`FileSystemFileHandle.createSyncAccessHandle()`). */
export interface FileSystemSyncAccessHandle {
  close(): void;
  flush(): void;
  getSize(): number;
  read(buffer: ArrayBuffer | ArrayBufferView, options?: { at: number }): number;
  truncate(to: number): void;
  write(buffer: ArrayBuffer | ArrayBufferView, options?: { at: number }): number;
}

export interface OpfsArrayOptions extends IOOptions {
  /** Refuse writes and size changes with EBADF. Default false. */
  readOnly?: boolean;
}

/** An OPFS access handle as an I/O array. */
export class OpfsArray extends IOArray {
  readonly #handle: FileSystemSyncAccessHandle;
  readonly #readOnly: boolean;
  constructor(handle: FileSystemSyncAccessHandle, options: OpfsArrayOptions = {}) {
    const { readOnly = false, ...io } = options;
    super({ name: 'opfs file', ...io });
    this.#handle = handle;
    this.#readOnly = readOnly;
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    let done = 0;
    while (done < into.length) {
      const n = this.#handle.read(into.subarray(done), { at: offset + done });
      if (n <= 0) break;
      done += n;
    }
    return done;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    if (this.#readOnly) throw new WasiError(Errno.EBADF, 'read-only file');
    let done = 0;
    while (done < from.length) done += this.#handle.write(from.subarray(done), { at: offset + done });
    return done;
  }
  protected lenCore(): number {
    return this.#handle.getSize();
  }
  protected setLenCore(len: number): void {
    if (this.#readOnly) throw new WasiError(Errno.EBADF, 'read-only file');
    this.#handle.truncate(len);
  }
  protected override flushCore(_mode: FlushMode): void {
    this.#handle.flush();
  }
}
