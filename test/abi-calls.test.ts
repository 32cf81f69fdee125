// ABI calls from real wasm guests: proc_raise, sched_yield, random_get, args and environ, fd rights, fd_renumber and the sock_* calls on a socket.
import { describe, expect, it } from 'vitest';
import { anonymous, Errno, pipe, ProcExit, toArray, WASI, type AnonymousArray } from 'iotypes';
import { MemoryFS } from 'iotypes/memory';
import { Rights } from '../src/fdtable/rights.js';
import { guest, importOf, type Guest } from './support/guest.js';
import { encodeModule, op } from './support/wasm.js';

const RIGHTS = (1n << 30n) - 1n;
const utf8 = new TextEncoder();

function text(a: AnonymousArray): string {
  const b = new Uint8Array(a.len());
  a.readAt(b, 0);
  return new TextDecoder().decode(b);
}

/** A command whose _start raises `sig`, then exits with 1 if the raise returned. */
function raiser(sig: number): WebAssembly.Module {
  return new WebAssembly.Module(encodeModule({
    imports: [importOf('wasi_snapshot_preview1', 'proc_raise'), importOf('wasi_snapshot_preview1', 'proc_exit')],
    funcs: [{ name: '_start', params: [], results: [], body: [op.i32(sig), op.call('proc_raise'), op.drop, op.i32(1), op.call('proc_exit')] }],
  }));
}

describe('proc_raise', () => {
  it('signal 0 is a no-op', () => {
    const g = guest(new WASI());
    expect(g.call('proc_raise', 0)).toBe(0);
    expect(g.call('sched_yield')).toBe(0);
  });

  it('SIGTERM ends the process: start() returns 128 + 15', () => {
    const wasi = new WASI();
    expect(wasi.start(new WebAssembly.Instance(raiser(15), wasi.getImportObject()))).toBe(143);
  });

  it('with returnOnExit false, the exit propagates as ProcExit(143)', () => {
    const wasi = new WASI({ returnOnExit: false });
    const instance = new WebAssembly.Instance(raiser(15), wasi.getImportObject());
    let caught: unknown;
    try {
      wasi.start(instance);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ProcExit);
    expect((caught as ProcExit).code).toBe(143);
  });

  it('an ignored signal returns (SIGCHLD, SIGWINCH), so _start goes on to exit 1', () => {
    for (const sig of [16, 27]) {
      const wasi = new WASI();
      expect(wasi.start(new WebAssembly.Instance(raiser(sig), wasi.getImportObject()))).toBe(1);
    }
  });

  it('a signal number beyond the witx enum is EINVAL', () => {
    const g = guest(new WASI());
    expect(g.call('proc_raise', 99)).toBe(Errno.EINVAL);
    expect(g.call('proc_raise', 31)).toBe(Errno.EINVAL);
  });
});

describe('sched_yield and random_get', () => {
  it('sched_yield returns 0', () => {
    expect(guest(new WASI()).call('sched_yield')).toBe(0);
  });

  it('random_get fills exactly the requested bytes from the configured source', () => {
    const seen: number[] = [];
    const g = guest(new WASI({ random: (b) => { seen.push(b.length); b.fill(0x5a); } }));
    expect(g.call('random_get', 1000, 37)).toBe(0);
    expect([...g.bytes(1000, 37)].every((b) => b === 0x5a)).toBe(true);
    expect(g.u8(999)).toBe(0);
    expect(g.u8(1037)).toBe(0);
    expect(g.call('random_get', 1000, 0)).toBe(0);
    expect(seen).toEqual([37]);
  });

  it('the default source fills more than one 64 KiB getRandomValues quota', () => {
    const g = guest(new WASI(), { pages: 3 });
    const n = 100_000;
    expect(g.call('random_get', 16, n)).toBe(0);
    const b = g.bytes(16, n);
    expect(b.slice(0, 4096).some((x) => x !== 0)).toBe(true);
    expect(b.slice(n - 4096).some((x) => x !== 0)).toBe(true);
    expect(g.u8(16 + n)).toBe(0);
  });
});

