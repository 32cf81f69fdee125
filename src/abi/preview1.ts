// Layer: abi. Imports src/errno, src/io/pending, src/syscalls and src/abi only.
// The import objects for `wasi_snapshot_preview1` and `wasi_unstable`: one binding per call that
// decodes pointers into typed values, calls src/syscalls, and encodes the results; each binding is
// made when it is first read (an instantiation reads only what its module imports). A WasiError
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

export type Arg = number | bigint;
export type Binding = (...args: Arg[]) => number;
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

/**
 * Builds one snapshot's import module over `sys`; `memory()` gives the instance's memory. `wrap`,
 * when given, makes each binding into what the module holds instead (src/abi/jspi.ts).
 */
export function importModule(
  sys: Syscalls, memory: () => GuestMemory, snapshot: Snapshot, tracer?: Tracer,
  wrap?: (name: Preview1Name, binding: Binding) => Binding,
): ImportModule {
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

  /** The binding of `name`, made when the instantiation first asks for it. */
  const binding = (name: Preview1Name): ((...a: Arg[]) => void) => {
    switch (name) {
      case 'args_get': return (argv, buf) => table(sys.process.args(), u(argv), u(buf));
      case 'args_sizes_get': return (c, s) => sizes(sys.process.args(), u(c), u(s));
      case 'environ_get': return (env, buf) => table(sys.process.environ(), u(env), u(buf));
      case 'environ_sizes_get': return (c, s) => sizes(sys.process.environ(), u(c), u(s));
      case 'clock_res_get': return (id, o) => {
        out(u(o), 8);
        memory().setU64(u(o), sys.process.clockRes(u(id)));
      };
      case 'clock_time_get': return (id, _precision, o) => {
        const p = u(o);
        out(p, 8);
        const t = sys.process.clockTime(u(id));
        if (typeof t === 'number') memory().setU64Number(p, t);
        else memory().setU64(p, t);
      };
      case 'fd_advise': return (fd, off, len, advice) => sys.io.fdAdvise(u(fd), BigInt(off), BigInt(len), u(advice));
      case 'fd_allocate': return (fd, off, len) => sys.io.fdAllocate(u(fd), BigInt(off), BigInt(len));
      case 'fd_close': return (fd) => sys.descriptors.fdClose(u(fd));
      case 'fd_datasync': return (fd) => sys.io.fdDatasync(u(fd));
      case 'fd_fdstat_get': return (fd, o) => {
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
      };
      case 'fd_fdstat_set_flags': return (fd, flags) => sys.descriptors.fdFdstatSetFlags(u(fd), u(flags));
      case 'fd_fdstat_set_rights': return (fd, base, inh) => sys.descriptors.fdFdstatSetRights(u(fd), u64n(base), u64n(inh));
      case 'fd_filestat_get': return (fd, o) => {
        out(u(o), filestat);
        writeFilestat(memory(), u(o), sys.metadata.fdFilestatGet(u(fd)), snapshot);
      };
      case 'fd_filestat_set_size': return (fd, size) => sys.metadata.fdFilestatSetSize(u(fd), u64n(size));
      case 'fd_filestat_set_times': return (fd, a, m, f) => sys.metadata.fdFilestatSetTimes(u(fd), u64n(a), u64n(m), u(f));
      case 'fd_pread': return (fd, iov, n, off, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdPread(u(fd), iovs(u(iov), u(n)), u64(off)));
      };
      case 'fd_prestat_get': return (fd, o) => {
        out(u(o), PRESTAT.size);
        const name = sys.descriptors.fdPrestat(u(fd));
        const m = memory();
        m.zero(u(o), PRESTAT.size);
        m.setU32(u(o) + PRESTAT.pr_name_len, name.length);
      };
      case 'fd_prestat_dir_name': return (fd, p, len) => {
        out(u(p), u(len));
        const name = sys.descriptors.fdPrestat(u(fd));
        // NOTE: a buffer shorter than the name is ENAMETOOLONG (wasmtime); longer is fine.
        if (u(len) < name.length) throw new WasiError(Errno.ENAMETOOLONG, 'buffer too small for the preopen name');
        memory().write(u(p), name);
      };
      case 'fd_pwrite': return (fd, iov, n, off, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdPwrite(u(fd), iovs(u(iov), u(n)), u64(off)));
      };
      case 'fd_read': return (fd, iov, n, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdRead(u(fd), iovs(u(iov), u(n))));
      };
      case 'fd_readdir': return (fd, buf, len, cookie, o) => {
        const p = u(buf);
        const size = u(len);
        out(u(o), 4);
        out(p, size);
        const { entries, start } = sys.metadata.fdReaddir(u(fd), u64n(cookie));
        memory().setU32(u(o), writeDirents(memory(), p, size, entries, start));
      };
      case 'fd_renumber': return (fd, to) => sys.descriptors.fdRenumber(u(fd), u(to));
      case 'fd_seek': return (fd, off, w, o) => {
        out(u(o), 8);
        memory().setU64Number(u(o), sys.io.fdSeek(u(fd), s64(off), whence(snapshot, u(w))));
      };
      case 'fd_sync': return (fd) => sys.io.fdSync(u(fd));
      case 'fd_tell': return (fd, o) => {
        out(u(o), 8);
        memory().setU64Number(u(o), sys.io.fdTell(u(fd)));
      };
      case 'fd_write': return (fd, iov, n, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.io.fdWrite(u(fd), iovs(u(iov), u(n))));
      };
      case 'path_create_directory': return (fd, p, l) => sys.paths.pathCreateDirectory(u(fd), str(u(p), u(l)));
      case 'path_filestat_get': return (fd, flags, p, l, o) => {
        out(u(o), filestat);
        writeFilestat(memory(), u(o), sys.paths.pathFilestatGet(u(fd), u(flags), str(u(p), u(l))), snapshot);
      };
      case 'path_filestat_set_times': return (fd, flags, p, l, a, m, f) =>
        sys.paths.pathFilestatSetTimes(u(fd), u(flags), str(u(p), u(l)), u64n(a), u64n(m), u(f));
      case 'path_link': return (ofd, oflags, op, ol, nfd, np, nl) => sys.paths.pathLink(u(ofd), u(oflags), str(u(op), u(ol)), u(nfd), str(u(np), u(nl)));
      case 'path_open': return (fd, dirflags, p, l, oflags, base, inh, fdflags, o) => {
        out(u(o), 4);
        const opened = sys.paths.pathOpen(
          u(fd), u(dirflags), str(u(p), u(l)), u(oflags),
          u64n(base), u64n(inh), u(fdflags),
        );
        memory().setU32(u(o), opened);
      };
      case 'path_readlink': return (fd, p, l, buf, len, o) => {
        out(u(o), 4);
        out(u(buf), u(len));
        const target = sys.paths.pathReadlink(u(fd), str(u(p), u(l)));
        const n = Math.min(target.length, u(len));
        memory().write(u(buf), target.subarray(0, n));
        memory().setU32(u(o), n);
      };
      case 'path_remove_directory': return (fd, p, l) => sys.paths.pathRemoveDirectory(u(fd), str(u(p), u(l)));
      case 'path_rename': return (fd, op, ol, nfd, np, nl) => sys.paths.pathRename(u(fd), str(u(op), u(ol)), u(nfd), str(u(np), u(nl)));
      case 'path_symlink': return (op, ol, fd, np, nl) => sys.paths.pathSymlink(str(u(op), u(ol)), u(fd), str(u(np), u(nl)));
      case 'path_unlink_file': return (fd, p, l) => sys.paths.pathUnlinkFile(u(fd), str(u(p), u(l)));
      case 'poll_oneoff': return (inp, outp, n, o) => {
        const count = u(n);
        out(u(o), 4);
        out(u(inp), count * subscriptionSize(snapshot));
        out(u(outp), count * EVENT.size);
        const events = sys.poll.pollOneoff(readSubscriptions(memory(), u(inp), count, snapshot));
        writeEvents(memory(), u(outp), events);
        memory().setU32(u(o), events.length);
      };
      case 'proc_exit': return (code) => sys.process.procExit(u(code));
      case 'proc_raise': return (sig) => sys.process.procRaise(u(sig));
      case 'sched_yield': return () => sys.process.schedYield();
      case 'random_get': return (buf, len) => sys.process.random(memory().bytes(u(buf), u(len)));
      case 'sock_accept': return (fd, flags, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.sockets.sockAccept(u(fd), u(flags)));
      };
      case 'sock_recv': return (fd, iov, n, flags, lenOut, flagsOut) => {
        out(u(lenOut), 4);
        out(u(flagsOut), 2);
        const got = sys.sockets.sockRecv(u(fd), iovs(u(iov), u(n)), u(flags));
        memory().setU32(u(lenOut), got);
        memory().setU16(u(flagsOut), 0);
      };
      case 'sock_send': return (fd, iov, n, flags, o) => {
        out(u(o), 4);
        memory().setU32(u(o), sys.sockets.sockSend(u(fd), iovs(u(iov), u(n)), u(flags)));
      };
      case 'sock_shutdown': return (fd, how) => sys.sockets.sockShutdown(u(fd), u(how));
    }
  };

  /** The binding of `name` as the guest calls it: returning the errno, traced when asked. */
  const make = (name: Preview1Name): Binding => {
    const made = errnoReturning(name);
    return wrap ? wrap(name, made) : made;
  };
  const errnoReturning = (name: Preview1Name): Binding => {
    const fn = binding(name);
    if (!tracer) return guarded(fn, SIGNATURES[name].length);
    return (...args: Arg[]) => {
      let errno: number;
      try {
        fn(...args);
        errno = 0;
      } catch (e) {
        if (e instanceof Pending) throw e; // the call waits and runs again (src/io/pending.ts)
        if (!(e instanceof WasiError)) {
          tracer(describeCall(name, args, memory, undefined, e));
          throw e;
        }
        errno = e.errno;
      }
      tracer(describeCall(name, args, memory, errno));
      return errno;
    };
  };
  return lazyModule(make);
}

