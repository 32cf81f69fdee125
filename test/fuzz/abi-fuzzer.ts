// The ABI fuzzer: random sequences of wasi_snapshot_preview1 calls, with random and adversarial
// arguments, made by a real wasm guest (one trampoline export per import) against a WASI
// instance with a memory-backend preopen ("mem", fd 3), a Node-backend preopen ("node", fd 4:
// a temp folder beside an "outside" folder, with symlinks planted that point outside) and a
// socket (fd 5). After every call it checks:
//   1. the call returned an errno (an integer in range) or trapped with WebAssembly.RuntimeError
//      (proc_exit and proc_raise may also unwind with ProcExit); never any other exception;
//   2. guest memory changed only inside that call's out-buffers, as the witx defines them (and
//      not at all when the call failed or trapped);
//   3. the fd table agrees with a model: every fd the model holds open answers fd_fdstat_get,
//      closed ones are EBADF, path_open returns the lowest free fd, no call succeeds on a
//      closed fd;
// and after every sequence that the host tree outside the Node preopen is unchanged (names,
// types, sizes, modes, mtimes, link counts, contents, symlink targets).

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pipe, ProcExit, WASI } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { nodeDirectory } from 'iotypes/node';
import { SIGNATURES, type Preview1Name } from '../../src/abi/preview1.js';
import { Guest, guestModule } from '../support/guest.js';

const PAGE = 65536;
const EBADF = 8;
const MAX_ERRNO = 76;
const FIRST_FREE = 6; // 0-2 stdio, 3 mem, 4 node, 5 socket

// Guest memory plan (one page). Out-pointers mostly land in OUT_AREA; paths, iovec arrays and
// subscriptions are written to their slots before each call; buffers live in DATA_AREA.
const OUT_AREA = 0x0000; // 4 KiB
const PATH_SLOTS = [0x1000, 0x1800]; // 2 KiB each
const IOV_SLOT = 0x2000; // 512 bytes
const SUBS_SLOT = 0x2400; // 3 KiB: up to 64 subscriptions of 48 bytes
const CHECK_OUT = 0x3f00; // used only by the fd-table check, between calls
const DATA_AREA = 0x4000; // to the end of memory

const ARGS = ['prog', 'fuzz', 'ä'];
const ENV = ['A=1', 'EMPTY='];
const argBytes = (list: readonly string[]) => list.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);

// --- arguments ----------------------------------------------------------------------------------

/** A pointer: into its usual area, near or across the end of memory, or far out of bounds. */
type Ptr = { k: 'area'; off: number } | { k: 'end'; back: number } | { k: 'raw'; v: number };
/** A descriptor: a fixed number, or one the model holds open (or closed) when the call is made. */
type Fd = { k: 'fixed'; v: number } | { k: 'open'; i: number } | { k: 'closed'; i: number };
interface Iov { ptr: Ptr; len: number }
interface Sub { tag: number; userdata: bigint; a: number; b: bigint; flags: number; fd: Fd }

type Arg =
  | { t: 'i32'; v: number }
  | { t: 'i64'; v: bigint }
  | { t: 'fd'; fd: Fd }
  | { t: 'ptr'; area: number; ptr: Ptr }
  /** A string at a path slot (or at a bad pointer), with a length that may lie: two wasm args. */
  | { t: 'path'; slot: number; bytes: Uint8Array; at?: Ptr; extra: number }
  /** An iovec array at IOV_SLOT (or a bad pointer) and its count: two wasm args. */
  | { t: 'iovs'; bufs: Iov[]; at?: Ptr; count?: number }
  /** Subscriptions at SUBS_SLOT (in), an out pointer and a count: three wasm args. */
  | { t: 'subs'; subs: Sub[]; out: Ptr; count?: number };

export interface Call {
  name: Preview1Name;
  args: Arg[];
}

const u32 = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 64 }) },
  { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 0x80000000, 0x7fffffff, 0xfffffff0, 65536, 4096) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffffffff }) },
);
const i64 = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 4096n }) },
  { weight: 1, arbitrary: fc.constantFrom(-1n, 1n << 63n, (1n << 63n) - 1n, 1n << 53n, (1n << 53n) + 1n, (1n << 64n) - 1n, 1n << 32n, -4096n) },
  { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }) },
);
/** Times: mostly whole microseconds (the Node backend sets finer times with a child process). */
const time = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 4_000_000_000_000n }).map((t) => t * 1000n) },
  { weight: 1, arbitrary: i64 },
);
const flags = (bits: number) =>
  fc.oneof(
    { weight: 20, arbitrary: fc.integer({ min: 0, max: (1 << bits) - 1 }) },
    { weight: 1, arbitrary: fc.constantFrom(1 << bits, 0xffff, 0xffffffff, 0x10000) },
  );
