// ABI faults: EBADF and wrong-kind errnos for every fd-taking call, out-of-bounds pointers trap without side effects, grown memory is seen, EILSEQ and EINVAL leave out-params untouched.
import { describe, expect, it } from 'vitest';
import { anonymous, Errno, pipe, toArray, WASI, type AnonymousArray } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { SIGNATURES } from '../src/abi/preview1.js';
import { guest, UNSTABLE_NAMES, type Guest, type WasiModuleName } from './support/guest.js';
import { op } from './support/wasm.js';

const RIGHTS = (1n << 30n) - 1n;
const PAGE = 65536;
const O_CREAT = 1;
const SENTINEL = 0xa5;

// A fixed memory plan for every guest below.
const PATH_A = 100; // "a"
const PATH_B = 110; // "b"
const IOV = 200; // one iovec: 8 bytes at 300
const BUF = 300;
const OUT = 400; // out-pointers live in [OUT, OUT + 128)
const OUT_LEN = 128;
const FDSTAT_SCRATCH = 4096; // where fdsOpen() lets fd_fdstat_get write

function text(a: AnonymousArray): string {
  const b = new Uint8Array(a.len());
  a.readAt(b, 0);
  return new TextDecoder().decode(b);
}

function expectTrap(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(WebAssembly.RuntimeError);
}

interface World {
  g: Guest;
  wasi: WASI;
  fs: MemoryFS;
  stdout: AnonymousArray;
  stdin: ReturnType<typeof pipe>;
  socket: { toGuest: ReturnType<typeof pipe>; fromGuest: ReturnType<typeof pipe> };
  randomCalls: number[];
  slept: bigint[];
  /** fd of "a" opened read-write, and of the socket. */
  file: number;
  sock: number;
  fdsOpen: () => number[];
}

/** A guest with stdin (pipe), stdout (captured), a preopen "." at fd 3 holding file "a", a socket at fd 4 and "a" open at fd 5. */
function world(module: WasiModuleName = 'wasi_snapshot_preview1', extra: Parameters<typeof guest>[1] = {}): World {
  const fs = new MemoryFS();
  fs.writeFile('a', 'contents');
  const stdout = anonymous();
  const stdin = pipe();
  const socket = { toGuest: pipe(), fromGuest: pipe() };
  const randomCalls: number[] = [];
  const slept: bigint[] = [];
  const wasi = new WASI({
    args: ['prog', 'arg'],
    preopens: { '.': fs.root },
    stdin: stdin.input,
    stdout: toArray(stdout),
    sockets: [{ input: socket.toGuest.input, output: socket.fromGuest.output }],
    random: (b) => {
      randomCalls.push(b.length);
      b.fill(0x5a);
    },
    sleep: (ns) => slept.push(ns),
  });
  const g = guest(wasi, { module, ...extra });
  g.str(PATH_A, 'a');
  g.str(PATH_B, 'b');
  g.iovecs(IOV, [{ ptr: BUF, len: 8 }]);
  expect(g.call('path_open', 3, 0, PATH_A, 1, 0, RIGHTS, RIGHTS, 0, OUT)).toBe(0);
  const file = g.u32(OUT);
  expect(file).toBe(5);
  // The open descriptors among 0..31, as the guest sees them (fd_fdstat_get is EBADF on the others).
  const fdsOpen = () => [...Array(32).keys()].filter((fd) => wasi.wasiImport.fd_fdstat_get(fd, FDSTAT_SCRATCH) !== Errno.EBADF);
  return { g, wasi, fs, stdout, stdin, socket, randomCalls, slept, file, sock: 4, fdsOpen };
}

/** Calls `name` with the out-pointer region pre-filled and checks it is unchanged afterwards. */
function failsCleanly(g: Guest, name: string, args: (number | bigint)[], errno: number): void {
  g.fill(OUT, OUT_LEN, SENTINEL);
  expect(g.call(name, ...args), `${name}(${args.join(', ')})`).toBe(errno);
  expect([...g.bytes(OUT, OUT_LEN)].every((b) => b === SENTINEL), `${name} wrote an out-param on error`).toBe(true);
}

