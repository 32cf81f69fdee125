// Layer: compat (public subpath `iotypes/browser-wasi-shim`). Imports this folder only.
// A drop-in for @bjorn3/browser_wasi_shim 0.4: the same classes and constructor shapes (`WASI`,
// `File`, `Directory`, `OpenFile`, `PreopenDirectory`, `ConsoleStdout`, `Fd`, `Inode`, ...), with
// the syscalls run by iotypes. The guest sees a MemoryFS mirror of the user's File/Directory
// objects: it is filled from them when start()/initialize() attaches an instance, and the objects
// are updated from it when start() returns (File.data, Directory.contents, new entries as new
// objects). While a reactor is attached, reading `data`/`contents` shows the guest's latest
// changes, and assignments (or edits of a `contents` map) reach the guest before its next call.
// So guests gain symlinks, hard links, timestamps, the full poll_oneoff and linear-time appends.
//
//   objects.ts  the shim's object model (Fd, Inode, File, Directory, OpenFile, ConsoleStdout...)
//   opfs.ts     SyncOPFSFile and OpenSyncOPFSFile (origin private file system, in workers)
//   bridges.ts  user Fd subclasses as iotypes streams and arrays
//   mirror.ts   the two-way sync between the objects and the guest's MemoryFS copy
//   wasi.ts     the WASI class, WASIProcExit and strace
//   defs.ts     the `wasi` namespace: Preview 1 constants and record classes

import * as wasi from './defs.js';

export { wasi };
export {
  ConsoleStdout, Directory, Fd, File, Inode, OpenDirectory, OpenFile, PreopenDirectory, Symlink, type Path,
} from './objects.js';
export { OpenSyncOPFSFile, SyncOPFSFile, type FileSystemSyncAccessHandle } from './opfs.js';
export { strace, WASI, WASIProcExit, type Options } from './wasi.js';