const rights = fc.oneof(
  { weight: 3, arbitrary: fc.constant((1n << 30n) - 1n) },
  { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: (1n << 30n) - 1n }) },
  { weight: 1, arbitrary: fc.constantFrom(0n, (1n << 64n) - 1n, 1n << 40n) },
);

/** A pointer near or across the end of memory, or far out of bounds. */
const badPtr: fc.Arbitrary<Ptr> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 80 }).map((back) => ({ k: 'end' as const, back })) },
  { weight: 2, arbitrary: fc.constantFrom(0, PAGE, PAGE + 1, 0xffffffff, 0xfffffffc, 0x80000000, 1 << 20).map((v) => ({ k: 'raw' as const, v })) },
);
const ptr = (areaSize: number): fc.Arbitrary<Ptr> =>
  fc.oneof(
    { weight: 40, arbitrary: fc.integer({ min: 0, max: areaSize - 1 }).map((off) => ({ k: 'area' as const, off })) },
    { weight: 1, arbitrary: badPtr },
  );
const outPtr = ptr(4096).map((p): Arg => ({ t: 'ptr', area: OUT_AREA, ptr: p }));
const dataPtr = ptr(PAGE - DATA_AREA);

const fd: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(64).map((i): Arg => ({ t: 'fd', fd: { k: 'open', i } })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }).map((v): Arg => ({ t: 'fd', fd: { k: 'fixed', v } })) },
  { weight: 1, arbitrary: fc.nat(64).map((i): Arg => ({ t: 'fd', fd: { k: 'closed', i } })) },
  { weight: 1, arbitrary: fc.constantFrom(0xffffffff, 0x80000000, 1024, 65536).map((v): Arg => ({ t: 'fd', fd: { k: 'fixed', v } })) },
);
const dirFd: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(3, 4).map((v): Arg => ({ t: 'fd', fd: { k: 'fixed', v } })) },
  { weight: 1, arbitrary: fd },
);
/** path_open's oflags: mostly the combinations programs use (CREAT 1, DIRECTORY 2, EXCL 4, TRUNC 8). */
const oflags = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(0, 1, 9, 5, 2, 1) }, { weight: 1, arbitrary: flags(4) });

const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const COMPONENTS = [
  'file.txt', 'sub', 'nested.txt', 'new', 'newdir', 'n2', '..', '.', '', 'link-out', 'link-file', 'abs-link',
  'link-in', 'link-dir', 'loop', 'dangling', 'outside', 'secret.txt', 'etc', 'passwd', 'fifo', 'x'.repeat(300),
];
/** A value about one time in twelve, else undefined. */
const sometimes = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 11, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });
/** True about one time in eight. */
const rarely = fc.integer({ min: 0, max: 7 }).map((n) => n === 0);
const SIMPLE_PATHS = ['file.txt', 'new', 'n2', 'sub', 'sub/nested.txt', 'newdir', 'sub/new', 'link-in', 'link-dir/nested.txt', '.', 'newdir/n2', 'fifo'];
const pathBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  { weight: 10, arbitrary: fc.constantFrom(...SIMPLE_PATHS).map(utf8) },
  { weight: 8, arbitrary: fc.tuple(rarely, fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 5 }), rarely)
      .map(([abs, parts, trail]) => utf8(`${abs ? '/' : ''}${parts.join('/')}${trail ? '/' : ''}`)) },
  { weight: 2, arbitrary: fc.constantFrom(
      '../outside/secret.txt', '/etc/passwd', 'link-out/secret.txt', 'link-out/../outside/secret.txt', 'sub/../../outside',
      '../../../../../../../tmp', 'link-dir/../file.txt', 'abs-link', '.', '/', '', 'a\0b', 'file.txt\0', '..', 'sub/../file.txt',
      '../'.repeat(40) + 'etc', '/proc/self/root/etc/passwd', '\\..\\outside',
    ).map(utf8) },
  { weight: 1, arbitrary: fc.constantFrom([0xff], [0xfe, 0x2f, 0x41], [0xc3], [0xed, 0xa0, 0x80], [0x66, 0x80], [0xef, 0xbf, 0xbd]).map((b) => Uint8Array.from(b)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }) },
);
const path = (slot: number): fc.Arbitrary<Arg> =>
  fc.record({
    bytes: pathBytes,
    at: sometimes(badPtr),
    extra: fc.oneof({ weight: 12, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(-1, 1, 5000, 0x7fffffff) }),
  }).map(({ bytes, at, extra }): Arg => ({ t: 'path', slot, bytes, ...(at ? { at } : {}), extra }));