/** Every fd-taking call, with fd (or one of its fds) closed and every pointer valid. */
const CLOSED = 99;
const EBADF_CALLS: [name: string, args: (number | bigint)[]][] = [
  ['fd_advise', [CLOSED, 0n, 0n, 0]],
  ['fd_allocate', [CLOSED, 0n, 1n]],
  ['fd_close', [CLOSED]],
  ['fd_datasync', [CLOSED]],
  ['fd_fdstat_get', [CLOSED, OUT]],
  ['fd_fdstat_set_flags', [CLOSED, 0]],
  ['fd_fdstat_set_rights', [CLOSED, 0n, 0n]],
  ['fd_filestat_get', [CLOSED, OUT]],
  ['fd_filestat_set_size', [CLOSED, 0n]],
  ['fd_filestat_set_times', [CLOSED, 0n, 0n, 0]],
  ['fd_pread', [CLOSED, IOV, 1, 0n, OUT]],
  ['fd_prestat_get', [CLOSED, OUT]],
  ['fd_prestat_dir_name', [CLOSED, OUT, 16]],
  ['fd_pwrite', [CLOSED, IOV, 1, 0n, OUT]],
  ['fd_read', [CLOSED, IOV, 1, OUT]],
  ['fd_readdir', [CLOSED, OUT, 64, 0n, OUT + 64]],
  ['fd_renumber', [CLOSED, 1]],
  ['fd_renumber', [1, CLOSED]],
  ['fd_seek', [CLOSED, 0n, 0, OUT]],
  ['fd_sync', [CLOSED]],
  ['fd_tell', [CLOSED, OUT]],
  ['fd_write', [CLOSED, IOV, 1, OUT]],
  ['path_create_directory', [CLOSED, PATH_B, 1]],
  ['path_filestat_get', [CLOSED, 0, PATH_A, 1, OUT]],
  ['path_filestat_set_times', [CLOSED, 0, PATH_A, 1, 0n, 0n, 0]],
  ['path_link', [CLOSED, 0, PATH_A, 1, 3, PATH_B, 1]],
  ['path_link', [3, 0, PATH_A, 1, CLOSED, PATH_B, 1]],
  ['path_open', [CLOSED, 0, PATH_A, 1, O_CREAT, RIGHTS, RIGHTS, 0, OUT]],
  ['path_readlink', [CLOSED, PATH_A, 1, OUT, 64, OUT + 64]],
  ['path_remove_directory', [CLOSED, PATH_A, 1]],
  ['path_rename', [CLOSED, PATH_A, 1, 3, PATH_B, 1]],
  ['path_rename', [3, PATH_A, 1, CLOSED, PATH_B, 1]],
  ['path_symlink', [PATH_A, 1, CLOSED, PATH_B, 1]],
  ['path_unlink_file', [CLOSED, PATH_A, 1]],
  ['sock_accept', [CLOSED, 0, OUT]],
  ['sock_recv', [CLOSED, IOV, 1, 0, OUT, OUT + 4]],
  ['sock_send', [CLOSED, IOV, 1, 0, OUT]],
  ['sock_shutdown', [CLOSED, 3]],
];

describe('EBADF for a closed fd', () => {
  it('the sweep covers every fd-taking function', () => {
    const takesFd = Object.entries(SIGNATURES)
      .filter(([, params]) => params.some((p: string) => p === 'fd' || p === 'old_fd' || p === 'new_fd'))
      .map(([name]) => name)
      .sort();
    expect([...new Set(EBADF_CALLS.map(([n]) => n))].sort()).toEqual(takesFd);
  });

  for (const module of ['wasi_snapshot_preview1', 'wasi_unstable'] as const) {
    it(`${module}: every fd-taking call returns EBADF, writes no out-param and changes nothing`, () => {
      const w = world(module);
      const before = w.fdsOpen();
      for (const [name, args] of EBADF_CALLS) {
        if (module === 'wasi_unstable' && !UNSTABLE_NAMES.includes(name)) continue;
        failsCleanly(w.g, name, args, Errno.EBADF);
      }
      expect(w.fdsOpen()).toEqual(before);
      expect(w.fs.exists('a')).toBe(true);
      expect(w.fs.exists('b')).toBe(false);
      expect(w.stdout.len()).toBe(0);
    });
  }

  it('poll_oneoff reports EBADF in the event of a closed fd subscription', () => {
    const { g } = world();
    g.fill(1024, 48, 0);
    g.setU64(1024, 7n);
    g.write(1024 + 8, [1]); // fd_read
    g.setU32(1024 + 16, CLOSED);
    expect(g.call('poll_oneoff', 1024, 2048, 1, OUT)).toBe(0);
    expect(g.u32(OUT)).toBe(1);
    expect(g.u64(2048)).toBe(7n);
    expect(g.u16(2048 + 8)).toBe(Errno.EBADF);
    expect(g.u8(2048 + 10)).toBe(1);
  });
});