describe('args and environ', () => {
  const args = ['prog', 'héllo', '日本', ''];
  const env = { A: 'é', KEY: 'v=1' };

  function check(g: Guest, sizesFn: string, getFn: string, strings: string[]): void {
    const bytes = strings.map((s) => utf8.encode(`${s}\0`));
    const total = bytes.reduce((n, b) => n + b.length, 0);
    expect(g.call(sizesFn, 16, 20)).toBe(0);
    expect(g.u32(16)).toBe(strings.length);
    expect(g.u32(20)).toBe(total);
    g.fill(1024, 64, 0xaa);
    g.fill(2048, 128, 0xaa);
    expect(g.call(getFn, 1024, 2048)).toBe(0);
    let at = 2048;
    strings.forEach((s, i) => {
      expect(g.u32(1024 + 4 * i)).toBe(at);
      expect(g.text(at, bytes[i]!.length)).toBe(`${s}\0`);
      at += bytes[i]!.length;
    });
    expect(at).toBe(2048 + total);
    expect(g.u8(1024 + 4 * strings.length)).toBe(0xaa);
    expect(g.u8(2048 + total)).toBe(0xaa);
  }

  it('sizes count UTF-8 bytes (not UTF-16 units) and NUL terminators', () => {
    const g = guest(new WASI({ args, env }));
    expect(g.call('args_sizes_get', 16, 20)).toBe(0);
    expect([g.u32(16), g.u32(20)]).toEqual([4, 5 + 7 + 7 + 1]);
    expect(g.call('environ_sizes_get', 16, 20)).toBe(0);
    expect([g.u32(16), g.u32(20)]).toEqual([2, 5 + 8]);
  });

  it('args_get and environ_get write the pointer table and the strings', () => {
    const g = guest(new WASI({ args, env }));
    check(g, 'args_sizes_get', 'args_get', args);
    check(g, 'environ_sizes_get', 'environ_get', ['A=é', 'KEY=v=1']);
  });

  it('the same through wasi_unstable, with the environment given as strings', () => {
    const g = guest(new WASI({ args, env: ['X=ü', 'EMPTY='] }), { module: 'wasi_unstable' });
    check(g, 'args_sizes_get', 'args_get', args);
    check(g, 'environ_sizes_get', 'environ_get', ['X=ü', 'EMPTY=']);
  });

  it('no args and no environment: zero counts and sizes', () => {
    const g = guest(new WASI());
    g.fill(16, 8, 0xaa);
    expect(g.call('args_sizes_get', 16, 20)).toBe(0);
    expect(g.call('environ_sizes_get', 24, 28)).toBe(0);
    expect([g.u32(16), g.u32(20), g.u32(24), g.u32(28)]).toEqual([0, 0, 0, 0]);
  });
});

describe('fd_fdstat_set_rights', () => {
  function setup() {
    const fs = new MemoryFS();
    fs.writeFile('a', 'abc');
    const g = guest(new WASI({ preopens: { '.': fs.root } }));
    const open = (name: string, base: bigint, oflags = 0) => {
      expect(g.call('path_open', 3, 0, 100, g.str(100, name), oflags, base, RIGHTS, 0, 96)).toBe(0);
      return g.u32(96);
    };
    const rights = (fd: number) => {
      expect(g.call('fd_fdstat_get', fd, 200)).toBe(0);
      return { base: g.u64(208), inheriting: g.u64(216) };
    };
    g.iovecs(300, [{ ptr: 400, len: 3 }]);
    return { g, fs, open, rights };
  }

  it('drops rights, and a dropped right is gone', () => {
    const { g, open, rights } = setup();
    const fd = open('a', Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FILESTAT_GET);
    const { base } = rights(fd);
    expect(base & Rights.FD_WRITE).toBe(Rights.FD_WRITE);
    expect(g.call('fd_fdstat_set_rights', fd, base & ~Rights.FD_WRITE, 0n)).toBe(0);
    expect(rights(fd).base).toBe(base & ~Rights.FD_WRITE);
    expect(g.call('fd_write', fd, 300, 1, 500)).toBe(Errno.EBADF);
    expect(g.call('fd_read', fd, 300, 1, 500)).toBe(0);
    expect(g.text(400, 3)).toBe('abc');
    expect(g.call('fd_fdstat_set_rights', fd, base & ~Rights.FD_WRITE, 0n)).toBe(0); // no change is fine
  });

  it('adding a right back (base or inheriting) is ENOTCAPABLE and changes nothing', () => {
    const { g, open, rights } = setup();
    const fd = open('a', Rights.FD_READ | Rights.FD_WRITE);
    const before = rights(fd);
    expect(g.call('fd_fdstat_set_rights', fd, before.base & ~Rights.FD_WRITE, 0n)).toBe(0);
    expect(g.call('fd_fdstat_set_rights', fd, before.base, 0n)).toBe(Errno.ENOTCAPABLE);
    expect(g.call('fd_fdstat_set_rights', fd, before.base & ~Rights.FD_WRITE, 1n)).toBe(Errno.ENOTCAPABLE);
    expect(rights(fd)).toEqual({ base: before.base & ~Rights.FD_WRITE, inheriting: 0n });
  });

  it('on a directory: dropping PATH_OPEN refuses path_open, dropping an inheriting right limits new fds', () => {
    const { g, open, rights } = setup();
    const dir = rights(3);
    expect(g.call('fd_fdstat_set_rights', 3, dir.base, dir.inheriting & ~Rights.FD_WRITE)).toBe(0);
    const fd = open('a', Rights.FD_READ | Rights.FD_WRITE);
    expect(rights(fd).base & Rights.FD_WRITE).toBe(0n);
    expect(g.call('fd_fdstat_set_rights', 3, dir.base & ~Rights.PATH_OPEN, 0n)).toBe(0);
    g.fill(96, 4, 0xaa);
    expect(g.call('path_open', 3, 0, 100, g.str(100, 'a'), 0, Rights.FD_READ, 0n, 0, 96)).toBe(Errno.ENOTCAPABLE);
    expect(g.u32(96)).toBe(0xaaaaaaaa);
  });
});