const iovs: fc.Arbitrary<Arg> = fc.record({
  bufs: fc.array(fc.record({ ptr: dataPtr, len: fc.oneof({ weight: 60, arbitrary: fc.integer({ min: 0, max: 300 }) }, { weight: 1, arbitrary: u32 }) }), { maxLength: 4 }),
  at: sometimes(badPtr),
  count: sometimes(u32),
}).map(({ bufs, at, count }): Arg => ({ t: 'iovs', bufs, ...(at ? { at } : {}), ...(count === undefined ? {} : { count }) }));

const sub: fc.Arbitrary<Sub> = fc.record({
  tag: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: fc.integer({ min: 3, max: 255 }) }),
  userdata: i64,
  a: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: u32 }),
  b: fc.oneof({ weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 1_000_000n }) }, { weight: 1, arbitrary: i64 }),
  flags: flags(1),
  fd: fc.oneof(fc.nat(64).map((i): Fd => ({ k: 'open', i })), fc.integer({ min: 0, max: 12 }).map((v): Fd => ({ k: 'fixed', v }))),
});
const subs: fc.Arbitrary<Arg> = fc.record({
  subs: fc.array(sub, { maxLength: 5 }),
  out: ptr(4096),
  count: sometimes(u32),
}).map(({ subs, out, count }): Arg => ({ t: 'subs', subs, out, ...(count === undefined ? {} : { count }) }));

const i32 = (a: fc.Arbitrary<number>) => a.map((v): Arg => ({ t: 'i32', v }));
const i64a = (a: fc.Arbitrary<bigint>) => a.map((v): Arg => ({ t: 'i64', v }));
/** A buffer pointer and length in the data area (or across its end). */
const buffer = (max: number): [fc.Arbitrary<Arg>, fc.Arbitrary<Arg>] => [
  dataPtr.map((p): Arg => ({ t: 'ptr', area: DATA_AREA, ptr: p })),
  i32(fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max }) }, { weight: 1, arbitrary: u32 })),
];

