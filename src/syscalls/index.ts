// Layer: syscalls. Imports src/errno, src/io, src/path and src/fdtable only.
// The semantics of every wasi_snapshot_preview1 call, on typed host values. Nothing here sees a
// pointer or a DataView: src/abi decodes arguments, calls these methods and encodes results.
// Failures throw WasiError; the binding wrapper turns it into the call's return value.
//
// One file per group of calls, each a class over the state it needs:
//   runtime.ts      args, environ, clocks, random, sched_yield, proc_exit, proc_raise
//   descriptors.ts  fd_close, fd_renumber, fd_fdstat_*, fd_prestat_*
//   fdio.ts         fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell, fd_advise,
//                   fd_allocate, fd_sync, fd_datasync
//   metadata.ts     fd_filestat_*, fd_readdir
//   paths.ts        path_*
//   poll.ts         poll_oneoff
//   sockets.ts      sock_*
// context.ts holds what they share.

import { DescriptorCalls } from './descriptors.js';
import { FdIoCalls } from './fdio.js';
import { MetadataCalls } from './metadata.js';
import { PathCalls } from './paths.js';
import { PollCalls } from './poll.js';
import { ProcessCalls } from './runtime.js';
import { SocketCalls } from './sockets.js';
import type { SyscallOptions } from './context.js';

export { Clock, defaultClocks, defaultSleep, suspendingSleep, type Clocks, type ClockId } from './clock.js';
export {
  FstFlags, LookupFlags, OFlags, Whence,
  type FdStat, type PollEvent, type Subscription, type SyscallOptions,
} from './context.js';

/** Every call of one instance, grouped as the files above are. */
export class Syscalls {
  readonly process: ProcessCalls;
  readonly descriptors: DescriptorCalls;
  readonly io: FdIoCalls;
  readonly metadata: MetadataCalls;
  readonly paths: PathCalls;
  readonly poll: PollCalls;
  readonly sockets: SocketCalls;

  constructor(options: SyscallOptions) {
    this.process = new ProcessCalls(options);
    this.descriptors = new DescriptorCalls(options.fds);
    this.io = new FdIoCalls(options.fds);
    this.metadata = new MetadataCalls(options.fds);
    this.paths = new PathCalls(options.fds);
    this.poll = new PollCalls(options);
    this.sockets = new SocketCalls(options.fds);
  }
}