describe('an open fd of the wrong kind', () => {
  // fds: 0 stdin (stream), 1 stdout (stream), 3 preopen (directory), 4 socket, 5 file.
  const cases: [name: string, args: (number | bigint)[], errno: number][] = [
    // A stream has no cursor.
    ['fd_seek', [1, 0n, 0, OUT], Errno.ESPIPE],
    ['fd_tell', [1, OUT], Errno.ESPIPE],
    ['fd_pread', [0, IOV, 1, 0n, OUT], Errno.ESPIPE],
    ['fd_pwrite', [1, IOV, 1, 0n, OUT], Errno.ESPIPE],
    ['fd_advise', [0, 0n, 0n, 0], Errno.ESPIPE],
    ['fd_seek', [4, 0n, 0, OUT], Errno.ESPIPE],
    ['fd_filestat_set_size', [1, 0n], Errno.EINVAL], // ftruncate on a pipe: EINVAL, as on Linux
    // Only a directory resolves paths and lists entries.
    ['path_open', [5, 0, PATH_A, 1, 0, RIGHTS, RIGHTS, 0, OUT], Errno.ENOTDIR],
    ['path_open', [0, 0, PATH_A, 1, 0, RIGHTS, RIGHTS, 0, OUT], Errno.ENOTDIR],
    ['path_create_directory', [5, PATH_B, 1], Errno.ENOTDIR],
    ['path_filestat_get', [1, 0, PATH_A, 1, OUT], Errno.ENOTDIR],
    ['path_unlink_file', [4, PATH_A, 1], Errno.ENOTDIR],
    ['fd_readdir', [5, OUT, 64, 0n, OUT + 64], Errno.ENOTDIR],
    // Only a socket takes sock_*.
    ['sock_recv', [0, IOV, 1, 0, OUT, OUT + 4], Errno.ENOTSOCK],
    ['sock_send', [1, IOV, 1, 0, OUT], Errno.ENOTSOCK],
    ['sock_shutdown', [5, 3], Errno.ENOTSOCK],
    ['sock_accept', [3, 0, OUT], Errno.ENOTSOCK],
    // Reading a directory or a write-only stream, writing a read-only stream.
    ['fd_read', [3, IOV, 1, OUT], Errno.EBADF],
    ['fd_read', [1, IOV, 1, OUT], Errno.EBADF],
    ['fd_write', [0, IOV, 1, OUT], Errno.EBADF],
    ['fd_seek', [3, 0n, 0, OUT], Errno.EBADF],
    // Only preopens have a prestat.
    ['fd_prestat_get', [5, OUT], Errno.EBADF],
    ['fd_prestat_get', [0, OUT], Errno.EBADF],
    ['fd_prestat_dir_name', [5, OUT, 16], Errno.EBADF],
  ];
  for (const [name, args, errno] of cases) {
    it(`${name}(${args.join(', ')}) = ${errno}`, () => {
      const { g, fdsOpen } = world();
      const before = fdsOpen();
      failsCleanly(g, name, args, errno);
      expect(fdsOpen()).toEqual(before);
    });
  }
});