describe('fd_renumber', () => {
  function setup() {
    const fs = new MemoryFS();
    fs.writeFile('a', 'AAA');
    fs.writeFile('b', 'BBB');
    const stdout = anonymous();
    const stderr = anonymous();
    const g = guest(new WASI({ preopens: { '.': fs.root }, stdout: toArray(stdout), stderr: toArray(stderr) }));
    const open = (name: string) => {
      expect(g.call('path_open', 3, 0, 100, g.str(100, name), 0, RIGHTS, RIGHTS, 0, 96)).toBe(0);
      return g.u32(96);
    };
    const read3 = (fd: number) => {
      g.iovecs(300, [{ ptr: 400, len: 3 }]);
      expect(g.call('fd_pread', fd, 300, 1, 0n, 500)).toBe(0);
      return g.text(400, g.u32(500));
    };
    return { g, open, read3, stdout, stderr };
  }

  it('moves the descriptor and closes what the target held', () => {
    const { g, open, read3 } = setup();
    const a = open('a');
    const b = open('b');
    expect([a, b]).toEqual([4, 5]);
    expect(g.call('fd_renumber', a, b)).toBe(0);
    expect(g.call('fd_fdstat_get', a, 200)).toBe(Errno.EBADF);
    expect(read3(b)).toBe('AAA');
    expect(open('b')).toBe(4); // the freed number is the lowest free one again
    expect(read3(4)).toBe('BBB');
  });

  it('a closed target or source is EBADF, and nothing moves', () => {
    const { g, open, read3 } = setup();
    const a = open('a');
    expect(g.call('fd_renumber', a, 99)).toBe(Errno.EBADF);
    expect(g.call('fd_renumber', 99, a)).toBe(Errno.EBADF);
    expect(read3(a)).toBe('AAA');
    expect(g.call('fd_fdstat_get', 99, 200)).toBe(Errno.EBADF);
  });

  it('renumbering onto itself keeps it open', () => {
    const { g, open, read3 } = setup();
    const a = open('a');
    expect(g.call('fd_renumber', a, a)).toBe(0);
    expect(read3(a)).toBe('AAA');
  });

  it('stdout renumbered onto stderr: fd 2 now writes to stdout, fd 1 is closed', () => {
    const { g, stdout, stderr } = setup();
    g.iovecs(300, [{ ptr: 400, len: g.str(400, 'x') }]);
    expect(g.call('fd_renumber', 1, 2)).toBe(0);
    expect(g.call('fd_write', 2, 300, 1, 500)).toBe(0);
    expect(g.call('fd_write', 1, 300, 1, 500)).toBe(Errno.EBADF);
    expect(text(stdout)).toBe('x');
    expect(text(stderr)).toBe('');
  });
});