/** The arguments of each call, in witx order. */
const CALLS: Record<Preview1Name, fc.Arbitrary<Arg[]>> = {
  args_get: fc.tuple(outPtr, outPtr),
  args_sizes_get: fc.tuple(outPtr, outPtr),
  environ_get: fc.tuple(outPtr, outPtr),
  environ_sizes_get: fc.tuple(outPtr, outPtr),
  clock_res_get: fc.tuple(i32(flags(2)), outPtr),
  clock_time_get: fc.tuple(i32(flags(2)), i64a(i64), outPtr),
  fd_advise: fc.tuple(fd, i64a(i64), i64a(i64), i32(flags(3))),
  fd_allocate: fc.tuple(fd, i64a(i64), i64a(i64)),
  fd_close: fc.tuple(fd),
  fd_datasync: fc.tuple(fd),
  fd_fdstat_get: fc.tuple(fd, outPtr),
  fd_fdstat_set_flags: fc.tuple(fd, i32(flags(5))),
  fd_fdstat_set_rights: fc.tuple(fd, i64a(rights), i64a(rights)),
  fd_filestat_get: fc.tuple(fd, outPtr),
  fd_filestat_set_size: fc.tuple(fd, i64a(i64)),
  fd_filestat_set_times: fc.tuple(fd, i64a(time), i64a(time), i32(flags(4))),
  fd_pread: fc.tuple(fd, iovs, i64a(i64), outPtr),
  fd_prestat_get: fc.tuple(fd, outPtr),
  fd_prestat_dir_name: fc.tuple(fd, outPtr, i32(fc.integer({ min: 0, max: 8 }))),
  fd_pwrite: fc.tuple(fd, iovs, i64a(i64), outPtr),
  fd_read: fc.tuple(fd, iovs, outPtr),
  fd_readdir: fc.tuple(fd, ...buffer(2000), i64a(fc.oneof(fc.bigInt({ min: 0n, max: 12n }), i64)), outPtr),
  fd_renumber: fc.tuple(fd, fd),
  fd_seek: fc.tuple(fd, i64a(i64), i32(flags(2)), outPtr),
  fd_sync: fc.tuple(fd),
  fd_tell: fc.tuple(fd, outPtr),
  fd_write: fc.tuple(fd, iovs, outPtr),
  path_create_directory: fc.tuple(dirFd, path(0)),
  path_filestat_get: fc.tuple(dirFd, i32(flags(1)), path(0), outPtr),
  path_filestat_set_times: fc.tuple(dirFd, i32(flags(1)), path(0), i64a(time), i64a(time), i32(flags(4))),
  path_link: fc.tuple(dirFd, i32(flags(1)), path(0), dirFd, path(1)),
  path_open: fc.tuple(dirFd, i32(flags(1)), path(0), i32(oflags), i64a(rights), i64a(rights), i32(flags(5)), outPtr),
  path_readlink: fc.tuple(dirFd, path(0), ...buffer(300), outPtr),
  path_remove_directory: fc.tuple(dirFd, path(0)),
  path_rename: fc.tuple(dirFd, path(0), dirFd, path(1)),
  path_symlink: fc.tuple(path(1), dirFd, path(0)),
  path_unlink_file: fc.tuple(dirFd, path(0)),
  poll_oneoff: fc.tuple(subs),
  proc_exit: fc.tuple(i32(u32)),
  proc_raise: fc.tuple(i32(fc.oneof(fc.integer({ min: 0, max: 40 }), u32))),
  sched_yield: fc.constant([]),
  random_get: fc.tuple(...buffer(4000)),
  sock_accept: fc.tuple(fd, i32(flags(4)), outPtr),
  sock_recv: fc.tuple(fd, iovs, i32(flags(2)), outPtr, outPtr),
  sock_send: fc.tuple(fd, iovs, i32(flags(1)), outPtr),
  sock_shutdown: fc.tuple(fd, i32(flags(2))),
};

/** How often each call is drawn: exits are rare, file and path calls common. */
const WEIGHT: Partial<Record<Preview1Name, number>> = { proc_exit: 1, proc_raise: 2, sched_yield: 1, path_open: 30, fd_write: 12, fd_read: 10, fd_close: 6 };

export const callArb: fc.Arbitrary<Call> = fc.oneof(
  ...(Object.keys(CALLS) as Preview1Name[]).map((name) => ({
    weight: WEIGHT[name] ?? 8,
    arbitrary: CALLS[name].map((args): Call => ({ name, args: args as Arg[] })),
  })),
);

// --- the world: a guest, its WASI instance, the host folders --------------------------------------

interface HostEntry { type: string; size: number; mode: number; mtimeNs: bigint; nlink: number; content: string }

/** Every entry beneath `dir` (not following symlinks), skipping `skip` at the top. */
function snapshotTree(dir: string, skip: string): Map<string, HostEntry> {
  const out = new Map<string, HostEntry>();
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (r === skip) continue;
      const p = join(dir, r);
      const st = fs.lstatSync(p, { bigint: true });
      const type = st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      const content = type === 'symlink' ? fs.readlinkSync(p) : type === 'file' ? createHash('sha256').update(fs.readFileSync(p)).digest('hex') : '';
      out.set(r, { type, size: Number(st.size), mode: Number(st.mode), mtimeNs: st.mtimeNs, nlink: Number(st.nlink), content });
      if (type === 'dir') walk(r);
    }
  };
  walk('');
  return out;
}

function describeTreeChange(before: Map<string, HostEntry>, after: Map<string, HostEntry>): string | undefined {
  for (const [name, e] of after) {
    const b = before.get(name);
    if (!b) return `appeared outside the preopen: ${name}`;
    for (const k of Object.keys(e) as (keyof HostEntry)[]) {
      if (b[k] !== e[k]) return `changed outside the preopen: ${name} ${k} ${String(b[k])} -> ${String(e[k])}`;
    }
  }
  for (const name of before.keys()) if (!after.has(name)) return `disappeared outside the preopen: ${name}`;
  return undefined;
}

