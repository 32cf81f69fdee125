// Partial success together with failure: a write that moves some bytes and then fails reports the
// bytes that moved, and the failure on the next call (sticky on streams). Through real wasm calls,
// on an array that fails after N bytes, on the Node backend with a host write that fails midway,
// on a real full disk (a 1 MiB tmpfs, when running as root), and after EPIPE on a host stream.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Errno, IOArray, IOError, toArray, WASI, type OutputStream } from 'iotypes';
import { BoundHandles, TYPED_PREOPEN } from 'iotypes/bound';
import { HostOutput, nodeDirectory } from 'iotypes/node';
import { memfsDirectory } from 'iotypes/memfs';
import { Volume } from 'memfs';
import { guest, type Guest } from './support/guest.js';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'iotypes.js');
const FILL = join(ROOT, 'test', 'enospc', 'fill.wasm');
const RIGHTS = (1n << 30n) - 1n;
const MiB = 1 << 20;
const APPEND = 1;
const O_CREAT = 1;
const PAGES = 40; // 2.5 MiB of guest memory
// Memory plan: iovecs at IOV, the path at PATH, out-params at OUT, data from DATA on.
const IOV = 64;
const PATH = 128;
const OUT = 256;
const DATA = 4096;
const SENTINEL = 0xdeadbeef;