const NAMES = Object.keys(SIGNATURES) as Preview1Name[];
const IS_NAME = new Set<string | symbol>(NAMES);
const MAKE = Symbol('make');
type LazyTarget = Record<string, Binding> & { [MAKE]: (name: Preview1Name) => Binding };

/** The handler of every lazy module: the binding of a name is made when first read. */
const LAZY: ProxyHandler<LazyTarget> = {
  get(t, key, receiver) {
    if (!IS_NAME.has(key) || Object.hasOwn(t, key)) return Reflect.get(t, key, receiver);
    return (t[key as Preview1Name] = t[MAKE](key as Preview1Name));
  },
  has: (t, key) => IS_NAME.has(key) || (key !== MAKE && Reflect.has(t, key)),
  ownKeys: (t) => [...new Set<string | symbol>([...NAMES, ...Reflect.ownKeys(t)])].filter((k) => k !== MAKE),
  getOwnPropertyDescriptor(t, key) {
    if (key === MAKE) return undefined;
    if (IS_NAME.has(key)) LAZY.get!(t, key, t);
    return Reflect.getOwnPropertyDescriptor(t, key);
  },
};

/**
 * An import module whose bindings are made on first use. An instantiation reads only the
 * functions its module imports (a C program: 5 to 20 of the 46), and making every binding for
 * each WASI was the larger part of setting one up. Listed, described and read, it is a plain
 * object with all 46 functions.
 */