const module = guestModule({ pages: 1 });

class World {
  readonly base: string;
  readonly wasi: WASI;
  readonly g: Guest;
  readonly outsideBefore: Map<string, HostEntry>;
  /** Open descriptors, as the model believes. */
  readonly open = new Set<number>([0, 1, 2, 3, 4, 5]);
  /** The descriptor path_open returned last. */
  newest: number | undefined;
  /** Descriptors that were open once and are closed now. */
  readonly closed = new Set<number>();
  readonly socket = { in: pipe(), out: pipe() };

  constructor(root: string, fifo: string) {
    this.base = fs.mkdtempSync(join(root, 'fuzz-'));
    const box = join(this.base, 'box');
    const outside = join(this.base, 'outside');
    fs.mkdirSync(join(outside, 'dir'), { recursive: true });
    fs.writeFileSync(join(outside, 'secret.txt'), 'secret');
    fs.writeFileSync(join(outside, 'dir', 'inner.txt'), 'inner');
    fs.symlinkSync('../box', join(outside, 'back'));
    fs.mkdirSync(join(box, 'sub'), { recursive: true });
    fs.writeFileSync(join(box, 'file.txt'), 'hello, fuzz');
    fs.writeFileSync(join(box, 'sub', 'nested.txt'), 'nested');
    fs.symlinkSync('../outside', join(box, 'link-out'));
    fs.symlinkSync('../outside/secret.txt', join(box, 'link-file'));
    fs.symlinkSync(join(outside, 'secret.txt'), join(box, 'abs-link'));
    fs.symlinkSync('file.txt', join(box, 'link-in'));
    fs.symlinkSync('sub', join(box, 'link-dir'));
    fs.symlinkSync('loop', join(box, 'loop'));
    fs.symlinkSync('nowhere', join(box, 'dangling'));
    fs.linkSync(fifo, join(box, 'fifo')); // opening it must not hang the host
    this.outsideBefore = snapshotTree(this.base, 'box');

    const mem = new MemoryFS();
    mem.writeFile('file.txt', 'hello, memory');
    mem.mkdir('sub');
    mem.writeFile('sub/nested.txt', 'nested');
    mem.symlink('..', 'link-out');
    mem.symlink('/etc/passwd', 'abs-link');
    mem.symlink('file.txt', 'link-in');
    mem.symlink('sub', 'link-dir');
    mem.symlink('loop', 'loop');
    mem.symlink('nowhere', 'dangling');

    this.wasi = new WASI({
      args: ARGS,
      env: ENV,
      preopens: { mem: mem.root, node: nodeDirectory(box) },
      sockets: [{ input: this.socket.in.input, output: this.socket.out.output }],
      sleep: () => {}, // poll_oneoff never waits
      random: (b) => b.fill(0x5a),
    });
    const instance = new WebAssembly.Instance(module, this.wasi.getImportObject());
    this.wasi.initialize(instance);
    this.g = new Guest(instance);
    // Memory starts out non-zero, so that a stray write of zeros shows too.
    const bytes = new Uint8Array(this.g.memory.buffer);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 17) & 0xff | 1;
  }

  dispose(): string | undefined {
    this.wasi.close();
    const change = describeTreeChange(this.outsideBefore, snapshotTree(this.base, 'box'));
    fs.rmSync(this.base, { recursive: true, force: true });
    return change;
  }

  pick(set: Set<number>, i: number): number | undefined {
    if (set.size === 0) return undefined;
    return [...set][i % set.size];
  }
  lowestFree(): number {
    let fd = 0;
    while (this.open.has(fd)) fd++;
    return fd;
  }
}

// --- running a call -----------------------------------------------------------------------------

type Region = readonly [ptr: number, len: number];

function resolvePtr(p: Ptr, area: number): number {
  if (p.k === 'area') return area + p.off;
  if (p.k === 'end') return PAGE - p.back;
  return p.v;
}

function resolveFd(w: World, f: Fd): number {
  if (f.k === 'fixed') return f.v;
  if (f.k === 'open') {
    // Mostly the newest descriptor the guest opened itself, if any.
    if (f.i % 4 !== 0 && w.newest !== undefined && w.open.has(w.newest)) return w.newest;
    return w.pick(w.open, f.i >> 2) ?? f.i;
  }
  return w.pick(w.closed, f.i) ?? FIRST_FREE + 40;
}

