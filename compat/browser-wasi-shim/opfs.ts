// Layer: compat/browser-wasi-shim. Imports iotypes/browser, ./defs.js and ./objects.js only.
// browser_wasi_shim's origin private file system classes (browser workers): `SyncOPFSFile`, an
// inode over a FileSystemSyncAccessHandle, and its descriptor `OpenSyncOPFSFile`. The guest
// reads and writes the handle through iotypes/browser's OpfsArray (see wasi.ts).

import type { FileSystemSyncAccessHandle } from '../../adapters/browser/index.js';
import * as wasi from './defs.js';
import { Fd, Inode } from './objects.js';

export type { FileSystemSyncAccessHandle };

export class SyncOPFSFile extends Inode {
  handle: FileSystemSyncAccessHandle;
  readonly: boolean;
  constructor(handle: FileSystemSyncAccessHandle, options?: Partial<{ readonly: boolean }>) {
    super();
    this.handle = handle;
    this.readonly = !!options?.readonly;
  }
  path_open(_oflags: number, fs_rights_base: bigint, _fd_flags: number): { ret: number; fd_obj: OpenSyncOPFSFile | null } {
    if (this.readonly && (fs_rights_base & BigInt(wasi.RIGHTS_FD_WRITE)) === BigInt(wasi.RIGHTS_FD_WRITE)) {
      return { ret: wasi.ERRNO_PERM, fd_obj: null };
    }
    return { ret: wasi.ERRNO_SUCCESS, fd_obj: new OpenSyncOPFSFile(this) };
  }
  get size(): bigint {
    return BigInt(this.handle.getSize());
  }
  stat(): wasi.Filestat {
    return new wasi.Filestat(this.ino, wasi.FILETYPE_REGULAR_FILE, this.size);
  }
}

export class OpenSyncOPFSFile extends Fd {
  file: SyncOPFSFile;
  position = 0n;
  ino: bigint;
  constructor(file: SyncOPFSFile) {
    super();
    this.file = file;
    this.ino = file.ino;
  }
  override fd_fdstat_get(): { ret: number; fdstat: wasi.Fdstat | null } {
    return { ret: 0, fdstat: new wasi.Fdstat(wasi.FILETYPE_REGULAR_FILE, 0) };
  }
  override fd_filestat_get(): { ret: number; filestat: wasi.Filestat } {
    return { ret: 0, filestat: this.file.stat() };
  }
  override fd_sync(): number {
    this.file.handle.flush();
    return wasi.ERRNO_SUCCESS;
  }
}