function lazyModule(make: (name: Preview1Name) => Binding): ImportModule {
  const target = { [MAKE]: make } as LazyTarget;
  return new Proxy(target, LAZY) as unknown as ImportModule;
}

/** The errno a failure returns to the guest; anything but a WasiError propagates. */
function errnoOf(err: unknown): number {
  if (err instanceof WasiError) return err.errno;
  throw err;
}

/**
 * `fn` as a binding that returns 0, or the errno of the WasiError it threw. The binding takes
 * exactly the function's parameters: a wrapper of another arity costs on every call.
 */
function guarded(fn: (...a: Arg[]) => void, arity: number): Binding {
  switch (arity) {
    case 0: return () => { try { fn(); return 0; } catch (e) { return errnoOf(e); } };
    case 1: return (a) => { try { fn(a!); return 0; } catch (e) { return errnoOf(e); } };
    case 2: return (a, b) => { try { fn(a!, b!); return 0; } catch (e) { return errnoOf(e); } };
    case 3: return (a, b, c) => { try { fn(a!, b!, c!); return 0; } catch (e) { return errnoOf(e); } };
    case 4: return (a, b, c, d) => { try { fn(a!, b!, c!, d!); return 0; } catch (e) { return errnoOf(e); } };
    case 5: return (a, b, c, d, f) => { try { fn(a!, b!, c!, d!, f!); return 0; } catch (e) { return errnoOf(e); } };
    case 6: return (a, b, c, d, f, g) => { try { fn(a!, b!, c!, d!, f!, g!); return 0; } catch (e) { return errnoOf(e); } };
    case 7: return (a, b, c, d, f, g, h) => { try { fn(a!, b!, c!, d!, f!, g!, h!); return 0; } catch (e) { return errnoOf(e); } };
    case 9: return (a, b, c, d, f, g, h, i, j) => { try { fn(a!, b!, c!, d!, f!, g!, h!, i!, j!); return 0; } catch (e) { return errnoOf(e); } };
    default: return (...args) => { try { fn(...args); return 0; } catch (e) { return errnoOf(e); } };
  }
}