/** The wasm arguments of a call, writing its strings, iovecs and subscriptions into memory. */
function prepare(w: World, call: Call): (number | bigint)[] {
  const g = w.g;
  const out: (number | bigint)[] = [];
  for (const a of call.args) {
    switch (a.t) {
      case 'i32': out.push(a.v | 0); break;
      case 'i64': out.push(BigInt.asIntN(64, a.v)); break;
      case 'fd': out.push(resolveFd(w, a.fd) | 0); break;
      case 'ptr': out.push(resolvePtr(a.ptr, a.area) | 0); break;
      case 'path': {
        const slot = PATH_SLOTS[a.slot]!;
        g.write(slot, a.bytes);
        out.push((a.at ? resolvePtr(a.at, slot) : slot) | 0, Math.max(0, a.bytes.length + a.extra) | 0);
        break;
      }
      case 'iovs': {
        a.bufs.forEach((b, i) => {
          g.setU32(IOV_SLOT + i * 8, resolvePtr(b.ptr, DATA_AREA) >>> 0);
          g.setU32(IOV_SLOT + i * 8 + 4, b.len >>> 0);
        });
        out.push((a.at ? resolvePtr(a.at, IOV_SLOT) : IOV_SLOT) | 0, (a.count ?? a.bufs.length) | 0);
        break;
      }
      case 'subs': {
        const v = g.view();
        a.subs.forEach((s, i) => {
          const at = SUBS_SLOT + i * 48;
          g.fill(at, 48, 0);
          v.setBigUint64(at, BigInt.asUintN(64, s.userdata), true);
          v.setUint8(at + 8, s.tag);
          if (s.tag === 0) {
            v.setUint32(at + 16, s.a >>> 0, true);
            v.setBigUint64(at + 24, BigInt.asUintN(64, s.b), true);
            v.setUint16(at + 40, s.flags & 0xffff, true);
          } else {
            v.setUint32(at + 16, resolveFd(w, s.fd) >>> 0, true);
          }
        });
        out.push(SUBS_SLOT, resolvePtr(a.out, OUT_AREA) | 0, (a.count ?? a.subs.length) | 0);
        break;
      }
    }
  }
  // poll_oneoff's last argument, nevents_out, follows the subscriptions.
  if (call.name === 'poll_oneoff') out.push(OUT_AREA + 3000);
  return out;
}

/** The iovec buffers an array at `ptr` with `count` entries names (those inside memory). */
function iovRegions(mem: Buffer, ptr: number, count: number): Region[] {
  const regions: Region[] = [];
  for (let i = 0; i < count && ptr + i * 8 + 8 <= mem.length; i++) {
    const at = ptr + i * 8;
    regions.push([mem.readUInt32LE(at), mem.readUInt32LE(at + 4)]);
  }
  return regions;
}

/** The memory a call may write, from the witx definition of its out-parameters. */
function outRegions(name: Preview1Name, a: number[], mem: Buffer): Region[] {
  const argc = ARGS.length;
  switch (name) {
    case 'args_get': return [[a[0]!, 4 * argc], [a[1]!, argBytes(ARGS)]];
    case 'environ_get': return [[a[0]!, 4 * ENV.length], [a[1]!, argBytes(ENV)]];
    case 'args_sizes_get':
    case 'environ_sizes_get': return [[a[0]!, 4], [a[1]!, 4]];
    case 'clock_res_get': return [[a[1]!, 8]];
    case 'clock_time_get': return [[a[2]!, 8]];
    case 'fd_fdstat_get': return [[a[1]!, 24]];
    case 'fd_filestat_get': return [[a[1]!, 64]];
    case 'fd_pread': return [...iovRegions(mem, a[1]!, a[2]!), [a[4]!, 4]];
    case 'fd_read': return [...iovRegions(mem, a[1]!, a[2]!), [a[3]!, 4]];
    case 'fd_prestat_get': return [[a[1]!, 8]];
    case 'fd_prestat_dir_name': return [[a[1]!, a[2]!]];
    case 'fd_pwrite': return [[a[4]!, 4]];
    case 'fd_write': return [[a[3]!, 4]];
    case 'fd_readdir': return [[a[1]!, a[2]!], [a[4]!, 4]];
    case 'fd_seek': return [[a[3]!, 8]];
    case 'fd_tell': return [[a[1]!, 8]];
    case 'path_filestat_get': return [[a[4]!, 64]];
    case 'path_open': return [[a[8]!, 4]];
    case 'path_readlink': return [[a[3]!, a[4]!], [a[5]!, 4]];
    case 'poll_oneoff': return [[a[1]!, a[2]! * 32], [a[3]!, 4]];
    case 'random_get': return [[a[0]!, a[1]!]];
    case 'sock_accept': return [[a[2]!, 4]];
    case 'sock_recv': return [...iovRegions(mem, a[1]!, a[2]!), [a[4]!, 4], [a[5]!, 2]];
    case 'sock_send': return [[a[4]!, 4]];
    default: return [];
  }
}