describe('sock_* on a socket given to new WASI({ sockets })', () => {
  function setup() {
    const toGuest = pipe();
    const fromGuest = pipe();
    const wasi = new WASI({ sockets: [{ input: toGuest.input, output: fromGuest.output }] });
    const g = guest(wasi);
    const received = () => {
      const b = new Uint8Array(256);
      return new TextDecoder().decode(b.subarray(0, fromGuest.input.read(b)));
    };
    return { g, toGuest, fromGuest, received, fd: 3 };
  }

  it('is fd 3 when there are no preopens, a stream socket with SOCK_SHUTDOWN', () => {
    const { g, fd } = setup();
    expect(g.call('fd_fdstat_get', fd, 200)).toBe(0);
    expect(g.u8(200)).toBe(6);
    expect(g.u64(208) & Rights.SOCK_SHUTDOWN).toBe(Rights.SOCK_SHUTDOWN);
    expect(g.call('fd_prestat_get', fd, 200)).toBe(Errno.EBADF);
  });

  it('sock_recv reads what the peer sent, across iovecs; ro_flags is 0', () => {
    const { g, toGuest, fd } = setup();
    g.fill(500, 8, 0xaa);
    expect(g.call('sock_recv', fd, 300, 0, 0, 500, 504)).toBe(0); // no buffers: nothing to wait for
    expect(g.u32(500)).toBe(0);
    g.fill(500, 8, 0xaa);
    g.iovecs(300, [{ ptr: 400, len: 5 }, { ptr: 420, len: 100 }]);
    expect(g.call('sock_recv', fd, 300, 2, 0, 500, 504)).toBe(Errno.EAGAIN);
    expect(g.u32(500)).toBe(0xaaaaaaaa);
    toGuest.output.write(utf8.encode('hello world'));
    expect(g.call('sock_recv', fd, 300, 2, 0, 500, 504)).toBe(0);
    expect(g.u32(500)).toBe(11);
    expect(g.u16(504)).toBe(0);
    expect(g.u8(506)).toBe(0xaa);
    expect(g.text(400, 5) + g.text(420, 6)).toBe('hello world');
  });

  it('sock_recv with MSG_PEEK is ENOTSUP and consumes nothing; WAITALL is accepted', () => {
    const { g, toGuest, fd } = setup();
    toGuest.output.write(utf8.encode('abc'));
    g.iovecs(300, [{ ptr: 400, len: 8 }]);
    expect(g.call('sock_recv', fd, 300, 1, 1, 500, 504)).toBe(Errno.ENOTSUP);
    expect(g.call('sock_recv', fd, 300, 1, 2, 500, 504)).toBe(0);
    expect(g.text(400, g.u32(500))).toBe('abc');
  });

  it('sock_send writes to the peer; fd_write works on the socket too', () => {
    const { g, fd, received } = setup();
    g.iovecs(300, [{ ptr: 400, len: g.str(400, 'pi') }, { ptr: 410, len: g.str(410, 'ng') }]);
    expect(g.call('sock_send', fd, 300, 2, 0, 500)).toBe(0);
    expect(g.u32(500)).toBe(4);
    expect(received()).toBe('ping');
    expect(g.call('fd_write', fd, 300, 1, 500)).toBe(0);
    expect(received()).toBe('pi');
  });

  it('sock_shutdown(WR) ends the peer\'s input, and later sends are EPIPE', () => {
    const { g, fd, fromGuest } = setup();
    expect(g.call('sock_shutdown', fd, 2)).toBe(0);
    expect(fromGuest.input.read(new Uint8Array(4))).toBe(0);
    expect(fromGuest.input.status).toBe('ended');
    g.iovecs(300, [{ ptr: 400, len: g.str(400, 'late') }]);
    g.fill(500, 4, 0xaa);
    expect(g.call('sock_send', fd, 300, 1, 0, 500)).toBe(Errno.EPIPE);
    expect(g.u32(500)).toBe(0xaaaaaaaa);
  });

  it('sock_shutdown(RD) makes sock_recv report end of stream (0 bytes, no error)', () => {
    const { g, fd, toGuest } = setup();
    toGuest.output.write(utf8.encode('unread'));
    expect(g.call('sock_shutdown', fd, 1)).toBe(0);
    g.iovecs(300, [{ ptr: 400, len: 8 }]);
    expect(g.call('sock_recv', fd, 300, 1, 0, 500, 504)).toBe(0);
    expect(g.u32(500)).toBe(0);
  });

  it('the peer closing its end is end of stream for sock_recv', () => {
    const { g, fd, toGuest } = setup();
    toGuest.output.write(utf8.encode('bye'));
    toGuest.output.close();
    g.iovecs(300, [{ ptr: 400, len: 8 }]);
    expect(g.call('sock_recv', fd, 300, 1, 0, 500, 504)).toBe(0);
    expect(g.u32(500)).toBe(3);
    expect(g.call('sock_recv', fd, 300, 1, 0, 500, 504)).toBe(0);
    expect(g.u32(500)).toBe(0);
  });

  it('sock_accept on a connected socket is EINVAL (it is not listening), fd_out untouched', () => {
    const { g, fd } = setup();
    g.fill(500, 4, 0xaa);
    expect(g.call('sock_accept', fd, 0, 500)).toBe(Errno.EINVAL);
    expect(g.u32(500)).toBe(0xaaaaaaaa);
  });

  it('a socket with only an input has nothing to send on: ENOTCONN', () => {
    const g = guest(new WASI({ sockets: [{ input: pipe().input }] }));
    g.iovecs(300, [{ ptr: 400, len: 1 }]);
    expect(g.call('sock_send', 3, 300, 1, 0, 500)).toBe(Errno.ENOTCONN);
  });
});
