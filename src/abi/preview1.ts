// Layer: abi. Imports src/errno, src/io/pending, src/syscalls and src/abi only.
// The import objects for `wasi_snapshot_preview1` and `wasi_unstable`: one binding per call that
// decodes pointers into typed values, calls src/syscalls, and encodes the results. A WasiError
// becomes the return value; out-params are written only on success; every out-pointer is
// bounds-checked before the call has any effect, so a bad pointer traps without side effects.

import { Errno, WasiError } from '../errno/index.js';
import { Pending } from '../io/pending.js';
import type { Syscalls } from '../syscalls/index.js';
import {
  EVENT, FDSTAT, FILETYPE, IOVEC, PRESTAT, readSubscriptions, subscriptionSize, whence, writeDirents, writeEvents,
  writeFilestat, type Snapshot,
} from './layout.js';
import type { GuestMemory } from './memory.js';
import { SIGNATURES, type Preview1Name } from './signatures.js';
import { describeCall, type Tracer } from './trace.js';

export { SIGNATURES, type Preview1Name };

type Arg = number | bigint;
type Binding = (...args: Arg[]) => number;
export type ImportModule = Record<Preview1Name, Binding>;

// A u32 (pointer, length, fd) passed as i32. Enum and flag arguments are passed whole, not
// masked to their witx width, so that stray high bits reach the syscall's EINVAL check.
const u = (x: Arg) => (typeof x === 'number' ? x >>> 0 : Number(x) >>> 0);
// A u64 file offset (an i64 on the wasm side) as a number: exact up to 2^53; a larger value
// stays larger than Number.MAX_SAFE_INTEGER, which the syscall refuses. No BigInt is made.
const u64 = (x: Arg) => (typeof x === 'bigint' && x < 0n ? Number(BigInt.asUintN(64, x)) : Number(x));
// A u64 (rights, sizes, times) as a bigint; an argument that is one already (as the engine passes
// an i64) is not made again.
const u64n = (x: Arg) => (typeof x === 'bigint' && x >= 0n && x <= U64_MAX ? x : BigInt.asUintN(64, BigInt(x)));
const U64_MAX = 0xffff_ffff_ffff_ffffn;
// An s64 offset (lseek) as a number: exact while |x| <= 2^53.
const s64 = (x: Arg) => Number(x);