describe('out-of-bounds pointers trap, without side effects', () => {
  it('an iovec array beyond memory, straddling its end, or too long', () => {
    const { g, stdout } = world();
    expectTrap(() => g.call('fd_write', 1, PAGE, 1, OUT));
    expectTrap(() => g.call('fd_write', 1, PAGE - 4, 1, OUT));
    expectTrap(() => g.call('fd_write', 1, 0, 0x20000000, OUT));
    expectTrap(() => g.call('fd_read', 0, 0xffffffff, 1, OUT));
    expect(stdout.len()).toBe(0);
  });

  it('an iovec buffer beyond memory: nothing is written, not even the valid buffers before it', () => {
    const { g, stdout } = world();
    g.iovecs(1024, [{ ptr: 2048, len: g.str(2048, 'ok') }, { ptr: PAGE - 6, len: 100 }]);
    g.fill(OUT, 4, SENTINEL);
    expectTrap(() => g.call('fd_write', 1, 1024, 2, OUT));
    expect(stdout.len()).toBe(0);
    expect(g.u32(OUT)).toBe(0xa5a5a5a5);
  });

  it('an iovec buffer beyond memory on read: nothing is consumed', () => {
    const { g, stdin } = world();
    stdin.output.write(new TextEncoder().encode('data'));
    g.iovecs(1024, [{ ptr: 2048, len: 2 }, { ptr: PAGE, len: 1 }]);
    expectTrap(() => g.call('fd_read', 0, 1024, 2, OUT));
    expect(g.call('fd_read', 0, IOV, 1, OUT)).toBe(0);
    expect(g.u32(OUT)).toBe(4);
    expect(g.text(BUF, 4)).toBe('data');
  });

  it('a path beyond memory', () => {
    const { g, fs, fdsOpen } = world();
    const before = fdsOpen();
    expectTrap(() => g.call('path_open', 3, 0, PAGE - 2, 100, O_CREAT, RIGHTS, RIGHTS, 0, OUT));
    expectTrap(() => g.call('path_create_directory', 3, PAGE, 1));
    expectTrap(() => g.call('path_symlink', PAGE - 1, 2, 3, PATH_B, 1));
    expectTrap(() => g.call('path_rename', 3, PATH_A, 1, 3, 0xfffffff0, 1));
    expect(fdsOpen()).toEqual(before);
    expect(fs.exists('a')).toBe(true);
    expect(fs.exists('b')).toBe(false);
  });

  it('path_open with fd_out beyond memory creates nothing and opens no fd', () => {
    const { g, fs, fdsOpen } = world();
    const before = fdsOpen();
    const len = g.str(1024, 'new.txt');
    expectTrap(() => g.call('path_open', 3, 0, 1024, len, O_CREAT, RIGHTS, RIGHTS, 0, PAGE - 2));
    expect(fs.exists('new.txt')).toBe(false);
    expect(fdsOpen()).toEqual(before);
    expect(fdsOpen()).not.toContain(6);
  });

  it('out-pointers beyond memory: reads consume nothing, seeks do not move, nothing is slept or drawn', () => {
    const { g, stdin, socket, file, sock, randomCalls, slept } = world();
    stdin.output.write(new TextEncoder().encode('data'));
    expectTrap(() => g.call('fd_read', 0, IOV, 1, PAGE - 3));
    expect(g.call('fd_read', 0, IOV, 1, OUT)).toBe(0);
    expect(g.u32(OUT)).toBe(4);

    socket.toGuest.output.write(new TextEncoder().encode('msg'));
    expectTrap(() => g.call('sock_recv', sock, IOV, 1, 0, OUT, PAGE - 1));
    expect(g.call('sock_recv', sock, IOV, 1, 0, OUT, OUT + 4)).toBe(0);
    expect(g.u32(OUT)).toBe(3);

    expectTrap(() => g.call('fd_seek', file, 5n, 0, PAGE - 7));
    expect(g.call('fd_tell', file, OUT)).toBe(0);
    expect(g.u64(OUT)).toBe(0n);

    expectTrap(() => g.call('random_get', PAGE - 10, 11));
    expect(randomCalls).toEqual([]);

    g.fill(1024, 48, 0);
    g.write(1024 + 8, [0]); // clock
    g.setU32(1024 + 16, 1);
    g.setU64(1024 + 24, 1_000_000_000n);
    expectTrap(() => g.call('poll_oneoff', 1024, PAGE - 16, 1, OUT));
    expectTrap(() => g.call('poll_oneoff', 1024, 2048, 1, PAGE));
    expect(slept).toEqual([]);

    expectTrap(() => g.call('clock_time_get', 0, 0n, PAGE - 4));
    expectTrap(() => g.call('fd_fdstat_get', 1, -1));
    expectTrap(() => g.call('fd_filestat_get', file, PAGE - 63));
    expectTrap(() => g.call('fd_readdir', 3, 1024, 64, 0n, PAGE));
    expectTrap(() => g.call('fd_readdir', 3, PAGE - 8, 64, 0n, OUT));
    expectTrap(() => g.call('fd_prestat_dir_name', 3, PAGE, 1));
    expectTrap(() => g.call('args_sizes_get', OUT, PAGE));
  });

  it('args_get with its string buffer beyond memory leaves the pointer table untouched', () => {
    const { g } = world();
    g.fill(OUT, 8, SENTINEL);
    expectTrap(() => g.call('args_get', OUT, PAGE - 4));
    expect([...g.bytes(OUT, 8)].every((b) => b === SENTINEL)).toBe(true);
  });
});