const work = fs.mkdtempSync(join(tmpdir(), 'iotypes-partial-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** An array that holds at most `capacity` bytes: a write beyond moves what fits, then fails. */
class FullAfter extends IOArray {
  readonly bytes: Uint8Array;
  #len = 0;
  writes = 0;
  constructor(capacity: number) {
    super({ name: 'small disk' });
    this.bytes = new Uint8Array(capacity);
  }
  protected readAtCore(into: Uint8Array, offset: number): number {
    const n = Math.max(0, Math.min(into.length, this.#len - offset));
    into.set(this.bytes.subarray(offset, offset + n));
    return n;
  }
  protected writeAtCore(from: Uint8Array, offset: number): number {
    this.writes++;
    const fits = Math.max(0, Math.min(from.length, this.bytes.length - offset));
    this.bytes.set(from.subarray(0, fits), offset);
    this.#len = Math.max(this.#len, offset + fits);
    if (fits < from.length) throw new IOError(Errno.ENOSPC, fits, 'no space left');
    return fits;
  }
  protected lenCore(): number {
    return this.#len;
  }
  protected setLenCore(len: number): void {
    if (len > this.bytes.length) throw new IOError(Errno.ENOSPC, 0, 'no space left');
    this.bytes.fill(0, len);
    this.#len = len;
  }
}

/** Whether two byte ranges are equal (a deep equality over a MiB would take seconds). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));

/** A guest with `pattern` at DATA: bytes i % 251, so a misplaced byte shows. */
function withData(g: Guest, size: number): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = i % 251;
  g.write(DATA, data);
  return data;
}

/** Opens (creating) `name` in preopen 3 for writing; returns the fd. */
function open(g: Guest, name: string, fdflags = 0): number {
  const len = g.str(PATH, name);
  expect(g.call('path_open', 3, 0, PATH, len, O_CREAT, RIGHTS, RIGHTS, fdflags, OUT)).toBe(0);
  return g.u32(OUT);
}

/** fd_write (or fd_pwrite at `at`) of the iovecs; returns [errno, nwritten or SENTINEL]. */
function write(g: Guest, fd: number, bufs: { ptr: number; len: number }[], at?: bigint): [number, number] {
  g.iovecs(IOV, bufs);
  g.setU32(OUT, SENTINEL);
  const errno = at === undefined ? g.call('fd_write', fd, IOV, bufs.length, OUT) : g.call('fd_pwrite', fd, IOV, bufs.length, at, OUT);
  return [errno, g.u32(OUT)];
}

describe('an array that fails after N bytes, through wasm fd_write', () => {
  const setup = () => {
    const disk = new FullAfter(MiB);
    const bound = new BoundHandles();
    const name = bound.bind({ array: disk, writable: true }).slice(TYPED_PREOPEN.length + 1);
    const g = guest(new WASI({ preopens: { [TYPED_PREOPEN]: bound } }), { pages: PAGES });
    const data = withData(g, 2 * MiB);
    return { disk, g, name, data };
  };

  it.each([
    ['one 2 MiB buffer', [{ ptr: DATA, len: 2 * MiB }], 0],
    ['two buffers, failing inside the second', [{ ptr: DATA, len: 600_000 }, { ptr: DATA + 600_000, len: 1_000_000 }], 0],
    ['one buffer with O_APPEND', [{ ptr: DATA, len: 2 * MiB }], APPEND],
  ])('%s: reports the bytes that moved, then ENOSPC', (_what, bufs, fdflags) => {
    const { disk, g, name, data } = setup();
    const fd = open(g, name, fdflags);
    expect(write(g, fd, bufs)).toEqual([0, MiB]);
    expect(disk.len()).toBe(MiB);
    expect(same(disk.bytes, data.subarray(0, MiB))).toBe(true);
    // The next write fails with nothing moved; its out-param is left alone.
    expect(write(g, fd, [{ ptr: DATA, len: 1 }])).toEqual([Errno.ENOSPC, SENTINEL]);
  });

  it('fd_pwrite reports the bytes that moved and leaves the cursor alone', () => {
    const { disk, g, name } = setup();
    const fd = open(g, name);
    expect(write(g, fd, [{ ptr: DATA, len: MiB }], BigInt(MiB - 1000))).toEqual([0, 1000]);
    expect(disk.len()).toBe(MiB);
    g.setU64(OUT, 7n);
    expect(g.call('fd_tell', fd, OUT)).toBe(0);
    expect(g.u64(OUT)).toBe(0n);
  });

  it('as a stream (stdout over the array): the bytes that moved, then the sticky failure without another try', () => {
    const disk = new FullAfter(MiB);
    const g = guest(new WASI({ stdout: toArray(disk) }), { pages: PAGES });
    const data = withData(g, 2 * MiB);
    expect(write(g, 1, [{ ptr: DATA, len: 2 * MiB }])).toEqual([0, MiB]);
    expect(same(disk.bytes, data.subarray(0, MiB))).toBe(true);
    const tries = disk.writes;
    for (let i = 0; i < 3; i++) expect(write(g, 1, [{ ptr: DATA, len: 1 }])).toEqual([Errno.ENOSPC, SENTINEL]);
    expect(disk.writes).toBe(tries);
  });
});

/**
 * Replaces fs.writeSync for the descriptors `mine` picks while a test runs (Node's own module object,
 * with the change synced to every `import * as fs`). `impl` gets the real writeSync.
 */
type WriteSync = (fd: number, buffer: Uint8Array, offset?: number, length?: number, position?: number | null) => number;
const nodeFs = createRequire(import.meta.url)('node:fs') as { writeSync: WriteSync };
const realWriteSync = nodeFs.writeSync;
function interceptWrites(mine: (fd: number) => boolean, impl: (real: WriteSync, ...args: Parameters<WriteSync>) => number): { calls: number } {
  const counter = { calls: 0 };
  nodeFs.writeSync = (fd, ...rest) => {
    if (!mine(fd)) return realWriteSync(fd, ...rest);
    counter.calls++;
    return impl(realWriteSync, fd, ...rest);
  };
  syncBuiltinESMExports();
  return counter;
}
afterEach(() => {
  nodeFs.writeSync = realWriteSync;
  syncBuiltinESMExports();
});

const hostError = (code: string) => Object.assign(new Error(`${code}: host write failed`), { code });

/** A host write that takes at most `limit` bytes in all, then fails with `code`. */
function failAfter(limit: number, code: string) {
  let taken = 0;
  return (real: WriteSync, fd: number, buffer: Uint8Array, offset = 0, length = buffer.length - offset, position: number | null = null) => {
    if (taken >= limit) throw hostError(code);
    const n = real(fd, buffer, offset, Math.min(length, limit - taken), position);
    taken += n;
    return n;
  };
}

describe('the Node backend when a host write fails midway', () => {
  it('a host file (plain, O_APPEND): the bytes on disk are the bytes reported', () => {
    for (const fdflags of [0, APPEND]) {
      const dir = fs.mkdtempSync(join(work, 'file-'));
      const g = guest(new WASI({ preopens: { box: nodeDirectory(dir) } }), { pages: PAGES });
      withData(g, 2 * MiB);
      const fd = open(g, 'f', fdflags);
      // Writes to the guest's file (through any host descriptor, the O_APPEND one included).
      const target = join(fs.realpathSync(dir), 'f');
      const isTarget = (n: number) => {
        try {
          return fs.readlinkSync(`/proc/self/fd/${n}`) === target;
        } catch {
          return false;
        }
      };
      interceptWrites(isTarget, failAfter(300_000, 'ENOSPC'));
      expect(write(g, fd, [{ ptr: DATA, len: MiB }, { ptr: DATA + MiB, len: MiB }])).toEqual([0, 300_000]);
      expect(fs.statSync(join(dir, 'f')).size).toBe(300_000);
      expect(write(g, fd, [{ ptr: DATA, len: 10 }])).toEqual([Errno.ENOSPC, SENTINEL]);
      expect(g.call('fd_close', fd)).toBe(0);
    }
  });

  it('a host stream (stdout, @out): the bytes reported, then the sticky failure without another host call', () => {
    const path = join(work, 'stream.out');
    const hostFd = fs.openSync(path, 'w');
    try {
      const g = guest(new WASI({ stdout: new HostOutput(hostFd, 'out') }), { pages: PAGES });
      withData(g, 2 * MiB);
      const host = interceptWrites((n) => n === hostFd, failAfter(123_456, 'ENOSPC'));
      expect(write(g, 1, [{ ptr: DATA, len: 2 * MiB }])).toEqual([0, 123_456]);
      expect(fs.statSync(path).size).toBe(123_456);
      const calls = host.calls;
      for (let i = 0; i < 3; i++) expect(write(g, 1, [{ ptr: DATA, len: 1 }])).toEqual([Errno.ENOSPC, SENTINEL]);
      expect(host.calls).toBe(calls);
    } finally {
      fs.closeSync(hostFd);
    }
  });
});

describe('the memfs backend when a write fails midway', () => {
  it('reports the bytes that reached the volume', () => {
    const vol = new Volume();
    vol.mkdirSync('/box');
    const realWrite = vol.writeSync.bind(vol);
    let left = 300_000; // room left in the volume, as this fake sees it
    vol.writeSync = ((fd: number, buffer: Uint8Array, offset: number, length: number, position: number) => {
      if (left === 0) throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
      const n = realWrite(fd, buffer, offset, Math.min(length, left), position);
      left -= n;
      return n;
    }) as typeof vol.writeSync;
    const g = guest(new WASI({ preopens: { box: memfsDirectory(vol, '/box') } }), { pages: PAGES });
    withData(g, 2 * MiB);
    const fd = open(g, 'f');
    expect(write(g, fd, [{ ptr: DATA, len: 2 * MiB }])).toEqual([0, 300_000]);
    expect(vol.statSync('/box/f').size).toBe(300_000);
    expect(write(g, fd, [{ ptr: DATA, len: 1 }])).toEqual([Errno.ENOSPC, SENTINEL]);
  });
});

describe('writes after EPIPE', () => {
  it('return EPIPE without calling the host again', () => {
    // A FIFO whose reader has gone: the host write fails with EPIPE (Node ignores SIGPIPE).
    const fifo = join(work, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const reader = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const writer = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    fs.closeSync(reader);
    try {
      const stdout: OutputStream = new HostOutput(writer, 'stdout');
      const g = guest(new WASI({ stdout }), { pages: 1 });
      g.str(DATA, 'hello');
      const host = interceptWrites((n) => n === writer, (real, ...args) => real(...args));
      expect(write(g, 1, [{ ptr: DATA, len: 5 }])).toEqual([Errno.EPIPE, SENTINEL]);
      expect(host.calls).toBe(1);
      for (let i = 0; i < 1000; i++) expect(write(g, 1, [{ ptr: DATA, len: 5 }])[0]).toBe(Errno.EPIPE);
      expect(host.calls).toBe(1);
      expect(stdout.status).toBe('failed');
      // The remembered failure is one object, reported again as it is (nothing new is built).
      let thrown: unknown;
      try {
        stdout.write(new Uint8Array(1));
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBe(stdout.error);
    } finally {
      fs.closeSync(writer);
    }
  });
});

// A real full disk: a 1 MiB tmpfs, written by a C program through `iotypes run`.
function mountTmpfs(dir: string): string | undefined {
  if (process.getuid?.() !== 0) return 'not running as root: mounting a tmpfs needs root';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return `mount -t tmpfs failed: ${(r.error?.message ?? r.stderr).trim()}`;
  return undefined;
}

describe('ENOSPC on a full tmpfs (1 MiB), through `iotypes run` and a C program writing 2 MiB', () => {
  const disk = join(work, 'tmpfs');
  fs.mkdirSync(disk);
  let skipped: string | undefined;
  beforeAll(() => {
    skipped = mountTmpfs(disk);
  });
  afterAll(() => {
    if (skipped === undefined) spawnSync('umount', [disk]);
  });
  afterEach(() => {
    if (skipped === undefined) for (const f of fs.readdirSync(disk)) fs.rmSync(join(disk, f));
  });

  /** Runs `iotypes run ...args` with stdout into `stdoutFd` (or a pipe); returns stderr. */
  const run = (args: string[], stdoutFd?: number) =>
    new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'run', ...args], { cwd: ROOT, stdio: ['ignore', stdoutFd ?? 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stderr }));
    });

  /** The two write results the program reports. */
  const results = (stderr: string) => {
    const m = /^first (-?\d+) (\d+) second (-?\d+) (\d+)$/m.exec(stderr);
    expect(m, stderr).not.toBeNull();
    return { first: Number(m![1]), second: Number(m![3]), secondErrno: Number(m![4]) };
  };

  const check = (stderr: string, file: string) => {
    const { first, second, secondErrno } = results(stderr);
    const onDisk = fs.statSync(file).size;
    expect(onDisk).toBeGreaterThan(0);
    expect(onDisk).toBeLessThan(2 * MiB);
    expect(first).toBe(onDisk);
    expect([second, secondErrno]).toEqual([-1, Errno.ENOSPC]);
  };

  it.for(['trunc', 'append'])('a file in a --dir folder (%s)', async (mode, ctx) => {
    if (skipped !== undefined) return ctx.skip(skipped);
    const got = await run(['--dir', `${disk}::box`, FILL, 'box/f', mode]);
    expect(got.status, got.stderr).toBe(0);
    check(got.stderr, join(disk, 'f'));
  });

  it('stdout redirected to a file', async (ctx) => {
    if (skipped !== undefined) return ctx.skip(skipped);
    const out = fs.openSync(join(disk, 'stdout'), 'w');
    const got = await run([FILL, 'stdout'], out).finally(() => fs.closeSync(out));
    expect(got.status, got.stderr).toBe(0);
    check(got.stderr, join(disk, 'stdout'));
  });

  it('an @out typed argument', async (ctx) => {
    if (skipped !== undefined) return ctx.skip(skipped);
    const got = await run([FILL, `@out:${join(disk, 'out')}`, 'plain']);
    expect(got.status, got.stderr).toBe(0);
    check(got.stderr, join(disk, 'out'));
  });
});