/** Builds one snapshot's import module over `sys`; `memory()` gives the instance's memory. */
export function importModule(sys: Syscalls, memory: () => GuestMemory, snapshot: Snapshot, tracer?: Tracer): ImportModule {
  // The iovec lists handed to the syscalls: one reused array per list length up to 8 (one
  // buffer is the common case), made when first needed, with views from GuestMemory's cache.
  // Valid for one call only.
  const lists: (Uint8Array[] | undefined)[] = new Array<Uint8Array[] | undefined>(9).fill(undefined);
  const iovs = (ptr: number, len: number): Uint8Array[] => {
    const m = memory();
    // One bounds check for the whole list; each buffer is checked by view().
    const v = m.struct(ptr, len * IOVEC.size);
    const out = len < lists.length ? (lists[len] ??= new Array<Uint8Array>(len)) : new Array<Uint8Array>(len);
    for (let i = 0; i < len; i++) {
      const at = ptr + i * IOVEC.size;
      out[i] = m.view(v.getUint32(at + IOVEC.buf, true), v.getUint32(at + IOVEC.buf_len, true));
    }
    return out;
  };
  const str = (ptr: number, len: number) => memory().string(ptr, len);
  const out = (ptr: number, size: number) => memory().check(ptr, size);
  /** Writes NUL-terminated strings and a pointer table (args_get, environ_get). */
  const table = (list: readonly Uint8Array[], ptrs: number, buf: number) => {
    const m = memory();
    m.bytes(ptrs, list.length * 4);
    m.bytes(buf, list.reduce((n, s) => n + s.length, 0));
    for (const s of list) {
      m.setU32(ptrs, buf);
      m.write(buf, s);
      ptrs += 4;
      buf += s.length;
    }
  };
  const sizes = (list: readonly Uint8Array[], countOut: number, sizeOut: number) => {
    out(countOut, 4);
    out(sizeOut, 4);
    memory().setU32(countOut, list.length);
    memory().setU32(sizeOut, list.reduce((n, s) => n + s.length, 0));
  };
  const filestat = snapshot === 'preview1' ? 64 : 56;

  // Each binding returns 0, or the errno of the WasiError its call threw (anything else
  // propagates). The try/catch is written in each binding, not in a wrapper made per binding:
  // a wrapper would double the functions (and their closures) every instance makes.
  const impl: ImportModule = {
    args_get: (argv, buf) => { try { table(sys.process.args(), u(argv), u(buf)); } catch (e) { return errnoOf(e); } return 0; },
    args_sizes_get: (c, s) => { try { sizes(sys.process.args(), u(c), u(s)); } catch (e) { return errnoOf(e); } return 0; },
    environ_get: (env, buf) => {
      try {
        table(sys.process.environ(), u(env), u(buf));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    environ_sizes_get: (c, s) => { try { sizes(sys.process.environ(), u(c), u(s)); } catch (e) { return errnoOf(e); } return 0; },
    clock_res_get: (id, o) => {
      try {
        out(u(o), 8);
        memory().setU64(u(o), sys.process.clockRes(u(id)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    clock_time_get: (id, _precision, o) => {
      try {
        const p = u(o);
        out(p, 8);
        const t = sys.process.clockTime(u(id));
        if (typeof t === 'number') memory().setU64Number(p, t);
        else memory().setU64(p, t);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_advise: (fd, off, len, advice) => {
      try {
        sys.io.fdAdvise(u(fd), BigInt(off), BigInt(len), u(advice));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_allocate: (fd, off, len) => {
      try {
        sys.io.fdAllocate(u(fd), BigInt(off), BigInt(len));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_close: (fd) => { try { sys.descriptors.fdClose(u(fd)); } catch (e) { return errnoOf(e); } return 0; },
    fd_datasync: (fd) => { try { sys.io.fdDatasync(u(fd)); } catch (e) { return errnoOf(e); } return 0; },
    fd_fdstat_get: (fd, o) => {
      try {
        const p = u(o);
        out(p, FDSTAT.size);
        const st = sys.descriptors.fdFdstatGet(u(fd));
        // One bounds check, and every byte written once: the filetype as a u16 zeroes the padding
        // byte after it, a u32 the padding before the rights.
        const v = memory().struct(p, FDSTAT.size);
        v.setUint16(p + FDSTAT.fs_filetype, FILETYPE[st.filetype], true);
        v.setUint16(p + FDSTAT.fs_flags, st.flags, true);
        v.setUint32(p + FDSTAT.fs_flags + 2, 0, true);
        v.setBigUint64(p + FDSTAT.fs_rights_base, st.rightsBase, true);
        v.setBigUint64(p + FDSTAT.fs_rights_inheriting, st.rightsInheriting, true);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_fdstat_set_flags: (fd, flags) => {
      try {
        sys.descriptors.fdFdstatSetFlags(u(fd), u(flags));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_fdstat_set_rights: (fd, base, inh) => {
      try {
        sys.descriptors.fdFdstatSetRights(u(fd), u64n(base), u64n(inh));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_filestat_get: (fd, o) => {
      try {
        out(u(o), filestat);
        writeFilestat(memory(), u(o), sys.metadata.fdFilestatGet(u(fd)), snapshot);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_filestat_set_size: (fd, size) => {
      try {
        sys.metadata.fdFilestatSetSize(u(fd), u64n(size));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_filestat_set_times: (fd, a, m, f) => {
      try {
        sys.metadata.fdFilestatSetTimes(u(fd), u64n(a), u64n(m), u(f));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_pread: (fd, iov, n, off, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdPread(u(fd), iovs(u(iov), u(n)), u64(off)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_prestat_get: (fd, o) => {
      try {
        out(u(o), PRESTAT.size);
        const name = sys.descriptors.fdPrestat(u(fd));
        const m = memory();
        m.zero(u(o), PRESTAT.size);
        m.setU32(u(o) + PRESTAT.pr_name_len, name.length);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_prestat_dir_name: (fd, p, len) => {
      try {
        out(u(p), u(len));
        const name = sys.descriptors.fdPrestat(u(fd));
        // NOTE: a buffer shorter than the name is ENAMETOOLONG (wasmtime); longer is fine.
        if (u(len) < name.length) throw new WasiError(Errno.ENAMETOOLONG, 'buffer too small for the preopen name');
        memory().write(u(p), name);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_pwrite: (fd, iov, n, off, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdPwrite(u(fd), iovs(u(iov), u(n)), u64(off)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_read: (fd, iov, n, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdRead(u(fd), iovs(u(iov), u(n))));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_readdir: (fd, buf, len, cookie, o) => {
      try {
        const p = u(buf);
        const size = u(len);
        out(u(o), 4);
        out(p, size);
        const { entries, start } = sys.metadata.fdReaddir(u(fd), u64n(cookie));
        memory().setU32(u(o), writeDirents(memory(), p, size, entries, start));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_renumber: (fd, to) => { try { sys.descriptors.fdRenumber(u(fd), u(to)); } catch (e) { return errnoOf(e); } return 0; },
    fd_seek: (fd, off, w, o) => {
      try {
        out(u(o), 8);
        memory().setU64Number(u(o), sys.io.fdSeek(u(fd), s64(off), whence(snapshot, u(w))));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_sync: (fd) => { try { sys.io.fdSync(u(fd)); } catch (e) { return errnoOf(e); } return 0; },
    fd_tell: (fd, o) => {
      try {
        out(u(o), 8);
        memory().setU64Number(u(o), sys.io.fdTell(u(fd)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    fd_write: (fd, iov, n, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdWrite(u(fd), iovs(u(iov), u(n))));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_create_directory: (fd, p, l) => {
      try {
        sys.paths.pathCreateDirectory(u(fd), str(u(p), u(l)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_filestat_get: (fd, flags, p, l, o) => {
      try {
        out(u(o), filestat);
        writeFilestat(memory(), u(o), sys.paths.pathFilestatGet(u(fd), u(flags), str(u(p), u(l))), snapshot);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_filestat_set_times: (fd, flags, p, l, a, m, f) => {
      try {
         sys.paths.pathFilestatSetTimes(u(fd), u(flags), str(u(p), u(l)), u64n(a), u64n(m), u(f));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_link: (ofd, oflags, op, ol, nfd, np, nl) => {
      try {
        sys.paths.pathLink(u(ofd), u(oflags), str(u(op), u(ol)), u(nfd), str(u(np), u(nl)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_open: (fd, dirflags, p, l, oflags, base, inh, fdflags, o) => {
      try {
        out(u(o), 4);
        const opened = sys.paths.pathOpen(
          u(fd), u(dirflags), str(u(p), u(l)), u(oflags),
          u64n(base), u64n(inh), u(fdflags),
        );
        memory().setU32(u(o), opened);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_readlink: (fd, p, l, buf, len, o) => {
      try {
        out(u(o), 4);
        out(u(buf), u(len));
        const target = sys.paths.pathReadlink(u(fd), str(u(p), u(l)));
        const n = Math.min(target.length, u(len));
        memory().write(u(buf), target.subarray(0, n));
        memory().setU32(u(o), n);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_remove_directory: (fd, p, l) => {
      try {
        sys.paths.pathRemoveDirectory(u(fd), str(u(p), u(l)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_rename: (fd, op, ol, nfd, np, nl) => {
      try {
        sys.paths.pathRename(u(fd), str(u(op), u(ol)), u(nfd), str(u(np), u(nl)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_symlink: (op, ol, fd, np, nl) => {
      try {
        sys.paths.pathSymlink(str(u(op), u(ol)), u(fd), str(u(np), u(nl)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    path_unlink_file: (fd, p, l) => {
      try {
        sys.paths.pathUnlinkFile(u(fd), str(u(p), u(l)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    poll_oneoff: (inp, outp, n, o) => {
      try {
        const count = u(n);
        out(u(o), 4);
        out(u(inp), count * subscriptionSize(snapshot));
        out(u(outp), count * EVENT.size);
        const events = sys.poll.pollOneoff(readSubscriptions(memory(), u(inp), count, snapshot));
        writeEvents(memory(), u(outp), events);
        memory().setU32(u(o), events.length);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    proc_exit: (code) => { try { sys.process.procExit(u(code)); } catch (e) { return errnoOf(e); } return 0; },
    proc_raise: (sig) => { try { sys.process.procRaise(u(sig)); } catch (e) { return errnoOf(e); } return 0; },
    sched_yield: () => { try { sys.process.schedYield(); } catch (e) { return errnoOf(e); } return 0; },
    random_get: (buf, len) => {
      try {
        sys.process.random(memory().bytes(u(buf), u(len)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    sock_accept: (fd, flags, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.sockets.sockAccept(u(fd), u(flags)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    sock_recv: (fd, iov, n, flags, lenOut, flagsOut) => {
      try {
        out(u(lenOut), 4);
        out(u(flagsOut), 2);
        const got = sys.sockets.sockRecv(u(fd), iovs(u(iov), u(n)), u(flags));
        memory().setU32(u(lenOut), got);
        memory().setU16(u(flagsOut), 0);
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    sock_send: (fd, iov, n, flags, o) => {
      try {
        out(u(o), 4);
        memory().setU32(u(o), sys.sockets.sockSend(u(fd), iovs(u(iov), u(n)), u(flags)));
      } catch (e) {
        return errnoOf(e);
      }
      return 0;
    },
    sock_shutdown: (fd, how) => { try { sys.sockets.sockShutdown(u(fd), u(how)); } catch (e) { return errnoOf(e); } return 0; },
  };

  if (!tracer) return impl;
  // Traced: each binding wrapped to print the call and its result. A copy of `impl` has every
  // property already (one shape, made at once), which the loop replaces.
  const traced = { ...impl };
  for (const name of Object.keys(SIGNATURES) as Preview1Name[]) {
    const fn = impl[name];
    traced[name] = (...args: Arg[]) => {
      let errno: number;
      try {
        errno = fn(...args);
      } catch (e) {
        if (e instanceof Pending) throw e; // the call waits and runs again (src/io/pending.ts)
        tracer(describeCall(name, args, memory, undefined, e));
        throw e;
      }
      tracer(describeCall(name, args, memory, errno));
      return errno;
    };
  }
  return traced;
}

/** The errno a failure returns to the guest; anything but a WasiError propagates. */
function errnoOf(err: unknown): number {
  if (err instanceof WasiError) return err.errno;
  throw err;
}