describe('memory grown between calls is seen', () => {
  const funcs = [
    { name: 'grow', params: ['i32' as const], results: ['i32' as const], body: [op.localGet(0), op.memoryGrow] },
    {
      name: 'grow_then_random', params: [], results: ['i32' as const],
      body: [op.i32(1), op.memoryGrow, op.drop, op.i32(PAGE + 100), op.i32(32), op.call('random_get')],
    },
    {
      name: 'grow_then_clock', params: [], results: ['i32' as const],
      body: [op.i32(1), op.memoryGrow, op.drop, op.i32(0), op.i64(0), op.i32(2 * PAGE + 8), op.call('clock_time_get')],
    },
  ];

  it('random_get and clock_time_get beyond the old size, right after memory.grow in the same function', () => {
    const { g } = world('wasi_snapshot_preview1', { funcs });
    expect(g.call('clock_time_get', 0, 0n, OUT)).toBe(0); // the host has seen the 1-page memory
    expect(g.run('grow_then_random')).toBe(0);
    expect(g.size).toBe(2 * PAGE);
    expect([...g.bytes(PAGE + 100, 32)].every((b) => b === 0x5a)).toBe(true);
    expect(g.u8(PAGE + 99)).toBe(0);
    expect(g.u8(PAGE + 132)).toBe(0);
    expect(g.run('grow_then_clock')).toBe(0);
    expect(g.u64(2 * PAGE + 8)).toBeGreaterThan(0n);
  });

  it('fd_write from an iovec and buffer beyond the old size', () => {
    const { g, stdout } = world('wasi_snapshot_preview1', { funcs });
    g.iovecs(IOV, [{ ptr: BUF, len: g.str(BUF, 'one ') }]);
    expect(g.call('fd_write', 1, IOV, 1, OUT)).toBe(0);
    expect(g.run('grow', 2)).toBe(1);
    const at = PAGE + 4000;
    g.iovecs(at, [{ ptr: at + 100, len: g.str(at + 100, 'two ') }, { ptr: 2 * PAGE + 50, len: g.str(2 * PAGE + 50, 'three') }]);
    expect(g.call('fd_write', 1, at, 2, 3 * PAGE - 4)).toBe(0);
    expect(g.u32(3 * PAGE - 4)).toBe(9);
    expect(text(stdout)).toBe('one two three');
    // The new end is enforced too.
    expectTrap(() => g.call('fd_write', 1, at, 2, 3 * PAGE - 3));
  });
});