/** Names of a call's descriptor parameters (witx). */
const FD_PARAMS = new Set(['fd', 'old_fd', 'new_fd', 'to']);

export class FuzzFailure extends Error {}

function fail(call: Call, args: readonly (number | bigint)[], what: string): never {
  const shown = args.map((x) => (typeof x === 'bigint' ? `${x}n` : (x >>> 0).toString()));
  throw new FuzzFailure(`${call.name}(${shown.join(', ')}): ${what}`);
}

/** Makes one call and checks properties 1-3. Returns the errno (-1 for a trap or an exit). */
function step(w: World, call: Call): number {
  const wasmArgs = prepare(w, call);
  const before = Buffer.from(w.g.memory.buffer.slice(0));
  let errno = -1;
  try {
    errno = w.g.call(call.name, ...wasmArgs);
  } catch (e) {
    const exits = call.name === 'proc_exit' || call.name === 'proc_raise';
    if (!(e instanceof WebAssembly.RuntimeError) && !(exits && e instanceof ProcExit)) {
      fail(call, wasmArgs, `threw ${e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e)}`);
    }
  }
  if (errno !== -1 && (!Number.isInteger(errno) || errno < 0 || errno > MAX_ERRNO)) fail(call, wasmArgs, `returned ${errno}, not an errno`);

  // 2. Memory: unchanged on failure; changed only inside the out-buffers on success.
  const after = Buffer.from(w.g.memory.buffer);
  if (after.length !== before.length) fail(call, wasmArgs, 'memory size changed');
  if (errno === 0) {
    const u = wasmArgs.map((x) => (typeof x === 'bigint' ? 0 : x >>> 0));
    for (const [p, n] of outRegions(call.name, u, before)) {
      const start = Math.min(p, before.length);
      const end = Math.min(p + n, before.length);
      if (end > start) after.copy(before, start, start, end);
    }
  }
  if (!before.equals(after)) {
    let i = 0;
    while (before[i] === after[i]) i++;
    fail(call, wasmArgs, `${errno === 0 ? 'wrote outside its out-buffers' : `changed memory though it returned ${errno === -1 ? 'a trap' : `errno ${errno}`}`}: first byte ${i}`);
  }

  // 3. The fd table, as the model sees it.
  const params = SIGNATURES[call.name] as readonly string[];
  const fds = params.map((p, i) => (FD_PARAMS.has(p) ? (wasmArgs[i] as number) >>> 0 : undefined)).filter((x) => x !== undefined);
  if (errno === 0) {
    for (const f of fds) if (!w.open.has(f)) fail(call, wasmArgs, `succeeded on fd ${f}, which is not open`);
  }
  let changed = false;
  if (errno === 0 && call.name === 'path_open') {
    const opened = w.g.u32((wasmArgs[8] as number) >>> 0);
    const lowest = w.lowestFree();
    if (opened !== lowest) fail(call, wasmArgs, `opened fd ${opened}, but the lowest free fd is ${lowest}`);
    w.open.add(opened);
    w.closed.delete(opened);
    w.newest = opened;
    changed = true;
  } else if (errno === 0 && call.name === 'fd_close') {
    const f = (wasmArgs[0] as number) >>> 0;
    w.open.delete(f);
    w.closed.add(f);
    changed = true;
  } else if (errno === 0 && call.name === 'fd_renumber') {
    const [from, to] = [(wasmArgs[0] as number) >>> 0, (wasmArgs[1] as number) >>> 0];
    if (from !== to) {
      w.open.delete(from);
      w.closed.add(from);
    }
    changed = true;
  } else if (errno === 0 && call.name === 'sock_accept') {
    fail(call, wasmArgs, 'accepted on a connected socket');
  }
  if (changed) checkTable(w, call, wasmArgs);
  return errno;
}