describe('bad input is an errno, and leaves out-params untouched', () => {
  const BAD_UTF8 = [[0xff], [0x61, 0xc3], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]];

  it('invalid UTF-8 in a path is EILSEQ', () => {
    const { g, fs, fdsOpen } = world();
    const before = fdsOpen();
    for (const bytes of BAD_UTF8) {
      g.write(1024, bytes);
      const n = bytes.length;
      failsCleanly(g, 'path_open', [3, 0, 1024, n, O_CREAT, RIGHTS, RIGHTS, 0, OUT], Errno.EILSEQ);
      failsCleanly(g, 'path_filestat_get', [3, 0, 1024, n, OUT], Errno.EILSEQ);
      failsCleanly(g, 'path_create_directory', [3, 1024, n], Errno.EILSEQ);
      failsCleanly(g, 'path_symlink', [1024, n, 3, PATH_B, 1], Errno.EILSEQ);
      failsCleanly(g, 'path_rename', [3, PATH_A, 1, 3, 1024, n], Errno.EILSEQ);
      failsCleanly(g, 'path_readlink', [3, 1024, n, OUT, 64, OUT + 64], Errno.EILSEQ);
    }
    expect(fdsOpen()).toEqual(before);
    expect(fs.exists('a')).toBe(true);
    expect(fs.exists('b')).toBe(false);
  });

  it('a bad whence is EINVAL and leaves the cursor and newoffset alone', () => {
    for (const module of ['wasi_snapshot_preview1', 'wasi_unstable'] as const) {
      const { g, file } = world(module);
      expect(g.call('fd_seek', file, 3n, module === 'wasi_unstable' ? 2 : 0, OUT)).toBe(0);
      for (const w of [3, 4, 255, 256, 0x102, -1]) failsCleanly(g, 'fd_seek', [file, 0n, w, OUT], Errno.EINVAL);
      expect(g.call('fd_tell', file, OUT)).toBe(0);
      expect(g.u64(OUT)).toBe(3n);
    }
  });

  it('a seek to a negative offset is EINVAL', () => {
    const { g, file } = world();
    failsCleanly(g, 'fd_seek', [file, -1n, 0, OUT], Errno.EINVAL);
    failsCleanly(g, 'fd_seek', [file, -100n, 2, OUT], Errno.EINVAL);
  });

  it('bad enums and flags are EINVAL', () => {
    const { g, file, sock, fs, fdsOpen } = world();
    const before = fdsOpen();
    const cases: [string, (number | bigint)[]][] = [
      ['clock_time_get', [4, 0n, OUT]],
      ['clock_res_get', [99, OUT]],
      ['fd_advise', [file, 0n, 0n, 6]],
      ['fd_fdstat_set_flags', [file, 32]],
      ['fd_fdstat_set_flags', [file, 0x10000]],
      ['fd_filestat_set_times', [file, 0n, 0n, 1 | 2]],
      ['fd_filestat_set_times', [file, 0n, 0n, 16]],
      ['path_filestat_set_times', [3, 0, PATH_A, 1, 0n, 0n, 4 | 8]],
      ['path_open', [3, 0, PATH_B, 1, O_CREAT | 16, RIGHTS, RIGHTS, 0, OUT]],
      ['path_open', [3, 0, PATH_B, 1, O_CREAT | 0x10000, RIGHTS, RIGHTS, 0, OUT]],
      ['path_open', [3, 0, PATH_B, 1, O_CREAT, RIGHTS, RIGHTS, 32, OUT]],
      ['path_open', [3, 0, PATH_B, 1, O_CREAT, RIGHTS, RIGHTS, 0x10001, OUT]],
      ['poll_oneoff', [1024, 2048, 0, OUT]],
      ['proc_raise', [99]],
      ['proc_raise', [256]],
      ['proc_raise', [-1]],
      ['sock_shutdown', [sock, 0]],
      ['sock_shutdown', [sock, 4]],
      ['sock_shutdown', [sock, 0x101]],
      ['sock_recv', [sock, IOV, 1, 4, OUT, OUT + 4]],
      ['sock_recv', [sock, IOV, 1, 0x10000, OUT, OUT + 4]],
      ['sock_send', [sock, IOV, 1, 1, OUT]],
      ['sock_send', [sock, IOV, 1, 0x10000, OUT]],
      ['sock_accept', [sock, 1, OUT]],
    ];
    for (const [name, args] of cases) failsCleanly(g, name, args, Errno.EINVAL);
    expect(fdsOpen()).toEqual(before);
    expect(fs.exists('b')).toBe(false);
  });

  it('poll_oneoff: a bad subscription tag or clock flag is EINVAL, nevents untouched', () => {
    const { g, slept } = world();
    const sub = (tag: number, flags: number) => {
      g.fill(1024, 48, 0);
      g.write(1024 + 8, [tag]);
      g.setU32(1024 + 16, 1);
      g.setU64(1024 + 24, 1000n);
      g.view().setUint16(1024 + 40, flags, true);
    };
    sub(3, 0);
    failsCleanly(g, 'poll_oneoff', [1024, 2048, 1, OUT], Errno.EINVAL);
    sub(0, 2);
    failsCleanly(g, 'poll_oneoff', [1024, 2048, 1, OUT], Errno.EINVAL);
    expect(slept).toEqual([]);
  });

  it('errors of every kind leave out-params untouched', () => {
    const { g, file } = world();
    failsCleanly(g, 'path_open', [3, 0, PATH_B, 1, 0, RIGHTS, RIGHTS, 0, OUT], Errno.ENOENT);
    failsCleanly(g, 'path_filestat_get', [3, 0, PATH_B, 1, OUT], Errno.ENOENT);
    failsCleanly(g, 'path_readlink', [3, PATH_A, 1, OUT, 64, OUT + 64], Errno.EINVAL);
    failsCleanly(g, 'fd_prestat_dir_name', [3, OUT, 0], Errno.ENAMETOOLONG);
    failsCleanly(g, 'fd_read', [0, IOV, 1, OUT], Errno.EAGAIN); // an open pipe with no data yet
    failsCleanly(g, 'fd_readdir', [file, OUT, 64, 0n, OUT + 64], Errno.ENOTDIR);
    failsCleanly(g, 'path_open', [3, 0, PATH_A, 1, O_CREAT | 4, RIGHTS, RIGHTS, 0, OUT], Errno.EEXIST);
  });
});