/** fd_fdstat_get answers every fd the model holds open, and EBADF for closed ones. */
function checkTable(w: World, call: Call, args: readonly (number | bigint)[]): void {
  for (const f of w.open) {
    const e = w.g.call('fd_fdstat_get', f, CHECK_OUT);
    if (e !== 0) fail(call, args, `afterwards fd ${f} should be open, but fd_fdstat_get says ${e}`);
  }
  const probes = new Set([...w.closed, w.lowestFree(), Math.max(...w.open) + 1]);
  for (const f of probes) {
    if (w.open.has(f)) continue;
    const e = w.g.call('fd_fdstat_get', f, CHECK_OUT);
    if (e !== EBADF) fail(call, args, `afterwards fd ${f} should be closed, but fd_fdstat_get says ${e}`);
  }
}

export interface FuzzOptions {
  seed: number;
  /** Calls to make at least (whole sequences). */
  calls: number;
  /** Longest sequence of calls against one fresh world. */
  maxLength?: number;
  /** Where the host folders go (default: /dev/shm when there is one, else the temp folder). */
  root?: string;
  /** Called about every `progressEvery` calls. */
  onProgress?: (done: number, elapsedMs: number) => void;
  progressEvery?: number;
}

export interface FuzzReport {
  calls: number;
  sequences: number;
  elapsedMs: number;
  errnos: Map<number, number>;
  traps: number;
  /** Per call: how often it returned each errno (-1: trapped or exited). */
  byCall: Map<Preview1Name, Map<number, number>>;
}

/** Runs the fuzzer; throws (through fast-check, with the shrunk counterexample) on a failure. */
export function fuzz(options: FuzzOptions): FuzzReport {
  const root = options.root ?? (fs.existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
  const maxLength = options.maxLength ?? 60;
  // One FIFO for every world (each box gets a hard link to it): made once, as it takes mkfifo(1).
  const fifoDir = fs.mkdtempSync(join(root, 'fuzz-fifo-'));
  const fifo = join(fifoDir, 'fifo');
  if (spawnSync('mkfifo', [fifo]).status !== 0) throw new Error('mkfifo failed');
  const report: FuzzReport = { calls: 0, sequences: 0, elapsedMs: 0, errnos: new Map(), traps: 0, byCall: new Map() };
  const t0 = Date.now();
  const every = options.progressEvery ?? 100_000;
  let nextProgress = every;
  const property = fc.property(fc.array(callArb, { minLength: 1, maxLength, size: 'max' }), (calls) => {
    const w = new World(root, fifo);
    let failure: unknown;
    try {
      for (const call of calls) {
        const e = step(w, call);
        report.calls++;
        if (e === -1) report.traps++;
        else report.errnos.set(e, (report.errnos.get(e) ?? 0) + 1);
        let counts = report.byCall.get(call.name);
        if (!counts) report.byCall.set(call.name, (counts = new Map()));
        counts.set(e, (counts.get(e) ?? 0) + 1);
        if (report.calls >= nextProgress) {
          nextProgress += every;
          options.onProgress?.(report.calls, Date.now() - t0);
        }
      }
      checkTable(w, calls.at(-1)!, []);
    } catch (e) {
      failure = e;
    }
    const change = w.dispose();
    if (failure) throw failure;
    if (change) throw new FuzzFailure(`after ${calls.map((c) => c.name).join(', ')}: ${change}`);
    report.sequences++;
  });
  // Rounds of sequences until the count is reached; round k uses seed + k (fast-check names the
  // seed and path of a failure, which replays it).
  try {
    for (let round = 0; report.calls < options.calls; round++) {
      const runs = Math.max(1, Math.ceil((options.calls - report.calls) / ((maxLength + 1) / 2)));
      fc.assert(property, { seed: (options.seed + round) | 0, numRuns: runs });
    }
  } finally {
    fs.rmSync(fifoDir, { recursive: true, force: true });
  }
  report.elapsedMs = Date.now() - t0;
  return report;
}
